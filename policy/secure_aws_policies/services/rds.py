"""RDS: databases encrypted with our key, forcing TLS, private, logged and monitored, Multi-AZ with backups and
deletion protection, patched, and never handed a master password by the program.

`rds-postgres-forces-ssl` joins each instance to its parameter group through the engine's property dependencies
(the group's name is an unknown output at a first preview when the program creates it).
"""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import Severity

from ..accounts import guarded_accounts
from ..keys import report_key
from ..props import Deferred, as_int, falsy, has, is_set, items, peek, truthy, value
from ..registry import CDK_NAG, FSBP, PROJECT, SECURITY_HUB, Category, resource_policy, stack_policy
from ..types import (
    RDS_CLUSTER,
    RDS_CLUSTER_INSTANCE,
    RDS_CLUSTER_PARAMETER_GROUP,
    RDS_INSTANCE,
    RDS_PARAMETER_GROUP,
    RDS_SNAPSHOTS,
)
from .ec2 import SHARING_CONFIG, shared_outside
from .s3 import PRODUCTION_CONFIG


# replicate_source_db left out: not a replica (no default to judge); replicas of sources outside the stack
# are judged in rds_replicas.py.
def _not_for_replicas(args: Any) -> None:
    if is_set(args.props, "replicateSourceDb"):
        args.not_applicable("a read replica follows its source instance for this setting")


@resource_policy(
    name="rds-storage-encrypted-with-cmk",
    description="RDS DB instances and clusters encrypt their storage with our customer-managed KMS key.",
    types=[RDS_INSTANCE, RDS_CLUSTER],
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    controls=[FSBP("RDS.3"), FSBP("RDS.27"), CDK_NAG("AwsSolutions-RDS2")],
    remediation="Set storage_encrypted=True and kms_key_id=<our key ARN> (encryption cannot be added to an "
    "existing instance: restore an encrypted snapshot copy).",
)
def rds_storage_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if is_set(args.props, "replicateSourceDb"):
        args.not_applicable("a read replica inherits its source instance's encryption")
    # storage_encrypted: "The default is `false` if not specified" (rds/instance.py); on rds.Cluster "`false` for
    # `provisioned` `engine_mode` and `true` for `serverless`", where AWS then uses aws/rds, not our key, so absent is
    # refused for both.
    if not truthy(value(args.props, "storageEncrypted", False)):
        report(f"{args.name}: storageEncrypted is not true, so the database and its snapshots are stored unencrypted.")
    # kms_key_id left out: the aws/rds AWS managed key.
    report_key(args, report, "kmsKeyId", "database")


@resource_policy(
    name="rds-performance-insights-encrypted-with-cmk",
    description="RDS Performance Insights, when enabled, encrypts its data with our customer-managed KMS key.",
    types=[RDS_INSTANCE, RDS_CLUSTER, RDS_CLUSTER_INSTANCE],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set performance_insights_kms_key_id=<our key ARN> wherever performance_insights_enabled=True.",
)
def rds_performance_insights_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    """Performance Insights keeps query texts, which can carry data; it defaults to the aws/rds key."""
    if truthy(value(args.props, "performanceInsightsEnabled", False)):
        report_key(args, report, "performanceInsightsKmsKeyId", "Performance Insights of")


# RDS for PostgreSQL 15 and later ships default parameter groups with rds.force_ssl=1.
FIRST_POSTGRES_FORCING_SSL_BY_DEFAULT = 15


def _forces_ssl(group: Any) -> bool:
    # parameters left out: the family's defaults (see each engine's note above); a parameter's name and value are
    # required (no default to judge).
    for parameter in items(value(group.props, "parameters", [])):
        if str(value(parameter, "name", "")).lower() == "rds.force_ssl":
            return str(value(parameter, "value", "")).strip() == "1"
    return False


def _major_version(found: Any) -> int | None:
    match = re.match(r"^(\d+)", str(found or ""))
    return int(match.group(1)) if match else None


