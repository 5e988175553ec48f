"""Resilience and data protection: RDS availability, backups, deletion protection, tags on snapshots, upgrades,
IAM auth, managed passwords and port; S3 versioning, public access block, ownership and lifecycle; Auto Scaling
across AZs on ELB health checks; IMDSv2; load balancer deletion protection. Through the real pack, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, undecided, violations

POLICIES = [
    "rds-multi-az",
    "rds-backup-retention",
    "rds-deletion-protection",
    "rds-copy-tags-to-snapshots",
    "rds-auto-minor-version-upgrade",
    "rds-iam-authentication",
    "rds-master-password-managed",
    "rds-non-default-port",
    "s3-bucket-versioning",
    "s3-bucket-public-access-blocked",
    "s3-bucket-ownership-enforced",
    "s3-bucket-lifecycle",
    "autoscaling-group-multi-az",
    "autoscaling-group-elb-health-check",
    "imdsv2-required",
    "lb-deletion-protection",
]


@pytest.fixture(scope="module")
def resilience(policy_pack) -> Analyses:
    runs = {
        f"{kind}-{mode}": run_fixture(f"resilience_{kind}", preview=mode == "preview")
        for kind in ("compliant", "violations")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_compliant_program_violates_no_resilience_policy(resilience, mode, policy):
    assert violations(resilience(f"compliant-{mode}"), policy) == {}


def test_nothing_is_undecided_at_preview_although_subnet_and_bucket_ids_are_unknown(resilience):
    assert [f for f in undecided(resilience("compliant-preview")) if f.policy in POLICIES] == []
    assert [f for f in undecided(resilience("violations-preview")) if f.policy in POLICIES] == []


@pytest.mark.parametrize(
    ("policy", "fragment"),
    [
        ("rds-multi-az", "is single-AZ"),
        ("rds-deletion-protection", "deletionProtection is not true"),
        ("rds-copy-tags-to-snapshots", "does not copy its tags to snapshots"),
        ("rds-auto-minor-version-upgrade", "does not take automatic minor upgrades"),
        ("rds-iam-authentication", "does not accept IAM authentication"),
    ],
)
def test_an_rds_instance_must_survive_an_az_a_mistake_and_old_engines(resilience, mode, policy, fragment):
    found = violations(resilience(f"violations-{mode}"), policy)
    assert {name for name in found if name != "password-cluster"} == {"fragile-db"}
    assert fragment in found["fragile-db"][0]


def test_backups_are_kept_at_least_seven_days_by_default(resilience, mode):
    found = violations(resilience(f"violations-{mode}"), "rds-backup-retention")
    assert found == {
        "fragile-db": ["database fragile-db keeps 1 day(s) of backups; at least 7 are required."],
        "secret-password-db": ["database secret-password-db keeps 3 day(s) of backups; at least 7 are required."],
    }


def test_the_backup_minimum_is_configurable(resilience):
    found = violations(
        resilience("violations-apply", {"rds-backup-retention": {"minBackupRetentionDays": 3}}), "rds-backup-retention"
    )
    assert set(found) == {"fragile-db"}


def test_a_master_password_in_the_program_is_refused_even_as_a_secret(resilience, mode):
    found = violations(resilience(f"violations-{mode}"), "rds-master-password-managed")
    assert set(found) == {"fragile-db", "secret-password-db", "password-cluster"}
    assert "through `masterPassword`" in found["password-cluster"][0]


def test_the_engine_default_port_is_refused(resilience, mode):
    found = violations(resilience(f"violations-{mode}"), "rds-non-default-port")
    assert set(found) == {"fragile-db", "secret-password-db"}
    assert "default port 5432" in found["fragile-db"][0]


def test_every_bucket_is_versioned_blocked_owner_enforced_and_has_a_lifecycle(resilience, mode):
    findings = resilience(f"violations-{mode}")
    for policy in ("s3-bucket-versioning", "s3-bucket-lifecycle"):
        assert set(violations(findings, policy)) == {"bare-bucket", "half-bucket"}, policy
    # S3's defaults for a new bucket are all four public access settings on and BucketOwnerEnforced: the bare
    # bucket that declares neither passes; the half bucket's declared weaker settings do not.
    for policy in ("s3-bucket-public-access-blocked", "s3-bucket-ownership-enforced"):
        assert set(violations(findings, policy)) == {"half-bucket"}, policy
    assert "(status Suspended)" in violations(findings, "s3-bucket-versioning")["half-bucket"][0]
    assert (
        "leaves blockPublicPolicy, restrictPublicBuckets off"
        in violations(findings, "s3-bucket-public-access-blocked")["half-bucket"][0]
    )
    ownership = violations(findings, "s3-bucket-ownership-enforced")["half-bucket"]
    assert any("object ownership ObjectWriter" in m for m in ownership)
    assert any("is given an ACL by half-bucket-acl" in m for m in ownership)


def test_auto_scaling_groups_span_two_availability_zones(resilience, mode):
    """Joined to their subnets' AZs through property dependencies: two subnets in one AZ are not enough."""
    found = violations(resilience(f"violations-{mode}"), "autoscaling-group-multi-az")
    assert set(found) == {"single-az-asg", "one-subnet-asg"}
    assert "spans 1 Availability Zone(s) (us-east-1a)" in found["single-az-asg"][0]


def test_groups_behind_a_load_balancer_use_elb_health_checks(resilience, mode):
    found = violations(resilience(f"violations-{mode}"), "autoscaling-group-elb-health-check")
    assert set(found) == {"single-az-asg"}  # one-subnet-asg has no load balancer


def test_instances_and_launch_templates_require_imdsv2(resilience, mode):
    found = violations(resilience(f"violations-{mode}"), "imdsv2-required")
    assert set(found) == {"imdsv1-template", "optional-tokens-instance"}


def test_load_balancers_have_deletion_protection(resilience, mode):
    assert set(violations(resilience(f"violations-{mode}"), "lb-deletion-protection")) == {"unprotected-alb"}


def test_the_fewest_availability_zones_is_configurable(resilience):
    config = {"autoscaling-group-multi-az": {"minAvailabilityZones": 3}}
    found = violations(resilience("compliant-apply", config), "autoscaling-group-multi-az")
    assert list(found) == ["app-asg"]
