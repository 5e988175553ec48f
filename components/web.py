"""The web tier: an internet-facing, HTTPS-only Application Load Balancer in front of private app instances.

Users reach the load balancer over TLS only (port 80 answers with nothing but a 301 to HTTPS). It forwards to an
Auto Scaling group of Amazon Linux 2023 instances in the private application subnets: no public IP, IMDSv2 only,
KMS-encrypted gp3 root volumes, reachable for administration through SSM Session Manager (and SSH only from the
corporate ranges). Every security group rule is a separate, described resource, so the policy pack and the tests
can reason about each one. CloudWatch alarms for CPU, load balancer 5xx and unhealthy hosts go to the alert topic.
The app server the instances run, its systemd unit and the CloudWatch agent config are real files in
components/web_instance/, rendered into the user data there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.alarms import metric_alarm
from components.policy_documents import condition
from components.roles import role_policy, service_role
from components.waf import WebAclArgs, create_web_acl
from components.web_instance.user_data import AGENT_METRIC_NAMESPACE, render_user_data
from conventions import ALLOWED_TLS_POLICIES, HTTP_PORT, HTTPS_PORT, MIN_AZ_COUNT, SSH_PORT

# AWS's public SSM parameters that always name the latest Amazon Linux 2023 AMI, per CPU architecture.
AL2023_AMI_PARAMETERS = {
    "x86_64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    "arm64": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
}
ROOT_DEVICE_NAME = "/dev/xvda"  # the root device of the Amazon Linux 2023 AMIs
ROOT_VOLUME_GB = 20


@dataclass(kw_only=True)
class WebNetworkArgs:
    """Where the tier lives, and the only ranges that may reach the instances directly."""

    vpc_id: pulumi.Input[str]
    public_subnet_ids: Sequence[pulumi.Input[str]]
    """Where the load balancer lives (at least two AZs)."""
    app_subnet_ids: Sequence[pulumi.Input[str]]
    """Private subnets with a NAT route: where the instances live."""
    corporate_cidrs: Sequence[str]
    """The only IPv4 ranges allowed to reach SSH on the instances."""
    egress_routes: Sequence[pulumi.Resource] = ()
    """The app subnets' NAT routes (the network tier's `app_egress_routes`): the Auto Scaling group waits for them,
    since the instances' user data installs packages from the internet as soon as they boot."""


@dataclass(kw_only=True)
class WebCertificateArgs:
    """The HTTPS listener's certificate (an existing one, or a DNS-validated one to create) and TLS policy."""

    certificate_arn: str | None = None
    """An existing ACM certificate in us-east-1; or give domain_name and hosted_zone_id."""
    domain_name: str | None = None
    """The site's name: a certificate is requested for it and an alias record points it at the load balancer."""
    hosted_zone_id: str | None = None
    """The Route 53 public zone of domain_name, which validates the certificate and holds the alias record."""
    tls_policy: str
    """The listener's ELB security policy: one of conventions.ALLOWED_TLS_POLICIES."""


@dataclass(kw_only=True)
class WebInstanceArgs:
    """What the Auto Scaling group launches and how the load balancer checks it."""

    instance_type: str
    app_port: int
    health_check_path: str
    tags: Mapping[str, str]
    """Tags for the instances and volumes the Auto Scaling group launches (provider default tags do not reach
    them)."""


@dataclass(kw_only=True)
class WebScalingArgs:
    """The Auto Scaling group's bounds; a CPU target-tracking policy moves the capacity between them."""

    min_size: int
    max_size: int
    desired_capacity: int


@dataclass(kw_only=True)
class WebLogArgs:
    """Where the load balancer's access logs go, and how long the application log group keeps its logs."""

    access_log_bucket_name: pulumi.Input[str]
    """Receives the load balancer's access logs under `access_log_prefix` (its policy must already allow it)."""
    access_log_prefix: str
    """The key prefix the log bucket's policy lets ELB write under (the storage tier's `alb_log_prefix`)."""
    access_logs_depends_on: Sequence[pulumi.Resource] = ()
    """Resources that must exist before the load balancer (the log bucket's policy: AWS tests delivery on
    create)."""
    app_log_retention_days: int