@stack_policy(
    name="rds-postgres-forces-ssl",
    description="PostgreSQL parameter groups set rds.force_ssl=1, and every RDS for PostgreSQL instance uses such a "
    "group: one in this stack, or the default group of PostgreSQL 15 or later (which forces SSL).",
    types=[RDS_INSTANCE, RDS_PARAMETER_GROUP],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[SECURITY_HUB("RDS.38")],
    remediation="Create an aws.rds.ParameterGroup (family postgresNN) with parameters=[{name: 'rds.force_ssl', "
    "value: '1'}] and pass parameter_group_name=<group>.name to the instance.",
)
def rds_postgres_forces_ssl(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    groups = {r.urn: r for r in args.resources if r.resource_type == RDS_PARAMETER_GROUP}
    forcing: dict[str, bool] = {}
    for group in groups.values():
        with deferred.guard():
            if not str(value(group.props, "family", "")).startswith("postgres"):
                continue
            forcing[group.urn] = _forces_ssl(group)
            if not forcing[group.urn]:
                report(
                    f"parameter group {group.name} does not set rds.force_ssl=1, so clients may connect without TLS.",
                    group.urn,
                )
    for instance in (r for r in args.resources if r.resource_type == RDS_INSTANCE):
        with deferred.guard():
            if value(instance.props, "engine") != "postgres":
                continue
            linked = [u.urn for u in instance.property_dependencies.get("parameterGroupName", []) if u.urn in groups]
            if linked:
                if not all(forcing.get(urn, False) for urn in linked):
                    report(f"database {instance.name} uses a parameter group that does not force SSL.", instance.urn)
                continue
            name = value(instance.props, "parameterGroupName")
            version = _major_version(value(instance.props, "engineVersion"))
            default_group = name in (None, "") or str(name).startswith("default.")
            if default_group and version is not None and version >= FIRST_POSTGRES_FORCING_SSL_BY_DEFAULT:
                continue
            which = f"parameter group {name!r}, which is not in this stack" if name else "the default parameter group"
            report(
                f"database {instance.name} uses {which}; it cannot be shown to force SSL (defaults force it "
                f"only from PostgreSQL {FIRST_POSTGRES_FORCING_SSL_BY_DEFAULT}).",
                instance.urn,
            )
    deferred.finish()


# The parameter that refuses unencrypted connections, per engine family prefix, and the values that turn it on.
_TLS_PARAMETER = {
    "mysql": ("require_secure_transport", {"1", "on"}),
    "mariadb": ("require_secure_transport", {"1", "on"}),
    "aurora-mysql": ("require_secure_transport", {"1", "on"}),
    "aurora-postgresql": ("rds.force_ssl", {"1"}),
}
# (resource type, its engine, the input naming its group, the group type) judged here; RDS for PostgreSQL
# instances are rds-postgres-forces-ssl's.
_TLS_JUDGED = {
    RDS_INSTANCE: ("parameterGroupName", RDS_PARAMETER_GROUP, ("mysql", "mariadb")),
    RDS_CLUSTER: ("dbClusterParameterGroupName", RDS_CLUSTER_PARAMETER_GROUP, ("aurora-mysql", "aurora-postgresql")),
}


def _engine_family(found: Any) -> str | None:
    family = str(found or "").lower()
    return next((prefix for prefix in sorted(_TLS_PARAMETER, key=len, reverse=True) if family.startswith(prefix)), None)


def _requires_tls(group: Any, engine: str) -> bool:
    """The group sets the engine's TLS parameter on; with the parameter given twice, every entry must (the worst
    one may be the one RDS keeps)."""
    name, on = _TLS_PARAMETER[engine]
    found = [
        str(value(p, "value", "")).strip().lower()
        for p in items(value(group.props, "parameters", []))
        if str(value(p, "name", "")).lower() == name
    ]
    return bool(found) and all(v in on for v in found)


@stack_policy(
    name="rds-requires-tls",
    description="RDS for MySQL and MariaDB instances and Aurora MySQL/PostgreSQL clusters refuse unencrypted "
    "connections: each uses a parameter group of this stack that sets require_secure_transport=1 (MySQL, "
    "MariaDB, Aurora MySQL) or rds.force_ssl=1 (Aurora PostgreSQL). Their default groups leave TLS optional "
    "(require_secure_transport is OFF by default), and a group outside the stack cannot be shown to require it.",
    types=[RDS_INSTANCE, RDS_CLUSTER, RDS_PARAMETER_GROUP, RDS_CLUSTER_PARAMETER_GROUP],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[PROJECT("encryption-in-transit")],
    remediation="Create an aws.rds.ParameterGroup (aws.rds.ClusterParameterGroup for Aurora) of the engine's family "
    "with parameters=[{name: 'require_secure_transport', value: '1'}] ('rds.force_ssl' for Aurora PostgreSQL) and "
    "pass it as parameter_group_name (db_cluster_parameter_group_name).",
)
def rds_requires_tls(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    groups = {r.urn: r for r in args.resources if r.resource_type in (RDS_PARAMETER_GROUP, RDS_CLUSTER_PARAMETER_GROUP)}
    for database in (r for r in args.resources if r.resource_type in _TLS_JUDGED):
        with deferred.guard():
            group_input, group_type, engines = _TLS_JUDGED[database.resource_type]
            engine = _engine_family(value(database.props, "engine"))
            if engine not in engines:
                continue
            linked = [
                groups[u.urn]
                for u in database.property_dependencies.get(group_input, [])
                if u.urn in groups and groups[u.urn].resource_type == group_type
            ]
            name = _TLS_PARAMETER[engine][0]
            if not linked:
                given = value(database.props, group_input)
                which = f"parameter group {given!r}, which is not in this stack" if given else "its default group"
                report(f"database {database.name} uses {which}, which does not set {name}=1.", database.urn)
            elif not all(_requires_tls(group, engine) for group in linked):
                report(f"database {database.name} uses a parameter group that does not set {name}=1.", database.urn)
    deferred.finish()


@resource_policy(
    name="rds-not-publicly-accessible",
    description="RDS DB instances are not publicly accessible.",
    types=[RDS_INSTANCE, RDS_CLUSTER_INSTANCE],
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    controls=[FSBP("RDS.2")],
    remediation="Set publicly_accessible=False and use a DB subnet group of isolated subnets.",
)
def rds_not_publicly_accessible(args: Any, report: Any, config: dict) -> None:
    # publicly_accessible: "Default is `false`" (rds/instance.py, rds/cluster_instance.py).
    if truthy(value(args.props, "publiclyAccessible", False)):
        report(f"database {args.name} sets publiclyAccessible.")


DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306, "mariadb": 3306, "oracle": 1521, "sqlserver": 1433}


@resource_policy(
    name="rds-non-default-port",
    description="RDS DB instances listen on a port other than their engine's default (5432 for PostgreSQL, 3306 for "
    "MySQL/MariaDB, 1521 for Oracle, 1433 for SQL Server), which turns away scripted scans of the default port.",
    types=[RDS_INSTANCE],
    severity=Severity.LOW,
    category=Category.NETWORK,
    controls=[FSBP("RDS.23"), CDK_NAG("AwsSolutions-RDS11")],
    remediation="Set port to a non-default value (and the security group rule to match), or exempt the instance "
    "with the reason its clients need the default port.",
)
def rds_non_default_port(args: Any, report: Any, config: dict) -> None:
    engine = str(value(args.props, "engine", ""))
    family = next((name for name in DEFAULT_PORTS if engine == name or engine.startswith(name + "-")), None)
    if family is None:
        args.not_applicable(f"no default port known for engine {engine!r}")
    port = value(args.props, "port")
    if as_int(port, DEFAULT_PORTS[family]) == DEFAULT_PORTS[family]:
        report(f"database {args.name} listens on {engine}'s default port {DEFAULT_PORTS[family]}.")


RDS_LOG_EXPORTS = {
    "postgres": ["postgresql", "upgrade"],
    "mysql": ["audit", "error", "general", "slowquery"],
    "mariadb": ["audit", "error", "general", "slowquery"],
}


@resource_policy(
    name="rds-logs-exported",
    description="RDS DB instances publish their engine's logs to CloudWatch Logs (for PostgreSQL: postgresql and "
    "upgrade; engines not configured: at least one log type).",
    types=[RDS_INSTANCE],
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[FSBP("RDS.9"), FSBP("RDS.36")],
    remediation="Set enabled_cloudwatch_logs_exports to the engine's log types, e.g. ['postgresql', 'upgrade'], "
    "and create the /aws/rds/instance/<id>/<type> log groups with KMS and retention first.",
    config={
        "requiredLogExports": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "default": RDS_LOG_EXPORTS,
            "description": "Engine -> the log types its instances must export.",
        },
    },
)
def rds_logs_exported(args: Any, report: Any, config: dict) -> None:
    if is_set(args.props, "replicateSourceDb"):
        args.not_applicable("a read replica's logs follow its own settings only for some engines")
    engine = str(value(args.props, "engine", ""))
    exported = {str(t) for t in items(value(args.props, "enabledCloudwatchLogsExports", []))}
    required = config["requiredLogExports"].get(engine)
    if required is None:
        if not exported:
            report(f"database {args.name} exports no logs to CloudWatch Logs.")
        return
    missing = [t for t in required if t not in exported]
    if missing:
        report(f"database {args.name} does not export {', '.join(missing)} logs to CloudWatch Logs.")


