"""Region everywhere (issue 10 item 11): a region named inside a resource (a replica's region, a copy's or
replication's destination, a destination ARN) is judged against allowedRegions, not only the provider's.
Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations

POLICY = "aws-region-allowed"


@pytest.fixture(scope="module")
def regions(policy_pack) -> Analyses:
    runs = {mode: run_fixture("regions_inside", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_replicas_and_copies_to_another_region_are_violations(regions, mode):
    found = violations(regions(mode), POLICY)
    assert set(found) == {
        "eu-replica-secret",
        "eu-replica-table",
        "eu-snapshot-copy",
        "eu-ecr-replication",
        "eu-copy-plan",
    }
    assert "replicas[0].region" in found["eu-replica-secret"][0]
    assert "eu-central-1" in found["eu-snapshot-copy"][0]
    assert "destinationVaultArn" in found["eu-copy-plan"][0]


def test_an_allowed_region_passes_when_named_inside(regions, mode):
    config = {POLICY: {"allowedRegions": ["us-east-1", "eu-west-1", "eu-central-1"]}}
    assert violations(regions(mode, config), POLICY) == {}
