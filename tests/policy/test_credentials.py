"""Credentials never in plaintext (issue 13): a database, cache, broker or search password given as a plain value
(a literal, or plain config) is refused, from a secret config key or another resource (a RandomPassword) it
passes; a stack output that looks secret must be marked secret. Through the real pack process, both modes: which
a credential comes from is read from its property dependencies and the stack config the engine hands the pack
(with its secret keys); whether an output is marked secret from what the engine sends."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations


@pytest.fixture(scope="module")
def credentials(policy_pack) -> Analyses:
    # dbSecret is `secure:` in the stack file: given here as `--config dbSecret=...` would give it.
    runs = {
        mode: run_fixture("credentials", preview=mode == "preview", dbSecret="not-a-real-secret-7")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


def test_plain_credentials_are_refused_and_secret_ones_pass(credentials, mode):
    found = violations(credentials(mode), "database-credentials-not-plaintext")
    assert set(found) == {
        "plain-password-docdb",
        "plain-config-redshift",  # config.require: the config value is plain, whatever the file says
        "plain-token-cache",
        "literal-secret-token-cache",  # Output.secret("...") hides it in the state, not in the source
        "plain-cache-user",
        "plain-user-broker",
        "plain-master-search",
        "plain-dms-endpoint",
        "encoded-plain-config-docdb",
        "concatenated-plain-config-docdb",
        "encoded-literal-docdb",
    }
    assert "`users[0].password` is written into the program" in found["plain-user-broker"][0]
    assert "the plain config key `policy-credentials:dbPassword`" in found["plain-config-redshift"][0]
    assert "`advancedSecurityOptions.masterUserOptions.masterUserPassword`" in found["plain-master-search"][0]
    assert "`passwords[0]`" in found["plain-cache-user"][0]


def test_a_credential_built_from_config_is_judged_by_the_key_it_holds(credentials, mode):
    """Encoding or extending a value does not change where it came from: base64 of a plain config value or a
    literal is still plaintext (and named so), a suffix on a secret config value is still secret."""
    found = violations(credentials(mode), "database-credentials-not-plaintext")
    for name in ("encoded-plain-config-docdb", "concatenated-plain-config-docdb"):
        assert "the plain config key `policy-credentials:dbPassword`" in found[name][0], found[name]
    assert "is written into the program" in found["encoded-literal-docdb"][0]
    assert not {"ok-derived-secret-docdb", "ok-encoded-secret-docdb"} & set(found)


def test_a_stack_output_that_looks_secret_must_be_marked_secret(credentials, mode):
    messages = violations(credentials(mode), "stack-outputs-no-plaintext-secrets")["policy-credentials-test"]
    assert len(messages) == 2
    assert any("`dbPassword`" in m for m in messages)
    assert any("`connection.password`" in m for m in messages)  # nested, by its own key


def test_no_credential_value_is_ever_printed(credentials, mode):
    text = " ".join(f.message for f in credentials(mode))
    assert "not-a-real" not in text