@resource_policy(
    name="rds-enhanced-monitoring",
    description="RDS DB instances have enhanced monitoring (an interval of at most the configured seconds, and a "
    "monitoring role).",
    types=[RDS_INSTANCE],
    severity=Severity.LOW,
    category=Category.LOGGING,
    controls=[FSBP("RDS.6")],
    remediation="Set monitoring_interval=60 (or less) and monitoring_role_arn=<a role trusted by "
    "monitoring.rds.amazonaws.com>.",
    config={
        "maxMonitoringIntervalSeconds": {
            "type": "integer",
            "enum": [1, 5, 10, 15, 30, 60],
            "default": 60,
            "description": "The longest enhanced monitoring interval allowed.",
        },
    },
)
def rds_enhanced_monitoring(args: Any, report: Any, config: dict) -> None:
    # monitoring_interval: "The default is 0" (no enhanced monitoring); monitoring_role_arn has no default and is
    # required by RDS for an interval above 0.
    interval = as_int(value(args.props, "monitoringInterval"))
    maximum = int(config["maxMonitoringIntervalSeconds"])
    if interval <= 0:
        report(f"database {args.name} has no enhanced monitoring (monitoringInterval is 0).")
    elif interval > maximum:
        report(f"database {args.name} samples OS metrics every {interval} s; at most {maximum} s is allowed.")
    if interval > 0 and not is_set(args.props, "monitoringRoleArn"):
        report(f"database {args.name} has a monitoring interval but no monitoringRoleArn.")


