"""Paths, not single resources (issue 10 item 2, other accounts): a peering connection, a Transit Gateway attachment
or a RAM share that gives another account a way into the data tier. Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, undecided, violations

POLICY = "vpc-data-tier-not-reachable-cross-account"


@pytest.fixture(scope="module")
def cross(policy_pack) -> Analyses:
    return Analyses(
        policy_pack, {m: run_fixture("cross_account", preview=m == "preview") for m in ("preview", "apply")}
    )


def test_another_accounts_path_into_the_data_tier_is_a_violation(cross, mode):
    found = violations(cross(mode), POLICY)
    expected = {
        "partner-peering",
        "foreign-hub-attachment",
        "hub-share-association",  # our own transit gateway, attached to the data VPC, shared with a partner
        "data-subnet-share-association",  # an organization holds accounts the pack does not guard
        "database-share-association",
    }
    if mode == "apply":
        expected |= {"late-peering", "late-share-association"}
    assert set(found) == expected
    assert "joins data VPC vpc to account 210987654321" in found["partner-peering"][0]
    assert (
        "transit gateway hub (attached to the data VPC by ok-own-hub-attachment)" in (found["hub-share-association"][0])
    )
    assert "data subnet data-b" in found["data-subnet-share-association"][0]
    assert "organization/o-exampleorgid" in found["data-subnet-share-association"][0]
    assert "database database-cluster" in found["database-share-association"][0]


def test_a_peer_account_or_principal_unknown_at_preview_is_undecided_there_only(cross):
    assert [f for f in undecided(cross("preview")) if f.policy == POLICY]
    assert not [f for f in undecided(cross("apply")) if f.policy == POLICY]


def test_same_account_guarded_accounts_and_the_app_tier_pass(cross, mode):
    assert not [name for name in violations(cross(mode), POLICY) if name.startswith("ok-")]


def test_config_account_ids_are_guarded_too_but_an_organization_never_is(cross, mode):
    config = {POLICY: {"accountIds": ["210987654321"]}}
    assert set(violations(cross(mode, config), POLICY)) == {"foreign-hub-attachment", "data-subnet-share-association"}
