"""Data-tier route tables (tests/policy/test_data_paths.py): the subnets of the database subnet group are the data
tier; "ok-" route tables keep it inside the VPC, the others are named after the way out they give it."""

import pulumi_aws as aws

vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
igw = aws.ec2.InternetGateway("igw", vpc_id=vpc.id)
nat = aws.ec2.NatGateway("nat", subnet_id="subnet-0123456789abcdef0", allocation_id="eipalloc-0123456789abcdef0")


def data_subnet(name, cidr, table):
    subnet = aws.ec2.Subnet(name, vpc_id=vpc.id, cidr_block=cidr, availability_zone="us-east-1a")
    aws.ec2.RouteTableAssociation(f"{name}-association", subnet_id=subnet.id, route_table_id=table.id)
    return subnet


# An inline internet route, a separate NAT route, a literal peering id, and an isolated table.
igw_table = aws.ec2.RouteTable(
    "igw-inline-table", vpc_id=vpc.id, routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=igw.id)]
)
nat_table = aws.ec2.RouteTable("nat-route-table", vpc_id=vpc.id)
aws.ec2.Route("nat-route", route_table_id=nat_table.id, destination_cidr_block="0.0.0.0/0", nat_gateway_id=nat.id)
peering_table = aws.ec2.RouteTable("peering-route-table", vpc_id=vpc.id)
aws.ec2.Route(
    "peering-route",
    route_table_id=peering_table.id,
    destination_cidr_block="172.16.0.0/12",
    vpc_peering_connection_id="pcx-0123456789abcdef0",
)
ok_table = aws.ec2.RouteTable("ok-isolated-table", vpc_id=vpc.id)
subnets = [
    data_subnet("data-a", "10.0.1.0/24", igw_table),
    data_subnet("data-b", "10.0.2.0/24", nat_table),
    data_subnet("data-c", "10.0.3.0/24", peering_table),
    data_subnet("data-d", "10.0.4.0/24", ok_table),
]
aws.rds.SubnetGroup("database-subnets", subnet_ids=[s.id for s in subnets])

# An app-tier table routing to the internet through NAT is not the data tier's.
app_subnet = aws.ec2.Subnet("app-a", vpc_id=vpc.id, cidr_block="10.0.10.0/24", availability_zone="us-east-1a")
ok_app_table = aws.ec2.RouteTable(
    "ok-app-table", vpc_id=vpc.id, routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", nat_gateway_id=nat.id)]
)
aws.ec2.RouteTableAssociation("app-a-association", subnet_id=app_subnet.id, route_table_id=ok_app_table.id)
