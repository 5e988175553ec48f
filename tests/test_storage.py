"""Storage tier: three hardened, access-logged buckets with exactly the bucket policies they need."""

from __future__ import annotations

import json

import pytest

from components.storage import StorageArgs, validate_storage_args
from preflight.record import RecordedResource, Recording, is_unknown
from tests.conftest import run_stack

STORAGE = "secure-aws:storage:Storage"
BUCKET = "aws:s3/bucket:Bucket"
RANDOM_ID = "random:index/randomId:RandomId"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
ROLES = ("logs", "trail", "data")
KMS_ROLES = ("trail", "data")
# Every bucket's settings, one resource each, named f"storage-<role>-<kind>".
SIDE_RESOURCES = {
    "encryption": "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "ownership": "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "public-access-block": "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "versioning": "aws:s3/bucketVersioning:BucketVersioning",
    "lifecycle": "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "policy": "aws:s3/bucketPolicy:BucketPolicy",
}
ACCOUNT = "123456789012"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/secure-aws-prod-trail"
ELB_ACCOUNT_US_EAST_1 = "arn:aws:iam::127311923021:root"


@pytest.fixture(scope="module")
def staging() -> Recording:
    return run_stack(preview=True, environment="Staging")


def bucket(rec: Recording, role: str) -> RecordedResource:
    return rec.named(f"storage-{role}-bucket")


def side(rec: Recording, role: str, kind: str) -> RecordedResource:
    resource = rec.named(f"storage-{role}-{kind}")
    assert resource.type == SIDE_RESOURCES[kind]
    return resource


def policy_statements(rec: Recording, role: str) -> dict[str, dict]:
    document = json.loads(side(rec, role, "policy").inputs["policy"])
    return {statement["Sid"]: statement for statement in document["Statement"]}


def bucket_arn(rec: Recording, role: str) -> str:
    return f"arn:aws:s3:::{bucket(rec, role).inputs['bucket']}"


# Structure -----------------------------------------------------------------------------------------------------


def test_buckets_and_their_settings_are_children_of_the_storage_component(prod):
    (component,) = prod.of_type(STORAGE)
    assert component.name == "storage"
    for role in ROLES:
        assert bucket(prod, role).parent == component.urn
        assert prod.named(f"storage-{role}-suffix").parent == component.urn
        for kind in SIDE_RESOURCES:
            assert side(prod, role, kind).parent == component.urn
    for logging in prod.of_type(LOGGING):
        assert logging.parent == component.urn


def test_every_setting_is_bound_to_its_own_bucket_through_the_engine(prod):
    """`bucket=bucket.id`: the dependency the policy pack joins on exists even when the id is unknown."""
    for role in ROLES:
        for kind in SIDE_RESOURCES:
            assert side(prod, role, kind).property_dependencies["bucket"] == [bucket(prod, role).urn], (role, kind)


def test_nothing_crashes_at_preview_where_names_and_arns_are_unknown(prod_preview):
    for role in ROLES:
        assert is_unknown(bucket(prod_preview, role).inputs["bucket"])
        assert is_unknown(side(prod_preview, role, "policy").inputs["policy"])
    for output in ("logBucketName", "trailBucketName", "dataBucketName"):
        assert is_unknown(prod_preview.stack_outputs[output])


# Names ---------------------------------------------------------------------------------------------------------


def test_bucket_names_are_the_stack_prefix_plus_a_random_suffix(prod_apply):
    for role in ROLES:
        suffix = prod_apply.named(f"storage-{role}-suffix")
        assert suffix.type == RANDOM_ID
        assert suffix.inputs["byteLength"] == 4
        assert bucket(prod_apply, role).inputs["bucket"] == f"secure-aws-prod-{role}-{suffix.outputs['hex']}"
        assert bucket(prod_apply, role).property_dependencies["bucket"] == [suffix.urn]


def test_bucket_names_are_deterministic_across_runs(prod_apply):
    again = run_stack(preview=False)
    for role in ROLES:
        assert bucket(again, role).inputs["bucket"] == bucket(prod_apply, role).inputs["bucket"]


def test_stack_exports_the_bucket_names(prod_apply):
    outputs = prod_apply.stack_outputs
    assert outputs["logBucketName"] == bucket(prod_apply, "logs").inputs["bucket"]
    assert outputs["trailBucketName"] == bucket(prod_apply, "trail").inputs["bucket"]
    assert outputs["dataBucketName"] == bucket(prod_apply, "data").inputs["bucket"]


@pytest.mark.parametrize("prefix", ["Secure-AWS", "secure_aws", "-secure", "secure--aws", "a" * 41, ""])
def test_a_prefix_that_cannot_make_bucket_names_is_refused(prefix):
    args = StorageArgs(
        kms_key_arn="arn", trail_name="t", bucket_name_prefix=prefix, region="us-east-1", is_production=True
    )
    with pytest.raises(ValueError, match="bucket_name_prefix"):
        validate_storage_args(args)


