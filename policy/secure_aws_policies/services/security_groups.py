"""Security groups: who can reach what. World-open ingress only to the allowed ports and only on load balancer
groups, admin ports only from the allowed CIDRs, database ports only from groups and private ranges, a closed
default group, and rules that say why they exist.

"The world" is reachability, not a prefix: sources that together cover the whole public IPv4 space (everything
but the special-purpose ranges of RFC 6890) or the whole public IPv6 space (2000::/3), however they are split
(`0.0.0.0/0`, `0.0.0.0/1` + `128.0.0.0/1`, many smaller blocks, across the rules of one group) - see `net.py`.

Ingress is read the same way from its three pulumi-aws forms (inline `ingress` on a security group, an
`ec2.SecurityGroupRule` of type ingress, a `vpc.SecurityGroupIngressRule`) by `ingress_rules`. A rule's CIDRs are
read only when the decision needs them, so an unknown CIDR at preview stops only the policies that depend on it.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import Severity

from .. import stack_config
from ..net import (
    ADMIN_PORTS,
    PORTED_PROTOCOLS,
    WORLD_OPEN_PORTS,
    PortRange,
    covered_public_space,
    is_private,
    within,
    world_sources,
)
from ..props import UNKNOWN, Deferred, attempt, is_set, items, peek, value
from ..registry import CDK_NAG, CIS, FSBP, PROJECT, Category, resource_policy, stack_policy
from ..types import (
    DEFAULT_SECURITY_GROUP,
    LOAD_BALANCERS,
    MANAGED_PREFIX_LIST,
    MANAGED_PREFIX_LIST_ENTRY,
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


@dataclass(frozen=True)
class GroupEntry:
    """One ingress rule of a group, with the resource that declares it."""

    resource: Any
    rule: IngressRule

    @property
    def label(self) -> str:
        return f"{self.resource.name} {self.rule.where}" if self.rule.form == "inline" else self.resource.name


@dataclass
class GroupIngress:
    """Every ingress rule that applies to one security group: its inline rules and the rule resources that name it
    (through the engine's property dependencies, or by the same literal group id)."""

    key: str
    resource: Any | None
    entries: list[GroupEntry]

    @property
    def name(self) -> str:
        return self.resource.name if self.resource is not None else self.key

    @property
    def urn(self) -> str:
        return self.resource.urn if self.resource is not None else self.entries[0].resource.urn


def group_ingress(resources: list[Any]) -> list[GroupIngress]:
    """The stack's ingress, grouped by the security group it opens. A rule whose group id is unknown and has no
    dependency (it cannot be tied to a group) is a group of its own."""
    groups: dict[str, GroupIngress] = {}
    for resource in resources:
        if resource.resource_type == SECURITY_GROUP:
            groups.setdefault(resource.urn, GroupIngress(resource.urn, resource, [])).resource = resource
    for resource in resources:
        if resource.resource_type not in INGRESS_TYPES:
            continue
        rules = ingress_rules(resource.resource_type, resource.props)
        if not rules:
            continue
        if resource.resource_type == SECURITY_GROUP:
            keys = [resource.urn]
        else:
            # security_group_id is required on a rule resource; no default to judge.
            keys = [d.urn for d in resource.property_dependencies.get("securityGroupId", [])]
            if not keys:
                literal = peek(resource.props, "securityGroupId")
                keys = [f"security group {literal}" if isinstance(literal, str) else resource.urn]
        for key in keys:
            group = groups.setdefault(key, GroupIngress(key, None, []))
            group.entries += [GroupEntry(resource, rule) for rule in rules]
    for group in groups.values():  # the engine's registration order varies from run to run; messages must not
        group.entries.sort(key=lambda entry: entry.label)
    return [group for group in groups.values() if group.entries]


@resource_policy(
    name="security-group-world-ingress-restricted",
    description="A security group rule opens to the whole public IPv4 or IPv6 space (0.0.0.0/0, ::/0, or blocks that "
    "together cover it) only the allowed TCP ports (default 80 and 443).",
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
        world = world_sources(rule.cidrs())
        if world and not (ports := rule.ports()).only_tcp_ports(allowed_ports):
            report(
                f"{args.name}: {rule.where} opens {ports} to {', '.join(world)}; only TCP {allowed_ports} may be "
                "open to the world."
            )


@stack_policy(
    name="security-group-world-ingress-only-on-load-balancers",
    description="Only security groups attached to a load balancer allow ingress from the whole public IPv4 or IPv6 "
    "space, by one rule or by several rules (inline and separate rule resources) together.",
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
            _judge_world_rules(resource, on_load_balancers, report)
    for group in group_ingress(args.resources):
        if group.resource is not None and group.resource.urn in on_load_balancers:
            continue
        with deferred.guard():
            _judge_rules_together(group, report)
    deferred.finish()


def _judge_world_rules(resource: Any, on_load_balancers: set[str], report: Any) -> None:
    """Each rule of `resource` that takes the world alone, on a group no load balancer uses."""
    for rule in ingress_rules(resource.resource_type, resource.props):
        world = world_sources(rule.cidrs())
        if not world:
            continue
        if resource.resource_type == SECURITY_GROUP:
            groups = [resource]
        else:
            groups = list(resource.property_dependencies.get("securityGroupId", []))
        if not groups:
            report(
                f"{resource.name} opens {rule.ports()} to {', '.join(world)} on a security group given "
                "by a literal id, which cannot be checked for a load balancer.",
                resource.urn,
            )
        for group in groups:
            if group.urn not in on_load_balancers:
                report(
                    f"{resource.name}: {rule.where} opens {rule.ports()} to {', '.join(world)} on "
                    f"security group {group.name}, which no load balancer uses.",
                    resource.urn,
                )


def _judge_rules_together(group: Any, report: Any) -> None:
    """A group's rules that take the whole public space only together (split ranges, several rules)."""
    sources = [(e, e.rule.cidrs()) for e in group.entries]
    if any(world_sources(cidrs) for _, cidrs in sources):
        return  # a rule that takes the world alone is reported by _judge_world_rules
    cidrs = [c for _, found in sources for c in found]
    covered = covered_public_space(cidrs)
    if covered:
        names = ", ".join(e.label for e, found in sources if found)
        report(
            f"security group {group.name}: its rules {names} together take the whole public "
            f"{' and '.join(covered)} space ({', '.join(world_sources(cidrs))}), and no load balancer "
            "uses the group.",
            group.urn,
        )


def _segments(opened: list[tuple[GroupEntry, PortRange]]) -> list[PortRange]:
    """The port space these rules open, cut into pieces that each exactly the same rules open: per protocol, between
    every range boundary; protocol -1 ("all") is a piece of its own (it also opens protocols no rule names)."""
    pieces: list[PortRange] = []
    protocols = {ports.protocol for _, ports in opened if not ports.all_traffic}
    if any(ports.all_traffic for _, ports in opened):
        pieces.append(PortRange("-1", 0, 65535))
    for protocol in sorted(protocols):
        if protocol not in PORTED_PROTOCOLS:
            pieces.append(PortRange(protocol, 0, 65535))
            continue
        bounds = sorted(
            {b for _, p in opened if p.protocol == protocol or p.all_traffic for b in (p.from_port, p.to_port + 1)}
            | {0, 65536}
        )
        pieces += [PortRange(protocol, low, high - 1) for low, high in zip(bounds, bounds[1:], strict=False)]
    return pieces


def _opens(ports: PortRange, piece: PortRange) -> bool:
    if ports.all_traffic:
        return True
    if piece.all_traffic or ports.protocol != piece.protocol:
        return False
    return (
        piece.protocol not in PORTED_PROTOCOLS or ports.from_port <= piece.from_port <= piece.to_port <= ports.to_port
    )


def prefix_list_cidrs(resources: list[Any]) -> dict[str, list[str]]:
    """Managed prefix list URN -> its CIDRs: its inline `entries` and the ManagedPrefixListEntry resources that name
    it (through the engine's property dependencies)."""
    found: dict[str, list[str]] = {}
    for resource in resources:
        if resource.resource_type == MANAGED_PREFIX_LIST:
            entries = items(value(resource.props, "entries", []))
            found.setdefault(resource.urn, []).extend(str(value(e, "cidr")) for e in entries if value(e, "cidr"))
    for resource in resources:
        if resource.resource_type == MANAGED_PREFIX_LIST_ENTRY:
            for dependency in resource.property_dependencies.get("prefixListId", []):
                if dependency.urn in found:
                    found[dependency.urn].append(str(value(resource.props, "cidr")))
    return found


def _sources(entry: GroupEntry, prefix_lists: dict[str, list[str]]) -> list[str]:
    """The rule's CIDRs, and those of the managed prefix lists of this stack that a rule resource references."""
    key = "prefixListId" if entry.rule.form == "vpc" else "prefixListIds"
    listed = [] if entry.rule.form == "inline" else entry.resource.property_dependencies.get(key, [])
    return [*entry.rule.cidrs(), *(c for d in listed for c in prefix_lists.get(d.urn, []))]


@stack_policy(
    name="security-group-world-ingress-combined",
    description="No port outside the allowed TCP ports is open to the whole public IPv4 or IPv6 space through the "
    "rules of one security group together (inline rules and SecurityGroupRule / SecurityGroupIngressRule resources "
    "that name the group), however the sources are split: 0.0.0.0/1 in one rule and 128.0.0.0/1 in another is the "
    "world, and so is a managed prefix list of this stack (its entries, inline or ManagedPrefixListEntry) that a "
    "rule resource references. (A single rule whose own CIDRs take the world is "
    "security-group-world-ingress-restricted's finding.)",
    types=[*INGRESS_TYPES, MANAGED_PREFIX_LIST, MANAGED_PREFIX_LIST_ENTRY],
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    controls=[FSBP("EC2.18"), FSBP("EC2.19")],
    remediation="Narrow the rules' sources to the networks that need the port, or to security group references; "
    "only a load balancer's security group may take the world, on the allowed ports.",
    config={"worldOpenPorts": WORLD_OPEN_PORTS},
)
def security_group_world_ingress_combined(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    allowed_ports = [int(p) for p in config["worldOpenPorts"]]
    prefix_lists = prefix_list_cidrs(args.resources)
    for group in group_ingress(args.resources):
        with deferred.guard():
            sources = {id(e): _sources(e, prefix_lists) for e in group.entries}
            # Cheap first: unless all the group's sources together cover a public space, no port is open to it.
            if not covered_public_space(c for found in sources.values() for c in found):
                continue
            opened = [(e, e.rule.ports()) for e in group.entries if sources[id(e)]]
            problems = []
            for piece in _segments(opened):
                if piece.protocol == "tcp" and piece.only_tcp_ports(allowed_ports):
                    continue
                through = [e for e, ports in opened if _opens(ports, piece)]
                if any(world_sources(e.rule.cidrs()) for e in through):
                    continue  # one rule's own CIDRs take the world: security-group-world-ingress-restricted says so
                cidrs = [c for e in through for c in sources[id(e)]]
                if covered_public_space(cidrs):
                    problems.append(
                        f"{piece} through {', '.join(e.label for e in through)} ({', '.join(world_sources(cidrs))})"
                    )
            if problems:
                report(
                    f"security group {group.name}: its rules together open {'; '.join(problems[:5])}"
                    f"{' and more' if len(problems) > 5 else ''} to the whole public address space; only TCP "
                    f"{allowed_ports} may be open to the world.",
                    group.urn,
                )
    deferred.finish()


# The default ports of database engines (PostgreSQL, MySQL/MariaDB/Aurora, SQL Server, Oracle, Redshift, Redis and
# Valkey, Memcached, MongoDB and DocumentDB): FSBP EC2.19's high-risk ports include them.
DATABASE_PORTS = {
    "type": "array",
    "items": {"type": "integer", "minimum": 0, "maximum": 65535},
    "default": [5432, 3306, 1433, 1521, 5439, 6379, 11211, 27017],
    "description": "Database ports, reachable only from security groups or private ranges.",
}


@resource_policy(
    name="security-group-database-ports-private",
    description="Database ports (default 5432, 3306, 1433, 1521, 5439, 6379, 11211, 27017) are reachable only from "
    "security groups or private ranges (RFC 1918, RFC 6598, IPv6 ULA), never from a public range of any size, and "
    "not from a prefix list, whose entries cannot be checked; protocol -1 and port ranges count.",
    types=INGRESS_TYPES,
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("EC2.19")],
    remediation="Admit the database's clients by security group (referenced_security_group_id / "
    "source_security_group_id), or by the private CIDRs of their subnets.",
    config={"databasePorts": DATABASE_PORTS},
)
def security_group_database_ports_private(args: Any, report: Any, config: dict) -> None:
    database_ports = [int(p) for p in config["databasePorts"]]
    for rule in ingress_rules(args.resource_type, args.props):
        # Either ports without a database port or only private sources decide, even if the other is unknown yet.
        ports = attempt(rule.ports)
        if ports is not UNKNOWN and not any(ports.includes(p) for p in database_ports):
            continue
        public = [c for c in rule.cidrs() if not is_private(c)]
        if not public and not rule.uses_prefix_list():
            continue
        ports = rule.ports()
        reached = ", ".join(str(p) for p in database_ports if ports.includes(p))
        if public:
            report(
                f"{args.name}: {rule.where} ({ports}) lets {', '.join(public)} reach database port(s) {reached}; "
                "admit clients by security group or private range."
            )
        if rule.uses_prefix_list():
            report(
                f"{args.name}: {rule.where} ({ports}) opens database port(s) {reached} to a prefix list, whose "
                "entries cannot be checked to be private."
            )


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
            "description": "CIDRs allowed to reach the admin ports, unless the stack sets allowedSshCidrsStackKey.",
        },
        "allowedSshCidrsStackKey": {
            "type": "string",
            "default": "secure-aws:corporateCidrs",
            "description": "A stack config key (project:key) holding a list of CIDRs: when the stack sets it, those "
            "ranges replace allowedSshCidrs, so the pack follows the stack's own allowed ranges without a second "
            "hand-edited copy. Only IPv4 ranges of /16 or narrower count. Empty: allowedSshCidrs only.",
        },
        "adminPorts": ADMIN_PORTS,
    },
)
def security_group_admin_ports_restricted(args: Any, report: Any, config: dict) -> None:
    allowed = allowed_ssh_cidrs(config)
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
            report(
                f"{args.name}: {rule.where} ({ports}) lets {', '.join(outside)} reach port(s) "
                f"{', '.join(map(str, admin))}; allowed sources: {allowed}."
            )
        if rule.uses_prefix_list():
            report(
                f"{args.name}: {rule.where} ({ports}) opens port(s) {', '.join(map(str, admin))} to a prefix "
                "list, whose CIDRs cannot be checked against the allowed ones."
            )


# The widest range the stack may allow to the admin ports: the pack's own floor, whatever the stack says.
WIDEST_STACK_SSH_PREFIX = 16


def allowed_ssh_cidrs(config: Mapping[str, Any]) -> list[str]:
    """The CIDRs allowed to reach the admin ports: the stack's own list under allowedSshCidrsStackKey when the
    engine handed the pack a stack config that sets it, else allowedSshCidrs. Exported for testing.

    A range from the stack counts only as an IPv4 network of /16 or narrower: a stack that lists 0.0.0.0/0 (or
    10.0.0.0/8) does not widen what the pack allows, its SSH rule from there is still a violation.
    """
    key = config.get("allowedSshCidrsStackKey") or ""
    raw = stack_config.get(key) if key and stack_config.available() else None
    if raw is None:
        return list(config["allowedSshCidrs"])
    try:
        listed = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        listed = []
    allowed = []
    for cidr in listed if isinstance(listed, list) else []:
        try:
            network = ipaddress.IPv4Network(str(cidr).strip(), strict=True)
        except ValueError:
            continue
        if network.prefixlen >= WIDEST_STACK_SSH_PREFIX:
            allowed.append(str(network))
    return allowed


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
