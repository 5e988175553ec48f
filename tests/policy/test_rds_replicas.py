"""A read replica takes its source's encryption (issue 13: "a read replica of an unencrypted source is
unencrypted"; issue 10 item 3). Through the real pack process, both modes: a replica of a source this stack
manages is judged through that source; one whose source is outside the stack must name our key."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations


@pytest.fixture(scope="module")
def replicas(policy_pack) -> Analyses:
    runs = {mode: run_fixture("rds_replicas", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_a_replica_of_an_outside_source_must_name_our_key(replicas, mode):
    found = violations(replicas(mode), "rds-replica-of-outside-source-encrypted")
    assert set(found) == {"replica-outside-source", "replica-outside-aws-key"}
    assert "`kmsKeyId` is not set" in found["replica-outside-source"][0]
    assert "AWS managed key" in found["replica-outside-aws-key"][0]


def test_replicas_are_not_judged_as_unencrypted_databases_themselves(replicas, mode):
    """storage_encrypted is ignored on a replica: the source decides, so the replica is not asked to set it."""
    found = violations(replicas(mode), "rds-storage-encrypted-with-cmk")
    assert set(found) == set()