@dataclass(kw_only=True)
class WebFirewallArgs:
    """The web ACL in front of the load balancer (components/waf.py)."""

    web_acl_name: str
    """Unique per account and region (`<project>-<stack>-web`)."""
    rate_limit: int
    """Requests per client IP per five minutes above which the web ACL blocks that IP."""
    region: str
    """The region of the web ACL's CloudWatch metrics (its blocked-requests alarm)."""


@dataclass(kw_only=True)
class WebTierArgs:
    """What the web tier needs from the rest of the stack, plus its own sizing, grouped by concern."""

    network: WebNetworkArgs
    certificate: WebCertificateArgs
    logs: WebLogArgs
    kms_key_arn: pulumi.Input[str]
    """Encrypts the instances' root volumes and the application log group."""
    alert_topic_arn: pulumi.Input[str]
    instances: WebInstanceArgs
    scaling: WebScalingArgs
    firewall: WebFirewallArgs
    is_production: bool
    """Load balancer deletion protection and `protect` on the application log group."""


def validate_web_tier_args(args: WebTierArgs) -> None:
    """Refuses args that would build an insecure or broken tier. Exported for testing."""
    certificate, network, scaling = args.certificate, args.network, args.scaling
    if certificate.certificate_arn and (certificate.domain_name or certificate.hosted_zone_id):
        raise ValueError("WebTier: give certificate_arn or domain_name + hosted_zone_id, not both")
    if not certificate.certificate_arn and not (certificate.domain_name and certificate.hosted_zone_id):
        raise ValueError(
            "WebTier: the HTTPS listener needs a certificate: give certificate_arn (an existing ACM certificate) "
            "or domain_name + hosted_zone_id (to create a DNS-validated one)"
        )
    if certificate.tls_policy not in ALLOWED_TLS_POLICIES:
        raise ValueError(
            f"WebTier: {certificate.tls_policy!r} is not an allowed TLS policy: {', '.join(ALLOWED_TLS_POLICIES)}"
        )
    if len(network.public_subnet_ids) < MIN_AZ_COUNT or len(network.app_subnet_ids) < MIN_AZ_COUNT:
        raise ValueError(f"WebTier: the load balancer and the instances need subnets in at least {MIN_AZ_COUNT} AZs")
    if not network.corporate_cidrs or any(c.endswith("/0") for c in network.corporate_cidrs):
        raise ValueError("WebTier: corporate_cidrs must list the corporate ranges, never the whole internet")
    # At least one instance per AZ.
    if not MIN_AZ_COUNT <= scaling.min_size <= scaling.desired_capacity <= scaling.max_size:
        raise ValueError(f"WebTier: sizes must satisfy {MIN_AZ_COUNT} <= min_size <= desired_capacity <= max_size")
    if not args.instances.health_check_path.startswith("/"):
        raise ValueError("WebTier: health_check_path must be a URL path such as /health")


def ami_parameter(architectures: Sequence[str]) -> str:
    """The AL2023 SSM parameter for an instance type's supported architectures (DescribeInstanceTypes'
    ProcessorInfo.SupportedArchitectures, pulumi-aws ec2.getInstanceType's `supported_architectures`).

    Read from EC2, not guessed from the name: a name pattern misses a1 (Graviton, arm64, no "g" after the digit)
    and whatever family AWS names next. Exported for testing.
    """
    for architecture in ("arm64", "x86_64"):
        if architecture in architectures:
            return AL2023_AMI_PARAMETERS[architecture]
    raise ValueError(f"WebTier: Amazon Linux 2023 has no image for the architectures {list(architectures)}")


