"""The database tier: a Multi-AZ RDS for PostgreSQL instance in the isolated data subnets.

Storage, Performance Insights, the exported logs and the RDS-managed master secret are all encrypted with our KMS
key; a parameter group forces TLS and logs every connection; no password ever passes through config, code or
Pulumi state (RDS generates it into Secrets Manager). The database's security group admits the database port only
from the security groups it is given. For the groups whose members connect (the app instances) this tier also
writes the matching egress rule on the client group, so every rule about that path lives here; a group that is
only admitted (the compliance auditor, which calls the RDS API, never PostgreSQL) gets no egress from it.
Alarms for CPU, storage and memory go to the alert topic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from components.alarms import metric_alarm
from components.roles import role_policy, service_role
from config_limits import min_max_allocated_storage_gb
from conventions import (
    MIN_AZ_COUNT,
    MIN_BACKUP_RETENTION_DAYS,
    RESERVED_DB_USERNAMES,
    SUPPORTED_POSTGRES_MAJOR_VERSIONS,
)

ENGINE = "postgres"
# UTC; the backup window ends an hour before the maintenance window opens, so they never overlap.
BACKUP_WINDOW = "03:00-04:00"
MAINTENANCE_WINDOW = "sun:05:00-sun:06:00"
MONITORING_INTERVAL_SECONDS = 60
PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7  # the free tier
LOG_EXPORTS = ("postgresql", "upgrade")
# An RDS DB identifier: a letter, then letters, digits and single hyphens, at most 63 characters.
_IDENTIFIER = re.compile(r"^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$")


@dataclass(kw_only=True)
class DatabaseNetworkArgs:
    """Where the database lives, its port, and the only security groups that may reach it."""

    vpc_id: pulumi.Input[str]
    data_subnet_ids: Sequence[pulumi.Input[str]]
    """Isolated subnets (no route to the internet) in at least two AZs."""
    port: int
    connecting_security_group_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Groups whose members connect to the database, keyed by a stable client name ("app"): the database's group
    admits each, and this tier writes the matching egress (the database port to the database's group) on it.
    The name, not the list position, names the rule resources, so adding a client never replaces another's."""
    admitted_security_group_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Groups the database's group admits without this tier touching their egress, keyed by a stable name
    ("auditor"): their own tier decides what they may send. Together with connecting_security_group_ids, the
    only groups that may reach the database."""


@dataclass(kw_only=True)
class DatabaseEngineArgs:
    """The PostgreSQL instance itself: version, size, storage and its first database."""

    engine_version: str
    """The PostgreSQL major version only ("16"): RDS picks the current minor and keeps it current."""
    instance_class: str
    allocated_storage_gb: int
    max_allocated_storage_gb: int
    """Storage autoscaling's ceiling; above allocated_storage_gb."""
    master_username: str
    """A custom administrator name (FSBP RDS.25): none of conventions.RESERVED_DB_USERNAMES."""
    db_name: str


@dataclass(kw_only=True)
class DatabaseArgs:
    """What the database tier needs from the rest of the stack, plus its own settings."""

    identifier: str
    """The DB instance identifier (unique per account and region), e.g. "secure-aws-prod-db". Fixed rather
    than auto-named so the log groups RDS exports to can be created, encrypted, before the instance."""
    network: DatabaseNetworkArgs
    engine: DatabaseEngineArgs
    kms_key_arn: pulumi.Input[str]
    alert_topic_arn: pulumi.Input[str]
    backup_retention_days: int
    log_retention_days: int
    is_production: bool
    """Deletion protection, a final snapshot, retained automated backups and `protect`."""


