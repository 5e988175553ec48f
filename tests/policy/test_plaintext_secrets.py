"""Secrets never in plaintext (issue 13): Lambda environment variables and SSM String parameters, judged by key
name, known token formats and entropy, never printing the value. Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations

POLICIES = ["lambda-environment-no-plaintext-secrets", "ssm-parameter-no-plaintext-secrets"]
FAKE_VALUES = ["correct-horse-battery", "AKIAIOSFODNN7EXAMPLE", "xoxb-", "ghp_", "MIIEfake", "q8Zr3vX1bN7mK2pL"]


@pytest.fixture(scope="module")
def secrets(policy_pack) -> Analyses:
    runs = {
        f"{kind}-{mode}": run_fixture(f"secrets_{kind}", preview=mode == "preview")
        for kind in ("compliant", "violations")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize("policy", POLICIES)
def test_references_and_ordinary_configuration_are_not_secrets(secrets, mode, policy):
    assert violations(secrets(f"compliant-{mode}"), policy) == {}


def test_lambda_environment_secrets_are_found_by_name_format_and_entropy(secrets, mode):
    found = violations(secrets(f"violations-{mode}"), "lambda-environment-no-plaintext-secrets")
    messages = found["function-with-secrets"]
    reasons = {m.split("environment variable ", 1)[1].split(";")[0] for m in messages}
    assert reasons == {
        "ACCESS holds what looks like an AWS access key id",
        "CI holds what looks like a GitHub token",
        "DB_PASSWORD is named like a secret (DB_PASSWORD)",
        "NOTIFY holds what looks like a Slack token",
        "OPAQUE holds a long high-entropy string, like a key or password",
        "SIGNING holds what looks like a private key",
    }
    assert all("Secrets Manager" in m for m in messages)


def test_ssm_string_parameters_holding_secrets_must_be_secure_strings(secrets, mode):
    found = violations(secrets(f"violations-{mode}"), "ssm-parameter-no-plaintext-secrets")
    assert set(found) == {"password-as-string", "key-in-string-list", "insecure-value"}
    assert "named like a secret (/app/db/password)" in found["password-as-string"][0]
    assert "make it a SecureString" in found["insecure-value"][0]


def test_no_message_ever_prints_the_secret(secrets, mode):
    messages = [f.message for f in secrets(f"violations-{mode}")]
    assert messages
    assert not [m for m in messages for fake in FAKE_VALUES if fake in m]