# Encryption ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", KMS_ROLES)
def test_trail_and_data_buckets_use_sse_kms_with_our_key(prod_apply, role):
    (rule,) = side(prod_apply, role, "encryption").inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": prod_apply.stack_outputs["kmsKeyArn"],
    }


def test_the_data_bucket_uses_a_bucket_key_to_cut_kms_requests(prod_apply):
    (rule,) = side(prod_apply, "data", "encryption").inputs["rules"]
    assert rule["bucketKeyEnabled"] is True


def test_the_trail_bucket_encrypts_each_log_file_with_cloudtrails_own_encryption_context(prod_apply):
    # No S3 Bucket Key: CloudTrail's log files get a data key per file bound to the trail's ARN, which the key
    # policy's kms:EncryptionContext:aws:cloudtrail:arn condition checks; a bucket key would bind the bucket's.
    (rule,) = side(prod_apply, "trail", "encryption").inputs["rules"]
    assert rule["bucketKeyEnabled"] is False


@pytest.mark.parametrize("role", KMS_ROLES)
def test_the_kms_encryption_depends_on_our_key_even_at_preview(prod_preview, role):
    (key,) = prod_preview.of_type("aws:kms/key:Key")
    assert key.urn in side(prod_preview, role, "encryption").property_dependencies["rules"]


def test_the_log_bucket_uses_sse_s3_because_log_delivery_accepts_nothing_else(prod):
    (rule,) = side(prod, "logs", "encryption").inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}


# Ownership, public access, versioning ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_acls_are_disabled_by_bucket_owner_enforced(prod, role):
    assert side(prod, role, "ownership").inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


@pytest.mark.parametrize("role", ROLES)
def test_all_four_public_access_block_settings_are_on(prod, role):
    inputs = side(prod, role, "public-access-block").inputs
    for setting in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"):
        assert inputs[setting] is True, setting


@pytest.mark.parametrize("role", ROLES)
def test_versioning_is_enabled(prod, role):
    assert side(prod, role, "versioning").inputs["versioningConfiguration"]["status"] == "Enabled"


# Access logging --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", KMS_ROLES)
def test_trail_and_data_buckets_log_into_the_log_bucket_under_their_own_prefix(prod, role):
    logging = prod.named(f"storage-{role}-access-logging")
    assert logging.type == LOGGING
    assert logging.property_dependencies["bucket"] == [bucket(prod, role).urn]
    assert logging.property_dependencies["targetBucket"] == [bucket(prod, "logs").urn]
    assert logging.inputs["targetPrefix"] == f"s3/{role}/"


def test_access_logs_reach_the_log_bucket_by_name(prod_apply):
    for role in KMS_ROLES:
        logging = prod_apply.named(f"storage-{role}-access-logging")
        assert logging.inputs["targetBucket"] == prod_apply.stack_outputs["logBucketName"]
        assert logging.inputs["bucket"] == bucket(prod_apply, role).inputs["bucket"]


def test_the_log_bucket_does_not_log_into_itself(prod):
    logged = {urn for logging in prod.of_type(LOGGING) for urn in logging.property_dependencies["bucket"]}
    assert bucket(prod, "logs").urn not in logged
    assert {bucket(prod, role).urn for role in KMS_ROLES} <= logged


def test_access_logging_starts_after_the_log_bucket_policy_allows_delivery(prod):
    for role in KMS_ROLES:
        assert side(prod, "logs", "policy").urn in prod.named(f"storage-{role}-access-logging").dependencies


# Lifecycle -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_lifecycle_rule_is_enabled_and_has_a_filter(prod, role):
    rules = side(prod, role, "lifecycle").inputs["rules"]
    assert rules
    for rule in rules:
        assert rule["status"] == "Enabled"
        assert rule["filter"] == {}, rule["id"]


