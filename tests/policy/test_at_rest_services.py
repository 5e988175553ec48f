"""Encryption at rest with our key and data protection for services the program does not use yet (issue 13):
EFS, DynamoDB, ECR, Kinesis, Firehose, Backup, SSM, EBS snapshot copies. Through the real pack process, both
modes; the defaults left out are violations."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations

POLICIES = [
    "efs-file-system-encrypted-with-cmk",
    "dynamodb-table-encrypted-with-cmk",
    "dynamodb-table-point-in-time-recovery",
    "ecr-repository-encrypted-with-cmk",
    "ecr-repository-scan-on-push",
    "ecr-repository-tags-immutable",
    "kinesis-stream-encrypted-with-cmk",
    "firehose-encrypted-with-cmk",
    "backup-vault-encrypted-with-cmk",
    "ssm-secure-string-encrypted-with-cmk",
    "ebs-snapshot-copy-encrypted-with-cmk",
]


@pytest.fixture(scope="module")
def at_rest(policy_pack) -> Analyses:
    runs = {
        f"{kind}-{mode}": run_fixture(f"at_rest_{kind}", preview=mode == "preview")
        for kind in ("compliant", "violations")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_compliant_program_violates_no_at_rest_policy(at_rest, mode, policy):
    assert violations(at_rest(f"compliant-{mode}"), policy) == {}


def test_efs_needs_encryption_and_our_key_with_the_default_left_out_refused(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "efs-file-system-encrypted-with-cmk")
    assert set(found) == {"efs-default-unencrypted", "efs-unencrypted", "efs-aws-managed-key", "efs-aws-alias"}
    assert "`encrypted` is left out (the default is false)" in found["efs-default-unencrypted"][0]
    assert "`encrypted` is false" in found["efs-unencrypted"][0]
    assert "AWS managed key" in found["efs-aws-managed-key"][0]
    assert "alias/aws/elasticfilesystem, an AWS managed key" in found["efs-aws-alias"][0]


def test_dynamodb_tables_and_every_replica_use_our_key(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "dynamodb-table-encrypted-with-cmk")
    assert set(found) == {
        "table-default-encryption",
        "table-aws-managed-key",
        "table-sse-disabled",
        "table-replica-default-key",
        "replica-default-key",
    }
    assert "AWS owned key" in found["table-default-encryption"][0]
    assert "AWS owned key" in found["table-sse-disabled"][0]  # a key ARN does not count while SSE is off
    assert "`kmsKeyArn` is not set" in found["table-aws-managed-key"][0]
    assert found["table-replica-default-key"] == [
        "DynamoDB table table-replica-default-key: replicas[0] in us-west-2: `kmsKeyArn` is not set, so the service "
        "encrypts with its AWS managed key, not our customer-managed key."
    ]
    assert "DynamoDB table replica replica-default-key" in found["replica-default-key"][0]


def test_dynamodb_tables_need_point_in_time_recovery(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "dynamodb-table-point-in-time-recovery")
    assert set(found) == {"table-no-pitr", "table-pitr-disabled"}
    assert "is left out (the default is disabled)" in found["table-no-pitr"][0]
    assert "is disabled" in found["table-pitr-disabled"][0]


def test_ecr_repositories_use_our_key(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "ecr-repository-encrypted-with-cmk")
    assert set(found) == {"ecr-default-encryption", "ecr-aws-managed-key"}
    assert "left out (the default is AES256)" in found["ecr-default-encryption"][0]
    assert "`kmsKey` is not set" in found["ecr-aws-managed-key"][0]


def test_ecr_repositories_scan_on_push(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "ecr-repository-scan-on-push")
    assert set(found) == {"ecr-no-scanning", "ecr-scan-off"}
    assert "left out (the default is false)" in found["ecr-no-scanning"][0]


def test_ecr_tags_are_immutable_and_an_exclusion_needs_an_exemption(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "ecr-repository-tags-immutable")
    assert set(found) == {"ecr-default-mutable", "ecr-mutable-with-exclusion"}
    assert "left out (the default is MUTABLE)" in found["ecr-default-mutable"][0]
    assert "is IMMUTABLE_WITH_EXCLUSION" in found["ecr-mutable-with-exclusion"][0]


def test_kinesis_streams_use_our_key_with_the_default_none_refused(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "kinesis-stream-encrypted-with-cmk")
    assert set(found) == {"stream-default-unencrypted", "stream-aws-alias"}
    assert "left out (the default is NONE)" in found["stream-default-unencrypted"][0]
    assert "alias/aws/kinesis, an AWS managed key" in found["stream-aws-alias"][0]


def test_direct_put_firehose_streams_use_our_key(at_rest, mode):
    """A stream fed by a Kinesis stream is left to the stream's policy (the compliant program has one)."""
    found = violations(at_rest(f"violations-{mode}"), "firehose-encrypted-with-cmk")
    assert set(found) == {"firehose-default-sse", "firehose-aws-owned-key"}
    assert "`server_side_encryption` is not enabled" in found["firehose-default-sse"][0]
    assert "left out (the default is AWS_OWNED_CMK)" in found["firehose-aws-owned-key"][0]


def test_backup_vaults_use_our_key(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "backup-vault-encrypted-with-cmk")
    assert found == {
        "vault-default-key": [
            "backup vault vault-default-key: `kmsKeyArn` is not set, so the service encrypts with its AWS managed key, "
            "not our customer-managed key."
        ]
    }


def test_secure_string_parameters_use_our_key_and_plain_strings_are_not_judged_here(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "ssm-secure-string-encrypted-with-cmk")
    assert set(found) == {"secure-param-default-key", "secure-param-aws-alias"}
    assert "alias/aws/ssm, an AWS managed key" in found["secure-param-aws-alias"][0]


def test_snapshot_copies_are_encrypted_with_our_key(at_rest, mode):
    found = violations(at_rest(f"violations-{mode}"), "ebs-snapshot-copy-encrypted-with-cmk")
    assert set(found) == {"snapshot-copy-default", "snapshot-copy-aws-managed-key"}
    assert "`encrypted` is not true" in found["snapshot-copy-default"][0]
    assert "`kmsKeyId` is not set" in found["snapshot-copy-aws-managed-key"][0]


def test_no_value_of_a_secure_string_is_ever_printed(at_rest, mode):
    messages = [f.message for f in at_rest(f"violations-{mode}")]
    assert not any("not-a-real-secret" in message for message in messages)
