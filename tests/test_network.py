"""The network tier: three subnet tiers per AZ, egress only where needed, everything logged."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

import pytest

from components.network import subnet_cidrs
from preflight.mocks import ACCOUNT_ID, REGION, AwsMocks
from preflight.record import ProgramError, RecordedResource, Recording, is_unknown
from tests.conftest import run_stack

COMPONENT = "secure-aws:network:Network"
VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
ROUTE = "aws:ec2/route:Route"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
NAT = "aws:ec2/natGateway:NatGateway"
EIP = "aws:ec2/eip:Eip"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
ZONES = ("us-east-1a", "us-east-1b")
ANYWHERE = "0.0.0.0/0"
FLOW_LOG_GROUP = "network-flow-log-group"


@pytest.fixture(scope="module")
def staging_single_nat() -> Recording:
    return run_stack(preview=False, environment="Staging", natGateways="single")


@pytest.fixture(scope="module")
def three_azs() -> Recording:
    return run_stack(preview=False, azCount="3")


def ours(rec: Recording, type_token: str) -> list[RecordedResource]:
    """This tier's resources of a type (other tiers may add their own, e.g. interface endpoints)."""
    return [r for r in rec.of_type(type_token) if r.name.startswith("network-")]


def by_id(rec: Recording) -> dict[str, RecordedResource]:
    return {r.id: r for r in rec.resources if r.id}


def subnets(rec: Recording, tier: str) -> list[RecordedResource]:
    return [r for r in ours(rec, SUBNET) if r.name.startswith(f"network-{tier}-subnet-")]


def table_of_subnet(rec: Recording, subnet: RecordedResource) -> RecordedResource:
    """The route table a subnet is associated with (apply mode: ids are known)."""
    tables = [a.inputs["routeTableId"] for a in rec.of_type(ASSOCIATION) if a.inputs["subnetId"] == subnet.id]
    assert len(tables) == 1, f"{subnet.name} is associated with {len(tables)} route tables"
    return by_id(rec)[tables[0]]


def routes_of(rec: Recording, table: RecordedResource) -> list[RecordedResource]:
    return [r for r in rec.of_type(ROUTE) if r.inputs["routeTableId"] == table.id]


def policy_of(resource: RecordedResource, key: str) -> dict[str, Any]:
    document = resource.inputs[key]
    assert not is_unknown(document)
    return json.loads(document)


def test_vpc_has_the_configured_range_and_resolves_dns(prod):
    vpc = prod.named("network-vpc")
    assert vpc.inputs["cidrBlock"] == "10.0.0.0/16"
    assert vpc.inputs["enableDnsSupport"] is True
    assert vpc.inputs["enableDnsHostnames"] is True


def test_every_az_has_a_public_an_app_and_a_data_subnet(prod):
    for tier in ("public", "app", "data"):
        assert sorted(s.inputs["availabilityZone"] for s in subnets(prod, tier)) == list(ZONES)
        for subnet in subnets(prod, tier):
            assert subnet.name == f"network-{tier}-subnet-{subnet.inputs['availabilityZone']}"
            assert subnet.inputs["tags"]["Tier"] == tier


def test_subnets_lie_inside_the_vpc_and_do_not_overlap(prod):
    vpc = ipaddress.IPv4Network("10.0.0.0/16")
    networks = [ipaddress.IPv4Network(s.inputs["cidrBlock"]) for s in ours(prod, SUBNET)]
    assert len(networks) == 6
    for network in networks:
        assert network.subnet_of(vpc)
        assert network.prefixlen == 20
    for index, network in enumerate(networks):
        for other in networks[index + 1 :]:
            assert not network.overlaps(other), f"{network} overlaps {other}"


def test_no_subnet_maps_public_ips_on_launch(prod):
    for subnet in ours(prod, SUBNET):
        assert subnet.inputs["mapPublicIpOnLaunch"] is False, subnet.name