@resource_policy(
    name="rds-multi-az",
    description="RDS DB instances run Multi-AZ, with a standby in another Availability Zone.",
    types=[RDS_INSTANCE],
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    controls=[FSBP("RDS.5"), CDK_NAG("AwsSolutions-RDS3")],
    remediation="Set multi_az=True (RDS keeps a synchronous standby in another AZ and fails over to it).",
)
def rds_multi_az(args: Any, report: Any, config: dict) -> None:
    # multi_az left out: single-AZ (the RDS CreateDBInstance default; rds/instance.py states none).
    if not truthy(value(args.props, "multiAz", False)):
        report(f"database {args.name} is single-AZ: an Availability Zone outage takes it down.")


@resource_policy(
    name="rds-backup-retention",
    description="RDS DB instances keep automated backups at least the configured number of days (default 7).",
    types=[RDS_INSTANCE],
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    controls=[FSBP("RDS.11"), CDK_NAG("AwsSolutions-RDS13")],
    remediation="Set backup_retention_period to at least the minimum (7 to 35 days).",
    config={
        "minBackupRetentionDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 35,
            "default": 7,
            "description": "The fewest days of automated backups an instance may keep.",
        },
    },
)
def rds_backup_retention(args: Any, report: Any, config: dict) -> None:
    _not_for_replicas(args)
    # The API's default retention is 1 day.
    days, minimum = as_int(value(args.props, "backupRetentionPeriod"), 1), int(config["minBackupRetentionDays"])
    if days < minimum:
        report(f"database {args.name} keeps {days} day(s) of backups; at least {minimum} are required.")


@resource_policy(
    name="rds-deletion-protection",
    description="RDS DB instances and clusters have deletion protection.",
    types=[RDS_INSTANCE, RDS_CLUSTER],
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    controls=[FSBP("RDS.8"), FSBP("RDS.7"), CDK_NAG("AwsSolutions-RDS10")],
    remediation="Set deletion_protection=True (and protect=True in production).",
)
def rds_deletion_protection(args: Any, report: Any, config: dict) -> None:
    # deletion_protection: "The default is `false`" (rds/instance.py and rds/cluster.py).
    if not truthy(value(args.props, "deletionProtection", False)):
        report(f"database {args.name} can be deleted by one API call: deletionProtection is not true.")


@resource_policy(
    name="rds-copy-tags-to-snapshots",
    description="RDS DB instances copy their tags to their snapshots, so snapshots keep their owner and data "
    "classification.",
    types=[RDS_INSTANCE],
    severity=Severity.LOW,
    category=Category.RESILIENCE,
    controls=[FSBP("RDS.17")],
    remediation="Set copy_tags_to_snapshot=True.",
)
def rds_copy_tags_to_snapshots(args: Any, report: Any, config: dict) -> None:
    # copy_tags_to_snapshot: "Default is `false`" (rds/instance.py).
    if not truthy(value(args.props, "copyTagsToSnapshot", False)):
        report(f"database {args.name} does not copy its tags to snapshots.")


@resource_policy(
    name="rds-auto-minor-version-upgrade",
    description="RDS DB instances take automatic minor engine upgrades (security patches); the API default is on.",
    types=[RDS_INSTANCE],
    severity=Severity.HIGH,
    category=Category.RESILIENCE,
    controls=[FSBP("RDS.13")],
    remediation="Leave auto_minor_version_upgrade unset or set it to True.",
)
def rds_auto_minor_version_upgrade(args: Any, report: Any, config: dict) -> None:
    # auto_minor_version_upgrade: "Defaults to true" (rds/instance.py), so only an explicit false is refused.
    if falsy(value(args.props, "autoMinorVersionUpgrade")):
        report(f"database {args.name} does not take automatic minor upgrades, so engine security fixes wait.")


