"""Encryption at rest, with our customer-managed KMS key wherever the service supports one.

An AWS managed key (`alias/aws/s3`, `aws/rds`, ...) encrypts too, but its key policy cannot be restricted, it
cannot be disabled to cut access in an incident, and CloudTrail shows its use under the service, not us: so
"encrypted" here means "encrypted with a key we manage". Each policy reads only the inputs it needs, and an
unknown key ARN at preview (our key, not created yet) counts as set.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .common import (
    CDK_NAG,
    CLOUDTRAIL,
    EBS_VOLUME,
    EC2_INSTANCE,
    FSBP,
    KMS_KEY,
    LAMBDA_FUNCTION,
    LAUNCH_TEMPLATE,
    LOG_GROUP,
    PROJECT,
    RDS_CLUSTER,
    RDS_CLUSTER_INSTANCE,
    RDS_INSTANCE,
    S3_BUCKETS,
    S3_SSE_CONFIGURATIONS,
    SECRET,
    SECURITY_HUB,
    SNS_TOPIC,
    SQS_QUEUE,
    UNKNOWN,
    Deferred,
    as_int,
    customer_key_problem,
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

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def _report_key(args: Any, report: Any, key: str, what: str) -> None:
    problem = customer_key_problem(args.props, key)
    if problem:
        report(f"{what} {args.name}: {problem}.")


# Section: S3 ##############################################################################################


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
                report(f"bucket {bucket.name} has no BucketServerSideEncryptionConfiguration that references it "
                       "(pass bucket=<bucket>.id so the engine links them).", bucket.urn)  # fmt: skip
            if inline:
                inline_rule = value(value(bucket.props, "serverSideEncryptionConfiguration"), "rule")
                for problem in _sse_rule_problems([inline_rule], aes256_allowed):
                    report(f"bucket {bucket.name}: its inline encryption configuration: {problem}.", bucket.urn)
        for configuration in configured:
            with deferred.guard():
                for problem in _sse_rule_problems(value(configuration.props, "rules"), aes256_allowed):
                    report(f"bucket {bucket.name}: {configuration.name}: {problem}.", bucket.urn)
    deferred.finish()


# Section: databases #######################################################################################


@resource_policy(
    name="rds-storage-encrypted-with-cmk",
    description="RDS DB instances and clusters encrypt their storage with our customer-managed KMS key.",
    types=[RDS_INSTANCE, RDS_CLUSTER],
    severity=Severity.HIGH,
    controls=[FSBP("RDS.3"), FSBP("RDS.27"), CDK_NAG("AwsSolutions-RDS2")],
    remediation="Set storage_encrypted=True and kms_key_id=<our key ARN> (encryption cannot be added to an "
    "existing instance: restore an encrypted snapshot copy).",
)
def rds_storage_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if is_set(args.props, "replicateSourceDb"):
        args.not_applicable("a read replica inherits its source instance's encryption")
    if not truthy(value(args.props, "storageEncrypted", False)):
        report(f"{args.name}: storageEncrypted is not true, so the database and its snapshots are stored "
               "unencrypted.")  # fmt: skip
    _report_key(args, report, "kmsKeyId", "database")


@resource_policy(
    name="rds-performance-insights-encrypted-with-cmk",
    description="RDS Performance Insights, when enabled, encrypts its data with our customer-managed KMS key.",
    types=[RDS_INSTANCE, RDS_CLUSTER, RDS_CLUSTER_INSTANCE],
    severity=Severity.MEDIUM,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set performance_insights_kms_key_id=<our key ARN> wherever performance_insights_enabled=True.",
)
def rds_performance_insights_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    """Performance Insights keeps query texts, which can carry data; it defaults to the aws/rds key."""
    if truthy(value(args.props, "performanceInsightsEnabled", False)):
        _report_key(args, report, "performanceInsightsKmsKeyId", "Performance Insights of")


# Section: EBS #############################################################################################


def _volume_problem(volume: Any) -> str | None:
    if not truthy(value(volume, "encrypted", False)):
        return "is not encrypted"
    return customer_key_problem(volume, "kmsKeyId")


@resource_policy(
    name="ebs-encrypted-with-cmk",
    description="EBS volumes (standalone, on instances and in launch templates) are encrypted with our "
    "customer-managed KMS key.",
    types=[EBS_VOLUME, EC2_INSTANCE, LAUNCH_TEMPLATE],
    severity=Severity.MEDIUM,
    controls=[FSBP("EC2.3"), FSBP("EC2.181"), CDK_NAG("AwsSolutions-EC26")],
    remediation='Set encrypted=True ("true" in launch templates) and kms_key_id=<our key ARN> on every EBS '
    "volume: root_block_device and ebs_block_devices of instances, block_device_mappings[].ebs of launch "
    "templates (declare the root device, or it comes unencrypted from the AMI).",
)
def ebs_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    props = args.props
    if args.resource_type == EBS_VOLUME:
        problem = _volume_problem(props)
        if problem:
            report(f"volume {args.name} {problem}.")
        return
    if args.resource_type == EC2_INSTANCE:
        devices = []
        if has(props, "rootBlockDevice"):
            devices.append(("rootBlockDevice", value(props, "rootBlockDevice")))
        elif not is_set(props, "launchTemplate"):
            report(f"instance {args.name} declares no rootBlockDevice, so its root volume is created from the AMI "
                   "without our key.")  # fmt: skip
        for index, device in enumerate(items(value(props, "ebsBlockDevices", []))):
            devices.append((f"ebsBlockDevices[{index}]", device))
        for where, device in devices:
            problem = _volume_problem(device or {})
            if problem:
                report(f"instance {args.name}: {where} {problem}.")
        return
    mappings = items(value(props, "blockDeviceMappings", []))
    with_ebs = [(index, mapping) for index, mapping in enumerate(mappings) if has(mapping, "ebs")]
    if not with_ebs:
        report(f"launch template {args.name} declares no EBS block device mapping, so the root volume is created "
               "from the AMI without our key.")  # fmt: skip
    for index, mapping in with_ebs:
        problem = _volume_problem(value(mapping, "ebs") or {})
        if problem:
            report(f"launch template {args.name}: blockDeviceMappings[{index}].ebs {problem}.")


# Section: services ########################################################################################


@resource_policy(
    name="lambda-environment-encrypted-with-cmk",
    description="Lambda functions with environment variables encrypt them with our customer-managed KMS key.",
    types=[LAMBDA_FUNCTION],
    severity=Severity.MEDIUM,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_arn=<our key ARN> on the function (and let its role use the key only through "
    "the Lambda service).",
)
def lambda_environment_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    environment = peek(args.props, "environment")
    if environment is None:
        return
    if environment is UNKNOWN:
        environment = value(args.props, "environment")  # cannot tell whether it has variables: let it say so
    if is_set(environment, "variables"):
        _report_key(args, report, "kmsKeyArn", "the environment variables of function")


@resource_policy(
    name="cloudtrail-encrypted-with-cmk",
    description="CloudTrail trails encrypt their log files with our customer-managed KMS key (SSE-KMS).",
    types=[CLOUDTRAIL],
    severity=Severity.MEDIUM,
    controls=[FSBP("CloudTrail.2")],
    remediation="Set kms_key_id=<our key ARN> on the trail; the key policy must let cloudtrail.amazonaws.com "
    "GenerateDataKey* with the trail's encryption context.",
)
def cloudtrail_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    _report_key(args, report, "kmsKeyId", "trail")


@resource_policy(
    name="log-group-encrypted-with-cmk",
    description="CloudWatch Logs log groups encrypt their events with our customer-managed KMS key.",
    types=[LOG_GROUP],
    severity=Severity.MEDIUM,
    controls=[CDK_NAG("NIST.800.53.R5-CloudWatchLogGroupEncrypted")],
    remediation="Set kms_key_id=<our key ARN>; the key policy must let logs.<region>.amazonaws.com use it for "
    "this log group's ARN.",
)
def log_group_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    _report_key(args, report, "kmsKeyId", "log group")


@resource_policy(
    name="sns-topic-encrypted-with-cmk",
    description="SNS topics encrypt messages at rest with our customer-managed KMS key.",
    types=[SNS_TOPIC],
    severity=Severity.MEDIUM,
    controls=[SECURITY_HUB("SNS.1"), CDK_NAG("NIST.800.53.R5-SNSEncryptedKMS")],
    remediation="Set kms_master_key_id=<our key ARN> (not alias/aws/sns: CloudWatch alarms and EventBridge "
    "cannot publish to a topic under the AWS managed key).",
)
def sns_topic_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    _report_key(args, report, "kmsMasterKeyId", "topic")


@resource_policy(
    name="sqs-queue-encrypted-with-cmk",
    description="SQS queues encrypt messages at rest with our customer-managed KMS key, not SSE-SQS.",
    types=[SQS_QUEUE],
    severity=Severity.MEDIUM,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_master_key_id=<our key ARN> (and leave sqs_managed_sse_enabled unset).",
    config={
        "allowSqsManagedSse": {
            "type": "boolean",
            "default": False,
            "description": "Accept SSE-SQS (an SQS-owned key) for queues without a KMS key.",
        },
    },
)
def sqs_queue_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    """A queue without a KMS key gets SSE-SQS by default: encrypted, but with a key that is not ours."""
    if is_set(args.props, "kmsMasterKeyId"):
        _report_key(args, report, "kmsMasterKeyId", "queue")
        return
    if config["allowSqsManagedSse"] and truthy(value(args.props, "sqsManagedSseEnabled", True)):
        return
    report(f"queue {args.name} has no kmsMasterKeyId, so it is encrypted (if at all) with SSE-SQS, an SQS-owned "
           "key, not our customer-managed key.")  # fmt: skip


@resource_policy(
    name="secret-encrypted-with-cmk",
    description="Secrets Manager secrets, including RDS-managed master passwords, are encrypted with our "
    "customer-managed KMS key.",
    types=[SECRET, RDS_INSTANCE, RDS_CLUSTER],
    severity=Severity.MEDIUM,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_id=<our key ARN> on aws.secretsmanager.Secret, and master_user_secret_kms_key_id="
    "<our key ARN> on RDS instances and clusters that set manage_master_user_password=True.",
)
def secret_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == SECRET:
        _report_key(args, report, "kmsKeyId", "secret")
    elif truthy(value(args.props, "manageMasterUserPassword", False)):
        _report_key(args, report, "masterUserSecretKmsKeyId", "the RDS-managed master password secret of")


# Section: the keys themselves #############################################################################


@resource_policy(
    name="kms-key-rotation-enabled",
    description="Symmetric customer-managed KMS keys rotate their key material automatically.",
    types=[KMS_KEY],
    severity=Severity.MEDIUM,
    controls=[SECURITY_HUB("KMS.4"), CDK_NAG("AwsSolutions-KMS5")],
    remediation="Set enable_key_rotation=True (optionally rotation_period_in_days, 90-2560).",
)
def kms_key_rotation_enabled(args: Any, report: Any, config: dict) -> None:
    spec = value(args.props, "customerMasterKeySpec", "SYMMETRIC_DEFAULT")
    if spec != "SYMMETRIC_DEFAULT" or is_set(args.props, "customKeyStoreId"):
        args.not_applicable("KMS rotates only symmetric keys in the AWS KMS key store")
    if not truthy(value(args.props, "enableKeyRotation", False)):
        report(f"key {args.name}: enableKeyRotation is not true.")


@resource_policy(
    name="kms-key-deletion-window",
    description="KMS keys wait at least the configured number of days (default 7) before deletion, so an "
    "unintended deletion can be cancelled.",
    types=[KMS_KEY],
    severity=Severity.CRITICAL,
    controls=[FSBP("KMS.3")],
    remediation="Set deletion_window_in_days to at least the configured minimum (30, the AWS default, is best) "
    "and protect the key resource.",
    config={
        "minKeyDeletionWindowDays": {
            "type": "integer",
            "minimum": 7,
            "maximum": 30,
            "default": 7,
            "description": "Shortest allowed deletion window, in days (AWS accepts 7 to 30).",
        },
    },
)
def kms_key_deletion_window(args: Any, report: Any, config: dict) -> None:
    days = as_int(value(args.props, "deletionWindowInDays"), 30)  # AWS waits 30 days when it is not set
    minimum = int(config["minKeyDeletionWindowDays"])
    if days < minimum:
        report(f"key {args.name}: deletionWindowInDays is {days}, below the minimum of {minimum}.")


POLICIES = [
    s3_bucket_encrypted_with_cmk,
    rds_storage_encrypted_with_cmk,
    rds_performance_insights_encrypted_with_cmk,
    ebs_encrypted_with_cmk,
    lambda_environment_encrypted_with_cmk,
    cloudtrail_encrypted_with_cmk,
    log_group_encrypted_with_cmk,
    sns_topic_encrypted_with_cmk,
    sqs_queue_encrypted_with_cmk,
    secret_encrypted_with_cmk,
    kms_key_rotation_enabled,
    kms_key_deletion_window,
]
