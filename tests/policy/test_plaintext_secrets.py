"""Secrets never in plaintext (issue 13): Lambda environment variables, SSM String parameters, instance and
launch template user data, CodeBuild and ECS environments, judged by key name, known token formats and entropy,
never printing the value. Through the real pack process, both modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from preflight.cli import main
from tests.policy.conftest import PROGRAMS, Analyses, run_fixture, violations

POLICIES = [
    "lambda-environment-no-plaintext-secrets",
    "ssm-parameter-no-plaintext-secrets",
    "ec2-user-data-no-plaintext-secrets",
    "codebuild-environment-no-plaintext-secrets",
    "ecs-container-no-plaintext-secrets",
]
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


def test_user_data_secrets_are_found_in_every_argument_and_encoding(secrets, mode):
    found = violations(secrets(f"violations-{mode}"), "ec2-user-data-no-plaintext-secrets")
    assert {name: len(messages) for name, messages in found.items()} == {
        "instance-plain-user-data": 2,  # `export DB_PASSWORD=...` and `--password=...` on the mysql line
        "instance-base64-user-data": 1,
        "template-gzip-user-data": 1,
        "template-json-user-data": 1,
        "spot-user-data": 1,
        "fleet-user-data": 1,
    }
    assert "userData line 2: DB_PASSWORD is named like a secret" in found["instance-plain-user-data"][0]
    assert "userDataBase64 line 3: App_Db_Password is named like a secret" in found["instance-base64-user-data"][0]
    assert "line 2 holds what looks like an AWS access key id" in found["template-gzip-user-data"][0]
    assert "apiKey" in found["template-json-user-data"][0]
    assert "SLACK_HOOK holds what looks like a Slack token" in found["spot-user-data"][0]
    assert "launchSpecifications[0].userData line 2: api_token" in found["fleet-user-data"][0]
    assert all("Secrets Manager" in m for messages in found.values() for m in messages)


def test_codebuild_plaintext_variables_left_out_or_written_out_are_judged(secrets, mode):
    found = violations(secrets(f"violations-{mode}"), "codebuild-environment-no-plaintext-secrets")
    messages = found.pop("build-with-secrets")
    assert found == {}
    reasons = sorted(m.split("PLAINTEXT environment variable ", 1)[1].split(";")[0] for m in messages)
    assert reasons == [
        "AWS_ACCESS_KEY_ID holds what looks like an AWS access key id",
        "GITHUB_TOKEN holds what looks like a GitHub token",
        "db_password is named like a secret (db_password)",
    ]


def test_ecs_environments_use_the_same_reader(secrets, mode):
    found = violations(secrets(f"violations-{mode}"), "ecs-container-no-plaintext-secrets")
    messages = found["task-with-secrets"]
    assert any(
        "NOTIFY as a plain environment variable, which holds what looks like a Slack token" in m for m in messages
    )
    assert any("Db_Password as a plain environment variable, which is named like a secret" in m for m in messages)


def test_no_report_ever_prints_the_secret(policy_pack, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    reports = {name: tmp_path / name for name in ("report.json", "report.sarif", "report.md", "diagram.mmd")}
    argv = ["--cwd", str(PROGRAMS / "secrets_violations"), "--stack", "test"]
    for option, path in zip(("--json", "--sarif", "--markdown", "--diagram"), reports.values(), strict=True):
        argv += [option, str(path)]
    assert main(argv, pack=policy_pack) == 1
    terminal = capsys.readouterr()
    written = {name: path.read_text() for name, path in reports.items()}
    assert "ec2-user-data-no-plaintext-secrets" in terminal.out + written["report.json"]
    outputs = {"terminal": terminal.out + terminal.err, **written}
    leaks = {(where, fake) for where, text in outputs.items() for fake in FAKE_VALUES if fake in text}
    assert leaks == set()
