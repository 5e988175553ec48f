"""Storage tier: the S3 buckets for access logs, CloudTrail and application data.

Every bucket gets the same hardening as separate pulumi-aws v7 resources, each bound to its bucket through
`bucket=bucket.id` so the engine (and the policy pack) can see which bucket a setting belongs to: default
encryption, `BucketOwnerEnforced` ownership (no ACLs), all four public-access-block settings, versioning,
lifecycle rules, and exactly one bucket policy that refuses any request not made over TLS. The CloudTrail and
data buckets write server access logs into the log bucket; the log bucket's policy also lets the load
balancer's access-log delivery write under `alb/`, so the web tier only points its load balancer there.

Bucket names are globally unique: a project/stack prefix plus a random suffix kept in state (pulumi-random).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from components.policy_documents import condition

# The load balancer's access logs land under `alb/AWSLogs/<account>/...`: the web tier sets this prefix.
ALB_LOG_PREFIX = "alb"
# S3 server access logs land under `s3/<bucket role>/`, away from the load balancer's prefix.
SERVER_ACCESS_LOG_PREFIX = "s3"
# S3 bucket names are at most 63 characters; the suffix adds "-<role>-" and 8 hex digits.
_MAX_PREFIX_LENGTH = 40
_BUCKET_PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
_ABORT_INCOMPLETE_UPLOADS_DAYS = 7


@dataclass(kw_only=True)
class StorageArgs:
    """What the storage tier needs from the rest of the stack."""

    kms_key_arn: pulumi.Input[str]
    """The customer-managed key that encrypts the CloudTrail and data buckets (SSE-KMS)."""
    trail_name: str
    """The CloudTrail trail's name. It is deterministic, so the trail bucket's policy can name the trail
    (`aws:SourceArn`) before the trail exists, and the trail can depend on the policy without a cycle."""
    bucket_name_prefix: str
    """Lowercase prefix of the bucket names, e.g. `secure-aws-prod`; a random suffix makes them unique."""
    region: str
    """The region of the stack (and of the trail's home), e.g. `us-east-1`."""
    is_production: bool
    """Production protects the CloudTrail and data buckets from deletion and never force-destroys a bucket."""
    config_delivery_prefix: str | None = None
    """When set, the trail bucket's policy also admits AWS Config's delivery channel under this prefix (the
    detection tier's recorder), with the statements the AWS Config Developer Guide documents."""


@dataclass(frozen=True)
class _LifecyclePlan:
    """How long a bucket keeps what, and when it moves to cheaper storage."""

    archive_current_objects: bool
    noncurrent_transition_days: int | None
    noncurrent_expiration_days: int


# Logs are written once and read rarely, so they move to Standard-IA after 30 days and to Glacier Instant
# Retrieval (still readable in milliseconds for an investigation) after 90. They never expire here: audit
# evidence is kept; overwritten or deleted versions of it are kept a year.
_LOG_LIFECYCLE = _LifecyclePlan(
    archive_current_objects=True, noncurrent_transition_days=None, noncurrent_expiration_days=365
)
# Application data stays in Standard (its access pattern is the application's); old versions are a safety net
# for accidental overwrites and deletions, cheap after 30 days and gone after 90.
_DATA_LIFECYCLE = _LifecyclePlan(
    archive_current_objects=False, noncurrent_transition_days=30, noncurrent_expiration_days=90
)


def validate_storage_args(args: StorageArgs) -> None:
    """Raises ValueError when the bucket name prefix cannot make valid S3 bucket names. Exported for testing."""
    prefix = args.bucket_name_prefix
    if not _BUCKET_PREFIX.match(prefix) or "--" in prefix or len(prefix) > _MAX_PREFIX_LENGTH:
        raise ValueError(
            f"bucket_name_prefix {prefix!r} must be lowercase letters, digits and single hyphens, at most "
            f"{_MAX_PREFIX_LENGTH} characters (e.g. 'secure-aws-prod')"
        )
    if not args.trail_name:
        raise ValueError("trail_name is required: the trail bucket's policy names the trail")


class Storage(pulumi.ComponentResource):
    """The access-log, CloudTrail and application-data buckets, hardened and access-logged."""

    log_bucket_name: pulumi.Output[str]
    log_bucket_arn: pulumi.Output[str]
    trail_bucket_name: pulumi.Output[str]
    trail_bucket_arn: pulumi.Output[str]
    data_bucket_name: pulumi.Output[str]
    data_bucket_arn: pulumi.Output[str]
    trail_bucket_policy: aws.s3.BucketPolicy
    """The trail bucket's policy: the trail must depend on it, or CloudTrail refuses the bucket."""
    alb_log_prefix: str = ALB_LOG_PREFIX
    """The only key prefix the log bucket's policy lets load balancer access-log delivery write under."""

    def __init__(self, name: str, args: StorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_storage_args(args)  # before registering anything: a bad arg leaves nothing half-built
        super().__init__("secure-aws:storage:Storage", name, None, opts)
        self._name = name
        self._args = args
        invoke_opts = pulumi.InvokeOutputOptions(parent=self)
        self._account_id = aws.get_caller_identity_output(opts=invoke_opts).account_id
        self._elb_account_arn = aws.elb.get_service_account_output(opts=invoke_opts).arn

        self._log_bucket = self._create_bucket("logs", protect=False)
        self._trail_bucket = self._create_bucket("trail", protect=args.is_production)
        self._data_bucket = self._create_bucket("data", protect=args.is_production)

        # Log delivery: S3 server access logging and ELB access logs both accept only SSE-S3 target buckets.
        # The S3 User Guide ("Enabling server access logging"): default bucket encryption on the destination
        # bucket is supported only with SSE-S3 (AES256), "Default server-side encryption with AWS KMS keys
        # (SSE-KMS) is not supported". The ALB guide ("Enable access logs"): "The only server-side encryption
        # option that's supported is Amazon S3-managed keys (SSE-S3)". With SSE-KMS the logs are silently lost.
        log_encryption = aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="AES256",
            ),
        )
        # Bucket keys cut the KMS requests (and their cost) for buckets with many objects by ~99%.
        kms_encryption = _kms_encryption(args.kms_key_arn, bucket_key=True)
        # The trail bucket: SSE-KMS without a bucket key, so every log file is encrypted the way the CloudTrail
        # User Guide documents ("How AWS CloudTrail uses AWS KMS", how-kms-works-with-cloudtrail.html): for each
        # log file S3 asks KMS for a data key on CloudTrail's behalf, with the trail's ARN in the encryption
        # context, which is what the key policy's kms:EncryptionContext:aws:cloudtrail:arn condition
        # (components/encryption.py) checks. An S3 Bucket Key replaces those requests with a bucket-level key
        # whose encryption context is the bucket's ARN (S3 User Guide, bucket-key.html: key policies written
        # against another encryption context "won't work with an S3 Bucket Key"). It would save nothing either:
        # "You do not pay a key usage charge when CloudTrail reads or writes log files encrypted with an SSE-KMS
        # key" (same CloudTrail page), and a trail writes a few files every five minutes.
        trail_encryption = _kms_encryption(args.kms_key_arn, bucket_key=False)
        log_guards = self._harden("logs", self._log_bucket, log_encryption, _LOG_LIFECYCLE)
        trail_guards = self._harden("trail", self._trail_bucket, trail_encryption, _LOG_LIFECYCLE)
        data_guards = self._harden("data", self._data_bucket, kms_encryption, _DATA_LIFECYCLE)

        log_policy = self._attach_policy("logs", self._log_bucket, self._log_delivery_statements(), log_guards)
        self.trail_bucket_policy = self._attach_policy(
            "trail", self._trail_bucket, self._cloudtrail_statements() + self._config_statements(), trail_guards
        )
        self._attach_policy("data", self._data_bucket, [], data_guards)

        self._log_into_log_bucket("trail", self._trail_bucket, log_policy)
        self._log_into_log_bucket("data", self._data_bucket, log_policy)

        self.log_bucket_name = self._log_bucket.bucket
        self.log_bucket_arn = self._log_bucket.arn
        self.trail_bucket_name = self._trail_bucket.bucket
        self.trail_bucket_arn = self._trail_bucket.arn
        self.data_bucket_name = self._data_bucket.bucket
        self.data_bucket_arn = self._data_bucket.arn
        self.register_outputs(
            {
                "logBucketName": self.log_bucket_name,
                "logBucketArn": self.log_bucket_arn,
                "trailBucketName": self.trail_bucket_name,
                "trailBucketArn": self.trail_bucket_arn,
                "dataBucketName": self.data_bucket_name,
                "dataBucketArn": self.data_bucket_arn,
            }
        )

    # Buckets ------------------------------------------------------------------------------------------------

    def _create_bucket(self, role: str, protect: bool) -> aws.s3.Bucket:
        # The suffix lives in state: the name is stable across updates and unique across accounts.
        suffix = random.RandomId(f"{self._name}-{role}-suffix", byte_length=4, opts=pulumi.ResourceOptions(parent=self))
        return aws.s3.Bucket(
            f"{self._name}-{role}-bucket",
            bucket=pulumi.Output.concat(self._args.bucket_name_prefix, f"-{role}-", suffix.hex),
            # Outside production a stack can be torn down with its objects; production never empties a bucket.
            force_destroy=not self._args.is_production,
            opts=pulumi.ResourceOptions(parent=self, protect=protect),
        )

    def _harden(
        self,
        role: str,
        bucket: aws.s3.Bucket,
        encryption: aws.s3.BucketServerSideEncryptionConfigurationRuleArgs,
        lifecycle: _LifecyclePlan,
    ) -> list[pulumi.Resource]:
        """Encryption, ownership, public access block, versioning and lifecycle; returns them for ordering."""
        child = pulumi.ResourceOptions(parent=self)
        encryption_config = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{self._name}-{role}-encryption", bucket=bucket.id, rules=[encryption], opts=child
        )
        # Objects belong to the bucket owner and ACLs are off: access is decided by policies alone (FSBP S3.12).
        ownership = aws.s3.BucketOwnershipControls(
            f"{self._name}-{role}-ownership",
            bucket=bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=child,
        )
        public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{self._name}-{role}-public-access-block",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        versioning = aws.s3.BucketVersioning(
            f"{self._name}-{role}-versioning",
            bucket=bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=child,
        )
        # Noncurrent-version rules only mean something once versioning is on.
        lifecycle_config = aws.s3.BucketLifecycleConfiguration(
            f"{self._name}-{role}-lifecycle",
            bucket=bucket.id,
            rules=_lifecycle_rules(lifecycle),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[versioning]),
        )
        return [encryption_config, ownership, public_access_block, versioning, lifecycle_config]

    def _attach_policy(
        self,
        role: str,
        bucket: aws.s3.Bucket,
        statements: Sequence[aws.iam.GetPolicyDocumentStatementArgs],
        guards: list[pulumi.Resource],
    ) -> aws.s3.BucketPolicy:
        """The bucket's one policy: deny non-TLS requests, plus the service grants the bucket needs."""
        document = aws.iam.get_policy_document_output(
            statements=[_deny_insecure_transport(bucket), *statements],
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        # After the public access block: S3 rejects concurrent PutBucketPolicy/PutPublicAccessBlock calls.
        return aws.s3.BucketPolicy(
            f"{self._name}-{role}-policy",
            bucket=bucket.id,
            policy=document.json,
            opts=pulumi.ResourceOptions(parent=self, depends_on=guards),
        )

    def _log_into_log_bucket(self, role: str, bucket: aws.s3.Bucket, log_policy: aws.s3.BucketPolicy) -> None:
        # After the log bucket's policy: delivery works from the first request on.
        aws.s3.BucketLogging(
            f"{self._name}-{role}-access-logging",
            bucket=bucket.id,
            target_bucket=self._log_bucket.id,
            target_prefix=f"{SERVER_ACCESS_LOG_PREFIX}/{role}/",
            opts=pulumi.ResourceOptions(parent=self, depends_on=[log_policy]),
        )

    # Policy statements ----------------------------------------------------------------------------------------

    def _log_delivery_statements(self) -> list[aws.iam.GetPolicyDocumentStatementArgs]:
        log_arn = self._log_bucket.arn
        return [
            # With BucketOwnerEnforced the log-delivery ACL group cannot be used: S3 server access logging is
            # granted to its service principal, only for this account's buckets that log here.
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="S3ServerAccessLogsDelivery",
                effect="Allow",
                principals=[
                    aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                        type="Service", identifiers=["logging.s3.amazonaws.com"]
                    )
                ],
                actions=["s3:PutObject"],
                resources=[pulumi.Output.concat(log_arn, f"/{SERVER_ACCESS_LOG_PREFIX}/*")],
                conditions=[
                    condition("StringEquals", "aws:SourceAccount", self._account_id),
                    condition("ArnLike", "aws:SourceArn", self._trail_bucket.arn, self._data_bucket.arn),
                ],
            ),
            # In us-east-1 (a region older than August 2022) ALB access logs are written by the regional
            # Elastic Load Balancing account (127311923021), not by a service principal; only under `alb/`
            # and for this account's load balancers.
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="ElbAccessLogsDelivery",
                effect="Allow",
                principals=[
                    aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="AWS", identifiers=[self._elb_account_arn])
                ],
                actions=["s3:PutObject"],
                resources=[pulumi.Output.concat(log_arn, f"/{ALB_LOG_PREFIX}/AWSLogs/", self._account_id, "/*")],
            ),
        ]

    def _cloudtrail_statements(self) -> list[aws.iam.GetPolicyDocumentStatementArgs]:
        trail_arn = pulumi.Output.concat(
            "arn:aws:cloudtrail:", self._args.region, ":", self._account_id, ":trail/", self._args.trail_name
        )
        cloudtrail = [
            aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=["cloudtrail.amazonaws.com"])
        ]
        # Scoped to our trail (confused-deputy protection): no other trail, in any account, can write here.
        only_our_trail = condition("StringEquals", "aws:SourceArn", trail_arn)
        return [
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="CloudTrailAclCheck",
                effect="Allow",
                principals=cloudtrail,
                actions=["s3:GetBucketAcl"],
                resources=[self._trail_bucket.arn],
                conditions=[only_our_trail],
            ),
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="CloudTrailWrite",
                effect="Allow",
                principals=cloudtrail,
                actions=["s3:PutObject"],
                resources=[pulumi.Output.concat(self._trail_bucket.arn, "/AWSLogs/", self._account_id, "/*")],
                conditions=[
                    condition("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control"),
                    only_our_trail,
                ],
            ),
        ]

    def _config_statements(self) -> list[aws.iam.GetPolicyDocumentStatementArgs]:
        """AWS Config's delivery (AWS Config Developer Guide, "Permissions for the Amazon S3 Bucket for the AWS
        Config Delivery Channel", service-linked role case): this account's Config only, only under the prefix."""
        prefix = self._args.config_delivery_prefix
        if not prefix:
            return []
        config = [aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=["config.amazonaws.com"])]
        this_account = condition("StringEquals", "aws:SourceAccount", self._account_id)
        bucket_checks = [
            aws.iam.GetPolicyDocumentStatementArgs(
                sid=sid,
                effect="Allow",
                principals=config,
                actions=[action],
                resources=[self._trail_bucket.arn],
                conditions=[this_account],
            )
            for sid, action in (
                ("AWSConfigBucketPermissionsCheck", "s3:GetBucketAcl"),
                ("AWSConfigBucketExistenceCheck", "s3:ListBucket"),
            )
        ]
        delivery = aws.iam.GetPolicyDocumentStatementArgs(
            sid="AWSConfigBucketDelivery",
            effect="Allow",
            principals=config,
            actions=["s3:PutObject"],
            resources=[
                pulumi.Output.concat(self._trail_bucket.arn, f"/{prefix}/AWSLogs/", self._account_id, "/Config/*")
            ],
            conditions=[condition("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control"), this_account],
        )
        return [*bucket_checks, delivery]


