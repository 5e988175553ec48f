"""This project's own prod stack against its own policy pack, as a first preview and as an update.

A tier resource that breaks a policy is a finding for that tier, not a reason to weaken the policy: the only
deviations are the ones policy/config.json exempts, each with its reason (tests/policy/test_exemptions.py checks
that the stack with those exemptions violates nothing).
"""

from __future__ import annotations

import json

from preflight.analyze import load_policy_pack_config
from tests.policy.conftest import POLICY_DIR, name_of

# (policy, resource) findings of the prod stack that a tier is still fixing, read by tests/test_preflight_cli.py:
# none. Every deviation the stack must keep is an exemption with its reason in policy/config.json.
KNOWN_FINDINGS: set[tuple[str, str]] = set()


def test_without_exemptions_the_prod_stack_violates_exactly_what_the_shipped_config_exempts(policy_pack, prod):
    shipped = load_policy_pack_config(POLICY_DIR / "config.json")
    exempted = {(policy, entry["name"]) for policy, settings in shipped.items() for entry in settings["exemptions"]}
    found = {(f.policy, name_of(f)) for f in policy_pack.analyze(prod) if not f.undecided}
    assert found == exempted


def test_the_prod_stack_is_never_blocked_by_a_value_unknown_at_preview(policy_pack, prod_preview):
    notes = [f for f in policy_pack.analyze(prod_preview) if f.undecided]
    assert all(f.enforcement_level == "advisory" for f in notes)


def test_the_prod_stack_names_its_account_and_the_account_rules_judge_against_it(policy_pack, prod):
    """accountId reaches the provider's allowed_account_ids, which the pack takes as the guarded account: with
    the account the stack really runs in (the offline mock account) nothing is another's; told another account,
    the same stack's own ARNs are foreign, so the rules do judge prod rather than skip it."""
    from tests.conftest import run_stack

    provider = next(r for r in prod.resources if r.type == "pulumi:providers:aws")
    assert json.loads(provider.inputs["allowedAccountIds"]) == ["123456789012"]  # provider inputs arrive as JSON
    elsewhere = run_stack(preview=False, accountId="210987654321")
    found = {f.policy for f in policy_pack.analyze(elsewhere) if not f.undecided and not f.exempted}
    assert "kms-key-access-this-account" in found
