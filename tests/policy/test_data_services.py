"""Encryption of the data services a team adds (issue 13): ElastiCache, OpenSearch, DocumentDB, Neptune, MSK,
Amazon MQ, Redshift, CodeBuild and SageMaker, at rest with our key and in transit. Through the real pack process,
both modes: a key unknown at preview (our key, not created yet) passes; the defaults left out are violations."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, assert_refused_exactly, run_fixture, violations


@pytest.fixture(scope="module")
def services(policy_pack) -> Analyses:
    runs = {mode: run_fixture("data_services", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "elasticache-encrypted-with-cmk",
            {
                "cache-defaults": "at_rest_encryption_enabled is not true",
                "cache-aws-key": "AWS managed key",
                "serverless-cache-default-key": "`kmsKeyId` is not set",
                "redis-standalone-cluster": "cannot encrypt at rest",
            },
        ),
        (
            "elasticache-encrypted-in-transit",
            {
                "cache-defaults": "transit_encryption_enabled is not true",
                "cache-preferred-no-auth": "'preferred' still accepts plaintext",
                "redis-standalone-cluster": "cannot encrypt in transit",
                "memcached-plain": "transit_encryption_enabled is not true",
            },
        ),
        (
            "opensearch-domain-encrypted-with-cmk",
            {"search-defaults": "encrypt_at_rest is not enabled"},
        ),
        (
            "opensearch-domain-https-only",
            {"search-defaults": "is left out", "search-tls-1-0": "Policy-Min-TLS-1-0-2019-07"},
        ),
        (
            "docdb-cluster-encrypted-with-cmk",
            {"docdb-defaults": "storage_encrypted is not true", "neptune-aws-key": "`kmsKeyArn` is not set"},
        ),
        (
            "msk-cluster-encrypted-with-cmk",
            {"msk-plaintext-clients": "TLS_PLAINTEXT"},
        ),
        (
            "mq-broker-encrypted-with-cmk",
            {"mq-defaults": "use_aws_owned_key is not false", "mq-aws-managed-key": "`kmsKeyId` is not set"},
        ),
        (
            "redshift-cluster-encrypted-with-cmk",
            {"redshift-default-key": "`kmsKeyId` is not set", "redshift-unencrypted": "encrypted is false"},
        ),
        ("codebuild-project-encrypted-with-cmk", {"codebuild-default-key": "`encryptionKey` is not set"}),
        ("sagemaker-encrypted-with-cmk", {"notebook-default-key": "`kmsKeyId` is not set"}),
    ],
)
def test_each_weakened_service_is_refused_and_the_ok_one_passes(services, mode, policy, expected):
    found = violations(services(mode), policy)
    assert_refused_exactly(found, expected)


def test_both_halves_of_a_cache_are_judged(services, mode):
    """The replication group with nothing set fails at rest and in transit: one fix does not hide the other."""
    found = violations(services(mode), "elasticache-encrypted-in-transit")
    assert "cache-defaults" in found
    assert any("no auth_token" in m for m in found["cache-preferred-no-auth"])


def test_the_node_to_node_half_of_a_search_domain_is_judged_too(services, mode):
    found = violations(services(mode), "opensearch-domain-encrypted-with-cmk")
    assert any("node_to_node_encryption is not enabled" in m for m in found["search-defaults"])
