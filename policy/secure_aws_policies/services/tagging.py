"""Tagging: every resource whose type takes tags carries the required tags with the required values.

Which types take tags is generated from pulumi-aws (`secure_aws_policies/taggable_types.txt`, see policy/tools).
The provider's `default_tags` count, as AWS applies them: merged under the resource's own tags, which win on a clash. A
resource on the default provider gets the stack config's `aws:defaultTags` instead. Auto Scaling groups take a
list of tags that `default_tags` never reaches, so theirs must be on the group itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pulumi_policy import Severity

from .. import stack_config
from ..props import UNKNOWN, has, items, json_object, peek, value
from ..registry import PROJECT, SECURITY_HUB, Category, resource_policy
from ..types import AUTOSCALING_TAG, EC2_TAG

TAGGABLE_TYPES_FILE = Path(__file__).resolve().parents[1] / "taggable_types.txt"


def load_taggable_types(path: Path = TAGGABLE_TYPES_FILE) -> dict[str, str]:
    """Type token -> "map" (default_tags apply) or "list" (they do not)."""
    types = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            token, style = line.split()
            types[token] = style
    return types


TAGGABLE_TYPES = load_taggable_types()
ANY_VALUE = "*"


def _default_tags(args: Any) -> Mapping[str, Any]:
    """The tags the resource's provider adds to it: its `defaultTags` input, or the stack's `aws:defaultTags`."""
    if args.provider is not None:
        found = peek(args.provider.props, "defaultTags")
        if found is UNKNOWN:
            found = value(args.provider.props, "defaultTags")  # raises: the defaults are not known yet
    else:
        found = stack_config.get("aws:defaultTags")
    tags = json_object(found).get("tags") if found else None
    return tags if isinstance(tags, Mapping) else {}


def _own_tags(args: Any, style: str) -> Mapping[str, Any]:
    if style == "list":
        return {value(tag, "key"): value(tag, "value") for tag in items(value(args.props, "tags"))}
    tags = value(args.props, "tags", {})
    return tags if isinstance(tags, Mapping) else {}


# One tag set by its own resource on a resource elsewhere (aws.ec2.Tag: `key`/`value` on `resourceId`;
# aws.autoscaling.Tag: `tag` {key, value, propagateAtLaunch} on `autoscalingGroupName`). AWS keeps one value per
# key: this one or the resource's own, whichever was written last.
SEPARATE_TAG_TYPES = (EC2_TAG, AUTOSCALING_TAG)


def _judge_separate_tag(args: Any, report: Any, required: Mapping[str, str]) -> None:
    tag = args.props if args.resource_type == EC2_TAG else value(args.props, "tag") or {}
    key = value(tag, "key")
    if key not in required:
        args.not_applicable(f"it sets {key!r}, which is not a required tag")
    actual, expected = value(tag, "value"), required[key]
    if actual in (None, "") or (expected != ANY_VALUE and actual != expected):
        report(
            f"{args.name} sets {key}={actual!r} on a resource, overriding its own tags; required {key}={expected!r}."
        )


@resource_policy(
    name="required-tags",
    description="Every taggable resource carries the required tags and values (default Environment=Production), "
    "counting the provider's default_tags; a separate aws.ec2.Tag or aws.autoscaling.Tag resource that sets a "
    "required tag to another value overrides the resource's own, so it is refused too (the worst value wins).",
    types=sorted({*TAGGABLE_TYPES, *SEPARATE_TAG_TYPES}),
    severity=Severity.LOW,
    category=Category.TAGGING,
    controls=[PROJECT("tagging"), SECURITY_HUB("EC2.38"), SECURITY_HUB("RDS.30"), SECURITY_HUB("Lambda.6")],
    remediation="Set the tags on the AWS provider's default_tags (aws.ProviderDefaultTagsArgs(tags={...})) so every "
    "resource gets them; Auto Scaling groups need them in their own `tags` list (propagate_at_launch=True).",
    config={
        "requiredTags": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "default": {"Environment": "Production"},
            "description": 'Tag name -> required value; "*" accepts any non-empty value.',
        },
    },
)
def required_tags(args: Any, report: Any, config: dict) -> None:
    required = dict(config["requiredTags"])
    if args.resource_type in SEPARATE_TAG_TYPES:
        _judge_separate_tag(args, report, required)
        return
    style = TAGGABLE_TYPES[args.resource_type]
    own = _own_tags(args, style)
    # The provider's defaults are read only when the resource's own tags leave a required one out: a provider
    # whose default_tags are unknown at preview does not make a fully tagged resource undecided.
    defaults = _default_tags(args) if style == "map" and not all(has(own, key) for key in required) else {}
    for key, expected in required.items():
        if has(own, key):
            actual = value(own, key)  # the resource's own tag wins over default_tags; an unknown one raises
            source = "its tag"
        elif key in defaults:
            actual = defaults[key]
            source = "the provider's default tag"
        else:
            hint = (
                "neither its tags nor the provider's default_tags set it"
                if style == "map"
                else "its tags do not set it, and default_tags never reach Auto Scaling groups"
            )
            report(
                f"{args.name} has no {key} tag ({hint}); required: "
                f"{key}={expected if expected != ANY_VALUE else '<any value>'}."
            )
            continue
        if actual in (None, "") or (expected != ANY_VALUE and actual != expected):
            report(f"{args.name}: {source} {key}={actual!r}, required {key}={expected!r}.")
