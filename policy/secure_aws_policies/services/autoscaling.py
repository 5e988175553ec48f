"""Auto Scaling: groups that span Availability Zones and replace instances their load balancer finds unhealthy."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, Deferred, is_set, items, peek, value
from ..registry import CDK_NAG, FSBP, Category, resource_policy, stack_policy
from ..types import (
    AUTOSCALING_GROUP,
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
            zones = {str(z) for z in items(value(group.props, "availabilityZones", []))}
            linked = [subnets[d.urn] for d in group.property_dependencies.get("vpcZoneIdentifiers", [])
                      if d.urn in subnets]  # fmt: skip
            for subnet in linked:
                zone = peek(subnet.props, "availabilityZone")
                if zone is UNKNOWN or zone is None:
                    zone = value(subnet.props, "availabilityZoneId")
                zones.add(str(zone))
            if not linked and not zones:
                # Subnet ids from outside the stack: their AZs are unknown, count the subnets at least.
                count = len(items(peek(group.props, "vpcZoneIdentifiers", []) or []))
                if count < minimum:
                    report(f"Auto Scaling group {group.name} uses {count} subnet(s); it needs subnets in at least "
                           f"{minimum} Availability Zones.", group.urn)  # fmt: skip
                continue
            if len(zones) < minimum:
                report(f"Auto Scaling group {group.name} spans {len(zones)} Availability Zone(s) "
                       f"({', '.join(sorted(zones))}); at least {minimum} are required.", group.urn)  # fmt: skip
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
    kinds = {k.strip().upper() for k in str(value(props, "healthCheckType", "EC2")).split(",")}
    if "ELB" not in kinds:
        report(f"Auto Scaling group {args.name} is behind a load balancer but uses {', '.join(sorted(kinds))} "
               "health checks.")  # fmt: skip