@pytest.mark.parametrize("role", ROLES)
def test_incomplete_multipart_uploads_are_aborted_after_a_week(prod, role):
    rules = {rule["id"]: rule for rule in side(prod, role, "lifecycle").inputs["rules"]}
    assert rules["abort-incomplete-multipart-uploads"]["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}


@pytest.mark.parametrize(("role", "days"), [("logs", 365), ("trail", 365), ("data", 90)])
def test_noncurrent_versions_expire(prod, role, days):
    rules = {rule["id"]: rule for rule in side(prod, role, "lifecycle").inputs["rules"]}
    assert rules["expire-noncurrent-versions"]["noncurrentVersionExpiration"] == {"noncurrentDays": days}


@pytest.mark.parametrize("role", ("logs", "trail"))
def test_old_logs_move_to_cheaper_storage(prod, role):
    rules = {rule["id"]: rule for rule in side(prod, role, "lifecycle").inputs["rules"]}
    assert rules["archive-old-logs"]["transitions"] == [
        {"days": 30, "storageClass": "STANDARD_IA"},
        {"days": 90, "storageClass": "GLACIER_IR"},
    ]
    assert "expiration" not in rules["archive-old-logs"]


def test_old_data_versions_move_to_cheaper_storage_and_current_data_stays(prod):
    rules = {rule["id"]: rule for rule in side(prod, "data", "lifecycle").inputs["rules"]}
    assert rules["expire-noncurrent-versions"]["noncurrentVersionTransitions"] == [
        {"noncurrentDays": 30, "storageClass": "STANDARD_IA"}
    ]
    assert "archive-old-logs" not in rules


@pytest.mark.parametrize("role", ROLES)
def test_lifecycle_is_configured_after_versioning(prod, role):
    assert side(prod, role, "versioning").urn in side(prod, role, "lifecycle").dependencies


# Bucket policies -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_bucket_policy_denies_requests_without_tls(prod_apply, role):
    deny = policy_statements(prod_apply, role)["DenyInsecureTransport"]
    arn = bucket_arn(prod_apply, role)
    assert deny == {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_each_bucket_has_exactly_one_policy(prod):
    policies = prod.of_type(SIDE_RESOURCES["policy"])
    bound = [urn for policy in policies for urn in policy.property_dependencies["bucket"]]
    assert sorted(bound) == sorted(bucket(prod, role).urn for role in ROLES)


def test_log_bucket_policy_grants_exactly_s3_access_logs_and_alb_delivery(prod_apply):
    statements = policy_statements(prod_apply, "logs")
    log_arn = bucket_arn(prod_apply, "logs")
    assert set(statements) == {"DenyInsecureTransport", "S3ServerAccessLogsDelivery", "ElbAccessLogsDelivery"}
    assert statements["S3ServerAccessLogsDelivery"] == {
        "Sid": "S3ServerAccessLogsDelivery",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"{log_arn}/s3/*",
        "Condition": {
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
            "ArnLike": {"aws:SourceArn": [bucket_arn(prod_apply, "trail"), bucket_arn(prod_apply, "data")]},
        },
    }
    assert statements["ElbAccessLogsDelivery"] == {
        "Sid": "ElbAccessLogsDelivery",
        "Effect": "Allow",
        "Principal": {"AWS": ELB_ACCOUNT_US_EAST_1},
        "Action": "s3:PutObject",
        "Resource": f"{log_arn}/alb/AWSLogs/{ACCOUNT}/*",
    }


def test_trail_bucket_policy_lets_only_our_trail_write(prod_apply):
    statements = policy_statements(prod_apply, "trail")
    trail_arn = bucket_arn(prod_apply, "trail")
    # Plus AWS Config's delivery under config/ (tests/test_detection.py checks those three).
    assert set(statements) == {
        "DenyInsecureTransport",
        "CloudTrailAclCheck",
        "CloudTrailWrite",
        "AWSConfigBucketPermissionsCheck",
        "AWSConfigBucketExistenceCheck",
        "AWSConfigBucketDelivery",
    }
    assert statements["CloudTrailAclCheck"] == {
        "Sid": "CloudTrailAclCheck",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:GetBucketAcl",
        "Resource": trail_arn,
        "Condition": {"StringEquals": {"aws:SourceArn": TRAIL_ARN}},
    }
    assert statements["CloudTrailWrite"] == {
        "Sid": "CloudTrailWrite",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"{trail_arn}/AWSLogs/{ACCOUNT}/*",
        "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL_ARN}},
    }


def test_the_trail_bucket_policy_names_the_trail_the_audit_tier_creates(prod_apply):
    trail = prod_apply.named("audit-trail")
    assert prod_apply.stack_outputs["trailArn"] == TRAIL_ARN
    assert trail.inputs["name"] == TRAIL_ARN.rsplit("/", 1)[1]


def test_data_bucket_policy_grants_nothing(prod_apply):
    assert set(policy_statements(prod_apply, "data")) == {"DenyInsecureTransport"}


@pytest.mark.parametrize("role", ROLES)
def test_bucket_policy_is_applied_after_the_public_access_block(prod, role):
    assert side(prod, role, "public-access-block").urn in side(prod, role, "policy").dependencies


# Deletion protection ---------------------------------------------------------------------------------------------


def test_trail_and_data_buckets_are_protected_in_production(prod):
    assert bucket(prod, "trail").protect
    assert bucket(prod, "data").protect
    assert not bucket(prod, "logs").protect


def test_production_never_force_destroys_a_bucket(prod):
    for role in ROLES:
        assert bucket(prod, role).inputs["forceDestroy"] is False


def test_outside_production_buckets_are_neither_protected_nor_kept_on_destroy(staging):
    for role in ROLES:
        assert not bucket(staging, role).protect
        assert bucket(staging, role).inputs["forceDestroy"] is True
