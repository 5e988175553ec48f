"""S3: buckets encrypted with our key, refusing plain HTTP, logging access, keeping versions, blocking public
access, refusing ACLs and ageing their objects out.

A bucket's settings live in separate resources (`BucketServerSideEncryptionConfiguration`, `BucketPolicy`,
`BucketLogging`, `BucketVersioning`, `BucketPublicAccessBlock`, `BucketOwnershipControls`,
`BucketLifecycleConfiguration`), so these are stack policies that join each bucket to them through the engine's
property dependencies: at a first preview their `bucket` is an unknown id, but the dependency on the bucket's URN
is known.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .. import documents
from ..keys import customer_key_problem
from ..props import UNKNOWN, Deferred, as_int, is_set, items, linked_to, peek, truthy, value
from ..registry import CDK_NAG, FSBP, PROJECT, SECURITY_HUB, Category, resource_policy, stack_policy
from ..types import (
    BUCKET_ACL,
    BUCKET_LIFECYCLE,
    BUCKET_LIFECYCLES,
    BUCKET_LOGGING,
    BUCKET_OWNERSHIP_CONTROLS,
    BUCKET_POLICY,
    BUCKET_PUBLIC_ACCESS_BLOCK,
    BUCKET_VERSIONING,
    CLOUDTRAIL,
    CONFIG_DELIVERY_CHANNEL,
    FLOW_LOG,
    LOAD_BALANCERS,
    S3_BUCKETS,
    S3_SSE_CONFIGURATIONS,
)

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
PUBLIC_ACCESS_SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _sse_rule_problems(rules: Any, aes256_allowed: bool) -> list[str]:
    problems = [] if items(rules) else ["it has no rule, so it sets no default encryption"]
    for rule in items(rules):
        default = value(rule, "applyServerSideEncryptionByDefault")
        if default is None:
            problems.append("a rule has no applyServerSideEncryptionByDefault")
            continue
        algorithm = value(default, "sseAlgorithm")
        if algorithm in KMS_ALGORITHMS:
            problem = customer_key_problem(default, "kmsMasterKeyId")
            if problem:
                problems.append(problem)
        elif algorithm == "AES256":
            if not aes256_allowed:
                problems.append(
                    "it uses AES256 (SSE-S3, an S3-owned key); use aws:kms with our key, or list the "
                    "bucket in aes256Buckets if the service writing to it only supports SSE-S3"
                )
        else:
            problems.append(f"sseAlgorithm {algorithm!r} is not aws:kms")
    return problems


@stack_policy(
    name="s3-bucket-encrypted-with-cmk",
    description="Every S3 bucket has default encryption with SSE-KMS and our customer-managed key.",
    types=sorted(S3_BUCKETS | S3_SSE_CONFIGURATIONS),
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[SECURITY_HUB("S3.17"), CDK_NAG("NIST.800.53.R5-S3DefaultEncryptionKMS")],
    remediation="Add an aws.s3.BucketServerSideEncryptionConfiguration with bucket=<bucket>.id and a rule "
    "apply_server_side_encryption_by_default={sse_algorithm: 'aws:kms', kms_master_key_id: <our key ARN>}, "
    "bucket_key_enabled=True.",
    config={
        "aes256Buckets": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Pulumi names of buckets allowed to use AES256 (SSE-S3) instead, e.g. a bucket that "
            "receives ELB or S3 server access logs, which those services can only write with SSE-S3.",
        },
    },
)
def s3_bucket_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    """Joins each bucket to its encryption configuration through the engine's property dependencies (at a first
    preview the configuration's `bucket` is an unknown id, so the values cannot be compared)."""
    deferred = Deferred()
    configurations = linked_to(args.resources, S3_SSE_CONFIGURATIONS, "bucket")
    for bucket in (r for r in args.resources if r.resource_type in S3_BUCKETS):
        aes256_allowed = bucket.name in config["aes256Buckets"]
        configured = configurations.get(bucket.urn, [])
        with deferred.guard():
            # The deprecated inline form still works in pulumi-aws v7; judge it like a linked configuration. With a
            # linked configuration it is not an input but the bucket's computed output, read when the bucket was
            # created, before the configuration replaced S3's default (SSE-S3): the configuration is what counts.
            inline = not configured and is_set(bucket.props, "serverSideEncryptionConfiguration")
            if not configured and not inline:
                report(
                    f"bucket {bucket.name} has no BucketServerSideEncryptionConfiguration that references it "
                    "(pass bucket=<bucket>.id so the engine links them).",
                    bucket.urn,
                )
            if inline:
                inline_rule = value(value(bucket.props, "serverSideEncryptionConfiguration"), "rule")
                for problem in _sse_rule_problems([inline_rule], aes256_allowed):
                    report(f"bucket {bucket.name}: its inline encryption configuration: {problem}.", bucket.urn)
        for configuration in configured:
            with deferred.guard():
                for problem in _sse_rule_problems(value(configuration.props, "rules"), aes256_allowed):
                    report(f"bucket {bucket.name}: {configuration.name}: {problem}.", bucket.urn)
    deferred.finish()


