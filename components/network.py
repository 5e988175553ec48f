"""The network tier: a three-tier VPC across `azCount` availability zones, logged and closed by default.

Per AZ, three subnets carved from the VPC range: public (load balancer and NAT gateways), app (instances and
the auditor function, out to the internet only through NAT) and data (the database: no route to the internet
at all). No subnet hands out public IPs: the load balancer and NAT gateways get their addresses from AWS, not
from the subnet. The default security group is adopted and emptied, every flow is logged to a KMS-encrypted
log group, and S3 traffic from the private tiers stays on the AWS network through a gateway endpoint.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.policy_documents import condition
from components.roles import role_policy, service_role
from conventions import NAT_PER_AZ, SUBNET_PREFIX_DIFF, SUBNET_SLOTS_PER_TIER

# Each tier owns a fixed block of SUBNET_SLOTS_PER_TIER slots of the VPC range (conventions.py: the subnet plan),
# so adding an AZ later never renumbers existing subnets; settings.py refuses more AZs than a block holds.
TIERS = ("public", "app", "data")
ANYWHERE = "0.0.0.0/0"


def subnet_cidrs(vpc_cidr: str, az_count: int) -> dict[str, list[str]]:
    """The subnet ranges per tier, one per AZ, carved from the VPC range. Exported for testing."""
    if az_count > SUBNET_SLOTS_PER_TIER:
        raise ValueError(f"{vpc_cidr} holds three subnet tiers in at most {SUBNET_SLOTS_PER_TIER} AZs, not {az_count}")
    slots = list(ipaddress.IPv4Network(vpc_cidr).subnets(prefixlen_diff=SUBNET_PREFIX_DIFF))
    return {
        tier: [str(slots[index * SUBNET_SLOTS_PER_TIER + az]) for az in range(az_count)]
        for index, tier in enumerate(TIERS)
    }


@dataclass(kw_only=True)
class NetworkArgs:
    """The VPC's range and size, its NAT mode, how long flow logs are kept and the key that encrypts them."""

    project: str
    stack: str
    """With `project`, names the VPC's resources (Name tags) and its flow log group."""
    region: str
    vpc_cidr: str
    """A private (RFC 1918) range, /23 or larger: each subnet is a /(prefix+4)."""
    az_count: int
    """How many availability zones get a public, an app and a data subnet (at most five)."""
    nat_gateways: str
    """"perAz" (one NAT gateway per AZ) or "single" (one for the whole VPC, outside production)."""
    log_retention_days: int
    is_production: bool
    """Production protects the flow log group from deletion."""
    kms_key_arn: pulumi.Input[str]
    """Encrypts the flow log group."""
    instance_type: str | None = None
    """The EC2 instance type the app subnets must run (the web tier's): only AZs that offer it are used."""


