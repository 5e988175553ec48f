"""Glue security configurations, the Glue Data Catalog and Secrets Manager replicas encrypted with our key (issue 13).
Through the real pack process, both modes: a mode left out is DISABLED, an AWS managed key is not ours, and a second
catalog settings resource is judged on its own."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, assert_refused_exactly, run_fixture, violations


@pytest.fixture(scope="module")
def glue_secrets(policy_pack) -> Analyses:
    runs = {mode: run_fixture("glue_secrets", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "glue-encrypted-with-cmk",
            {
                "glue-security-sse-s3": "s3EncryptionMode` is SSE-S3",
                "glue-security-logs-left-out": "left out (the default is DISABLED)",
                "glue-security-aws-key": "alias/aws/glue, an AWS managed key",
                "catalog-second-weaker": "sseAwsKmsKeyId` is not set",
                "catalog-disabled": "`catalog_encryption_mode` is DISABLED",
            },
        ),
        (
            "secret-encrypted-with-cmk",
            {
                "secret-replica-key-left-out": "replicas[0] (us-west-2): `kmsKeyId` is not set",
                "secret-replica-aws-key": "replicas[0] (eu-west-1): `kmsKeyId` is alias/aws/secretsmanager",
            },
        ),
    ],
)
def test_each_weakened_resource_is_refused_and_the_ok_one_passes(glue_secrets, mode, policy, expected):
    found = violations(glue_secrets(mode), policy)
    assert_refused_exactly(found, expected)


def test_a_second_catalog_settings_resource_is_refused_for_each_weakness(glue_secrets, mode):
    found = violations(glue_secrets(mode), "glue-encrypted-with-cmk")["catalog-second-weaker"]
    assert len(found) == 2
    assert any("connection passwords are kept and returned in plaintext" in m for m in found)
