"""Encryption at rest with our customer-managed key, through the real pack process, at preview and at apply.

At preview the key ARNs are unknown (the key does not exist yet); an unknown key is a key that was set, so the
compliant program draws nothing in either mode.
"""

from __future__ import annotations

import pytest

from tests.policy.conftest import violations

ENCRYPTION_POLICIES = [
    "s3-bucket-encrypted-with-cmk",
    "rds-storage-encrypted-with-cmk",
    "rds-performance-insights-encrypted-with-cmk",
    "ebs-encrypted-with-cmk",
    "lambda-environment-encrypted-with-cmk",
    "cloudtrail-encrypted-with-cmk",
    "log-group-encrypted-with-cmk",
    "sns-topic-encrypted-with-cmk",
    "sqs-queue-encrypted-with-cmk",
    "secret-encrypted-with-cmk",
    "kms-key-rotation-enabled",
    "kms-key-deletion-window",
]


@pytest.mark.parametrize("policy", ENCRYPTION_POLICIES)
def test_compliant_resources_draw_no_encryption_finding(analyze, mode, policy):
    findings = analyze(f"compliant-{mode}")
    assert [f for f in findings if f.policy == policy] == []


def test_s3_buckets_without_a_linked_kms_configuration_are_refused(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "s3-bucket-encrypted-with-cmk")
    assert set(found) == {"unencrypted-bucket", "aes256-bucket", "aws-managed-key-bucket", "inline-aes256-bucket"}
    assert "no BucketServerSideEncryptionConfiguration" in found["unencrypted-bucket"][0]
    assert "AES256" in found["aes256-bucket"][0]
    assert "inline encryption configuration: it uses AES256" in found["inline-aes256-bucket"][0]
    assert "kmsMasterKeyId" in found["aws-managed-key-bucket"][0]


def test_the_s3_policy_is_a_mandatory_stack_policy_reporting_on_the_bucket(analyze):
    findings = [f for f in analyze("violations-preview") if f.policy == "s3-bucket-encrypted-with-cmk"]
    assert {f.enforcement_level for f in findings} == {"mandatory"}
    assert all(f.urn.endswith("aws:s3/bucket:Bucket::" + f.urn.rsplit("::", 1)[-1]) for f in findings)


def test_an_allow_listed_bucket_may_use_aes256_and_only_that_one(analyze):
    config = {"s3-bucket-encrypted-with-cmk": {"aes256Buckets": ["aes256-bucket"]}}
    found = violations(analyze("violations-apply", config), "s3-bucket-encrypted-with-cmk")
    assert set(found) == {"unencrypted-bucket", "aws-managed-key-bucket", "inline-aes256-bucket"}


def test_rds_storage_must_be_encrypted_with_our_key(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "rds-storage-encrypted-with-cmk")
    assert list(found) == ["unencrypted-public-db"]
    messages = " ".join(found["unencrypted-public-db"])
    assert "storageEncrypted is not true" in messages and "`kmsKeyId` is not set" in messages


def test_performance_insights_must_use_our_key_when_enabled(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "rds-performance-insights-encrypted-with-cmk")
    assert list(found) == ["unencrypted-public-db"]
    assert "performanceInsightsKmsKeyId" in found["unencrypted-public-db"][0]


def test_ebs_volumes_instances_and_launch_templates_must_encrypt_with_our_key(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "ebs-encrypted-with-cmk")
    assert set(found) == {"unencrypted-volume", "unencrypted-public-instance", "unencrypted-public-template"}
    instance = " ".join(found["unencrypted-public-instance"])
    assert "declares no rootBlockDevice" in instance and "ebsBlockDevices[0] is not encrypted" in instance
    assert "blockDeviceMappings[0].ebs is not encrypted" in found["unencrypted-public-template"][0]


def test_lambda_environment_variables_must_use_our_key(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "lambda-environment-encrypted-with-cmk")
    assert list(found) == ["plain-env-outside-vpc-function"]
    assert "kmsKeyArn" in found["plain-env-outside-vpc-function"][0]


@pytest.mark.parametrize(
    ("policy", "resource", "fragment"),
    [
        ("cloudtrail-encrypted-with-cmk", "unencrypted-trail", "`kmsKeyId` is not set"),
        ("log-group-encrypted-with-cmk", "unencrypted-log-group", "`kmsKeyId` is not set"),
        ("sns-topic-encrypted-with-cmk", "aws-managed-key-topic", "alias/aws/sns, an AWS managed key"),
        ("sqs-queue-encrypted-with-cmk", "sqs-managed-sse-queue", "SSE-SQS"),
        ("kms-key-rotation-enabled", "no-rotation-key", "enableKeyRotation is not true"),
    ],
)
def test_services_must_encrypt_with_our_key(analyze, mode, policy, resource, fragment):
    found = violations(analyze(f"violations-{mode}"), policy)
    assert list(found) == [resource]
    assert fragment in found[resource][0]


def test_secrets_and_rds_managed_master_passwords_must_use_our_key(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "secret-encrypted-with-cmk")
    assert set(found) == {"aws-managed-key-secret", "unencrypted-public-db"}
    assert "masterUserSecretKmsKeyId" in found["unencrypted-public-db"][0]


def test_sqs_managed_encryption_is_accepted_only_when_configured(analyze):
    config = {"sqs-queue-encrypted-with-cmk": {"allowSqsManagedSse": True}}
    assert violations(analyze("violations-apply", config), "sqs-queue-encrypted-with-cmk") == {}


def test_key_deletion_window_minimum_defaults_to_seven_days_and_is_configurable(analyze):
    assert violations(analyze("violations-apply"), "kms-key-deletion-window") == {}
    config = {"kms-key-deletion-window": {"minKeyDeletionWindowDays": 30}}
    found = violations(analyze("violations-apply", config), "kms-key-deletion-window")
    assert list(found) == ["ten-day-window-key"]
    assert "deletionWindowInDays is 10, below the minimum of 30" in found["ten-day-window-key"][0]
