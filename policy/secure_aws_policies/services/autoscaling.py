"""Auto Scaling: groups that span Availability Zones, replace instances their load balancer finds unhealthy, and
tag what they launch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, Deferred, is_set, items, linked_to, peek, truthy, value
from ..registry import CDK_NAG, FSBP, PROJECT, SECURITY_HUB, Category, resource_policy, stack_policy
from ..types import (
    AUTOSCALING_GROUP,
    AUTOSCALING_TAG,
    LAUNCH_CONFIGURATION,
    LAUNCH_TEMPLATE,
    SUBNET,
)


@stack_policy(
    name="autoscaling-group-multi-az",
    description="Auto Scaling groups span at least two Availability Zones: their subnets (joined through "
    "vpcZoneIdentifiers) lie in two or more AZs, or they name two or more availabilityZones.",
    types=[AUTOSCALING_GROUP, SUBNET],
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    controls=[FSBP("AutoScaling.2")],
    remediation="Pass vpc_zone_identifiers=[<a private subnet in each of at least two AZs>].",
    config={
        "minAvailabilityZones": {
            "type": "integer",
            "minimum": 2,
            "default": 2,
            "description": "The fewest Availability Zones a group must span.",
        },
    },
)
def autoscaling_group_multi_az(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    subnets = {r.urn: r for r in args.resources if r.resource_type == SUBNET}
    minimum = int(config["minAvailabilityZones"])
    for group in (r for r in args.resources if r.resource_type == AUTOSCALING_GROUP):
        with deferred.guard():
            # availability_zones and vpc_zone_identifiers have no default (left out, a group takes the zones of the
            # subnets it is given); a subnet's availability_zone (or availability_zone_id) is computed when left out:
            # unknown until created.
            zones = {str(z) for z in items(value(group.props, "availabilityZones", []))}
            linked = [
                subnets[d.urn] for d in group.property_dependencies.get("vpcZoneIdentifiers", []) if d.urn in subnets
            ]
            for subnet in linked:
                zone = peek(subnet.props, "availabilityZone")
                if zone is UNKNOWN or zone is None:
                    zone = value(subnet.props, "availabilityZoneId")
                zones.add(str(zone))
            if not linked and not zones:
                # Subnet ids from outside the stack: their AZs are unknown, count the subnets at least.
                count = len(items(peek(group.props, "vpcZoneIdentifiers", []) or []))
                if count < minimum:
                    report(
                        f"Auto Scaling group {group.name} uses {count} subnet(s); it needs subnets in at least "
                        f"{minimum} Availability Zones.",
                        group.urn,
                    )
                continue
            if len(zones) < minimum:
                report(
                    f"Auto Scaling group {group.name} spans {len(zones)} Availability Zone(s) "
                    f"({', '.join(sorted(zones))}); at least {minimum} are required.",
                    group.urn,
                )
    deferred.finish()


@resource_policy(
    name="autoscaling-group-elb-health-check",
    description="Auto Scaling groups behind a load balancer use its health checks (health check type ELB), so an "
    "instance that stops serving is replaced, not only one that stops running.",
    types=[AUTOSCALING_GROUP],
    severity=Severity.LOW,
    category=Category.RESILIENCE,
    controls=[FSBP("AutoScaling.1"), CDK_NAG("AwsSolutions-AS2")],
    remediation="Set health_check_type='ELB' and a health_check_grace_period on the group.",
)
def autoscaling_group_elb_health_check(args: Any, report: Any, config: dict) -> None:
    props = args.props
    if not any(is_set(props, key) for key in ("targetGroupArns", "loadBalancers", "trafficSources")):
        args.not_applicable("the group is not attached to a load balancer")
    # health_check_type left out: EC2 (the Auto Scaling API's default HealthCheckType), which does not ask the load
    # balancer.
    kinds = {k.strip().upper() for k in str(value(props, "healthCheckType", "EC2")).split(",")}
    if "ELB" not in kinds:
        report(
            f"Auto Scaling group {args.name} is behind a load balancer but uses {', '.join(sorted(kinds))} "
            "health checks."
        )


# Tag spec resource types that matter for what an Auto Scaling group launches.
_LAUNCHED = ("instance", "volume")


def _required_problems(kind: str, tags: dict[str, Any], required: dict[str, str]) -> list[str]:
    problems = []
    for key, expected in required.items():
        actual = tags.get(key)
        if actual in (None, "") or (expected != "*" and actual != expected):
            problems.append(f"its {kind}s get {key}={actual!r}, required {key}={expected!r}")
    return problems


def _spec_tags(template: Any) -> dict[str, dict[str, Any]]:
    """Resource type -> the tags a launch template's tag_specifications give it (later specs win)."""
    found: dict[str, dict[str, Any]] = {}
    for spec in items(value(template.props, "tagSpecifications", [])):
        kind = str(value(spec, "resourceType", ""))
        tags = value(spec, "tags", {})
        found.setdefault(kind, {}).update(dict(tags) if isinstance(tags, Mapping) else {})
    return found


