"""VPC: network ACLs closed to the world on admin ports, subnets that hand out no public IPs, and flow logs.

A network ACL evaluates its ingress entries in rule-number order and the first entry that matches decides, so
whether an admin port is open to the world is judged on the whole ordered list (inline entries and NetworkAclRule
resources that name the ACL): an earlier deny takes addresses out of a later allow.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .. import documents
from ..accounts import ACCOUNT_IDS_SCHEMA, guarded_accounts
from ..data_tier import DataTier, data_tier, depends_on
from ..net import ADMIN_PORTS, PortRange, first_match_allows_public_space, world_sources
from ..props import Deferred, as_int, is_set, items, linked_to, peek, truthy, value
from ..registry import CDK_NAG, FSBP, PROJECT, Category, resource_policy, stack_policy
from ..types import (
    DEFAULT_NETWORK_ACL,
    FLOW_LOG,
    INTERNET_GATEWAY,
    NETWORK_ACL,
    NETWORK_ACL_RULE,
    RAM_PRINCIPAL_ASSOCIATION,
    RAM_RESOURCE_ASSOCIATION,
    RAM_RESOURCE_SHARE,
    RDS_SUBNET_GROUP,
    ROUTE,
    ROUTE_TABLE,
    ROUTE_TABLE_ASSOCIATION,
    SUBNET,
    TRANSIT_GATEWAY,
    TRANSIT_GATEWAY_VPC_ATTACHMENT,
    VPC,
    VPC_PEERING_CONNECTION,
)


@resource_policy(
    name="network-acl-admin-ports-closed-to-world",
    description="No network ACL entry allows ingress from the whole public IPv4 or IPv6 space (0.0.0.0/0, ::/0) to "
    "SSH or RDP (22, 3389).",
    types=[NETWORK_ACL, DEFAULT_NETWORK_ACL, NETWORK_ACL_RULE],
    severity=Severity.MEDIUM,
    category=Category.NETWORK,
    controls=[FSBP("EC2.21")],
    remediation="Remove the allow entry, or narrow its cidr_block to the allowed corporate ranges.",
    config={"adminPorts": ADMIN_PORTS},
)
def network_acl_admin_ports_closed_to_world(args: Any, report: Any, config: dict) -> None:
    # egress: "Default `false`" (ec2/network_acl_rule.py): a rule that leaves it out is an ingress rule. An entry's
    # cidr_block or ipv6_cidr_block is its source (one is required: no default to judge).
    if args.resource_type == NETWORK_ACL_RULE:
        if truthy(value(args.props, "egress", False)):
            return
        entries = [("the rule", args.props, "ruleAction")]
    else:
        entries = [(f"ingress[{i}]", e, "action") for i, e in enumerate(items(value(args.props, "ingress", [])))]
    for where, entry, action_key in entries:
        if str(value(entry, action_key, "")).lower() != "allow":
            continue
        ports = PortRange.read(entry)
        admin = [int(p) for p in config["adminPorts"] if ports.includes(int(p))]
        if not admin:
            continue
        world = world_sources(c for c in (value(entry, "cidrBlock"), value(entry, "ipv6CidrBlock")) if c)
        if world:
            report(
                f"network ACL {args.name}: {where} allows {ports} from {', '.join(world)}, reaching port(s) "
                f"{', '.join(map(str, admin))}."
            )


def _ordered_ingress(resources: list[Any]) -> dict[str, tuple[Any, list[tuple[int, str, Any, str]]]]:
    """ACL URN -> (the ACL, its ingress entries as (rule number, label, props, action key)), inline entries and
    the NetworkAclRule resources that name it through the engine's property dependencies."""
    acls: dict[str, tuple[Any, list[tuple[int, str, Any, str]]]] = {}
    for acl in (r for r in resources if r.resource_type in (NETWORK_ACL, DEFAULT_NETWORK_ACL)):
        entries = [
            (as_int(value(e, "ruleNo")), f"{acl.name} ingress[{i}]", e, "action")
            for i, e in enumerate(items(value(acl.props, "ingress", [])))
        ]
        acls[acl.urn] = (acl, entries)
    for rule in (r for r in resources if r.resource_type == NETWORK_ACL_RULE):
        if truthy(value(rule.props, "egress", False)):
            continue
        for dependency in rule.property_dependencies.get("networkAclId", []):
            if dependency.urn in acls:
                acls[dependency.urn][1].append(
                    # rule_number is required (no default to judge); it orders the entries.
                    (as_int(value(rule.props, "ruleNumber")), rule.name, rule.props, "ruleAction")
                )
    return acls


