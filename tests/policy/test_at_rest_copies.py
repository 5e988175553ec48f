"""Snapshot copies and imports, elastic DocumentDB and Kinesis video streams encrypted with our key (issue 13, the
types kms_key_types.txt names that the backlog listed). Through the real pack process, both modes; a key left out is
the service's AWS managed key, and `encrypted` left out on an import is unencrypted."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, assert_refused_exactly, run_fixture, violations


@pytest.fixture(scope="module")
def copies(policy_pack) -> Analyses:
    runs = {mode: run_fixture("at_rest_copies", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "ebs-snapshot-copy-encrypted-with-cmk",
            {
                "import-unencrypted": "imported EBS snapshot import-unencrypted: `encrypted` is not true",
                "import-aws-key": "alias/aws/ebs, an AWS managed key",
            },
        ),
        ("docdb-cluster-encrypted-with-cmk", {"elastic-docdb-key-left-out": "`kmsKeyId` is not set"}),
        ("kinesis-video-stream-encrypted-with-cmk", {"video-key-left-out": "`kmsKeyId` is not set"}),
        (
            "rds-snapshot-copy-encrypted-with-cmk",
            {
                "snapshot-copy-key-left-out": "`kmsKeyId` is not set",
                "cluster-snapshot-copy-aws-key": "alias/aws/rds, an AWS managed key",
            },
        ),
    ],
)
def test_each_weakened_resource_is_refused_and_the_ok_one_passes(copies, mode, policy, expected):
    found = violations(copies(mode), policy)
    assert_refused_exactly(found, expected)
