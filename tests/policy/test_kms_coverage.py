"""Every pulumi-aws resource type that takes a KMS key is judged by an encryption policy or is on the backlog with
a reason (issue 13): a type pulumi-aws adds, or one a team starts using, is not missed silently."""

from __future__ import annotations

from pathlib import Path

from tests.policy.conftest import POLICY_DIR

KMS_KEY_TYPES = POLICY_DIR / "secure_aws_policies" / "kms_key_types.txt"
REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.txt"


def _listed() -> dict[str, list[str]]:
    lines = [line.split() for line in KMS_KEY_TYPES.read_text().splitlines() if line and not line.startswith("#")]
    return {token: paths for token, *paths in lines}


def _judged() -> set[str]:
    from secure_aws_policies import ALL_POLICIES
    from secure_aws_policies.registry import Category

    return {t for p in ALL_POLICIES if p.category is Category.ENCRYPTION for t in p.resource_types}


def test_the_generated_list_is_from_the_pinned_pulumi_aws():
    pinned = next(
        line.split("==", 1)[1].strip()
        for line in REQUIREMENTS.read_text().splitlines()
        if line.startswith("pulumi-aws==")
    )
    assert f"from pulumi-aws {pinned};" in KMS_KEY_TYPES.read_text().splitlines()[0]


def test_the_generated_list_finds_keys_however_the_argument_is_named_or_nested():
    listed = _listed()
    assert listed["aws:efs/fileSystem:FileSystem"] == ["kmsKeyId"]
    assert listed["aws:ssm/parameter:Parameter"] == ["keyId"]
    assert "serverSideEncryption.kmsKeyArn" in listed["aws:dynamodb/table:Table"]
    assert "encryptionConfigurations.kmsKey" in listed["aws:ecr/repository:Repository"]
    assert "serverSideEncryption.keyArn" in listed["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"]
    assert "aws:kms/grant:Grant" not in listed  # names the key it grants on, not a key encrypting data


def test_every_type_with_a_kms_key_is_judged_or_on_the_backlog_with_a_reason():
    from secure_aws_policies.encryption_backlog import NOT_YET_COVERED

    missed = sorted(set(_listed()) - _judged() - set(NOT_YET_COVERED))
    assert missed == [], f"judge these with an encryption policy or add them to encryption_backlog.py: {missed}"
    assert all(len(reason) > 40 for reason in NOT_YET_COVERED.values())


def test_the_backlog_names_only_types_that_take_a_key_and_no_policy_judges():
    from secure_aws_policies.encryption_backlog import NOT_YET_COVERED

    assert sorted(set(NOT_YET_COVERED) & _judged()) == [], "judged now: remove from encryption_backlog.py"
    assert sorted(set(NOT_YET_COVERED) - set(_listed())) == [], "no longer takes a key: remove from the backlog"