def _kms_encryption(
    kms_key_arn: pulumi.Input[str], *, bucket_key: bool
) -> aws.s3.BucketServerSideEncryptionConfigurationRuleArgs:
    """Default encryption with our KMS key (SSE-KMS), with or without an S3 Bucket Key."""
    return aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms",
            kms_master_key_id=kms_key_arn,
        ),
        bucket_key_enabled=bucket_key,
    )


def _deny_insecure_transport(bucket: aws.s3.Bucket) -> aws.iam.GetPolicyDocumentStatementArgs:
    """FSBP S3.5: every request, by anyone, must use TLS."""
    return aws.iam.GetPolicyDocumentStatementArgs(
        sid="DenyInsecureTransport",
        effect="Deny",
        principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="*", identifiers=["*"])],
        actions=["s3:*"],
        resources=[bucket.arn, pulumi.Output.concat(bucket.arn, "/*")],
        conditions=[condition("Bool", "aws:SecureTransport", "false")],
    )


def _lifecycle_rules(plan: _LifecyclePlan) -> list[aws.s3.BucketLifecycleConfigurationRuleArgs]:
    # An empty filter applies a rule to every object in the bucket (the provider documents `filter={}` for that;
    # leaving the filter out has the same effect but makes the rule's scope implicit).
    everything = aws.s3.BucketLifecycleConfigurationRuleFilterArgs()
    noncurrent_transitions = (
        [
            aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionTransitionArgs(
                noncurrent_days=plan.noncurrent_transition_days, storage_class="STANDARD_IA"
            )
        ]
        if plan.noncurrent_transition_days
        else None
    )
    rules = [
        aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="abort-incomplete-multipart-uploads",
            status="Enabled",
            filter=everything,
            abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                days_after_initiation=_ABORT_INCOMPLETE_UPLOADS_DAYS,
            ),
        ),
        aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="expire-noncurrent-versions",
            status="Enabled",
            filter=everything,
            noncurrent_version_transitions=noncurrent_transitions,
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=plan.noncurrent_expiration_days,
            ),
        ),
    ]
    if plan.archive_current_objects:
        rules.append(
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="archive-old-logs",
                status="Enabled",
                filter=everything,
                transitions=[
                    aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(days=30, storage_class="STANDARD_IA"),
                    aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(days=90, storage_class="GLACIER_IR"),
                ],
            )
        )
    return rules