@stack_policy(
    name="network-acl-admin-ports-combined",
    description="No network ACL lets the whole public IPv4 or IPv6 space reach SSH or RDP (22, 3389) through its "
    "ingress entries together, evaluated as AWS does (rule-number order, first match wins, inline entries and "
    "NetworkAclRule resources alike): 0.0.0.0/1 allowed by one entry and 128.0.0.0/1 by another is the world, "
    "unless an earlier deny takes part of it out. (One entry that takes the world alone is "
    "network-acl-admin-ports-closed-to-world's finding.)",
    types=[NETWORK_ACL, DEFAULT_NETWORK_ACL, NETWORK_ACL_RULE],
    severity=Severity.MEDIUM,
    category=Category.NETWORK,
    controls=[FSBP("EC2.21")],
    remediation="Narrow the allow entries for the admin ports to the corporate ranges, or deny the admin ports to "
    "0.0.0.0/0 and ::/0 in an entry numbered below them.",
    config={"adminPorts": ADMIN_PORTS},
)
def network_acl_admin_ports_combined(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    for acl, entries in _ordered_ingress(args.resources).values():
        with deferred.guard():
            ordered = sorted(entries, key=lambda entry: entry[0])
            for port in (int(p) for p in config["adminPorts"]):
                rules, through = [], []
                for _, label, props, action_key in ordered:
                    if not PortRange.read(props).includes(port):
                        continue
                    allows = str(value(props, action_key, "")).lower() == "allow"
                    cidrs = [c for c in (value(props, "cidrBlock"), value(props, "ipv6CidrBlock")) if c]
                    if allows and world_sources(cidrs):
                        break  # one entry alone takes the world: network-acl-admin-ports-closed-to-world reports it
                    rules += [(allows, c) for c in cidrs]
                    through += [label] if allows else []
                else:
                    covered = first_match_allows_public_space(rules)
                    if covered:
                        report(
                            f"network ACL {acl.name}: its entries {', '.join(through)} together let the whole "
                            f"public {' and '.join(covered)} space reach port {port}.",
                            acl.urn,
                        )
    deferred.finish()


@resource_policy(
    name="subnet-no-auto-public-ip",
    description="Subnets do not assign public IPv4 addresses to instances launched in them.",
    types=[SUBNET],
    severity=Severity.MEDIUM,
    category=Category.NETWORK,
    controls=[FSBP("EC2.15")],
    remediation="Set map_public_ip_on_launch=False; NAT gateways use Elastic IPs and load balancers their own "
    "addresses, so even public subnets need no auto-assigned IPs.",
)
def subnet_no_auto_public_ip(args: Any, report: Any, config: dict) -> None:
    # map_public_ip_on_launch: "Default is `false`" (ec2/subnet.py).
    if truthy(value(args.props, "mapPublicIpOnLaunch", False)):
        report(f"subnet {args.name} sets mapPublicIpOnLaunch.")


@stack_policy(
    name="vpc-flow-logs-enabled",
    description="Every VPC has a flow log (linked through its vpcId) that records ALL or at least REJECT traffic.",
    types=[VPC, FLOW_LOG],
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[FSBP("EC2.6"), CDK_NAG("AwsSolutions-VPC7")],
    remediation="Add an aws.ec2.FlowLog with vpc_id=<vpc>.id, traffic_type='ALL' and a CloudWatch Logs or S3 "
    "destination.",
)
def vpc_flow_logs_enabled(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    flow_logs = linked_to(args.resources, FLOW_LOG, "vpcId")
    for vpc in (r for r in args.resources if r.resource_type == VPC):
        linked = flow_logs.get(vpc.urn, [])
        if not linked:
            report(f"VPC {vpc.name} has no flow log, so rejected and accepted connections leave no trace.", vpc.urn)
            continue
        with deferred.guard():
            # traffic_type is "Required if `eni_id`, ..., `subnet_id`, or `vpc_id` is specified" (ec2/flow_log.py): no
            # default to judge; an unset one is refused as recording nothing named.
            kinds = {str(value(f.props, "trafficType", "")).upper() for f in linked}
            if not kinds & {"ALL", "REJECT"}:
                report(f"VPC {vpc.name}: its flow logs record only {', '.join(sorted(kinds))} traffic.", vpc.urn)
    deferred.finish()


# Route targets that take the data tier out of the VPC: to the internet (an internet gateway, which `gatewayId`
# also names for virtual private gateways and gateway endpoints, so only an igw- id or an InternetGateway resource
# counts; an egress-only internet gateway for IPv6; a NAT gateway) or into another network (a peering connection).
_ROUTE_TARGETS = {
    "natGatewayId": "a NAT gateway",
    "vpcPeeringConnectionId": "a VPC peering connection",
    "egressOnlyGatewayId": "an egress-only internet gateway",
}


def _route_exits(route: Any, dependencies: Any = None) -> str | None:
    """What a route (inline entry or aws.ec2.Route) leads out of the VPC to, or None."""
    # gateway_id left out: the route goes elsewhere (another target is required); no default to judge.
    gateway = peek(route, "gatewayId")
    # At a first preview the id is unknown: an InternetGateway the input depends on says what it is (for inline
    # routes, the table's `routes` dependencies: some route of the table names that gateway).
    via_dependency = is_set(route, "gatewayId") and any(
        d.resource_type == INTERNET_GATEWAY for d in (dependencies or {}).get("gatewayId", [])
    )
    if via_dependency or (isinstance(gateway, str) and gateway.startswith("igw-")):
        return "an internet gateway"
    for key, what in _ROUTE_TARGETS.items():
        if is_set(route, key):
            return what
    return None


@stack_policy(
    name="vpc-data-route-table-isolated",
    description="The route tables of data subnets (the subnets of a database subnet group: RDS, ElastiCache, "
    "Redshift, DocumentDB or Neptune; joined through "
    "aws.ec2.RouteTableAssociation) have no route to an internet gateway, NAT gateway, egress-only internet "
    "gateway or VPC peering connection, inline (`routes`) or as an aws.ec2.Route: the database tier has no way out "
    "of the VPC and no way in from another network.",
    types=[RDS_SUBNET_GROUP, SUBNET, ROUTE_TABLE, ROUTE, ROUTE_TABLE_ASSOCIATION, INTERNET_GATEWAY],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[PROJECT("data-tier-isolated")],
    remediation="Give the data subnets their own route table with only the VPC-local route (and gateway endpoints); "
    "remove the internet, NAT or peering route.",
)
def vpc_data_route_table_isolated(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    data_subnets = set(data_tier(args.resources).subnets)
    tables = {r.urn: r for r in args.resources if r.resource_type == ROUTE_TABLE}
    data_tables: dict[str, str] = {}
    for association in (r for r in args.resources if r.resource_type == ROUTE_TABLE_ASSOCIATION):
        subnets = [d.urn for d in association.property_dependencies.get("subnetId", []) if d.urn in data_subnets]
        for table in association.property_dependencies.get("routeTableId", []):
            if subnets and table.urn in tables:
                data_tables.setdefault(table.urn, subnets[0].rsplit("::", 1)[-1])
    routes = linked_to(args.resources, ROUTE, "routeTableId")
    for urn, subnet in data_tables.items():
        table = tables[urn]
        with deferred.guard():
            inline = {"gatewayId": table.property_dependencies.get("routes", [])}
            exits = [_route_exits(r, inline) for r in items(peek(table.props, "routes", []) or [])]
            exits += [_route_exits(r.props, r.property_dependencies) for r in routes.get(urn, [])]
            for what in sorted({e for e in exits if e}):
                report(
                    f"route table {table.name} serves data subnet {subnet} and routes to {what}: the database "
                    "tier gets a path out of the VPC.",
                    urn,
                )
    deferred.finish()


# Another account's way into the data tier ######################################################################


def _outsider(principal: str, guarded: set[str]) -> bool:
    """A RAM principal outside the guarded accounts: another account's id or IAM ARN, or an organization or OU
    (which holds accounts the pack does not guard). A service principal is not an account."""
    text = principal.strip()
    if ":organizations::" in text:
        return True
    account = documents.account_of(text)
    return account is not None and account not in guarded


def _shared_with_outsiders(resources: list[Any], guarded: set[str], deferred: Deferred) -> dict[str, list[str]]:
    """RAM resource share URN -> the principals outside the guarded accounts it is shared with (PrincipalAssociation
    resources joined through `resourceShareArn`). An unknown principal raises: undecided."""
    outsiders: dict[str, list[str]] = {}
    for association in (r for r in resources if r.resource_type == RAM_PRINCIPAL_ASSOCIATION):
        with deferred.guard():
            principal = str(value(association.props, "principal", ""))
            for share in association.property_dependencies.get("resourceShareArn", []):
                if _outsider(principal, guarded):
                    outsiders.setdefault(share.urn, []).append(principal)
    return outsiders


def _data_vpc_attachments(resources: list[Any], tier: DataTier) -> list[Any]:
    """Transit Gateway VPC attachments into a VPC that holds the data tier (by `vpcId`, or a data subnet in
    `subnetIds`)."""
    return [
        r
        for r in resources
        if r.resource_type == TRANSIT_GATEWAY_VPC_ATTACHMENT
        and (depends_on(r, "vpcId", tier.vpcs) or depends_on(r, "subnetIds", tier.subnets))
    ]


def _shared_data_resources(resources: list[Any], tier: DataTier, attachments: list[Any]) -> dict[str, str]:
    """URN -> what it is, for everything whose RAM share puts another account into the data tier: a data subnet
    (VPC sharing: the other account launches into it), a database (Aurora cross-account clones), and a transit
    gateway attached to a data VPC."""
    shared = {urn: f"data subnet {s.name}" for urn, s in tier.subnets.items()}
    shared.update({urn: f"database {d.name}" for urn, d in tier.databases.items()})
    for attachment in attachments:
        for dependency in attachment.property_dependencies.get("transitGatewayId", []):
            shared[dependency.urn] = (
                f"transit gateway {dependency.urn.rsplit('::', 1)[-1]} (attached to the data VPC by {attachment.name})"
            )
    return shared


@stack_policy(
    name="vpc-data-tier-not-reachable-cross-account",
    description="No other account gets a network path into the data tier. The data tier is the subnets of a "
    "database subnet group (RDS, ElastiCache, Redshift, DocumentDB, Neptune), the VPCs that hold them, and the "
    "databases; another account is any account outside the guarded ones (config accountIds, and every AWS "
    "provider's allowedAccountIds), an organization or an OU. A violation is: a VPC peering connection of a data "
    "VPC (either side) with `peerOwnerId` set to another account (left out, it is the provider's own account, the "
    "pulumi-aws default); a Transit Gateway VPC attachment into a data VPC (or a data subnet) on a transit gateway "
    "this stack does not create (it is shared from elsewhere, and whoever owns it routes to the VPC); and a RAM "
    "share (ResourceAssociation + PrincipalAssociation) that gives another account a data subnet, a database or a "
    "transit gateway attached to a data VPC. The VPC is the boundary, not its route tables: the data subnets' "
    "routes are one edit away (vpc-data-route-table-isolated judges them). A principal unknown at preview is "
    "undecided.",
    types=[
        VPC,
        SUBNET,
        RDS_SUBNET_GROUP,
        VPC_PEERING_CONNECTION,
        TRANSIT_GATEWAY,
        TRANSIT_GATEWAY_VPC_ATTACHMENT,
        RAM_RESOURCE_SHARE,
        RAM_RESOURCE_ASSOCIATION,
        RAM_PRINCIPAL_ASSOCIATION,
    ],
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    controls=[PROJECT("data-tier-isolated"), PROJECT("account-identity")],
    remediation="Share or peer only the application tier's VPC, or give the other account an API (a service "
    "endpoint or a role it assumes in ours) instead of a network path; list the account in the pack's accountIds "
    "if it is one of ours.",
    config={"accountIds": ACCOUNT_IDS_SCHEMA},
)
def vpc_data_tier_not_reachable_cross_account(args: Any, report: Any, config: dict) -> None:
    resources = list(args.resources)
    tier = data_tier(resources)
    if not tier:
        return
    deferred = Deferred()
    guarded = guarded_accounts(resources, config["accountIds"])
    for connection in (r for r in resources if r.resource_type == VPC_PEERING_CONNECTION):
        data_vpcs = depends_on(connection, "vpcId", tier.vpcs) + depends_on(connection, "peerVpcId", tier.vpcs)
        if not data_vpcs:
            continue
        with deferred.guard():
            owner = value(connection.props, "peerOwnerId")  # left out: the provider's own account
            if owner is not None and str(owner) not in guarded:
                report(
                    f"peering connection {connection.name} joins data VPC {data_vpcs[0].rsplit('::', 1)[-1]} to "
                    f"account {owner}, which is not a guarded account ({', '.join(sorted(guarded)) or 'none set'}).",
                    connection.urn,
                )
    attachments = _data_vpc_attachments(resources, tier)
    own_gateways = {r.urn for r in resources if r.resource_type == TRANSIT_GATEWAY}
    for attachment in attachments:
        if not depends_on(attachment, "transitGatewayId", own_gateways):
            report(
                f"transit gateway attachment {attachment.name} joins the data VPC to a transit gateway this stack "
                "does not create, so another account's networks may route to the data tier.",
                attachment.urn,
            )
    _judge_ram_shares(resources, tier, attachments, _shared_with_outsiders(resources, guarded, deferred), report)
    deferred.finish()


def _judge_ram_shares(
    resources: list[Any], tier: DataTier, attachments: list[Any], outsiders: dict[str, list[str]], report: Any
) -> None:
    """Reports each RAM resource association that shares a piece of the data tier through a share with outsiders."""
    shared = _shared_data_resources(resources, tier, attachments)
    for association in (r for r in resources if r.resource_type == RAM_RESOURCE_ASSOCIATION):
        shares = depends_on(association, "resourceShareArn", outsiders)
        for urn in depends_on(association, "resourceArn", shared):
            for share in shares:
                report(
                    f"RAM association {association.name} shares {shared[urn]} through share "
                    f"{share.rsplit('::', 1)[-1]} with {', '.join(outsiders[share])}, outside the guarded accounts.",
                    association.urn,
                )
