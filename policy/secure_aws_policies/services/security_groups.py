"""Security groups: who can reach what. World-open ingress only to the allowed ports and only on load balancer
groups, admin ports only from the allowed CIDRs, a closed default group, and rules that say why they exist.

Ingress is read the same way from its three pulumi-aws forms (inline `ingress` on a security group, an
`ec2.SecurityGroupRule` of type ingress, a `vpc.SecurityGroupIngressRule`) by `ingress_rules`. A rule's CIDRs are
read only when the decision needs them, so an unknown CIDR at preview stops only the policies that depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import Severity

from ..net import ADMIN_PORTS, WORLD_OPEN_PORTS, PortRange, is_world, within
from ..props import UNKNOWN, Deferred, attempt, is_set, items, peek, value
from ..registry import CDK_NAG, CIS, FSBP, PROJECT, Category, resource_policy, stack_policy
from ..types import (
    DEFAULT_SECURITY_GROUP,
    LOAD_BALANCERS,
    SECURITY_GROUP,
    SECURITY_GROUP_EGRESS_RULE,
    SECURITY_GROUP_INGRESS_RULE,
    SECURITY_GROUP_RULE,
)

PULUMI_DEFAULT_SG_DESCRIPTION = "Managed by Pulumi"


@dataclass(frozen=True)
class IngressRule:
    """One ingress permission, whichever resource form it came in."""

    where: str
    props: Mapping[str, Any]
    form: str  # "inline" (SecurityGroup ingress[i]), "rule" (ec2.SecurityGroupRule), "vpc" (vpc ingress rule)

    def ports(self) -> PortRange:
        return PortRange.read(self.props, "ipProtocol" if self.form == "vpc" else "protocol")

    def cidrs(self) -> list[str]:
        keys = ("cidrIpv4", "cidrIpv6") if self.form == "vpc" else ("cidrBlocks", "ipv6CidrBlocks")
        return [str(c) for key in keys for c in items(value(self.props, key)) if c]

    def uses_prefix_list(self) -> bool:
        return is_set(self.props, "prefixListId" if self.form == "vpc" else "prefixListIds")


def ingress_rules(resource_type: str, props: Mapping[str, Any]) -> list[IngressRule]:
    if resource_type == SECURITY_GROUP:
        return [IngressRule(f"ingress[{i}]", rule, "inline") for i, rule in enumerate(items(value(props, "ingress")))]
    if resource_type == SECURITY_GROUP_RULE and value(props, "type") == "ingress":
        return [IngressRule("the rule", props, "rule")]
    if resource_type == SECURITY_GROUP_INGRESS_RULE:
        return [IngressRule("the rule", props, "vpc")]
    return []


INGRESS_TYPES = [SECURITY_GROUP, SECURITY_GROUP_RULE, SECURITY_GROUP_INGRESS_RULE]


@resource_policy(
    name="security-group-world-ingress-restricted",
    description="Security groups allow ingress from 0.0.0.0/0 or ::/0 only to the allowed TCP ports "
    "(default 80 and 443).",
    types=INGRESS_TYPES,
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    controls=[FSBP("EC2.18"), FSBP("EC2.19"), CDK_NAG("AwsSolutions-EC23")],
    remediation="Narrow the rule's source to known CIDRs or a security group reference; only a load balancer's "
    "security group may take the world, on the allowed ports.",
    config={"worldOpenPorts": WORLD_OPEN_PORTS},
)
def security_group_world_ingress_restricted(args: Any, report: Any, config: dict) -> None:
    allowed_ports = [int(p) for p in config["worldOpenPorts"]]  # JSON config numbers arrive as floats
    for rule in ingress_rules(args.resource_type, args.props):
        # Either an allowed port or a source other than the world decides, even if the other is unknown yet.
        ports = attempt(rule.ports)
        if ports is not UNKNOWN and ports.only_tcp_ports(allowed_ports):
            continue
        world = [c for c in rule.cidrs() if is_world(c)]
        if world and not (ports := rule.ports()).only_tcp_ports(allowed_ports):
            report(f"{args.name}: {rule.where} opens {ports} to {', '.join(world)}; only TCP {allowed_ports} may be "
                   "open to the world.")  # fmt: skip


@stack_policy(
    name="security-group-world-ingress-only-on-load-balancers",
    description="Only security groups attached to a load balancer allow ingress from 0.0.0.0/0 or ::/0.",
    types=sorted({*INGRESS_TYPES, *LOAD_BALANCERS}),
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("EC2.18"), CDK_NAG("AwsSolutions-EC23")],
    remediation="Put internet-facing traffic behind the load balancer: open the world only on its security group "
    "(security_groups=[<sg>.id] on the load balancer), and let instances accept traffic from that group.",
)
def security_group_world_ingress_only_on_load_balancers(args: Any, report: Any, config: dict) -> None:
    """Joins rules to security groups, and groups to load balancers, through property dependencies."""
    deferred = Deferred()
    on_load_balancers = {
        group.urn
        for balancer in args.resources
        if balancer.resource_type in LOAD_BALANCERS
        for group in balancer.property_dependencies.get("securityGroups", [])
    }
    for resource in args.resources:
        with deferred.guard():
            for rule in ingress_rules(resource.resource_type, resource.props):
                world = [c for c in rule.cidrs() if is_world(c)]
                if not world:
                    continue
                if resource.resource_type == SECURITY_GROUP:
                    groups = [resource]
                else:
                    groups = list(resource.property_dependencies.get("securityGroupId", []))
                if not groups:
                    report(f"{resource.name} opens {rule.ports()} to {', '.join(world)} on a security group given "
                           "by a literal id, which cannot be checked for a load balancer.", resource.urn)  # fmt: skip
                for group in groups:
                    if group.urn not in on_load_balancers:
                        report(f"{resource.name}: {rule.where} opens {rule.ports()} to {', '.join(world)} on "
                               f"security group {group.name}, which no load balancer uses.", resource.urn)  # fmt: skip
    deferred.finish()


@resource_policy(
    name="security-group-admin-ports-restricted",
    description="SSH and RDP (22, 3389) are reachable only from the allowed CIDRs (default 203.0.113.0/24), over "
    "IPv4 and IPv6, including through protocol -1 and port ranges.",
    types=INGRESS_TYPES,
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[CIS("EC2.53"), CIS("EC2.54"), FSBP("EC2.19"), CDK_NAG("NIST.800.53.R5-EC2RestrictedSSH")],
    remediation="Restrict the rule's CIDRs to the allowed corporate ranges (or use SSM Session Manager and no "
    "SSH at all); do not use protocol -1 or wide port ranges on instance security groups.",
    config={
        "allowedSshCidrs": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["203.0.113.0/24"],
            "description": "CIDRs allowed to reach the admin ports.",
        },
        "adminPorts": ADMIN_PORTS,
    },
)
def security_group_admin_ports_restricted(args: Any, report: Any, config: dict) -> None:
    allowed = config["allowedSshCidrs"]
    for rule in ingress_rules(args.resource_type, args.props):
        # Either ports without an admin port or only allowed sources decide, even if the other is unknown yet.
        ports = attempt(rule.ports)
        if ports is not UNKNOWN and not any(ports.includes(int(p)) for p in config["adminPorts"]):
            continue
        outside = [c for c in rule.cidrs() if not within(c, allowed)]
        if not outside and not rule.uses_prefix_list():
            continue  # only allowed sources (or other security groups)
        ports = rule.ports()
        admin = [int(p) for p in config["adminPorts"] if ports.includes(int(p))]
        if outside:
            report(f"{args.name}: {rule.where} ({ports}) lets {', '.join(outside)} reach port(s) "
                   f"{', '.join(map(str, admin))}; allowed sources: {allowed}.")  # fmt: skip
        if rule.uses_prefix_list():
            report(f"{args.name}: {rule.where} ({ports}) opens port(s) {', '.join(map(str, admin))} to a prefix "
                   "list, whose CIDRs cannot be checked against the allowed ones.")  # fmt: skip


@resource_policy(
    name="default-security-group-closed",
    description="The VPC's default security group has no ingress and no egress rules.",
    types=[DEFAULT_SECURITY_GROUP],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("EC2.2"), CDK_NAG("NIST.800.53.R5-VPCDefaultSecurityGroupClosed")],
    remediation="Adopt it with aws.ec2.DefaultSecurityGroup(vpc_id=...) and no ingress/egress arguments, which "
    "removes every rule; give resources their own security groups.",
)
def default_security_group_closed(args: Any, report: Any, config: dict) -> None:
    for direction in ("ingress", "egress"):
        rules = peek(args.props, direction)
        if rules is UNKNOWN:
            rules = value(args.props, direction)
        if items(rules):
            report(f"{args.name}: the default security group has {len(items(rules))} {direction} rule(s).")


@resource_policy(
    name="security-group-name-not-sg-prefix",
    description="Security group names do not start with `sg-` (AWS refuses them: that prefix is for ids).",
    types=[SECURITY_GROUP],
    severity=Severity.LOW,
    category=Category.NETWORK,
    controls=[PROJECT("security-group-naming")],
    remediation="Rename the security group (name, name_prefix, or the Pulumi resource name it is derived from).",
)
def security_group_name_not_sg_prefix(args: Any, report: Any, config: dict) -> None:
    """Without `name`/`namePrefix` the engine auto-names the group from the Pulumi resource name."""
    for key in ("name", "namePrefix"):
        name = value(args.props, key)
        if name is not None:
            break
    else:
        key, name = "resource name", args.name
    if str(name).lower().startswith("sg-"):
        report(f"{args.name}: {key} {name!r} starts with 'sg-'; CreateSecurityGroup rejects it.")


@resource_policy(
    name="security-group-rules-described",
    description="Every security group and security group rule has a description.",
    types=[SECURITY_GROUP, SECURITY_GROUP_RULE, SECURITY_GROUP_INGRESS_RULE, SECURITY_GROUP_EGRESS_RULE],
    severity=Severity.LOW,
    category=Category.NETWORK,
    controls=[CDK_NAG("AwsSolutions-EC27")],
    remediation="Give the group a description saying what it protects, and each rule one saying why it exists.",
    advisory_reason="A missing description exposes nothing; it slows reviews and audits, so it should be fixed, "
    "but it must not block a deployment.",
)
def security_group_rules_described(args: Any, report: Any, config: dict) -> None:
    props = args.props
    described = is_set(props, "description")
    if args.resource_type == SECURITY_GROUP:
        if not described or peek(props, "description") == PULUMI_DEFAULT_SG_DESCRIPTION:
            report(
                f"security group {args.name} has no description of its own (only {PULUMI_DEFAULT_SG_DESCRIPTION!r})."
            )
        for direction in ("ingress", "egress"):
            for index, rule in enumerate(items(value(props, direction, []))):
                if not is_set(rule, "description"):
                    report(f"security group {args.name}: {direction}[{index}] has no description.")
    elif not described:
        report(f"security group rule {args.name} has no description.")