class WebTier(pulumi.ComponentResource):
    """HTTPS load balancer, private Auto Scaling instances and their alarms."""

    load_balancer_dns_name: pulumi.Output[str]
    site_url: pulumi.Output[str] | None
    target_group_arn: pulumi.Output[str]
    app_security_group_id: pulumi.Output[str]
    load_balancer_security_group_id: pulumi.Output[str]
    web_acl_arn: pulumi.Output[str]

    def __init__(self, name: str, args: WebTierArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_web_tier_args(args)  # before registering anything: a bad arg leaves nothing half-built
        super().__init__("secure-aws:web:WebTier", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)

        self.load_balancer_security_group, self.app_security_group = self._create_security_groups()
        self._create_security_group_rules()
        certificate_arn = self._certificate_arn()
        self.target_group = self._create_target_group()
        self.load_balancer = self._create_load_balancer()
        self._create_listeners(certificate_arn)
        # Internet-facing, so behind a web application firewall (Security Hub ELB.16).
        self.web_acl = create_web_acl(
            self,
            f"{name}-waf",
            WebAclArgs(
                web_acl_name=args.firewall.web_acl_name,
                load_balancer_arn=self.load_balancer.arn,
                kms_key_arn=args.kms_key_arn,
                alert_topic_arn=args.alert_topic_arn,
                rate_limit=args.firewall.rate_limit,
                log_retention_days=args.logs.app_log_retention_days,
                region=args.firewall.region,
                is_production=args.is_production,
            ),
        )
        self.site_url = self._create_alias_record()
        self.app_log_group = self._create_app_log_group()
        instance_profile = self._create_instance_profile()
        launch_template = self._create_launch_template(instance_profile)
        self.auto_scaling_group = self._create_auto_scaling_group(launch_template)
        self._create_alarms()

        self.load_balancer_dns_name = self.load_balancer.dns_name
        self.target_group_arn = self.target_group.arn
        self.app_security_group_id = self.app_security_group.id
        self.load_balancer_security_group_id = self.load_balancer_security_group.id
        self.web_acl_arn = self.web_acl.arn
        self.register_outputs(
            {
                "web_acl_arn": self.web_acl_arn,
                "load_balancer_dns_name": self.load_balancer_dns_name,
                "site_url": self.site_url,
                "target_group_arn": self.target_group_arn,
                "app_security_group_id": self.app_security_group_id,
                "load_balancer_security_group_id": self.load_balancer_security_group_id,
            }
        )

    # Section: network access ---------------------------------------------------------------------------------

    def _create_security_groups(self) -> tuple[aws.ec2.SecurityGroup, aws.ec2.SecurityGroup]:
        # No inline rules: each rule below is its own resource, so adding one never rewrites the others and the
        # database tier can add its rule to the app group without a conflict.
        load_balancer = aws.ec2.SecurityGroup(
            f"{self._name}-lb-sg",
            name_prefix=f"{self._name}-lb-",
            description="Load balancer: HTTPS (and HTTP, only to redirect) from the internet; out only to the app",
            vpc_id=self._args.network.vpc_id,
            opts=self._child,
        )
        app = aws.ec2.SecurityGroup(
            f"{self._name}-app-sg",
            name_prefix=f"{self._name}-app-",
            description="App instances: the app port from the load balancer, SSH from corporate ranges",
            vpc_id=self._args.network.vpc_id,
            opts=self._child,
        )
        return load_balancer, app

    def _create_security_group_rules(self) -> None:
        lb, app, port = self.load_balancer_security_group, self.app_security_group, self._args.instances.app_port
        for role, public_port, why in (
            ("https", HTTPS_PORT, "HTTPS from the internet"),
            ("http", HTTP_PORT, "HTTP from the internet, answered only with a redirect to HTTPS"),
        ):
            aws.vpc.SecurityGroupIngressRule(
                f"{self._name}-lb-{role}-in",
                security_group_id=lb.id,
                description=why,
                ip_protocol="tcp",
                from_port=public_port,
                to_port=public_port,
                cidr_ipv4="0.0.0.0/0",
                opts=self._child,
            )
        aws.vpc.SecurityGroupEgressRule(
            f"{self._name}-lb-to-app",
            security_group_id=lb.id,
            description="To the app instances on the app port (forwarding and health checks)",
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            referenced_security_group_id=app.id,
            opts=self._child,
        )
        aws.vpc.SecurityGroupIngressRule(
            f"{self._name}-app-from-lb",
            security_group_id=app.id,
            description="The app port, from the load balancer only",
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            referenced_security_group_id=lb.id,
            opts=self._child,
        )
        for index, cidr in enumerate(self._args.network.corporate_cidrs):
            aws.vpc.SecurityGroupIngressRule(
                f"{self._name}-app-ssh-{index}",
                security_group_id=app.id,
                description=f"SSH from the corporate range {cidr}",
                ip_protocol="tcp",
                from_port=SSH_PORT,
                to_port=SSH_PORT,
                cidr_ipv4=cidr,
                opts=self._child,
            )
        # HTTPS out (through the NAT gateways or the S3 endpoint) is all the instances need: SSM, CloudWatch and
        # the Amazon Linux package repositories. DNS, NTP and instance metadata are link-local and not filtered.
        # PostgreSQL to the database is added by the database tier, which owns every rule about reaching it.
        aws.vpc.SecurityGroupEgressRule(
            f"{self._name}-app-https-out",
            security_group_id=app.id,
            description="HTTPS out for SSM, CloudWatch and package repositories",
            ip_protocol="tcp",
            from_port=HTTPS_PORT,
            to_port=HTTPS_PORT,
            cidr_ipv4="0.0.0.0/0",
            opts=self._child,
        )

    # Section: load balancer ----------------------------------------------------------------------------------

    def _certificate_arn(self) -> pulumi.Input[str]:
        """The configured certificate, or a new DNS-validated one (validated before the listener uses it)."""
        if self._args.certificate.certificate_arn:
            return self._args.certificate.certificate_arn
        certificate = aws.acm.Certificate(
            f"{self._name}-certificate",
            domain_name=self._args.certificate.domain_name,
            validation_method="DNS",
            opts=self._child,
        )
        # One domain, so one validation option: index 0 is safe and keeps the record out of an apply.
        option = certificate.domain_validation_options[0]
        validation_record = aws.route53.Record(
            f"{self._name}-certificate-validation-record",
            zone_id=self._args.certificate.hosted_zone_id,
            name=option.resource_record_name,
            type=option.resource_record_type,
            records=[option.resource_record_value],
            ttl=300,
            # ACM reuses the same record for a re-issued certificate of the same name.
            allow_overwrite=True,
            opts=self._child,
        )
        validation = aws.acm.CertificateValidation(
            f"{self._name}-certificate-validation",
            certificate_arn=certificate.arn,
            validation_record_fqdns=[validation_record.fqdn],
            opts=self._child,
        )
        return validation.certificate_arn

    def _create_target_group(self) -> aws.lb.TargetGroup:
        return aws.lb.TargetGroup(
            f"{self._name}-tg",
            vpc_id=self._args.network.vpc_id,
            target_type="instance",
            protocol="HTTP",
            port=self._args.instances.app_port,
            deregistration_delay=30,
            health_check=aws.lb.TargetGroupHealthCheckArgs(
                enabled=True,
                protocol="HTTP",
                port="traffic-port",
                path=self._args.instances.health_check_path,
                matcher="200",
                interval=15,
                timeout=5,
                healthy_threshold=2,
                unhealthy_threshold=3,
            ),
            opts=self._child,
        )

    def _create_load_balancer(self) -> aws.lb.LoadBalancer:
        return aws.lb.LoadBalancer(
            f"{self._name}-alb",
            load_balancer_type="application",
            internal=False,
            # IPv4 only: the security groups then need no ::/0 rules.
            ip_address_type="ipv4",
            subnets=list(self._args.network.public_subnet_ids),
            security_groups=[self.load_balancer_security_group.id],
            drop_invalid_header_fields=True,
            # "defensive" (FSBP ELB.12 accepts it) blocks request smuggling without rejecting the merely unusual
            # but harmless requests that "strictest" would turn away from real clients.
            desync_mitigation_mode="defensive",
            enable_deletion_protection=self._args.is_production,
            access_logs=aws.lb.LoadBalancerAccessLogsArgs(
                bucket=self._args.logs.access_log_bucket_name,
                prefix=self._args.logs.access_log_prefix,
                enabled=True,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(self._args.logs.access_logs_depends_on)),
        )

    def _create_listeners(self, certificate_arn: pulumi.Input[str]) -> None:
        aws.lb.Listener(
            f"{self._name}-https",
            load_balancer_arn=self.load_balancer.arn,
            port=HTTPS_PORT,
            protocol="HTTPS",
            ssl_policy=self._args.certificate.tls_policy,
            certificate_arn=certificate_arn,
            default_actions=[
                aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=self.target_group.arn),
            ],
            # Browsers that have seen the site once never try plain HTTP again.
            routing_http_response_strict_transport_security_header_value="max-age=31536000",
            routing_http_response_x_content_type_options_header_value="nosniff",
            opts=self._child,
        )
        aws.lb.Listener(
            f"{self._name}-http",
            load_balancer_arn=self.load_balancer.arn,
            port=HTTP_PORT,
            protocol="HTTP",
            # The only thing port 80 ever does: send the client to HTTPS.
            default_actions=[
                aws.lb.ListenerDefaultActionArgs(
                    type="redirect",
                    redirect=aws.lb.ListenerDefaultActionRedirectArgs(
                        protocol="HTTPS",
                        port=str(HTTPS_PORT),
                        status_code="HTTP_301",
                    ),
                ),
            ],
            opts=self._child,
        )

    def _create_alias_record(self) -> pulumi.Output[str] | None:
        if not self._args.certificate.domain_name:
            return None
        aws.route53.Record(
            f"{self._name}-alias",
            zone_id=self._args.certificate.hosted_zone_id,
            name=self._args.certificate.domain_name,
            type="A",
            aliases=[
                aws.route53.RecordAliasArgs(
                    name=self.load_balancer.dns_name,
                    zone_id=self.load_balancer.zone_id,
                    evaluate_target_health=True,
                )
            ],
            opts=self._child,
        )
        return pulumi.Output.from_input(f"https://{self._args.certificate.domain_name}")

    # Section: instances --------------------------------------------------------------------------------------

    def _create_app_log_group(self) -> aws.cloudwatch.LogGroup:
        # Created here, encrypted and with a retention, so the CloudWatch agent never needs CreateLogGroup and
        # never makes an unencrypted, never-expiring group of its own.
        return aws.cloudwatch.LogGroup(
            f"{self._name}-app-logs",
            name_prefix=f"/secure-aws/{self._name}/app-",
            kms_key_id=self._args.kms_key_arn,
            retention_in_days=self._args.logs.app_log_retention_days,
            deletion_protection_enabled=self._args.is_production,
            opts=pulumi.ResourceOptions(parent=self, protect=self._args.is_production),
        )

    def _create_instance_profile(self) -> aws.iam.InstanceProfile:
        role = service_role(
            self,
            f"{self._name}-instance-role",
            service="ec2.amazonaws.com",
            description="App instances: SSM Session Manager and the CloudWatch agent, nothing else",
        )
        # Inline and minimal instead of AmazonSSMManagedInstanceCore / CloudWatchAgentServerPolicy: those grant
        # Run Command, inventory, patching, any SSM parameter read and log-group creation anywhere, none of which
        # this tier uses.
        role_policy(
            self,
            f"{self._name}-instance-policy",
            role,
            [
                aws.iam.GetPolicyDocumentStatementArgs(
                    sid="SessionManager",
                    # The SSM agent registers the instance and opens the Session Manager channels; these actions
                    # have no resource-level permissions.
                    actions=[
                        "ssm:UpdateInstanceInformation",
                        "ssmmessages:CreateControlChannel",
                        "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel",
                        "ssmmessages:OpenDataChannel",
                    ],
                    resources=["*"],
                ),
                aws.iam.GetPolicyDocumentStatementArgs(
                    sid="CloudWatchAgentMetrics",
                    actions=["cloudwatch:PutMetricData"],
                    resources=["*"],
                    # Only into the agent's own namespace, never into AWS/* or another team's metrics.
                    conditions=[condition("StringEquals", "cloudwatch:namespace", AGENT_METRIC_NAMESPACE)],
                ),
                aws.iam.GetPolicyDocumentStatementArgs(
                    sid="CloudWatchAgentDimensions",
                    # Lets the agent add the Auto Scaling group and volume dimensions; Describe* is not scopable.
                    actions=["ec2:DescribeTags", "ec2:DescribeVolumes"],
                    resources=["*"],
                ),
                aws.iam.GetPolicyDocumentStatementArgs(
                    sid="CloudWatchAgentLogs",
                    actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    resources=[self.app_log_group.arn, self.app_log_group.arn.apply(lambda arn: f"{arn}:*")],
                ),
            ],
        )
        return aws.iam.InstanceProfile(f"{self._name}-instance-profile", role=role.name, opts=self._child)

    def _create_launch_template(self, instance_profile: aws.iam.InstanceProfile) -> aws.ec2.LaunchTemplate:
        # The AMI id is resolved at deploy time, not at launch time (`resolve:ssm:`): a new Amazon Linux release
        # then shows up in the preview as a new template version and rolls out through the instance refresh,
        # instead of silently mixing AMIs whenever the group scales.
        instance_type = aws.ec2.get_instance_type(
            instance_type=self._args.instances.instance_type, opts=pulumi.InvokeOptions(parent=self)
        )
        image = aws.ssm.get_parameter_output(
            name=ami_parameter(instance_type.supported_architectures), opts=pulumi.InvokeOutputOptions(parent=self)
        )
        instances = self._args.instances
        tags = dict(instances.tags)
        return aws.ec2.LaunchTemplate(
            f"{self._name}-launch-template",
            name_prefix=f"{self._name}-app-",
            description="App instances: AL2023, IMDSv2 only, encrypted gp3 root volume, no public IP",
            image_id=image.insecure_value,
            instance_type=self._args.instances.instance_type,
            iam_instance_profile=aws.ec2.LaunchTemplateIamInstanceProfileArgs(arn=instance_profile.arn),
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled",
                http_tokens="required",
                # One hop: a container or proxy on the instance cannot reach the instance's credentials.
                http_put_response_hop_limit=1,
                instance_metadata_tags="disabled",
            ),
            block_device_mappings=[
                aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                    device_name=ROOT_DEVICE_NAME,
                    ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                        volume_type="gp3",
                        volume_size=ROOT_VOLUME_GB,
                        encrypted="true",
                        kms_key_id=self._args.kms_key_arn,
                        delete_on_termination="true",
                    ),
                )
            ],
            network_interfaces=[
                aws.ec2.LaunchTemplateNetworkInterfaceArgs(
                    device_index=0,
                    associate_public_ip_address="false",
                    security_groups=[self.app_security_group.id],
                    delete_on_termination="true",
                )
            ],
            monitoring=aws.ec2.LaunchTemplateMonitoringArgs(enabled=True),
            user_data=self.app_log_group.name.apply(
                lambda log_group: render_user_data(instances.app_port, instances.health_check_path, log_group)
            ),
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(
                    resource_type=kind, tags={**tags, "Name": f"{self._name}-app"}
                )
                for kind in ("instance", "volume", "network-interface")
            ],
            update_default_version=True,
            opts=self._child,
        )

    def _create_auto_scaling_group(self, launch_template: aws.ec2.LaunchTemplate) -> aws.autoscaling.Group:
        group = aws.autoscaling.Group(
            f"{self._name}-asg",
            vpc_zone_identifiers=list(self._args.network.app_subnet_ids),
            min_size=self._args.scaling.min_size,
            max_size=self._args.scaling.max_size,
            desired_capacity=self._args.scaling.desired_capacity,
            # ELB health checks: an instance that stops answering the health path is replaced, not just one
            # whose hardware fails.
            health_check_type="ELB",
            health_check_grace_period=300,
            default_instance_warmup=300,
            target_group_arns=[self.target_group.arn],
            # The template's version number, not "$Latest": only a change of this block starts an instance refresh,
            # and "$Latest" never changes (the provider documents that a refresh then never starts).
            launch_template=aws.autoscaling.GroupLaunchTemplateArgs(
                id=launch_template.id, version=launch_template.latest_version.apply(str)
            ),
            # A new template version (AMI, user data, instance type) replaces the instances a few at a time.
            instance_refresh=aws.autoscaling.GroupInstanceRefreshArgs(
                strategy="Rolling",
                preferences=aws.autoscaling.GroupInstanceRefreshPreferencesArgs(
                    min_healthy_percentage=50, instance_warmup="300"
                ),
            ),
            # Auto Scaling groups take no provider default tags. The launch template tags what the group launches,
            # so these tag only the group itself.
            tags=[
                aws.autoscaling.GroupTagArgs(key=key, value=value, propagate_at_launch=False)
                for key, value in sorted(self._args.instances.tags.items())
            ],
            enabled_metrics=[
                "GroupDesiredCapacity",
                "GroupInServiceInstances",
                "GroupPendingInstances",
                "GroupTerminatingInstances",
                "GroupTotalInstances",
            ],
            # The scaling policy owns the running capacity after creation; re-applying desiredCapacity on every
            # update would undo its decisions. The group references only the subnets, so without depends_on the
            # engine may launch instances before their subnets' NAT routes exist, and their first package installs
            # then fail.
            opts=pulumi.ResourceOptions(
                parent=self,
                ignore_changes=["desiredCapacity"],
                depends_on=list(self._args.network.egress_routes) or None,
            ),
        )
        aws.autoscaling.Policy(
            f"{self._name}-cpu-target",
            autoscaling_group_name=group.name,
            policy_type="TargetTrackingScaling",
            target_tracking_configuration=aws.autoscaling.PolicyTargetTrackingConfigurationArgs(
                predefined_metric_specification={"predefined_metric_type": "ASGAverageCPUUtilization"},
                target_value=50.0,
            ),
            opts=self._child,
        )
        return group

    # Section: alarms -----------------------------------------------------------------------------------------

    def _create_alarms(self) -> None:
        topic = self._args.alert_topic_arn
        metric_alarm(
            self,
            f"{self._name}-cpu-high",
            description="App instances: average CPU above 80% for 10 minutes",
            namespace="AWS/EC2",
            metric_name="CPUUtilization",
            dimensions={"AutoScalingGroupName": self.auto_scaling_group.name},
            statistic="Average",
            comparison_operator="GreaterThanThreshold",
            threshold=80,
            period=300,
            evaluation_periods=2,
            treat_missing_data="missing",
            topic_arn=topic,
            notify_ok=True,
        )
        metric_alarm(
            self,
            f"{self._name}-alb-5xx",
            description="Load balancer: it answered 5xx itself (no healthy target, timeouts) in 5 minutes",
            namespace="AWS/ApplicationELB",
            metric_name="HTTPCode_ELB_5XX_Count",
            dimensions={"LoadBalancer": self.load_balancer.arn_suffix},
            statistic="Sum",
            comparison_operator="GreaterThanThreshold",
            threshold=5,
            period=300,
            evaluation_periods=1,
            # No 5xx datapoint means no 5xx responses.
            treat_missing_data="notBreaching",
            topic_arn=topic,
            notify_ok=True,
        )
        metric_alarm(
            self,
            f"{self._name}-unhealthy-hosts",
            description="Target group: at least one instance fails its health check",
            namespace="AWS/ApplicationELB",
            metric_name="UnHealthyHostCount",
            dimensions={
                "TargetGroup": self.target_group.arn_suffix,
                "LoadBalancer": self.load_balancer.arn_suffix,
            },
            statistic="Maximum",
            comparison_operator="GreaterThanThreshold",
            threshold=0,
            period=60,
            evaluation_periods=3,
            treat_missing_data="missing",
            topic_arn=topic,
            notify_ok=True,
        )
