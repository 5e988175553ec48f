"""Services a team adds that get a public address when a flag is set or a block is left out: ECS services that
assign public IPs to their tasks, and OpenSearch domains outside a VPC.

Defaults read from pulumi-aws 7: ecs/_inputs.py ServiceNetworkConfiguration assign_public_ip "Default `false`";
opensearch/domain.py vpc_options "Configuration block for VPC related options. Adding or removing this
configuration forces a new resource": left out, the domain gets a public endpoint (OpenSearch's default), and
subnet_ids is required inside the block.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, block, is_set, peek, truthy
from ..registry import FSBP, Category, resource_policy
from ..types import ECS_SERVICE, ECS_TASK_SET, OPENSEARCH_DOMAINS


@resource_policy(
    name="ecs-service-no-public-ip",
    description="ECS services (and their task sets) do not assign public IP addresses to their tasks "
    "(network_configuration.assign_public_ip, 'Default `false`'): a task with a public address is reachable from "
    "the internet whenever its security group allows it, bypassing the load balancer.",
    types=[ECS_SERVICE, ECS_TASK_SET],
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("ECS.2")],
    remediation="Leave assign_public_ip out (false), run the tasks in private subnets and reach the internet through "
    "a NAT gateway or VPC endpoints.",
)
def ecs_service_no_public_ip(args: Any, report: Any, config: dict) -> None:
    network = block(args.props, "networkConfiguration")
    if network in (None, UNKNOWN):
        return  # network_configuration left out: no awsvpc network mode, no address of the task's own
    if truthy(peek(network, "assignPublicIp")):
        what = "task set" if args.resource_type == ECS_TASK_SET else "service"
        report(f"ECS {what} {args.name} assigns public IP addresses to its tasks.")


@resource_policy(
    name="opensearch-domain-in-vpc",
    description="OpenSearch (and Elasticsearch) domains run in our VPC (vpc_options with subnet_ids): left out, a "
    "domain gets a public endpoint that anyone on the internet can reach, guarded only by its access policy.",
    types=sorted(OPENSEARCH_DOMAINS),
    severity=Severity.HIGH,
    category=Category.NETWORK,
    controls=[FSBP("Opensearch.2"), FSBP("ES.2")],
    remediation="Set vpc_options={subnet_ids: <private subnets>, security_group_ids: [<domain sg>]} (a new domain: "
    "it cannot move into a VPC later).",
)
def opensearch_domain_in_vpc(args: Any, report: Any, config: dict) -> None:
    options = block(args.props, "vpcOptions")
    if options is UNKNOWN or (options is not None and is_set(options, "subnetIds")):
        return
    report(f"domain {args.name} has no vpc_options with subnets, so its endpoint is public.")
