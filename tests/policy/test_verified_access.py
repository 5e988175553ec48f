"""Verified Access policies (issue 13, resource policies of every kind): Cedar group and endpoint policies admit a
request only on a condition on the trust data; a group's policy and an endpoint's combine (both must allow). Through
the real pack process, both modes. Program: tests/policy/programs/verified_access."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations

POLICY = "verified-access-policy-tests-trust-data"


@pytest.fixture(scope="module")
def verified_access(policy_pack) -> Analyses:
    runs = {m: run_fixture("verified_access", preview=m == "preview") for m in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_a_group_policy_that_tests_no_trust_data_is_refused(verified_access, mode):
    found = violations(verified_access(mode), POLICY)
    groups = {name for name in found if "endpoint" not in name}
    # No `when`, `when { true }`, only an `unless`; an open permit in a comment and a `;` in a string do not count.
    assert groups == {"open-group", "when-true-group", "unless-only-group"}
    assert found["open-group"] == [
        "verified access group open-group: its policy permits every identity the trust provider authenticates (no "
        "`when` condition on context), on every endpoint without a policy of its own."
    ]


def test_an_open_endpoint_policy_is_refused_unless_its_groups_policy_narrows_it(verified_access, mode):
    found = violations(verified_access(mode), POLICY)
    endpoints = {name: messages for name, messages in found.items() if "endpoint" in name}
    assert set(endpoints) == {
        "open-endpoint-in-open-group",
        "open-endpoint-in-group-without-policy",
        "open-endpoint-group-elsewhere",
    }
    assert "its group's policy is not in this stack" in endpoints["open-endpoint-group-elsewhere"][0]
    assert "its group's policy is open too or left out" in endpoints["open-endpoint-in-open-group"][0]


@pytest.mark.parametrize(
    ("document", "open_"),
    [
        ("permit(principal, action, resource);", True),
        ('@id("all")\npermit (principal, action, resource) when {1 == 1};', True),
        ('permit(principal, action, resource) when { context.idc.groups.contains("admins") };', False),
        ("permit(principal, action, resource);\nforbid(principal, action, resource);", False),  # denies all
        (
            'permit(principal, action, resource);\nforbid(principal, action, resource) when { context.x == "y" };',
            True,
        ),
        ('permit(principal, action, resource) when { "context" == "context" };', True),  # a string is not the data
    ],
)
def test_the_cedar_reading(document, open_):
    from secure_aws_policies.services.verified_access import admits_everyone

    assert admits_everyone(document) is open_
