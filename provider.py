"""The one AWS provider every component uses: pinned to the validated region, tagging everything it creates."""

import pulumi
import pulumi_aws as aws

from settings import Settings


def aws_provider(settings: Settings) -> aws.Provider:
    """An explicit provider, so no resource silently falls back to ambient AWS config for its region.

    `default_tags` puts Environment/Project/ManagedBy (and any extraTags) on every taggable resource, which is
    what the tagging policy checks.
    """
    return aws.Provider(
        f"{settings.project}-{settings.stack}-aws",
        region=settings.region,
        default_tags=aws.ProviderDefaultTagsArgs(tags=settings.tags),
        # Check the region name against the provider's list of known regions instead of trusting it blindly.
        skip_region_validation=False,
        # With credentials for another account, the provider refuses before it creates anything there.
        allowed_account_ids=[settings.account_id] if settings.account_id else None,
    )


def component_opts(provider: aws.Provider) -> pulumi.ResourceOptions:
    """Options for a tier component: its children inherit the provider through their parent."""
    return pulumi.ResourceOptions(providers={"aws": provider})
