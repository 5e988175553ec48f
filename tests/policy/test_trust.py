"""Trust policies (issue 10 item 7): a federated OIDC trust pins the subject (a bare or prefix-only wildcard, or a
negated test, pins nothing), and another account needs sts:ExternalId unless the pack config names it. Through the
real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations

CONFIG = {"iam-trust-policy-scoped": {"accountIds": ["111111111111"], "trustedAccountIds": ["333333333333"]}}


@pytest.fixture(scope="module")
def trust(policy_pack) -> Analyses:
    runs = {mode: run_fixture("trust", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_a_federated_trust_must_pin_a_subject(trust, mode):
    found = violations(trust(mode, CONFIG), "iam-trust-policy-scoped")
    federated = {name: messages for name, messages in found.items() if "without" not in name}
    assert set(federated) == {
        "github-unpinned",
        "github-any-repo",
        "github-star-subject",  # one wildcard value among pinned ones admits everyone
        "github-negated-subject",  # StringNotEquals excludes one repository and admits the rest
        "eks-any-service-account",
    }
    assert "no condition on token.actions.githubusercontent.com:sub" in federated["github-unpinned"][0]
    assert "admits any of its identities" in federated["eks-any-service-account"][0]


def test_another_account_needs_an_external_id_unless_the_config_names_it(trust, mode):
    found = violations(trust(mode, CONFIG), "iam-trust-policy-scoped")
    accounts = {name for name in found if "without" in name}
    assert accounts == {"vendor-without-external-id", "vendor-role-without-external-id"}
    assert "account 222222222222" in found["vendor-role-without-external-id"][0]


def test_without_guarded_accounts_configured_the_own_account_needs_naming_too(trust, mode):
    """Fail closed: with no accountIds and no allowedAccountIds the pack cannot tell our account from another's."""
    found = violations(
        trust(mode, {"iam-trust-policy-scoped": {"trustedAccountIds": ["333333333333"]}}), "iam-trust-policy-scoped"
    )
    assert "ok-own-account" in found
    assert "list the account in accountIds" in found["ok-own-account"][0]