@stack_policy(
    name="s3-bucket-denies-insecure-transport",
    description="Every S3 bucket has a bucket policy that denies all S3 actions on the bucket and its objects to "
    "everyone when aws:SecureTransport is false; a bucket has one policy, so when several resources write it (the "
    "last applied wins) each must.",
    types=sorted(S3_BUCKETS | {BUCKET_POLICY}),
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[FSBP("S3.5"), CDK_NAG("AwsSolutions-S10")],
    remediation="Add an aws.s3.BucketPolicy with bucket=<bucket>.id and a statement {Effect: Deny, Principal: '*', "
    "Action: 's3:*', Resource: [<bucket ARN>, '<bucket ARN>/*'], Condition: {Bool: {'aws:SecureTransport': "
    "'false'}}} (build it with aws.iam.get_policy_document_output).",
)
def s3_bucket_denies_insecure_transport(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    policies = linked_to(args.resources, BUCKET_POLICY, "bucket")
    for bucket in (r for r in args.resources if r.resource_type in S3_BUCKETS):
        with deferred.guard():
            holders = [(p.name, p.props) for p in policies.get(bucket.urn, [])]
            # A bucket's policy left out: no bucket policy, so nothing denies plain HTTP (S3 accepts it by default).
            if peek(bucket.props, "policy") not in (None, ""):
                holders.append(("its inline policy", bucket.props))
            problem = documents.plain_transport_problem(holders, "s3:*", need_objects=True)
            if problem:
                report(
                    f"bucket {bucket.name} does not refuse plain-HTTP requests: it needs a policy statement that "
                    "denies s3:* on the bucket and its objects to everyone when aws:SecureTransport is false, "
                    f"and {problem}.",
                    bucket.urn,
                )
    deferred.finish()


@stack_policy(
    name="s3-bucket-access-logging",
    description="Every S3 bucket has server access logging (a BucketLogging linked to it, or the inline form), "
    "except a log bucket: one that receives S3 or load balancer access logs from this stack (its own access logs "
    "would log themselves).",
    types=[*sorted(S3_BUCKETS), BUCKET_LOGGING, *sorted(LOAD_BALANCERS)],
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[FSBP("S3.9"), CDK_NAG("AwsSolutions-S1")],
    remediation="Add an aws.s3.BucketLogging with bucket=<bucket>.id, target_bucket=<log bucket>.id and a "
    "target_prefix per bucket.",
)
def s3_bucket_access_logging(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    logged = linked_to(args.resources, BUCKET_LOGGING, "bucket")
    log_buckets: set[str] = set()
    for resource in args.resources:
        if resource.resource_type == BUCKET_LOGGING:
            log_buckets.update(d.urn for d in resource.property_dependencies.get("targetBucket", []))
        elif resource.resource_type in LOAD_BALANCERS:
            log_buckets.update(d.urn for d in resource.property_dependencies.get("accessLogs", []))
        elif resource.resource_type in S3_BUCKETS:
            log_buckets.update(d.urn for d in resource.property_dependencies.get("logging", []))
    for bucket in (r for r in args.resources if r.resource_type in S3_BUCKETS):
        if bucket.urn in log_buckets or logged.get(bucket.urn):
            continue
        with deferred.guard():
            if not logs_inline(bucket):
                report(
                    f"bucket {bucket.name} has no server access logging, so who read or changed its objects is "
                    "not recorded.",
                    bucket.urn,
                )
    deferred.finish()


def logs_inline(bucket: Any) -> bool:
    """The bucket's own `logging` names a target bucket. At AnalyzeStack that is a computed output (the deprecated
    inline form), unknown at a first preview: it raises then, so an unlogged bucket is undecided, not passed."""
    # logging (its target_bucket) left out: S3 server access logging is off by default.
    return is_set(value(bucket.props, "logging") or {}, "targetBucket")


def _buckets(args: Any) -> list[Any]:
    return [r for r in args.resources if r.resource_type in S3_BUCKETS]


def _status(versioning: Any) -> Any:
    # versioning_configuration.status is required on BucketVersioning; the bucket's own versioning left out: a
    # new bucket is unversioned (S3's default).
    return value(value(versioning.props, "versioningConfiguration") or {}, "status")


@stack_policy(
    name="s3-bucket-versioning",
    description="Every S3 bucket has versioning enabled (a BucketVersioning with status Enabled linked to it), so an "
    "overwritten or deleted object can be recovered. With several BucketVersioning resources on one bucket the last "
    "applied wins, so every one must enable it.",
    types=[*sorted(S3_BUCKETS), BUCKET_VERSIONING],
    severity=Severity.LOW,
    category=Category.RESILIENCE,
    controls=[SECURITY_HUB("S3.14")],
    remediation="Add an aws.s3.BucketVersioning with bucket=<bucket>.id and versioning_configuration={status: "
    "'Enabled'}.",
)
def s3_bucket_versioning(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    versionings = linked_to(args.resources, BUCKET_VERSIONING, "bucket")
    for bucket in _buckets(args):
        with deferred.guard():
            statuses = [_status(v) for v in versionings.get(bucket.urn, [])]
            # The bucket's own `versioning` is a computed output at AnalyzeStack (unknown at a first preview):
            # read it only when no BucketVersioning is linked.
            if not statuses and truthy(value(value(bucket.props, "versioning") or {}, "enabled")):
                statuses.append("Enabled")
            if "Enabled" not in statuses:
                found = f" (status {', '.join(map(str, statuses))})" if statuses else ""
                report(f"bucket {bucket.name} has no versioning enabled{found}.", bucket.urn)
            elif weaker := [v.name for v in versionings.get(bucket.urn, []) if _status(v) != "Enabled"]:
                # Two resources writing one bucket's versioning: whichever applies last wins, so the worst counts.
                report(
                    f"bucket {bucket.name}: {', '.join(weaker)} also sets its versioning, to a status other than "
                    "Enabled; the last one applied wins.",
                    bucket.urn,
                )
    deferred.finish()


@stack_policy(
    name="s3-bucket-public-access-blocked",
    description="Every S3 bucket blocks public access with all four settings (block and ignore public ACLs, block "
    "and restrict public policies): S3 turns them on for every new bucket, so a bucket without a "
    "BucketPublicAccessBlock passes, and a declared one (whose left-out settings are false) must set all four; "
    "with several on one bucket the last applied wins, so each must.",
    types=[*sorted(S3_BUCKETS), BUCKET_PUBLIC_ACCESS_BLOCK],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("S3.8"), FSBP("S3.2"), FSBP("S3.3"), CDK_NAG("AwsSolutions-S2")],
    remediation="Add an aws.s3.BucketPublicAccessBlock with bucket=<bucket>.id and block_public_acls, "
    "block_public_policy, ignore_public_acls and restrict_public_buckets all True.",
)
def s3_bucket_public_access_blocked(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    blocks = linked_to(args.resources, BUCKET_PUBLIC_ACCESS_BLOCK, "bucket")
    for bucket in _buckets(args):
        # No BucketPublicAccessBlock: S3 turns all four settings on for every new bucket ("Amazon S3 Block Public
        # Access ... enabled by default for new buckets", S3 user guide, since April 2023), so absent passes. Only a
        # block the program declares can turn one off: pulumi-aws 7 BucketPublicAccessBlock sends each setting it
        # leaves out as false ("Defaults to `false`").
        linked = blocks.get(bucket.urn, [])
        with deferred.guard():
            # S3 keeps one public access block per bucket: with several resources the last applied wins, so each
            # must set all four.
            for block in linked:
                missing = [k for k in PUBLIC_ACCESS_SETTINGS if not truthy(value(block.props, k))]
                if missing:
                    report(f"bucket {bucket.name}: {block.name} leaves {', '.join(missing)} off.", bucket.urn)
    deferred.finish()


@stack_policy(
    name="s3-bucket-ownership-enforced",
    description="Every S3 bucket keeps object ownership BucketOwnerEnforced (ACLs disabled, the bucket owner owns "
    "every object; S3's default for new buckets, so a bucket without BucketOwnershipControls passes, and every "
    "declared one must say BucketOwnerEnforced), and no ACL is granted on it.",
    types=[*sorted(S3_BUCKETS), BUCKET_OWNERSHIP_CONTROLS, BUCKET_ACL],
    severity=Severity.MEDIUM,
    category=Category.ACCESS,
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
            # No BucketOwnershipControls: S3 creates every new bucket with BucketOwnerEnforced ("ACLs are disabled
            # by default for new buckets", S3 user guide, since April 2023), so absent passes; rule.object_ownership
            # is required in a declared one.
            settings = [value(value(c.props, "rule") or {}, "objectOwnership") for c in controls.get(bucket.urn, [])]
            if settings and "BucketOwnerEnforced" not in settings:
                found = f"object ownership {', '.join(map(str, settings))}"
                report(
                    f"bucket {bucket.name} has {found}, so ACLs can still grant access; declare BucketOwnerEnforced.",
                    bucket.urn,
                )
            elif weaker := [
                c.name
                for c in controls.get(bucket.urn, [])
                if value(value(c.props, "rule") or {}, "objectOwnership") != "BucketOwnerEnforced"
            ]:
                report(
                    f"bucket {bucket.name}: {', '.join(weaker)} also sets its object ownership, to something "
                    "other than BucketOwnerEnforced; the last one applied wins.",
                    bucket.urn,
                )
            for acl in acls.get(bucket.urn, []):
                report(f"bucket {bucket.name} is given an ACL by {acl.name}; use bucket policies.", bucket.urn)
            # The bucket's own `acl` and `grants` are computed outputs at AnalyzeStack: unknown at a first preview
            # (not judged then: the ownership control above already decides), and after `pulumi up` `grants` holds
            # the owner's own FULL_CONTROL grant, which every bucket has.
            # acl and grants left out: the bucket owner's FULL_CONTROL only (the default ACL, "private").
            acl, grants = peek(bucket.props, "acl"), peek(bucket.props, "grants")
            granted = [] if grants is UNKNOWN else [g for g in items(grants) if not _owner_grant(g)]
            if acl not in (None, "", "private", UNKNOWN) or granted:
                report(f"bucket {bucket.name} sets an ACL or grants inline; use bucket policies.", bucket.urn)
    deferred.finish()


def _owner_grant(grant: Any) -> bool:
    """A canonical-user FULL_CONTROL grant without a group URI: the bucket owner's, present on every bucket."""
    # A grant's permissions and type are required, uri is absent for a canonical user; no default to judge.
    permissions = {str(p) for p in items(value(grant, "permissions"))}
    return value(grant, "type") == "CanonicalUser" and not is_set(grant, "uri") and permissions == {"FULL_CONTROL"}


@stack_policy(
    name="s3-bucket-lifecycle",
    description="Every S3 bucket has a lifecycle configuration with at least one enabled rule (objects and old "
    "versions age out instead of accumulating forever).",
    types=[*sorted(S3_BUCKETS), BUCKET_LIFECYCLE],
    severity=Severity.LOW,
    category=Category.RESILIENCE,
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


# Production: a pack config of its own per environment (secure by default: a development stack's pack config
# sets it false). Read by the teardown policies here and in rds.py.
PRODUCTION_CONFIG = {
    "production": {
        "type": "boolean",
        "default": True,
        "description": "The stack is production: nothing may be torn down with its data (set false for a "
        "development stack's pack config).",
    },
}

# What writes logs into a bucket, and the input that names it (joined by property dependency).
_LOG_WRITERS = (
    (frozenset({CLOUDTRAIL}), "s3BucketName"),
    (frozenset({CONFIG_DELIVERY_CHANNEL}), "s3BucketName"),
    (frozenset({BUCKET_LOGGING}), "targetBucket"),
    (S3_BUCKETS, "loggings"),  # the bucket's own inline access logging
    (LOAD_BALANCERS, "accessLogs"),
    (frozenset({FLOW_LOG}), "logDestination"),
)


def _log_buckets(args: Any, buckets: dict[str, Any]) -> dict[str, str]:
    """Bucket URN -> what writes logs into it, for the buckets of this stack that receive logs."""
    found: dict[str, str] = {}
    for resource in args.resources:
        for types, key in _LOG_WRITERS:
            if resource.resource_type in types:
                for dependency in resource.property_dependencies.get(key, []):
                    if dependency.urn in buckets and dependency.urn != resource.urn:
                        found.setdefault(dependency.urn, resource.name)
    return found


def _early_expiration(rule: Any, enabled: bool, minimum: int) -> str | None:
    """Why an enabled lifecycle rule deletes current objects sooner than `minimum` days, or None."""
    if not enabled:
        return None
    expiration = items(value(rule, "expiration"))  # one block (a list in the V2 schema's older form)
    for block in expiration:
        days = as_int(value(block, "days"), 0)
        if 0 < days < minimum:
            return f"expires current objects after {days} day(s)"
        # expiration's days and date left out: no expiration (S3 keeps objects forever by default).
        if is_set(block, "date"):
            return f"expires current objects on a fixed date ({peek(block, 'date')})"
    return None


@stack_policy(
    name="s3-log-bucket-retention",
    description="Buckets that receive logs (a CloudTrail trail's or AWS Config's bucket, an access-log target, a "
    "load balancer's or flow log's destination) keep current objects at least minRetentionDays (365): no enabled "
    "lifecycle rule expires current objects sooner or on a fixed date, whether in an "
    "aws.s3.BucketLifecycleConfiguration (either token) or the bucket's inline lifecycle_rules. A rule's filter "
    "does not excuse it (log prefixes vary). "
    "Absent expiration keeps objects forever (S3's default), which passes; noncurrent-version expiration is not "
    "judged here.",
    types=[
        *sorted(S3_BUCKETS),
        *sorted(BUCKET_LIFECYCLES),
        CLOUDTRAIL,
        CONFIG_DELIVERY_CHANNEL,
        BUCKET_LOGGING,
        FLOW_LOG,
        *sorted(LOAD_BALANCERS),
    ],
    severity=Severity.HIGH,
    category=Category.LOGGING,
    controls=[PROJECT("log-retention")],
    remediation="Expire current log objects no sooner than minRetentionDays (e.g. expiration days=365, or "
    "transition to Glacier instead of expiring), and drop fixed-date expirations on log buckets.",
    config={
        "minRetentionDays": {
            "type": "integer",
            "minimum": 1,
            "default": 365,
            "description": "The fewest days a log or trail bucket keeps current objects.",
        },
    },
)
def s3_log_bucket_retention(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    minimum = int(config["minRetentionDays"])
    buckets = {b.urn: b for b in _buckets(args)}
    lifecycles = linked_to(args.resources, BUCKET_LIFECYCLES, "bucket")
    for urn, writer in _log_buckets(args, buckets).items():
        bucket = buckets[urn]
        for lifecycle in lifecycles.get(urn, []):
            with deferred.guard():
                for rule in items(value(lifecycle.props, "rules", [])):
                    # BucketLifecycleConfiguration rule status: "Enabled" or "Disabled" (required).
                    why = _early_expiration(rule, value(rule, "status") == "Enabled", minimum)
                    if why:
                        report(
                            f"bucket {bucket.name} receives logs from {writer} but lifecycle {lifecycle.name} "
                            f"rule {value(rule, 'id', '?')} {why}; keep them at least {minimum} days.",
                            bucket.urn,
                        )
        with deferred.guard():
            # The inline form (pulumi-aws 7 Bucket lifecycle_rules, deprecated but accepted): `enabled` per rule.
            inline = peek(bucket.props, "lifecycleRules")
            for rule in [] if inline is UNKNOWN else items(inline):
                why = _early_expiration(rule, truthy(value(rule, "enabled")), minimum)
                if why:
                    report(
                        f"bucket {bucket.name} receives logs from {writer} but its inline lifecycle rule {why}; "
                        f"keep them at least {minimum} days.",
                        bucket.urn,
                    )
    deferred.finish()


@resource_policy(
    name="s3-bucket-no-force-destroy",
    description="In production (pack config `production`, default true) no S3 bucket sets force_destroy, which "
    "lets `pulumi destroy` or a replacement delete every object with the bucket. pulumi-aws 7 Bucket: "
    "force_destroy defaults to false, so absent passes.",
    types=[*sorted(S3_BUCKETS)],
    severity=Severity.HIGH,
    category=Category.RESILIENCE,
    controls=[PROJECT("no-teardown-in-production")],
    remediation="Leave force_destroy unset (or False) in production; empty a bucket deliberately before deleting it.",
    config=PRODUCTION_CONFIG,
)
def s3_bucket_no_force_destroy(args: Any, report: Any, config: dict) -> None:
    if not config["production"]:
        args.not_applicable("the pack config says this stack is not production")
    if truthy(value(args.props, "forceDestroy", False)):
        report(f"bucket {args.name} has force_destroy=true: deleting the resource deletes every object in it.")
