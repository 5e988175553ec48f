"""Other accounts' ways into the data tier (tests/policy/test_cross_account_paths.py). The subnets of the database
subnet group are the data tier and `vpc` is its VPC; 123456789012 is guarded (a provider's allowedAccountIds),
210987654321 is a partner. Resources that open a path are named after it; "ok-" ones must pass."""

import pulumi
import pulumi_aws as aws

GUARDED, PARTNER = "123456789012", "210987654321"
ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-exampleorgid"

aws.Provider("guarded", region="us-east-1", allowed_account_ids=[GUARDED])
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
app_vpc = aws.ec2.Vpc("app-vpc", cidr_block="10.1.0.0/16")
data_a = aws.ec2.Subnet("data-a", vpc_id=vpc.id, cidr_block="10.0.1.0/24", availability_zone="us-east-1a")
data_b = aws.ec2.Subnet("data-b", vpc_id=vpc.id, cidr_block="10.0.2.0/24", availability_zone="us-east-1b")
app_subnet = aws.ec2.Subnet("app-a", vpc_id=app_vpc.id, cidr_block="10.1.1.0/24", availability_zone="us-east-1a")
subnet_group = aws.rds.SubnetGroup("database-subnets", subnet_ids=[data_a.id, data_b.id])
cluster = aws.rds.Cluster("database-cluster", engine="aurora-postgresql", db_subnet_group_name=subnet_group.name)

# Peering: another account's VPC with the data VPC; peer_owner_id left out is the provider's own account.
aws.ec2.VpcPeeringConnection(
    "partner-peering", vpc_id=vpc.id, peer_vpc_id="vpc-0fedcba9876543210", peer_owner_id=PARTNER
)
aws.ec2.VpcPeeringConnection(
    "late-peering", vpc_id=vpc.id, peer_vpc_id="vpc-0fedcba9876543210", peer_owner_id=vpc.id.apply(lambda _: PARTNER)
)
aws.ec2.VpcPeeringConnection("ok-same-account-peering", vpc_id=vpc.id, peer_vpc_id=app_vpc.id)
aws.ec2.VpcPeeringConnection(
    "ok-guarded-account-peering", vpc_id=vpc.id, peer_vpc_id="vpc-0fedcba9876543210", peer_owner_id=GUARDED
)
aws.ec2.VpcPeeringConnection(
    "ok-app-vpc-peering", vpc_id=app_vpc.id, peer_vpc_id="vpc-0fedcba9876543210", peer_owner_id=PARTNER
)

# Transit Gateway: one the stack does not create (shared to us from elsewhere), and our own, shared by RAM.
aws.ec2transitgateway.VpcAttachment(
    "foreign-hub-attachment", vpc_id=vpc.id, subnet_ids=[data_a.id], transit_gateway_id="tgw-0123456789abcdef0"
)
hub = aws.ec2transitgateway.TransitGateway("hub")
aws.ec2transitgateway.VpcAttachment(
    "ok-own-hub-attachment", vpc_id=vpc.id, subnet_ids=[data_a.id], transit_gateway_id=hub.id
)


def share(name, principal, resource_arn, association):
    resource_share = aws.ram.ResourceShare(f"{name}-share", name=name)
    aws.ram.PrincipalAssociation(f"{name}-principal", principal=principal, resource_share_arn=resource_share.arn)
    aws.ram.ResourceAssociation(association, resource_arn=resource_arn, resource_share_arn=resource_share.arn)


share("hub", PARTNER, hub.arn, "hub-share-association")
share("data-subnet", ORGANIZATION, data_b.arn, "data-subnet-share-association")
share("clone", PARTNER, cluster.arn, "database-share-association")
share("late", vpc.id.apply(lambda _: PARTNER), data_a.arn, "late-share-association")
share("app", PARTNER, app_subnet.arn, "ok-app-subnet-share-association")
share("guarded", GUARDED, data_a.arn, "ok-guarded-share-association")

pulumi.export("vpc", vpc.id)
