"""`python -m verify`: outputs from a file, the checklist or JSON, and exit 0 / 1 / 2."""

import json

import pytest

from verify import cli
from verify.errors import VerifyUsageError
from verify.outputs import load_outputs
from verify.session import open_session


@pytest.fixture
def outputs_file(deployed, tmp_path, monkeypatch):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(deployed.outputs))
    # The CLI's own session would not carry the test's DescribeAlarmHistory answer (moto lacks the call).
    monkeypatch.setattr(cli, "open_session", lambda region, profile=None: deployed.session)
    return path


def test_a_healthy_stack_exits_0_with_a_checklist(outputs_file, capsys):
    assert cli.main(["--outputs", str(outputs_file)]) == 0
    out = capsys.readouterr().out
    assert "Verifying stack prod in account 123456789012 (us-east-1)" in out
    assert "  PASS  trail" in out and "0 failed" in out


def test_a_failure_exits_1_and_prints_the_fix(deployed, outputs_file, capsys):
    deployed.client("cloudtrail").stop_logging(Name=deployed.outputs["trailArn"])
    assert cli.main(["--outputs", str(outputs_file)]) == 1
    out = capsys.readouterr().out
    assert "  FAIL  trail" in out and "fix: aws cloudtrail start-logging" in out


def test_a_warning_alone_exits_0(deployed, outputs_file):
    def pending(answer):
        for subscription in answer["Subscriptions"]:
            subscription["SubscriptionArn"] = "PendingConfirmation"

    deployed.override("sns.ListSubscriptionsByTopic", pending)
    assert cli.main(["--outputs", str(outputs_file)]) == 0


def test_json_report_for_ci(deployed, outputs_file, capsys):
    deployed.client("cloudtrail").stop_logging(Name=deployed.outputs["trailArn"])
    assert cli.main(["--outputs", str(outputs_file), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is False and report["account"] == "123456789012"
    trail = [check for check in report["checks"] if check["check"] == "trail"]
    assert trail[0]["status"] == "fail" and "start-logging" in trail[0]["fix"]
    assert report["summary"]["fail"] == 1


def test_no_outputs_and_no_pulumi_cli_exits_2_saying_how_to_give_them(monkeypatch, capsys):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cli.main(["--stack", "prod"]) == 2
    err = capsys.readouterr().err
    assert "--outputs FILE" in err and "pulumi stack output --json" in err


def test_an_unreadable_outputs_file_exits_2(tmp_path, capsys):
    assert cli.main(["--outputs", str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err


@pytest.mark.parametrize("content", ["not json", "{}", "[1, 2]"])
def test_outputs_that_are_not_a_stacks_outputs_are_refused(tmp_path, content):
    path = tmp_path / "outputs.json"
    path.write_text(content)
    with pytest.raises(VerifyUsageError):
        load_outputs("prod", path, tmp_path)


def test_no_aws_credentials_exits_2_naming_the_fix(monkeypatch, tmp_path, capsys):
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"region": "us-east-1", "vpcId": "vpc-0123"}))
    assert cli.main(["--outputs", str(outputs)]) == 2
    assert "no AWS credentials found" in capsys.readouterr().err


def test_an_unknown_profile_is_a_usage_error(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    with pytest.raises(VerifyUsageError, match="--profile nobody"):
        open_session("us-east-1", "nobody")


def _pulumi_on_path(tmp_path, monkeypatch, script: str) -> None:
    """A `pulumi` executable first on PATH that records its arguments (the real CLI is not installed here)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pulumi = bin_dir / "pulumi"
    pulumi.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/args"\n{script}\n')
    pulumi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")


def test_outputs_come_from_pulumi_stack_output_without_secrets(tmp_path, monkeypatch):
    _pulumi_on_path(tmp_path, monkeypatch, """echo '{"region": "us-east-1", "vpcId": "vpc-0123"}'""")
    outputs = load_outputs("staging", None, tmp_path)
    assert outputs.require("vpcId") == "vpc-0123"
    assert (tmp_path / "args").read_text().split() == [
        "stack",
        "output",
        "--json",
        "--show-secrets=false",
        "--stack",
        "staging",
    ]


def test_a_failing_pulumi_stack_output_is_a_usage_error_with_its_message(tmp_path, monkeypatch):
    _pulumi_on_path(tmp_path, monkeypatch, "echo 'error: no stack named staging found' >&2; exit 255")
    with pytest.raises(VerifyUsageError, match="no stack named staging found"):
        load_outputs("staging", None, tmp_path)
