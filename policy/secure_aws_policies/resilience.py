"""Resilience and data protection: RDS that survives an AZ, a mistake and a leaked password; S3 buckets that keep
versions, block public access, refuse ACLs and age their objects out; Auto Scaling groups across AZs behind ELB
health checks; IMDSv2 everywhere; load balancers that cannot be deleted by accident.

The S3 rules join each bucket to its `BucketVersioning`, `BucketPublicAccessBlock`, `BucketOwnershipControls` and
`BucketLifecycleConfiguration` through property dependencies (their `bucket` is an unknown id at preview).
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .common import (
    CDK_NAG,
    EC2_INSTANCE,
    FSBP,
    LAUNCH_CONFIGURATION,
    LAUNCH_TEMPLATE,
    LOAD_BALANCERS,
    PROJECT,
    RDS_CLUSTER,
    RDS_INSTANCE,
    S3_BUCKETS,
    SECURITY_HUB,
    SUBNET,
    UNKNOWN,
    Deferred,
    as_int,
    falsy,
    has,
    is_set,
    items,
    linked_to,
    peek,
    resource_policy,
    stack_policy,
    truthy,
    value,
)

BUCKET_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
BUCKET_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl"
BUCKET_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
AUTOSCALING_GROUP = "aws:autoscaling/group:Group"
CLASSIC_LOAD_BALANCER = "aws:elb/loadBalancer:LoadBalancer"
PUBLIC_ACCESS_SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _not_for_replicas(args: Any) -> None:
    if is_set(args.props, "replicateSourceDb"):
        args.not_applicable("a read replica follows its source instance for this setting")


# Section: RDS #############################################################################################


@resource_policy(
    name="rds-multi-az",
    description="RDS DB instances run Multi-AZ, with a standby in another Availability Zone.",
    types=[RDS_INSTANCE],
    severity=Severity.MEDIUM,
    controls=[FSBP("RDS.5"), CDK_NAG("AwsSolutions-RDS3")],
    remediation="Set multi_az=True (RDS keeps a synchronous standby in another AZ and fails over to it).",
)
def rds_multi_az(args: Any, report: Any, config: dict) -> None:
    if not truthy(value(args.props, "multiAz", False)):
        report(f"database {args.name} is single-AZ: an Availability Zone outage takes it down.")


@resource_policy(
    name="rds-backup-retention",
    description="RDS DB instances keep automated backups at least the configured number of days (default 7).",
    types=[RDS_INSTANCE],
    severity=Severity.MEDIUM,
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
    controls=[FSBP("RDS.8"), FSBP("RDS.7"), CDK_NAG("AwsSolutions-RDS10")],
    remediation="Set deletion_protection=True (and protect=True in production).",
)
def rds_deletion_protection(args: Any, report: Any, config: dict) -> None:
    if not truthy(value(args.props, "deletionProtection", False)):
        report(f"database {args.name} can be deleted by one API call: deletionProtection is not true.")


@resource_policy(
    name="rds-copy-tags-to-snapshots",
    description="RDS DB instances copy their tags to their snapshots, so snapshots keep their owner and data "
    "classification.",
    types=[RDS_INSTANCE],
    severity=Severity.LOW,
    controls=[FSBP("RDS.17")],
    remediation="Set copy_tags_to_snapshot=True.",
)
def rds_copy_tags_to_snapshots(args: Any, report: Any, config: dict) -> None:
    if not truthy(value(args.props, "copyTagsToSnapshot", False)):
        report(f"database {args.name} does not copy its tags to snapshots.")


@resource_policy(
    name="rds-auto-minor-version-upgrade",
    description="RDS DB instances take automatic minor engine upgrades (security patches); the API default is on.",
    types=[RDS_INSTANCE],
    severity=Severity.HIGH,
    controls=[FSBP("RDS.13")],
    remediation="Leave auto_minor_version_upgrade unset or set it to True.",
)
def rds_auto_minor_version_upgrade(args: Any, report: Any, config: dict) -> None:
    if falsy(value(args.props, "autoMinorVersionUpgrade")):
        report(f"database {args.name} does not take automatic minor upgrades, so engine security fixes wait.")


@resource_policy(
    name="rds-iam-authentication",
    description="RDS DB instances accept IAM database authentication, so applications can use short-lived tokens "
    "instead of stored passwords.",
    types=[RDS_INSTANCE],
    severity=Severity.MEDIUM,
    controls=[FSBP("RDS.10")],
    remediation="Set iam_database_authentication_enabled=True.",
)
def rds_iam_authentication(args: Any, report: Any, config: dict) -> None:
    if not truthy(value(args.props, "iamDatabaseAuthenticationEnabled", False)):
        report(f"database {args.name} does not accept IAM authentication.")


@resource_policy(
    name="rds-master-password-managed",
    description="RDS master credentials are not passed in by the program: a `password` (or `passwordWo`, "
    "`masterPassword`) input is refused; RDS-managed master passwords in Secrets Manager "
    "(manage_master_user_password) pass.",
    types=[RDS_INSTANCE, RDS_CLUSTER],
    severity=Severity.HIGH,
    controls=[PROJECT("no-credentials-in-config")],
    remediation="Remove the password input and set manage_master_user_password=True with "
    "master_user_secret_kms_key_id=<our key>; RDS then keeps and rotates the password in Secrets Manager.",
)
def rds_master_password_managed(args: Any, report: Any, config: dict) -> None:
    # Only presence matters: a secret or unknown password is still a password the program handles.
    for key in ("password", "passwordWo", "masterPassword", "masterPasswordWo"):
        if has(args.props, key) and peek(args.props, key) not in (None, ""):
            report(f"database {args.name} is given its master password through `{key}`, so it lives in the "
                   "program's config (and state); use manage_master_user_password instead.")  # fmt: skip


DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306, "mariadb": 3306, "oracle": 1521, "sqlserver": 1433}


@resource_policy(
    name="rds-non-default-port",
    description="RDS DB instances listen on a port other than their engine's default (5432 for PostgreSQL, 3306 for "
    "MySQL/MariaDB, 1521 for Oracle, 1433 for SQL Server), which turns away scripted scans of the default port.",
    types=[RDS_INSTANCE],
    severity=Severity.LOW,
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


# Section: S3 ##############################################################################################


def _buckets(args: Any) -> list[Any]:
    return [r for r in args.resources if r.resource_type in S3_BUCKETS]


@stack_policy(
    name="s3-bucket-versioning",
    description="Every S3 bucket has versioning enabled (a BucketVersioning with status Enabled linked to it), so an "
    "overwritten or deleted object can be recovered.",
    types=[*sorted(S3_BUCKETS), BUCKET_VERSIONING],
    severity=Severity.LOW,
    controls=[SECURITY_HUB("S3.14")],
    remediation="Add an aws.s3.BucketVersioning with bucket=<bucket>.id and versioning_configuration={status: "
    "'Enabled'}.",
)
def s3_bucket_versioning(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    versionings = linked_to(args.resources, BUCKET_VERSIONING, "bucket")
    for bucket in _buckets(args):
        with deferred.guard():
            statuses = [value(value(v.props, "versioningConfiguration") or {}, "status") for v in
                        versionings.get(bucket.urn, [])]  # fmt: skip
            # The bucket's own `versioning` is a computed output at AnalyzeStack (unknown at a first preview):
            # read it only when no linked BucketVersioning already enables versioning.
            if "Enabled" not in statuses and truthy(value(value(bucket.props, "versioning") or {}, "enabled")):
                statuses.append("Enabled")
            if "Enabled" not in statuses:
                found = f" (status {', '.join(map(str, statuses))})" if statuses else ""
                report(f"bucket {bucket.name} has no versioning enabled{found}.", bucket.urn)
    deferred.finish()


@stack_policy(
    name="s3-bucket-public-access-blocked",
    description="Every S3 bucket has a BucketPublicAccessBlock with all four settings true (block and ignore public "
    "ACLs, block and restrict public policies).",
    types=[*sorted(S3_BUCKETS), BUCKET_PUBLIC_ACCESS_BLOCK],
    severity=Severity.HIGH,
    controls=[FSBP("S3.8"), FSBP("S3.2"), FSBP("S3.3"), CDK_NAG("AwsSolutions-S2")],
    remediation="Add an aws.s3.BucketPublicAccessBlock with bucket=<bucket>.id and block_public_acls, "
    "block_public_policy, ignore_public_acls and restrict_public_buckets all True.",
)
def s3_bucket_public_access_blocked(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    blocks = linked_to(args.resources, BUCKET_PUBLIC_ACCESS_BLOCK, "bucket")
    for bucket in _buckets(args):
        linked = blocks.get(bucket.urn, [])
        if not linked:
            report(f"bucket {bucket.name} has no BucketPublicAccessBlock.", bucket.urn)
            continue
        with deferred.guard():
            best = max(linked, key=lambda b: sum(truthy(value(b.props, k)) for k in PUBLIC_ACCESS_SETTINGS))
            missing = [k for k in PUBLIC_ACCESS_SETTINGS if not truthy(value(best.props, k))]
            if missing:
                report(f"bucket {bucket.name}: {best.name} leaves {', '.join(missing)} off.", bucket.urn)
    deferred.finish()


@stack_policy(
    name="s3-bucket-ownership-enforced",
    description="Every S3 bucket declares object ownership BucketOwnerEnforced (ACLs disabled, the bucket owner owns "
    "every object), and no ACL is granted on it.",
    types=[*sorted(S3_BUCKETS), BUCKET_OWNERSHIP_CONTROLS, BUCKET_ACL],
    severity=Severity.MEDIUM,
    controls=[FSBP("S3.12")],
    remediation="Add an aws.s3.BucketOwnershipControls with bucket=<bucket>.id and rule={object_ownership: "
    "'BucketOwnerEnforced'}; grant access with policies, not ACLs.",
)
def s3_bucket_ownership_enforced(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    controls = linked_to(args.resources, BUCKET_OWNERSHIP_CONTROLS, "bucket")
    acls = linked_to(args.resources, BUCKET_ACL, "bucket")
    for bucket in _buckets(args):
        with deferred.guard():
            settings = [value(value(c.props, "rule") or {}, "objectOwnership") for c in controls.get(bucket.urn, [])]
            if "BucketOwnerEnforced" not in settings:
                found = f"object ownership {', '.join(map(str, settings))}" if settings else "no ownership controls"
                report(f"bucket {bucket.name} has {found}, so ACLs can still grant access; declare "
                       "BucketOwnerEnforced.", bucket.urn)  # fmt: skip
            for acl in acls.get(bucket.urn, []):
                report(f"bucket {bucket.name} is given an ACL by {acl.name}; use bucket policies.", bucket.urn)
            # The bucket's own `acl` and `grants` are computed outputs at AnalyzeStack: unknown at a first preview
            # (not judged then: the ownership control above already decides), and after `pulumi up` `grants` holds
            # the owner's own FULL_CONTROL grant, which every bucket has.
            acl, grants = peek(bucket.props, "acl"), peek(bucket.props, "grants")
            granted = [] if grants is UNKNOWN else [g for g in items(grants) if not _owner_grant(g)]
            if acl not in (None, "", "private", UNKNOWN) or granted:
                report(f"bucket {bucket.name} sets an ACL or grants inline; use bucket policies.", bucket.urn)
    deferred.finish()


def _owner_grant(grant: Any) -> bool:
    """A canonical-user FULL_CONTROL grant without a group URI: the bucket owner's, present on every bucket."""
    permissions = {str(p) for p in items(value(grant, "permissions"))}
    return value(grant, "type") == "CanonicalUser" and not is_set(grant, "uri") and permissions == {"FULL_CONTROL"}


