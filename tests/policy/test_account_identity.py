"""Identity is this account (issue 10 item 6): keys, key policies and grants give access only to the accounts the
pack guards (config accountIds, and the provider's allowedAccountIds); "everyone" is narrowed only by account- or
organization-scoped condition keys; a Lambda service principal needs a source. Through the real pack, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations

THIS_ACCOUNT = "kms-key-access-this-account"


@pytest.fixture(scope="module")
def identity(policy_pack) -> Analyses:
    runs = {m: run_fixture("account_identity", preview=m == "preview") for m in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_keys_policies_and_grants_that_give_another_account_access_are_refused(identity, mode):
    found = violations(identity(mode), THIS_ACCOUNT)
    assert set(found) == {"other-account-key", "other-caller-account-key-policy", "other-account-grant"}
    assert "statement TheirDecrypt gives account(s) 999999999999 kms:Decrypt" in found["other-account-key"][0]
    assert (
        "statement AnyoneFromTheirAccount gives account(s) 999999999999"
        in (found["other-caller-account-key-policy"][0])
    )
    assert "gives account 999999999999 (granteePrincipal) use of the key" in found["other-account-grant"][0]


def test_the_guarded_accounts_come_from_the_providers_allowed_account_ids_and_the_pack_config(identity):
    config = {THIS_ACCOUNT: {"accountIds": ["999999999999"]}}  # theirs is ours too, now
    assert violations(identity("apply", config), THIS_ACCOUNT) == {}


def test_everyone_narrowed_by_a_user_name_is_still_everyone(identity, mode):
    found = violations(identity(mode), "resource-policy-not-public")
    assert set(found) == {"username-narrowed-key"}
    assert "allows kms:Decrypt to everyone" in found["username-narrowed-key"][0]


def test_a_lambda_service_principal_without_a_source_is_any_account(identity, mode):
    found = violations(identity(mode), "lambda-permission-not-public")
    assert found == {
        "unsourced-events-permission": [
            "permission unsourced-events-permission lets any events.amazonaws.com resource, in any account, invoke "
            "the function (no sourceArn or sourceAccount)."
        ]
    }


def test_every_account_rule_takes_the_one_account_ids_schema():
    """One fact, one schema: the pack config's accountIds means the same accounts for every policy that takes it."""
    from secure_aws_policies import ALL_POLICIES
    from secure_aws_policies.accounts import ACCOUNT_IDS_SCHEMA

    taking = [p for p in ALL_POLICIES if p.config_schema and "accountIds" in p.config_schema.properties]
    assert len(taking) >= 6  # kms, resource policies (2), sharing (2), network paths, trust
    for policy in taking:
        assert policy.config_schema.properties["accountIds"] == ACCOUNT_IDS_SCHEMA, policy.name