def validate_database_args(args: DatabaseArgs) -> None:
    """Refuses args that would build an insecure or broken database. Exported for testing."""
    if not _IDENTIFIER.match(args.identifier):
        raise ValueError(f"Database: {args.identifier!r} is not a valid RDS DB identifier")
    if args.engine.engine_version not in SUPPORTED_POSTGRES_MAJOR_VERSIONS:
        raise ValueError(
            f"Database: PostgreSQL {args.engine.engine_version} is not a supported major version (give "
            f"{' or '.join(SUPPORTED_POSTGRES_MAJOR_VERSIONS)}: with automatic minor upgrades a pinned minor version "
            "would be rolled back on the next update)"
        )
    if args.backup_retention_days < MIN_BACKUP_RETENTION_DAYS:
        raise ValueError(f"Database: backup retention must be at least {MIN_BACKUP_RETENTION_DAYS} days")
    if args.engine.max_allocated_storage_gb < min_max_allocated_storage_gb(args.engine.allocated_storage_gb):
        # RDS refuses a storage autoscaling ceiling less than 10 % above the allocated storage (config_limits.py).
        raise ValueError(
            "Database: max_allocated_storage_gb must be at least 10 % above allocated_storage_gb "
            f"({min_max_allocated_storage_gb(args.engine.allocated_storage_gb)} for {args.engine.allocated_storage_gb})"
        )
    if len(args.network.data_subnet_ids) < MIN_AZ_COUNT:
        raise ValueError(f"Database: Multi-AZ needs data subnets in at least {MIN_AZ_COUNT} AZs")
    for field_name in ("connecting_security_group_ids", "admitted_security_group_ids"):
        if not isinstance(getattr(args.network, field_name), Mapping):
            raise TypeError(f"Database: {field_name} maps a client name to its security group id")
    both = set(args.network.connecting_security_group_ids) & set(args.network.admitted_security_group_ids)
    if both:
        raise ValueError(f"Database: {', '.join(sorted(both))} is both a connecting and an admitted client")
    if args.engine.master_username.lower() in RESERVED_DB_USERNAMES:
        raise ValueError(
            f"Database: {args.engine.master_username!r} is reserved or guessable; use a custom master user name"
        )