@stack_policy(
    name="s3-bucket-lifecycle",
    description="Every S3 bucket has a lifecycle configuration with at least one enabled rule (objects and old "
    "versions age out instead of accumulating forever).",
    types=[*sorted(S3_BUCKETS), BUCKET_LIFECYCLE],
    severity=Severity.LOW,
    controls=[FSBP("S3.13")],
    remediation="Add an aws.s3.BucketLifecycleConfiguration with bucket=<bucket>.id and rules (expire noncurrent "
    "versions, abort incomplete multipart uploads, transition or expire old objects).",
)
def s3_bucket_lifecycle(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    lifecycles = linked_to(args.resources, BUCKET_LIFECYCLE, "bucket")
    for bucket in _buckets(args):
        with deferred.guard():
            rules = [rule for c in lifecycles.get(bucket.urn, []) for rule in items(value(c.props, "rules", []))]
            # As for versioning, the bucket's own `lifecycleRules` (a computed output) count only when needed.
            if not any(value(r, "status") == "Enabled" for r in rules) and not any(
                truthy(value(r, "enabled")) for r in items(value(bucket.props, "lifecycleRules"))
            ):
                report(f"bucket {bucket.name} has no enabled lifecycle rule.", bucket.urn)
    deferred.finish()


# Section: Auto Scaling and instances ######################################################################


@stack_policy(
    name="autoscaling-group-multi-az",
    description="Auto Scaling groups span at least two Availability Zones: their subnets (joined through "
    "vpcZoneIdentifiers) lie in two or more AZs, or they name two or more availabilityZones.",
    types=[AUTOSCALING_GROUP, SUBNET],
    severity=Severity.MEDIUM,
    controls=[FSBP("AutoScaling.2")],
    remediation="Pass vpc_zone_identifiers=[<a private subnet in each of at least two AZs>].",
    config={
        "minAvailabilityZones": {
            "type": "integer",
            "minimum": 2,
            "default": 2,
            "description": "The fewest Availability Zones a group must span.",
        },
    },
)
def autoscaling_group_multi_az(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    subnets = {r.urn: r for r in args.resources if r.resource_type == SUBNET}
    minimum = int(config["minAvailabilityZones"])
    for group in (r for r in args.resources if r.resource_type == AUTOSCALING_GROUP):
        with deferred.guard():
            zones = {str(z) for z in items(value(group.props, "availabilityZones", []))}
            linked = [subnets[d.urn] for d in group.property_dependencies.get("vpcZoneIdentifiers", [])
                      if d.urn in subnets]  # fmt: skip
            for subnet in linked:
                zone = peek(subnet.props, "availabilityZone")
                if zone is UNKNOWN or zone is None:
                    zone = value(subnet.props, "availabilityZoneId")
                zones.add(str(zone))
            if not linked and not zones:
                # Subnet ids from outside the stack: their AZs are unknown, count the subnets at least.
                count = len(items(peek(group.props, "vpcZoneIdentifiers", []) or []))
                if count < minimum:
                    report(f"Auto Scaling group {group.name} uses {count} subnet(s); it needs subnets in at least "
                           f"{minimum} Availability Zones.", group.urn)  # fmt: skip
                continue
            if len(zones) < minimum:
                report(f"Auto Scaling group {group.name} spans {len(zones)} Availability Zone(s) "
                       f"({', '.join(sorted(zones))}); at least {minimum} are required.", group.urn)  # fmt: skip
    deferred.finish()


@resource_policy(
    name="autoscaling-group-elb-health-check",
    description="Auto Scaling groups behind a load balancer use its health checks (health check type ELB), so an "
    "instance that stops serving is replaced, not only one that stops running.",
    types=[AUTOSCALING_GROUP],
    severity=Severity.LOW,
    controls=[FSBP("AutoScaling.1"), CDK_NAG("AwsSolutions-AS2")],
    remediation="Set health_check_type='ELB' and a health_check_grace_period on the group.",
)
def autoscaling_group_elb_health_check(args: Any, report: Any, config: dict) -> None:
    props = args.props
    if not any(is_set(props, key) for key in ("targetGroupArns", "loadBalancers", "trafficSources")):
        args.not_applicable("the group is not attached to a load balancer")
    kinds = {k.strip().upper() for k in str(value(props, "healthCheckType", "EC2")).split(",")}
    if "ELB" not in kinds:
        report(f"Auto Scaling group {args.name} is behind a load balancer but uses {', '.join(sorted(kinds))} "
               "health checks.")  # fmt: skip


@resource_policy(
    name="imdsv2-required",
    description="Instances, launch templates and launch configurations require IMDSv2 (session tokens), or turn "
    "the metadata endpoint off.",
    types=[EC2_INSTANCE, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION],
    severity=Severity.HIGH,
    controls=[FSBP("EC2.8"), FSBP("EC2.170"), FSBP("AutoScaling.3"), CDK_NAG("NIST.800.53.R5-EC2IMDSv2Enabled")],
    remediation="Set metadata_options={http_tokens: 'required', http_endpoint: 'enabled', "
    "http_put_response_hop_limit: 1}.",
)
def imdsv2_required(args: Any, report: Any, config: dict) -> None:
    if (
        args.resource_type == EC2_INSTANCE
        and not has(args.props, "metadataOptions")
        and is_set(args.props, "launchTemplate")
    ):
        args.not_applicable("the instance takes its metadata options from its launch template, judged on its own")
    options = value(args.props, "metadataOptions") or {}
    if value(options, "httpEndpoint", "enabled") == "disabled":
        return
    tokens = value(options, "httpTokens")
    if tokens != "required":
        why = "does not set httpTokens" if tokens is None else f"sets httpTokens={tokens!r}"
        report(f"{args.name} {why}, so IMDSv1 stays on and an SSRF can read the instance role's credentials.")


@resource_policy(
    name="lb-deletion-protection",
    description="Application, network and gateway load balancers have deletion protection.",
    types=LOAD_BALANCERS - {CLASSIC_LOAD_BALANCER},
    severity=Severity.MEDIUM,
    controls=[FSBP("ELB.6")],
    remediation="Set enable_deletion_protection=True.",
)
def lb_deletion_protection(args: Any, report: Any, config: dict) -> None:
    if not truthy(value(args.props, "enableDeletionProtection", False)):
        report(f"load balancer {args.name} can be deleted by one API call: enableDeletionProtection is not true.")


POLICIES = [
    rds_multi_az,
    rds_backup_retention,
    rds_deletion_protection,
    rds_copy_tags_to_snapshots,
    rds_auto_minor_version_upgrade,
    rds_iam_authentication,
    rds_master_password_managed,
    rds_non_default_port,
    s3_bucket_versioning,
    s3_bucket_public_access_blocked,
    s3_bucket_ownership_enforced,
    s3_bucket_lifecycle,
    autoscaling_group_multi_az,
    autoscaling_group_elb_health_check,
    imdsv2_required,
    lb_deletion_protection,
]