def test_public_subnets_route_to_the_internet_through_the_internet_gateway(prod_apply):
    gateway = prod_apply.named("network-internet-gateway")
    vpc = prod_apply.named("network-vpc")
    assert gateway.inputs["vpcId"] == vpc.id
    for subnet in subnets(prod_apply, "public"):
        table = table_of_subnet(prod_apply, subnet)
        assert table.name == "network-public-route-table"
        (route,) = routes_of(prod_apply, table)
        assert route.inputs["destinationCidrBlock"] == ANYWHERE
        assert route.inputs["gatewayId"] == gateway.id


def test_app_subnets_reach_the_internet_only_through_the_nat_gateway_of_their_own_az(prod_apply):
    ids = by_id(prod_apply)
    for subnet in subnets(prod_apply, "app"):
        zone = subnet.inputs["availabilityZone"]
        table = table_of_subnet(prod_apply, subnet)
        assert table.name == f"network-app-route-table-{zone}"
        (route,) = routes_of(prod_apply, table)
        assert route.inputs["destinationCidrBlock"] == ANYWHERE
        assert "gatewayId" not in route.inputs
        nat = ids[route.inputs["natGatewayId"]]
        assert nat.name == f"network-nat-gateway-{zone}"
        assert ids[nat.inputs["subnetId"]].inputs["availabilityZone"] == zone


def test_nat_gateways_sit_in_public_subnets_with_their_own_elastic_ip(prod_apply):
    ids = by_id(prod_apply)
    nats = ours(prod_apply, NAT)
    assert sorted(n.name for n in nats) == [f"network-nat-gateway-{zone}" for zone in ZONES]
    for nat in nats:
        assert ids[nat.inputs["subnetId"]].name.startswith("network-public-subnet-")
        assert nat.inputs["connectivityType"] == "public"
        eip = [e for e in ours(prod_apply, EIP) if e.outputs["allocationId"] == nat.inputs["allocationId"]]
        assert len(eip) == 1 and eip[0].inputs["domain"] == "vpc"


def test_single_nat_mode_sends_every_app_subnet_through_the_one_nat(staging_single_nat):
    ids = by_id(staging_single_nat)
    (nat,) = ours(staging_single_nat, NAT)
    assert len(ours(staging_single_nat, EIP)) == 1
    for subnet in subnets(staging_single_nat, "app"):
        (route,) = routes_of(staging_single_nat, table_of_subnet(staging_single_nat, subnet))
        assert ids[route.inputs["natGatewayId"]] is nat


def test_data_subnets_have_no_route_to_the_internet(prod_apply):
    for subnet in subnets(prod_apply, "data"):
        table = table_of_subnet(prod_apply, subnet)
        assert table.name == "network-data-route-table"
        assert routes_of(prod_apply, table) == []
        assert not table.inputs.get("routes")


def test_no_route_table_but_public_and_app_has_a_default_route(prod_apply):
    ids = by_id(prod_apply)
    for route in ours(prod_apply, ROUTE):
        table = ids[route.inputs["routeTableId"]]
        assert table.name == "network-public-route-table" or table.name.startswith("network-app-route-table-")


def test_default_security_group_is_adopted_and_allows_nothing(prod):
    group = prod.named("network-default-security-group")
    assert group.inputs["ingress"] == []
    assert group.inputs["egress"] == []


def test_flow_log_records_all_traffic_of_the_vpc_into_the_flow_log_group(prod_apply):
    flow_log = prod_apply.named("network-flow-log")
    vpc = prod_apply.named("network-vpc")
    log_group = prod_apply.named(FLOW_LOG_GROUP)
    assert flow_log.inputs["vpcId"] == vpc.id
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.inputs["logDestinationType"] == "cloud-watch-logs"
    assert flow_log.inputs["logDestination"] == log_group.outputs["arn"]
    role = prod_apply.named("network-flow-log-role")
    assert flow_log.inputs["iamRoleArn"] == role.outputs["arn"]


def test_flow_log_group_is_encrypted_with_our_key_and_keeps_a_year(prod_apply):
    log_group = prod_apply.named(FLOW_LOG_GROUP)
    key = prod_apply.named("encryption-key")
    assert log_group.inputs["kmsKeyId"] == key.outputs["arn"]
    assert log_group.inputs["retentionInDays"] == 365


