"""Region: everything is deployed in an allowed region (default us-east-1), whichever way the region is chosen.

pulumi-aws v7 picks a resource's region from, in order: the resource's own `region` input, its explicit
provider's `region`, or, for the default provider, the stack config `aws:region`. Each explicit provider is
judged once, as the `pulumi:providers:aws` resource the engine analyzes; a resource is judged by its own
`region`, and by the stack config only when the engine sends no provider with it (it sends the default
provider it creates, whose inputs are the stack's `aws:` config, and analyzes that provider too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pulumi_policy import Severity

from .. import stack_config
from ..props import nested_strings, value
from ..registry import PROJECT, Category, resource_policy
from ..types import AWS_PROVIDER

# A region named inside a resource: a nested input whose key names a region (replicas' `regionName`, a copy's
# `destinationRegion`, a secret replica's `region`, an ECR replication destination's `region` ...). Keys that
# name where data comes FROM (`sourceRegion`, `sourceAmiRegion`) are not a deployment location and are not judged.
_REGION_VALUE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$")
_REGION_KEY = re.compile(r"region(name)?$", re.IGNORECASE)
_DESTINATION_KEY = re.compile(r"destination|replica", re.IGNORECASE)
_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+):")


def _region_of(key: str, found: str) -> str | None:
    """The region a string input places something in, by its key: a region, or an ARN under a destination key."""
    if key.lower().startswith("source"):
        return None
    if _REGION_KEY.search(key) and _REGION_VALUE.match(found):
        return found
    arn = _ARN_REGION.match(found) if _DESTINATION_KEY.search(key) else None
    return arn.group(1) if arn else None


def _named_regions(found: Any) -> Iterator[tuple[str, str]]:
    """(path, region) for every nested input whose key names a region; unknown values are skipped."""
    for where, keys, text in nested_strings(found):
        region = _region_of(keys[-1], text)
        if region is not None:
            yield where, region


@resource_policy(
    name="aws-region-allowed",
    description="Every AWS provider, explicit or default, every resource's own region, and every region named "
    "inside a resource is an allowed region (default us-east-1). Inside means a nested input whose key names a "
    "region (a replica's `region`/`regionName`, a copy's `destinationRegion`, a replication destination's `region`) "
    "and an ARN under a key naming a destination or replica (e.g. a backup copy action's destinationVaultArn). Keys "
    "naming a source region (sourceRegion, sourceAmiRegion) are not judged: reading from elsewhere keeps the data "
    "here.",
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
    if args.resource_type.startswith("aws:"):
        for where, region in _named_regions(args.props):
            if where != "region" and region not in allowed:  # the resource's own region is judged below
                report(f"{args.name} names region {region} in {where}; allowed: {allowed}.")
    if args.resource_type == AWS_PROVIDER:
        _judge_provider(args, report, allowed)
    elif args.resource_type.startswith("aws:"):
        _judge_resource_region(args, report, allowed)


def _judge_provider(args: Any, report: Any, allowed: list[str]) -> None:
    region = value(args.props, "region")
    if region is None:
        report(
            f"provider {args.name} sets no region, so it takes one from the environment (AWS_REGION) "
            f"of whoever runs the deployment; set one of {allowed}."
        )
    elif region not in allowed:
        report(f"provider {args.name} deploys to {region}; allowed: {allowed}.")


def _judge_resource_region(args: Any, report: Any, allowed: list[str]) -> None:
    """A resource's own `region`, else (with no provider sent) the default provider's stack config aws:region."""
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
        report(
            f"{args.name} uses the default provider and {origin} is not set, so the region comes from the "
            f"environment (AWS_REGION); set aws:region to one of {allowed}."
        )
    elif region not in allowed:
        report(f"{args.name} would be deployed to {region} ({origin}); allowed: {allowed}.")
