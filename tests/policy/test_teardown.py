"""Retention and teardown (issue 10 item 10): log buckets keep current objects minRetentionDays; in production
nothing is deleted with its data; images and snapshots are shared only with the guarded accounts. Through the real
pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations

GUARDED = {
    "ec2-image-and-snapshot-not-shared": {"accountIds": ["111111111111"]},
    "rds-snapshot-not-shared": {"accountIds": ["111111111111"]},
}
NOT_PRODUCTION = {
    "s3-bucket-no-force-destroy": {"production": False},
    "rds-keeps-final-snapshot-and-backups": {"production": False},
}


@pytest.fixture(scope="module")
def teardown(policy_pack) -> Analyses:
    runs = {mode: run_fixture("teardown", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_log_buckets_keep_current_objects_the_minimum_in_every_lifecycle_form(teardown, mode):
    found = violations(teardown(mode, GUARDED), "s3-log-bucket-retention")
    assert set(found) == {"short-trail-bucket", "dated-log-bucket", "inline-flow-log-bucket"}
    assert "after 90 day(s)" in found["short-trail-bucket"][0]
    assert "on a fixed date" in found["dated-log-bucket"][0]
    assert "inline lifecycle rule expires current objects after 30 day(s)" in found["inline-flow-log-bucket"][0]


def test_the_minimum_is_the_pack_config(teardown, mode):
    found = violations(
        teardown(mode, {**GUARDED, "s3-log-bucket-retention": {"minRetentionDays": 60}}), "s3-log-bucket-retention"
    )
    assert set(found) == {"dated-log-bucket", "inline-flow-log-bucket"}  # 90 days is enough for 60


def test_in_production_no_bucket_is_force_destroyed(teardown, mode):
    assert set(violations(teardown(mode, GUARDED), "s3-bucket-no-force-destroy")) == {"force-destroy-bucket"}


def test_in_production_databases_keep_a_final_snapshot_and_their_automated_backups(teardown, mode):
    found = violations(teardown(mode, GUARDED), "rds-keeps-final-snapshot-and-backups")
    assert set(found) == {"skip-snapshot-db", "default-backups-db", "skip-snapshot-cluster"}
    assert "defaults it to true" in found["default-backups-db"][0]  # the default left out is the insecure one


def test_outside_production_teardown_is_allowed(teardown, mode):
    config = {**GUARDED, **NOT_PRODUCTION}
    for policy in NOT_PRODUCTION:
        assert violations(teardown(mode, config), policy) == {}, policy


def test_images_and_snapshots_are_shared_only_with_guarded_accounts(teardown, mode):
    found = violations(teardown(mode, GUARDED), "ec2-image-and-snapshot-not-shared")
    assert set(found) == {"public-ami", "org-ami", "foreign-snapshot"}
    assert set(violations(teardown(mode, GUARDED), "rds-snapshot-not-shared")) == {"public-db-snapshot"}


def test_without_guarded_accounts_any_sharing_is_a_violation(teardown, mode):
    found = violations(teardown(mode), "ec2-image-and-snapshot-not-shared")
    assert {"ok-ami", "ok-snapshot"} <= set(found)
    assert "ok-cluster-snapshot-copy" in violations(teardown(mode), "rds-snapshot-not-shared")