class Database(pulumi.ComponentResource):
    """Multi-AZ, encrypted, TLS-only PostgreSQL with an RDS-managed master secret."""

    endpoint: pulumi.Output[str]
    """The instance's host name (without the port)."""
    port: pulumi.Output[int]
    master_user_secret_arn: pulumi.Output[str]
    """The Secrets Manager secret RDS keeps the master credentials in; never the password itself."""
    security_group_id: pulumi.Output[str]

    def __init__(self, name: str, args: DatabaseArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_database_args(args)  # before registering anything: a bad arg leaves nothing half-built
        super().__init__("secure-aws:database:Database", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)

        self.security_group = self._create_security_group()
        self._create_client_rules()
        subnet_group = aws.rds.SubnetGroup(
            f"{name}-subnet-group",
            description="Isolated data subnets of the database",
            subnet_ids=list(args.network.data_subnet_ids),
            opts=self._child,
        )
        parameter_group = self._create_parameter_group()
        monitoring_role = self._create_monitoring_role()
        log_groups = self._create_log_groups()
        self.instance = self._create_instance(subnet_group, parameter_group, monitoring_role, log_groups)
        self._create_alarms()

        self.endpoint = self.instance.address
        self.port = self.instance.port
        self.master_user_secret_arn = self.instance.master_user_secrets.apply(
            lambda secrets: secrets[0].secret_arn if secrets else None
        )
        self.security_group_id = self.security_group.id
        self.register_outputs(
            {
                "endpoint": self.endpoint,
                "port": self.port,
                "master_user_secret_arn": self.master_user_secret_arn,
                "security_group_id": self.security_group_id,
            }
        )

    # Section: network access ---------------------------------------------------------------------------------

    def _create_security_group(self) -> aws.ec2.SecurityGroup:
        # No rules at all besides the per-client ingress below: no egress is needed, since security groups are
        # stateful and answers to admitted connections flow back anyway.
        return aws.ec2.SecurityGroup(
            f"{self._name}-sg",
            name_prefix=f"{self._name}-",
            description="PostgreSQL: the database port from the app and auditor security groups only",
            vpc_id=self._args.network.vpc_id,
            opts=self._child,
        )

    def _create_client_rules(self) -> None:
        # Connecting clients: the database tier owns both halves of the path, the ingress on its own group and
        # the egress on the client's, so removing a client here removes its access in both directions and no
        # other tier needs to know the database's port or group. Admitted clients: the ingress only.
        port = self._args.network.port
        admitted = {
            **self._args.network.connecting_security_group_ids,
            **self._args.network.admitted_security_group_ids,
        }
        for client, client_group_id in admitted.items():
            aws.vpc.SecurityGroupIngressRule(
                f"{self._name}-from-{client}",
                security_group_id=self.security_group.id,
                description=f"PostgreSQL from the {client} security group",
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                referenced_security_group_id=client_group_id,
                opts=self._child,
            )
        for client, client_group_id in self._args.network.connecting_security_group_ids.items():
            aws.vpc.SecurityGroupEgressRule(
                f"{self._name}-{client}-egress",
                security_group_id=client_group_id,
                description="PostgreSQL to the database security group",
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                referenced_security_group_id=self.security_group.id,
                opts=self._child,
            )

    # Section: instance ---------------------------------------------------------------------------------------

    def _create_parameter_group(self) -> aws.rds.ParameterGroup:
        major = self._args.engine.engine_version
        # Each parameter with the apply method RDS reports back for it, or the group never converges: the
        # provider compares the declared method with the one DescribeDBParameters returns. On postgres16/17,
        # rds.force_ssl set with "immediate" reads back as "pending-reboot", a diff on every preview that no
        # apply or reboot settles (hashicorp/terraform-provider-aws#39252, "State for aws_db_parameter_group was
        # not updated"; the provider's parameter_group.go stores the API's ApplyMethod). "pending-reboot" costs
        # nothing here: the group is attached when the instance is created, and PostgreSQL 15 and later already
        # default rds.force_ssl to 1 (RDS User Guide, ssl-certificate-rotation-postgresql.html), so TLS is
        # enforced from the first boot. The two logging parameters are dynamic: "immediate", as RDS reports.
        parameters = {
            "rds.force_ssl": ("1", "pending-reboot"),
            "log_connections": ("1", "immediate"),
            "log_disconnections": ("1", "immediate"),
        }
        return aws.rds.ParameterGroup(
            f"{self._name}-params",
            family=f"{ENGINE}{major}",
            description=f"PostgreSQL {major}: TLS only, connections and disconnections logged",
            parameters=[
                aws.rds.ParameterGroupParameterArgs(name=key, value=value, apply_method=method)
                for key, (value, method) in parameters.items()
            ],
            opts=self._child,
        )

    def _final_snapshot_identifier(self) -> pulumi.Output[str] | None:
        """Production's final snapshot name, unique per deployment of the stack, or None outside production.

        A fixed "<identifier>-final" collides on the second deletion after a rebuild (the first deletion's
        snapshot is still there, and RDS refuses DeleteDBInstance with DBSnapshotAlreadyExists). The random
        suffix lives in state, so it is stable for the life of a deployment and new after a rebuild.
        """
        if not self._args.is_production:
            return None
        suffix = random.RandomId(
            f"{self._name}-final-snapshot-suffix",
            byte_length=4,
            keepers={"identifier": self._args.identifier},
            opts=self._child,
        )
        return pulumi.Output.concat(self._args.identifier, "-final-", suffix.hex)

    def _create_monitoring_role(self) -> aws.iam.Role:
        role = service_role(
            self,
            f"{self._name}-monitoring-role",
            service="monitoring.rds.amazonaws.com",
            description="RDS enhanced monitoring: writes OS metrics to the RDSOSMetrics log group only",
        )
        # The statements of AWS's AmazonRDSEnhancedMonitoringRole, narrowed from every account and region and
        # every RDS* group to the one RDSOSMetrics log group of this account and region.
        identity = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self))
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self))
        log_group = pulumi.Output.concat(
            "arn:aws:logs:", region.region, ":", identity.account_id, ":log-group:RDSOSMetrics"
        )
        self._monitoring_policy = role_policy(
            self,
            f"{self._name}-monitoring-policy",
            role,
            [
                aws.iam.GetPolicyDocumentStatementArgs(
                    sid="ManageTheEnhancedMonitoringLogGroup",
                    actions=["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
                    resources=[log_group],
                ),
                aws.iam.GetPolicyDocumentStatementArgs(
                    sid="WriteEnhancedMonitoringStreams",
                    actions=[
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                        "logs:DescribeLogStreams",
                        "logs:GetLogEvents",
                    ],
                    resources=[pulumi.Output.concat(log_group, ":log-stream:*")],
                ),
            ],
        )
        return role

    def _create_log_groups(self) -> list[aws.cloudwatch.LogGroup]:
        # RDS would create these itself, unencrypted and never expiring; created first, they carry our key and
        # the stack's retention. The names are the ones RDS writes to.
        return [
            aws.cloudwatch.LogGroup(
                f"{self._name}-{kind}-logs",
                name=f"/aws/rds/instance/{self._args.identifier}/{kind}",
                kms_key_id=self._args.kms_key_arn,
                retention_in_days=self._args.log_retention_days,
                deletion_protection_enabled=self._args.is_production,
                opts=pulumi.ResourceOptions(parent=self, protect=self._args.is_production),
            )
            for kind in LOG_EXPORTS
        ]

    def _create_instance(
        self,
        subnet_group: aws.rds.SubnetGroup,
        parameter_group: aws.rds.ParameterGroup,
        monitoring_role: aws.iam.Role,
        log_groups: list[aws.cloudwatch.LogGroup],
    ) -> aws.rds.Instance:
        args, is_production = self._args, self._args.is_production
        return aws.rds.Instance(
            f"{self._name}-instance",
            identifier=args.identifier,
            engine=ENGINE,
            # The major version only: RDS picks the current minor and auto_minor_version_upgrade keeps it current.
            engine_version=args.engine.engine_version,
            allow_major_version_upgrade=False,
            auto_minor_version_upgrade=True,
            instance_class=args.engine.instance_class,
            db_name=args.engine.db_name,
            port=args.network.port,
            username=args.engine.master_username,
            # RDS generates the password into a Secrets Manager secret encrypted with our key: it never appears
            # in config, code or state, and RDS rotates it.
            manage_master_user_password=True,
            master_user_secret_kms_key_id=args.kms_key_arn,
            iam_database_authentication_enabled=True,
            multi_az=True,
            db_subnet_group_name=subnet_group.name,
            vpc_security_group_ids=[self.security_group.id],
            publicly_accessible=False,
            parameter_group_name=parameter_group.name,
            storage_type="gp3",
            allocated_storage=args.engine.allocated_storage_gb,
            max_allocated_storage=args.engine.max_allocated_storage_gb,
            storage_encrypted=True,
            kms_key_id=args.kms_key_arn,
            backup_retention_period=args.backup_retention_days,
            backup_window=BACKUP_WINDOW,
            maintenance_window=MAINTENANCE_WINDOW,
            copy_tags_to_snapshot=True,
            # Production keeps its automated backups after a deletion and takes a final snapshot.
            delete_automated_backups=not is_production,
            deletion_protection=is_production,
            skip_final_snapshot=not is_production,
            final_snapshot_identifier=self._final_snapshot_identifier(),
            enabled_cloudwatch_logs_exports=list(LOG_EXPORTS),
            performance_insights_enabled=True,
            performance_insights_kms_key_id=args.kms_key_arn,
            performance_insights_retention_period=PERFORMANCE_INSIGHTS_RETENTION_DAYS,
            monitoring_interval=MONITORING_INTERVAL_SECONDS,
            monitoring_role_arn=monitoring_role.arn,
            # Changes wait for the maintenance window instead of restarting the database mid-day.
            apply_immediately=False,
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=is_production,
                # RDS checks the role's permissions on create, and must find the log groups already there.
                depends_on=[self._monitoring_policy, *log_groups],
            ),
        )

    # Section: alarms -----------------------------------------------------------------------------------------

    def _create_alarms(self) -> None:
        dimensions = {"DBInstanceIdentifier": self.instance.identifier}
        ten_percent_of_storage = self._args.engine.allocated_storage_gb * 1024**3 // 10
        for role, metric, operator, threshold, description in (
            ("cpu-high", "CPUUtilization", "GreaterThanThreshold", 80, "CPU above 80% for 15 minutes"),
            (
                "storage-low",
                "FreeStorageSpace",
                "LessThanThreshold",
                ten_percent_of_storage,
                "free storage below 10% of the allocated storage for 15 minutes",
            ),
            (
                "memory-low",
                "FreeableMemory",
                "LessThanThreshold",
                256 * 1024**2,
                "freeable memory below 256 MiB for 15 minutes",
            ),
        ):
            metric_alarm(
                self,
                f"{self._name}-{role}",
                description=f"Database: {description}",
                namespace="AWS/RDS",
                metric_name=metric,
                dimensions=dimensions,
                statistic="Average",
                comparison_operator=operator,
                threshold=threshold,
                period=300,
                evaluation_periods=3,
                # A database that stops reporting is itself worth an alarm.
                treat_missing_data="breaching",
                topic_arn=self._args.alert_topic_arn,
                notify_ok=True,
            )