@stack_policy(
    name="autoscaling-launched-instances-tagged",
    description="What an Auto Scaling group launches carries the required tags (default Environment=Production): "
    "its instances through the group's tags with propagate_at_launch=True (in `tags` or an aws.autoscaling.Tag), "
    "which override the launch template's instance tag_specifications on a clash, or through those; its EBS volumes "
    "only through the launch template's `volume` tag_specifications (AWS: \"Tags are not propagated to Amazon EBS "
    "volumes. To add tags to Amazon EBS volumes, specify the tags in a launch template\"). The provider's "
    "default_tags reach neither. A launch template outside the stack leaves its volumes undecided; a launch "
    "configuration cannot tag volumes at all.",
    types=[AUTOSCALING_GROUP, AUTOSCALING_TAG, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION],
    severity=Severity.LOW,
    category=Category.TAGGING,
    controls=[PROJECT("tagging"), SECURITY_HUB("EC2.38")],
    remediation="Give the launch template tag_specifications for resource_type 'instance' and 'volume' with the "
    "required tags (or give the group tags with propagate_at_launch=True for the instances).",
    config={
        "requiredTags": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "default": {"Environment": "Production"},
            "description": 'Tag name -> required value ("*": any non-empty value); keep it equal to required-tags\' '
            "requiredTags.",
        },
    },
)
def autoscaling_launched_instances_tagged(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    required = {str(k): str(v) for k, v in dict(config["requiredTags"]).items()}
    templates = {r.urn: r for r in args.resources if r.resource_type in (LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION)}
    separate_tags = linked_to(args.resources, AUTOSCALING_TAG, "autoscalingGroupName")
    for group in (r for r in args.resources if r.resource_type == AUTOSCALING_GROUP):
        with deferred.guard():
            propagated = {
                str(value(t, "key")): value(t, "value")
                for t in items(value(group.props, "tags", []))
                if truthy(value(t, "propagateAtLaunch"))
            }
            for resource in separate_tags.get(group.urn, []):
                tag = value(resource.props, "tag", {})
                if truthy(value(tag, "propagateAtLaunch")):
                    propagated[str(value(tag, "key"))] = value(tag, "value")
            linked = [
                templates[d.urn]
                for key in ("launchTemplate", "mixedInstancesPolicy", "launchConfiguration")
                for d in group.property_dependencies.get(key, [])
                if d.urn in templates
            ]
            if not linked:
                # A launch template from outside the stack: only what the group propagates is known.
                if not all(key in propagated for key in required):
                    for problem in _required_problems("instance", propagated, required):
                        report(
                            f"Auto Scaling group {group.name}: {problem} (its launch template is not in the "
                            "stack, so only tags with propagate_at_launch=True count).",
                            group.urn,
                        )
                continue
            for template in linked:
                specs = {} if template.resource_type == LAUNCH_CONFIGURATION else _spec_tags(template)
                launched = {"instance": {**specs.get("instance", {}), **propagated}, "volume": specs.get("volume", {})}
                for kind in _LAUNCHED:
                    for problem in _required_problems(kind, launched[kind], required):
                        report(f"Auto Scaling group {group.name} launches from {template.name}: {problem}.", group.urn)
    deferred.finish()