@resource_policy(
    name="rds-iam-authentication",
    description="RDS DB instances accept IAM database authentication, so applications can use short-lived tokens "
    "instead of stored passwords.",
    types=[RDS_INSTANCE],
    severity=Severity.MEDIUM,
    category=Category.ACCESS,
    controls=[FSBP("RDS.10")],
    remediation="Set iam_database_authentication_enabled=True.",
)
def rds_iam_authentication(args: Any, report: Any, config: dict) -> None:
    # iam_database_authentication_enabled left out: off (the RDS API's default; rds/instance.py states none).
    if not truthy(value(args.props, "iamDatabaseAuthenticationEnabled", False)):
        report(f"database {args.name} does not accept IAM authentication.")


@resource_policy(
    name="rds-master-password-managed",
    description="RDS master credentials are not passed in by the program: a `password` (or `passwordWo`, "
    "`masterPassword`) input is refused; RDS-managed master passwords in Secrets Manager "
    "(manage_master_user_password) pass.",
    types=[RDS_INSTANCE, RDS_CLUSTER],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("no-credentials-in-config")],
    remediation="Remove the password input and set manage_master_user_password=True with "
    "master_user_secret_kms_key_id=<our key>; RDS then keeps and rotates the password in Secrets Manager.",
)
def rds_master_password_managed(args: Any, report: Any, config: dict) -> None:
    # Only presence matters: a secret or unknown password is still a password the program handles.
    for key in ("password", "passwordWo", "masterPassword", "masterPasswordWo"):
        if has(args.props, key) and peek(args.props, key) not in (None, ""):
            report(
                f"database {args.name} is given its master password through `{key}`, so it lives in the "
                "program's config (and state); use manage_master_user_password instead."
            )


@resource_policy(
    name="rds-keeps-final-snapshot-and-backups",
    description="In production (pack config `production`, default true) deleting an RDS DB instance or cluster "
    "leaves its data behind: skip_final_snapshot is not true (pulumi-aws 7 default false: a final snapshot is "
    "taken) and delete_automated_backups is explicitly false (pulumi-aws 7 default TRUE: the automated backups "
    "are removed with the database, so leaving it out is a violation). Read replicas and cluster members are "
    "backed up by their source and are not judged.",
    types=[RDS_INSTANCE, RDS_CLUSTER],
    severity=Severity.HIGH,
    category=Category.RESILIENCE,
    controls=[PROJECT("no-teardown-in-production")],
    remediation="Set skip_final_snapshot=False with a final_snapshot_identifier, and delete_automated_backups=False.",
    config=PRODUCTION_CONFIG,
)
def rds_keeps_final_snapshot_and_backups(args: Any, report: Any, config: dict) -> None:
    if not config["production"]:
        args.not_applicable("the pack config says this stack is not production")
    _not_for_replicas(args)
    if truthy(value(args.props, "skipFinalSnapshot", False)):
        report(f"database {args.name} has skip_final_snapshot=true: deleting it keeps no final snapshot.")
    if not falsy(value(args.props, "deleteAutomatedBackups")):
        report(
            f"database {args.name} deletes its automated backups with it (delete_automated_backups is not "
            "false; pulumi-aws defaults it to true)."
        )


@resource_policy(
    name="rds-snapshot-not-shared",
    description="RDS DB and cluster snapshots (and their copies) are shared only with the guarded accounts (pack "
    "config accountIds and the provider's allowedAccountIds): shared_accounts holds none other, and never 'all' "
    "(public).",
    types=[*sorted(RDS_SNAPSHOTS)],
    severity=Severity.CRITICAL,
    category=Category.ACCESS,
    controls=[FSBP("RDS.1")],
    remediation="Remove shared_accounts, or list only accounts from the pack config accountIds.",
    config=SHARING_CONFIG,
)
def rds_snapshot_not_shared(args: Any, report: Any, config: dict) -> None:
    allowed = sorted(guarded_accounts([args], config["accountIds"]))  # config and the provider
    # shared_accounts left out: the snapshot is shared with no one (no default to judge).
    grantees = items(peek(args.props, "sharedAccounts", []))
    for outside in shared_outside(grantees, allowed):
        public = " (public)" if outside == "all" else ""
        report(f"snapshot {args.name} is shared with {outside}{public}, which is not a guarded account.")