def test_flow_log_group_depends_on_the_key_in_preview(prod_preview):
    log_group = prod_preview.named(FLOW_LOG_GROUP)
    key = prod_preview.named("encryption-key")
    assert is_unknown(log_group.inputs["kmsKeyId"])
    assert key.urn in log_group.property_dependencies["kmsKeyId"]


def test_flow_log_role_trusts_only_vpc_flow_logs_of_this_account(prod):
    trust = policy_of(prod.named("network-flow-log-role"), "assumeRolePolicy")
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT_ID}
    assert statement["Condition"]["ArnLike"] == {"aws:SourceArn": f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:vpc-flow-log/*"}


def test_flow_log_role_may_write_only_to_its_log_group(prod_apply):
    log_group = prod_apply.named(FLOW_LOG_GROUP)
    policy = prod_apply.named("network-flow-log-policy")
    assert policy.inputs["role"] == prod_apply.named("network-flow-log-role").outputs["name"]
    (statement,) = policy_of(policy, "policy")["Statement"]
    assert statement["Effect"] == "Allow"
    assert set(statement["Action"]) == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogGroups",
        "logs:DescribeLogStreams",
    }
    arn = log_group.outputs["arn"]
    assert set(statement["Resource"]) == {arn, f"{arn}:*"}


def test_s3_gateway_endpoint_serves_the_app_and_data_route_tables_only(prod_apply):
    endpoint = prod_apply.named("network-s3-endpoint")
    assert endpoint.inputs["serviceName"] == f"com.amazonaws.{REGION}.s3"
    assert endpoint.inputs["vpcEndpointType"] == "Gateway"
    ids = by_id(prod_apply)
    names = sorted(ids[table_id].name for table_id in endpoint.inputs["routeTableIds"])
    assert names == [*(f"network-app-route-table-{zone}" for zone in ZONES), "network-data-route-table"]


def test_children_are_parented_to_the_component_and_named_after_it(prod):
    (component,) = prod.of_type(COMPONENT)
    assert component.name == "network"
    children = prod.children_of(component.urn)
    assert {VPC, SUBNET, ROUTE, ROUTE_TABLE, ASSOCIATION, NAT, EIP, LOG_GROUP, FLOW_LOG, ENDPOINT} <= {
        c.type for c in children
    }
    for child in children:
        assert child.name.startswith("network-"), child.name
    network_types = {VPC, SUBNET, ROUTE, ROUTE_TABLE, ASSOCIATION, NAT, EIP, FLOW_LOG, ENDPOINT}
    assert all(r.parent == component.urn for r in prod.resources if r.type in network_types)


def test_three_azs_give_three_subnets_per_tier_and_three_nat_gateways(three_azs):
    zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
    for tier in ("public", "app", "data"):
        assert sorted(s.inputs["availabilityZone"] for s in subnets(three_azs, tier)) == zones
    assert sorted(n.name for n in ours(three_azs, NAT)) == [f"network-nat-gateway-{zone}" for zone in zones]
    assert len(three_azs.stack_outputs["appSubnetIds"]) == 3


def test_adding_an_az_keeps_the_existing_subnet_ranges(prod_apply, three_azs):
    def ranges(rec: Recording) -> dict[str, str]:
        return {s.name: s.inputs["cidrBlock"] for s in ours(rec, SUBNET)}

    before, after = ranges(prod_apply), ranges(three_azs)
    assert {name: after[name] for name in before} == before


def test_subnet_layout_refuses_more_azs_than_a_tier_holds():
    assert subnet_cidrs("10.0.0.0/16", 2) == {
        "public": ["10.0.0.0/20", "10.0.16.0/20"],
        "app": ["10.0.80.0/20", "10.0.96.0/20"],
        "data": ["10.0.160.0/20", "10.0.176.0/20"],
    }
    with pytest.raises(ValueError, match="at most 5 AZs"):
        subnet_cidrs("10.0.0.0/16", 6)


def test_flow_log_group_is_protected_in_production(prod):
    log_group = prod.named(FLOW_LOG_GROUP)
    assert log_group.protect is True
    assert log_group.inputs["deletionProtectionEnabled"] is True


def test_flow_log_group_is_not_protected_outside_production(staging_single_nat):
    log_group = staging_single_nat.named(FLOW_LOG_GROUP)
    assert log_group.protect is False
    assert log_group.inputs["deletionProtectionEnabled"] is False


def test_preview_exports_subnet_lists_of_known_length_with_unknown_ids(prod_preview):
    outputs = prod_preview.stack_outputs
    assert is_unknown(outputs["vpcId"])
    for key in ("publicSubnetIds", "appSubnetIds", "dataSubnetIds"):
        assert len(outputs[key]) == 2
        assert all(is_unknown(subnet_id) for subnet_id in outputs[key])


def test_apply_exports_the_vpc_and_subnet_ids(prod_apply):
    outputs = prod_apply.stack_outputs
    vpc = prod_apply.named("network-vpc")
    assert outputs["vpcId"] == vpc.id
    for key, tier in (("publicSubnetIds", "public"), ("appSubnetIds", "app"), ("dataSubnetIds", "data")):
        assert outputs[key] == [prod_apply.named(f"network-{tier}-subnet-{zone}").id for zone in ZONES]


def test_two_runs_register_identical_network_resources():
    def registrations(rec: Recording) -> dict[str, tuple[str, str, Any]]:
        # Keyed by name: registration order is not part of the contract, names and inputs are.
        return {r.name: (r.type, r.parent, r.wire_inputs) for r in rec.resources if r.name.startswith("network")}

    assert registrations(run_stack(preview=False)) == registrations(run_stack(preview=False))


def test_subnets_go_only_to_regular_availability_zones(monkeypatch):
    """Local and Wavelength Zones an account opted into are never picked (they sort before us-east-1a)."""
    asked = []
    answer = AwsMocks.call

    def spy(self: AwsMocks, args: Any) -> dict:
        if args.token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            asked.append(dict(args.args))
        return answer(self, args)

    monkeypatch.setattr(AwsMocks, "call", spy)
    run_stack(preview=True)
    assert asked == [{"state": "available", "filters": [{"name": "opt-in-status", "values": ["opt-in-not-required"]}]}]


def test_only_zones_that_offer_the_instance_type_are_picked(monkeypatch):
    # The first five AZs by name include us-east-1e, which (in the mock, as use1-az3 in AWS) offers no current
    # instance type: a launch there fails. The AZs come from the instance type's offerings instead.
    asked = []
    answer = AwsMocks.call

    def spy(self: AwsMocks, args: Any) -> dict:
        if args.token == "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
            asked.append(dict(args.args))
        return answer(self, args)

    monkeypatch.setattr(AwsMocks, "call", spy)
    rec = run_stack(preview=True, azCount="5")
    zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"]
    for tier in ("public", "app", "data"):
        assert sorted(s.inputs["availabilityZone"] for s in subnets(rec, tier)) == zones
    assert asked == [
        {"locationType": "availability-zone", "filters": [{"name": "instance-type", "values": ["t3.small"]}]}
    ]


def test_too_few_zones_offering_the_instance_type_is_an_error_naming_both_keys():
    # p5.48xlarge is offered in two AZs of the mock region: three cannot be had.
    with pytest.raises(ProgramError) as caught:
        run_stack(preview=True, azCount="3", instanceType="p5.48xlarge")
    message = str(caught.value)
    assert "azCount is 3 but us-east-1 has 2 regular AZs that offer p5.48xlarge (us-east-1a, us-east-1c)" in message
    assert "lower azCount or choose another instanceType" in message


def test_the_flow_log_is_created_after_its_role_policy(prod):
    # The flow log names only the role: without the dependency it may be created before the role may write.
    (flow_log,) = ours(prod, FLOW_LOG)
    assert prod.named("network-flow-log-policy").urn in flow_log.dependencies