class Network(pulumi.ComponentResource):
    """VPC, public/app/data subnets per AZ, internet and NAT gateways, routes, flow logs and an S3 endpoint."""

    vpc_id: pulumi.Output[str]
    vpc_cidr: pulumi.Output[str]
    public_subnet_ids: list[pulumi.Output[str]]
    app_subnet_ids: list[pulumi.Output[str]]
    data_subnet_ids: list[pulumi.Output[str]]
    app_route_table_ids: list[pulumi.Output[str]]
    app_egress_routes: list[aws.ec2.Route]
    """The app subnets' routes to their NAT gateways: what must exist before anything there needs the internet
    (package installs in the instances' user data)."""
    flow_log_group_name: pulumi.Output[str]
    availability_zones: list[str]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("secure-aws:network:Network", name, None, opts)
        self._name = name
        self._args = args

        self.availability_zones = self._pick_availability_zones()

        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.vpc_cidr,
            # Interface endpoints, RDS endpoints and private hosted zones resolve only with both on.
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=self._tags("vpc"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self._vpc = vpc
        self._empty_default_security_group()
        subnets = self._create_subnets()
        internet_gateway = aws.ec2.InternetGateway(
            f"{name}-internet-gateway",
            vpc_id=vpc.id,
            tags=self._tags("internet-gateway"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        nat_gateways = self._create_nat_gateways(subnets["public"], internet_gateway)
        app_route_tables, self.app_egress_routes, data_route_table = self._create_routes(
            subnets, internet_gateway, nat_gateways
        )
        flow_log_group = self._create_flow_logs(args.kms_key_arn)
        self._create_s3_endpoint([*app_route_tables, data_route_table])

        self.vpc_id = vpc.id
        self.vpc_cidr = vpc.cidr_block
        self.public_subnet_ids = [subnet.id for subnet in subnets["public"]]
        self.app_subnet_ids = [subnet.id for subnet in subnets["app"]]
        self.data_subnet_ids = [subnet.id for subnet in subnets["data"]]
        self.app_route_table_ids = [table.id for table in app_route_tables]
        self.flow_log_group_name = flow_log_group.name
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "vpc_cidr": self.vpc_cidr,
                "public_subnet_ids": self.public_subnet_ids,
                "app_subnet_ids": self.app_subnet_ids,
                "data_subnet_ids": self.data_subnet_ids,
                "app_route_table_ids": self.app_route_table_ids,
                "flow_log_group_name": self.flow_log_group_name,
                "availability_zones": self.availability_zones,
            }
        )

    def _pick_availability_zones(self) -> list[str]:
        """The first `az_count` regular AZs of the region that offer the app instance type.

        Known at construction (invokes with known arguments), so every list built from them has a known length
        and nothing is created inside an apply. Regular AZs only: a Local or Wavelength Zone the account opted
        into (us-east-1-bos-1a sorts before us-east-1a) has no Multi-AZ RDS, NAT or ALB to speak of. And not
        every AZ offers every instance type (us-east-1e, use1-az3, lacks most current ones), so the first five
        AZs in name order would fail at launch: DescribeInstanceTypeOfferings with LocationType
        "availability-zone" lists the AZs that offer a type (pulumi-aws ec2.getInstanceTypeOfferings, "Location
        type ... Valid values: availability-zone, availability-zone-id, and region"; filter "instance-type").
        """
        args, invoke = self._args, pulumi.InvokeOptions(parent=self)
        zones = aws.get_availability_zones(
            state="available",
            filters=[aws.GetAvailabilityZonesFilterArgs(name="opt-in-status", values=["opt-in-not-required"])],
            opts=invoke,
        ).names
        if args.instance_type:
            offering = aws.ec2.get_instance_type_offerings(
                location_type="availability-zone",
                filters=[aws.ec2.GetInstanceTypeOfferingsFilterArgs(name="instance-type", values=[args.instance_type])],
                opts=invoke,
            )
            offered = set(offering.locations)
            zones = [zone for zone in zones if zone in offered]
        if len(zones) < args.az_count:
            which = f" that offer {args.instance_type}" if args.instance_type else ""
            raise ValueError(
                f"azCount is {args.az_count} but {args.region} has {len(zones)} regular AZs{which} "
                f"({', '.join(zones) or 'none'}): lower azCount or choose another instanceType"
            )
        return list(zones[: args.az_count])

    def _tags(self, role: str, **extra: str) -> dict[str, str]:
        """A Name tag that says which stack a resource belongs to (the provider adds the common tags)."""
        return {"Name": f"{self._args.project}-{self._args.stack}-{role}", **extra}

    def _opts(
        self, *, protect: bool = False, depends_on: list[pulumi.Resource] | None = None
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, protect=protect, depends_on=depends_on)

    def _empty_default_security_group(self) -> None:
        """Adopts the VPC's default security group and strips its rules (FSBP EC2.2).

        Anything launched without an explicit security group lands in it; with no rules it reaches nothing.
        """
        aws.ec2.DefaultSecurityGroup(
            f"{self._name}-default-security-group",
            vpc_id=self._vpc.id,
            ingress=[],
            egress=[],
            tags=self._tags("default-closed"),
            opts=self._opts(),
        )

    def _create_subnets(self) -> dict[str, list[aws.ec2.Subnet]]:
        cidrs = subnet_cidrs(self._args.vpc_cidr, len(self.availability_zones))
        subnets: dict[str, list[aws.ec2.Subnet]] = {tier: [] for tier in TIERS}
        for tier in TIERS:
            for zone, cidr in zip(self.availability_zones, cidrs[tier], strict=True):
                subnets[tier].append(
                    aws.ec2.Subnet(
                        f"{self._name}-{tier}-subnet-{zone}",
                        vpc_id=self._vpc.id,
                        cidr_block=cidr,
                        availability_zone=zone,
                        # Even the public tier: the load balancer and NAT gateways get their public addresses
                        # from AWS, and nothing else there should ever be reachable (FSBP EC2.15).
                        map_public_ip_on_launch=False,
                        tags=self._tags(f"{tier}-{zone}", Tier=tier),
                        opts=self._opts(),
                    )
                )
        return subnets

    def _create_nat_gateways(
        self, public_subnets: list[aws.ec2.Subnet], internet_gateway: aws.ec2.InternetGateway
    ) -> dict[str, aws.ec2.NatGateway]:
        """One NAT gateway per AZ (an AZ outage takes only its own egress), or one for cheaper stacks."""
        count = len(public_subnets) if self._args.nat_gateways == NAT_PER_AZ else 1
        gateways: dict[str, aws.ec2.NatGateway] = {}
        for zone, subnet in list(zip(self.availability_zones, public_subnets, strict=True))[:count]:
            address = aws.ec2.Eip(
                f"{self._name}-nat-eip-{zone}",
                domain="vpc",
                tags=self._tags(f"nat-{zone}"),
                opts=self._opts(),
            )
            gateways[zone] = aws.ec2.NatGateway(
                f"{self._name}-nat-gateway-{zone}",
                allocation_id=address.allocation_id,
                subnet_id=subnet.id,
                connectivity_type="public",
                tags=self._tags(f"nat-{zone}"),
                # A public NAT gateway needs the VPC's internet gateway attached before it can come up.
                opts=self._opts(depends_on=[internet_gateway]),
            )
        return gateways

    def _create_routes(
        self,
        subnets: dict[str, list[aws.ec2.Subnet]],
        internet_gateway: aws.ec2.InternetGateway,
        nat_gateways: dict[str, aws.ec2.NatGateway],
    ) -> tuple[list[aws.ec2.RouteTable], list[aws.ec2.Route], aws.ec2.RouteTable]:
        """Public -> internet gateway; app -> its AZ's NAT gateway (or the single one); data -> nowhere.

        Routes are separate resources rather than inline blocks, so the S3 endpoint can add its own routes to
        the same tables without the two fighting over them.
        """
        name, vpc_id = self._name, self._vpc.id
        public_table = aws.ec2.RouteTable(
            f"{name}-public-route-table", vpc_id=vpc_id, tags=self._tags("public"), opts=self._opts()
        )
        aws.ec2.Route(
            f"{name}-public-internet-route",
            route_table_id=public_table.id,
            destination_cidr_block=ANYWHERE,
            gateway_id=internet_gateway.id,
            opts=self._opts(),
        )
        # The data tier's table has the VPC-local route and the S3 endpoint, nothing else: the database can
        # neither reach nor be reached from the internet.
        data_table = aws.ec2.RouteTable(
            f"{name}-data-route-table", vpc_id=vpc_id, tags=self._tags("data"), opts=self._opts()
        )
        single_nat = next(iter(nat_gateways.values()))
        app_tables, app_routes = [], []
        for index, zone in enumerate(self.availability_zones):
            app_table = aws.ec2.RouteTable(
                f"{name}-app-route-table-{zone}", vpc_id=vpc_id, tags=self._tags(f"app-{zone}"), opts=self._opts()
            )
            app_routes.append(
                aws.ec2.Route(
                    f"{name}-app-nat-route-{zone}",
                    route_table_id=app_table.id,
                    destination_cidr_block=ANYWHERE,
                    nat_gateway_id=nat_gateways.get(zone, single_nat).id,
                    opts=self._opts(),
                )
            )
            app_tables.append(app_table)
            for tier, table in (("public", public_table), ("app", app_table), ("data", data_table)):
                aws.ec2.RouteTableAssociation(
                    f"{name}-{tier}-route-table-association-{zone}",
                    subnet_id=subnets[tier][index].id,
                    route_table_id=table.id,
                    opts=self._opts(),
                )
        return app_tables, app_routes, data_table

    def _create_flow_logs(self, kms_key_arn: pulumi.Input[str]) -> aws.cloudwatch.LogGroup:
        """Flow logs for ALL traffic (accepted and rejected) to a KMS-encrypted log group (FSBP EC2.6)."""
        name, args = self._name, self._args
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-flow-log-group",
            name=f"/{args.project}/{args.stack}/vpc-flow-logs",
            retention_in_days=args.log_retention_days,
            kms_key_id=kms_key_arn,
            deletion_protection_enabled=args.is_production,
            # The network's audit record: keep it through a stack teardown in production.
            opts=self._opts(protect=args.is_production),
        )
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        role = service_role(
            self,
            f"{name}-flow-log-role",
            service="vpc-flow-logs.amazonaws.com",
            description="Lets VPC Flow Logs deliver this VPC's flow records to its log group",
            # Only the flow-logs service, acting for flow logs of this account and region (confused deputy).
            conditions=[
                condition("StringEquals", "aws:SourceAccount", account_id),
                condition(
                    "ArnLike",
                    "aws:SourceArn",
                    account_id.apply(lambda a: f"arn:aws:ec2:{args.region}:{a}:vpc-flow-log/*"),
                ),
            ],
        )
        # The log group's ARN has no ":*" suffix; its log streams are under "<arn>:*".
        policy = role_policy(
            self,
            f"{name}-flow-log-policy",
            role,
            [
                aws.iam.GetPolicyDocumentStatementArgs(
                    sid="WriteFlowLogsToThisLogGroupOnly",
                    actions=[
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                        "logs:DescribeLogGroups",
                        "logs:DescribeLogStreams",
                    ],
                    resources=[log_group.arn, log_group.arn.apply(lambda arn: f"{arn}:*")],
                )
            ],
        )
        aws.ec2.FlowLog(
            f"{name}-flow-log",
            vpc_id=self._vpc.id,
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_destination=log_group.arn,
            iam_role_arn=role.arn,
            # One-minute aggregation: records reach the log group within about a minute, not ten.
            max_aggregation_interval=60,
            tags=self._tags("flow-log"),
            # The role's permissions first: the flow log references only the role, so without this the engine
            # may create it before the inline policy exists, and VPC Flow Logs, unable to write, leaves it in
            # an error state ("Access error") with the first records lost.
            opts=self._opts(depends_on=[policy]),
        )
        return log_group

    def _create_s3_endpoint(self, private_route_tables: list[aws.ec2.RouteTable]) -> None:
        """Keeps S3 traffic of the private tiers (logs, artifacts, OS packages) off the NAT and the internet.

        No endpoint policy narrower than the default: Amazon Linux package repositories are S3 buckets of AWS,
        and the bucket policies on our own buckets already decide who may use them.
        """
        aws.ec2.VpcEndpoint(
            f"{self._name}-s3-endpoint",
            vpc_id=self._vpc.id,
            service_name=f"com.amazonaws.{self._args.region}.s3",
            vpc_endpoint_type="Gateway",
            route_table_ids=[table.id for table in private_route_tables],
            tags=self._tags("s3-endpoint"),
            opts=self._opts(),
        )
