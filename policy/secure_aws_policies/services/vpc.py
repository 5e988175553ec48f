"""VPC: network ACLs closed to the world on admin ports, subnets that hand out no public IPs, and flow logs."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..net import ADMIN_PORTS, PortRange, is_world
from ..props import Deferred, items, linked_to, truthy, value
from ..registry import CDK_NAG, FSBP, Category, resource_policy, stack_policy
from ..types import (
    DEFAULT_NETWORK_ACL,
    FLOW_LOG,
    NETWORK_ACL,
    NETWORK_ACL_RULE,
    SUBNET,
    VPC,
)


@resource_policy(
    name="network-acl-admin-ports-closed-to-world",
    description="Network ACLs do not allow ingress from 0.0.0.0/0 or ::/0 to SSH or RDP (22, 3389).",
    types=[NETWORK_ACL, DEFAULT_NETWORK_ACL, NETWORK_ACL_RULE],
    severity=Severity.MEDIUM,
    category=Category.NETWORK,
    controls=[FSBP("EC2.21")],
    remediation="Remove the allow entry, or narrow its cidr_block to the allowed corporate ranges.",
    config={"adminPorts": ADMIN_PORTS},
)
def network_acl_admin_ports_closed_to_world(args: Any, report: Any, config: dict) -> None:
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
        world = [c for c in (value(entry, "cidrBlock"), value(entry, "ipv6CidrBlock")) if c and is_world(c)]
        if world:
            report(f"network ACL {args.name}: {where} allows {ports} from {', '.join(world)}, reaching port(s) "
                   f"{', '.join(map(str, admin))}.")  # fmt: skip


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
            kinds = {str(value(f.props, "trafficType", "")).upper() for f in linked}
            if not kinds & {"ALL", "REJECT"}:
                report(f"VPC {vpc.name}: its flow logs record only {', '.join(sorted(kinds))} traffic.", vpc.urn)
    deferred.finish()
