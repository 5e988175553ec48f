"""Region: everything is deployed in an allowed region (default us-east-1), whichever way the region is chosen.

pulumi-aws v7 picks a resource's region from, in order: the resource's own `region` input, its explicit
provider's `region`, or, for the default provider, the stack config `aws:region`. Each explicit provider is
judged once, as the `pulumi:providers:aws` resource the engine analyzes; a resource is judged by its own
`region`, and by the stack config only when the engine sends no provider with it (it sends the default
provider it creates, whose inputs are the stack's `aws:` config, and analyzes that provider too).
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .. import stack_config
from ..props import value
from ..registry import PROJECT, Category, resource_policy
from ..types import AWS_PROVIDER


@resource_policy(
    name="aws-region-allowed",
    description="Every AWS provider, explicit or default, and every resource's own region is an allowed region "
    "(default us-east-1).",
    types=["*"],
    severity=Severity.HIGH,
    category=Category.REGION,
    controls=[PROJECT("region-us-east-1")],
    remediation="Create resources through the project's explicit aws.Provider with region=<allowed region>, set "
    "`pulumi config set aws:region <allowed region>` for the default provider, and do not set a resource's "
    "own `region` elsewhere.",
    config={
        "allowedRegions": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "default": ["us-east-1"],
            "description": "Regions resources may be deployed in.",
        },
    },
)
def aws_region_allowed(args: Any, report: Any, config: dict) -> None:
    allowed = list(config["allowedRegions"])
    if args.resource_type == AWS_PROVIDER:
        region = value(args.props, "region")
        if region is None:
            report(f"provider {args.name} sets no region, so it takes one from the environment (AWS_REGION) "
                   f"of whoever runs the deployment; set one of {allowed}.")  # fmt: skip
        elif region not in allowed:
            report(f"provider {args.name} deploys to {region}; allowed: {allowed}.")
        return
    if not args.resource_type.startswith("aws:"):
        return
    own_region = value(args.props, "region")
    if own_region is not None:
        if own_region not in allowed:
            report(f"{args.name} sets region={own_region}; allowed: {allowed}.")
        return
    if args.provider is not None:
        return  # judged once, as the provider resource (explicit or the engine's default one) itself
    if not stack_config.available():
        args.not_applicable("the engine passed no provider and no stack config to judge the default provider by")
    region = stack_config.get("aws:region")
    origin = "the stack config aws:region"
    if region is None:
        report(f"{args.name} uses the default provider and {origin} is not set, so the region comes from the "
               f"environment (AWS_REGION); set aws:region to one of {allowed}.")  # fmt: skip
    elif region not in allowed:
        report(f"{args.name} would be deployed to {region} ({origin}); allowed: {allowed}.")
