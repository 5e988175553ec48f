"""The handler end to end against moto: findings, the SNS message, the metric, audit errors, configuration."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from conftest import ALLOWED_SSH_CIDR, METRIC_NAMESPACE, Account

from auditor.config import ConfigurationError
from auditor.findings import CheckResult


def test_a_clean_account_built_like_this_stack_has_no_findings(run_audit):
    result = run_audit()

    assert result["findings"] == []


def test_every_rule_reports_how_many_resources_it_checked(run_audit):
    result = run_audit()

    assert result["checked"] == {
        "security-group-world-ingress": 4,  # moto's default VPC group, the new VPC's default group, alb, app
        "security-group-admin-ingress": 4,
        "s3-bucket-public-access-block": 3,
        "s3-bucket-default-encryption": 3,
        "cloudtrail-multi-region-logging": 1,
        "cloudtrail-log-file-validation": 1,
        "rds-instance-public-access": 1,
        "rds-instance-storage-encryption": 1,
        "kms-key-rotation": 1,
    }


def test_a_clean_run_publishes_nothing(run_audit, clean_account: Account):
    run_audit()

    assert clean_account.published_messages() == []


def _open_postgres_to_the_world(account: Account) -> None:
    account.client("ec2").authorize_security_group_ingress(
        GroupId=account.web_security_group_id,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )


def _stop_key_rotation(account: Account) -> None:
    account.client("kms").disable_key_rotation(KeyId=account.key_arn)


def test_findings_are_published_as_one_sns_message_listing_every_finding(run_audit, clean_account: Account):
    _open_postgres_to_the_world(clean_account)
    _stop_key_rotation(clean_account)

    result = run_audit()

    [message] = clean_account.published_messages()
    assert message["TopicArn"] == clean_account.topic_arn
    assert message["Subject"] == "Compliance auditor: 2 findings in account 123456789012 (us-east-1)"
    assert len(message["Subject"]) < 100
    for finding in result["findings"]:
        assert f"[{finding['rule']}] {finding['resource']}: {finding['detail']}" in message["Message"]
    assert "1. [security-group-world-ingress]" in message["Message"]
    assert "2. [kms-key-rotation]" in message["Message"]


def _metric_values(account: Account) -> list[float]:
    now = datetime.now(UTC)
    response = account.client("cloudwatch").get_metric_data(
        MetricDataQueries=[
            {
                "Id": "findings",
                "MetricStat": {
                    "Metric": {"Namespace": METRIC_NAMESPACE, "MetricName": "ComplianceFindings"},
                    "Period": 60,
                    "Stat": "Maximum",
                },
            }
        ],
        StartTime=now - timedelta(minutes=10),
        EndTime=now + timedelta(minutes=10),
    )
    return response["MetricDataResults"][0]["Values"]


def test_the_findings_count_is_put_as_a_metric(run_audit, clean_account: Account):
    _open_postgres_to_the_world(clean_account)

    run_audit()

    assert _metric_values(clean_account) == [1.0]


def test_a_clean_run_puts_a_zero_so_the_alarm_has_data(run_audit, clean_account: Account):
    run_audit()

    assert _metric_values(clean_account) == [0.0]
    [metric] = clean_account.client("cloudwatch").list_metrics(Namespace=METRIC_NAMESPACE)["Metrics"]
    assert metric["MetricName"] == "ComplianceFindings"


def test_access_denied_on_one_check_is_a_finding_and_the_other_checks_still_run(run_audit, clean_account, deny):
    deny("ec2", "DescribeSecurityGroups", "UnauthorizedOperation")
    _stop_key_rotation(clean_account)

    result = run_audit()

    rules = [(f["rule"], f["resource"]) for f in result["findings"]]
    assert rules == [("audit-error", "security-groups"), ("kms-key-rotation", clean_account.key_arn)]
    assert "UnauthorizedOperation" in result["findings"][0]["detail"]
    assert "security-group-world-ingress" not in result["checked"]
    assert result["checked"]["s3-bucket-default-encryption"] == 3


def test_throttling_that_outlasts_the_retries_is_an_audit_error(run_audit, deny):
    deny("cloudtrail", "DescribeTrails", "ThrottlingException")

    result = run_audit()

    [finding] = result["findings"]
    assert finding["rule"] == "audit-error"
    assert finding["resource"] == "cloudtrail"
    assert "ThrottlingException" in finding["detail"]
    assert result["checked"]["kms-key-rotation"] == 1


def test_an_audit_error_is_alerted_like_any_other_finding(run_audit, clean_account: Account, deny):
    deny("rds", "DescribeDBInstances")

    run_audit()

    [message] = clean_account.published_messages()
    assert "[audit-error] rds-instances: the rds-instances check failed" in message["Message"]


def test_every_log_line_is_one_json_object(run_audit, clean_account: Account, capsys):
    _open_postgres_to_the_world(clean_account)

    run_audit()

    lines = capsys.readouterr().out.splitlines()
    entries = [json.loads(line) for line in lines]
    assert entries[0]["message"] == "audit started"
    assert entries[0]["request_id"] == "5f0e4b5e-0000-4000-8000-000000000001"
    [finding] = [e for e in entries if e["message"] == "finding"]
    assert finding["rule"] == "security-group-world-ingress"
    assert finding["level"] == "WARNING"
    assert entries[-1]["message"] == "audit finished"
    assert entries[-1]["findings"] == 1


@pytest.mark.parametrize("variable", ["FINDINGS_TOPIC_ARN", "METRIC_NAMESPACE", "ALLOWED_SSH_CIDRS"])
def test_a_missing_environment_variable_is_a_clear_error(run_audit, monkeypatch, variable):
    monkeypatch.delenv(variable)

    with pytest.raises(ConfigurationError, match=f"environment variable {variable} is not set"):
        run_audit()


def test_an_invalid_ssh_cidr_is_a_clear_error(run_audit, monkeypatch):
    monkeypatch.setenv("ALLOWED_SSH_CIDRS", f"{ALLOWED_SSH_CIDR},office")

    with pytest.raises(ConfigurationError, match="ALLOWED_SSH_CIDRS must be comma-separated CIDRs"):
        run_audit()


# One failure never costs the findings or the mail ----------------------------------------------------------------


def test_a_check_that_raises_is_an_audit_error_and_the_other_findings_are_still_mailed(
    run_audit, clean_account: Account, aws_events
):
    def unexpected_answer(parsed, **_):
        parsed.pop("DBInstances")  # an answer the check does not expect: it raises KeyError

    aws_events.register("after-call.rds.DescribeDBInstances", unexpected_answer)
    _stop_key_rotation(clean_account)

    result = run_audit()

    rules = [(f["rule"], f["resource"]) for f in result["findings"]]
    assert rules == [("audit-error", "rds-instances"), ("kms-key-rotation", clean_account.key_arn)]
    assert "KeyError" in result["findings"][0]["detail"]
    [message] = clean_account.published_messages()
    assert "[audit-error] rds-instances: the rds-instances check failed" in message["Message"]
    assert "[kms-key-rotation]" in message["Message"]


def test_a_metric_that_cannot_be_put_still_leaves_the_findings_mailed(run_audit, clean_account: Account, deny):
    deny("cloudwatch", "PutMetricData")
    _stop_key_rotation(clean_account)

    result = run_audit()

    assert [f["rule"] for f in result["findings"]] == ["kms-key-rotation", "audit-error"]
    [message] = clean_account.published_messages()
    assert "[kms-key-rotation]" in message["Message"]
    assert (
        f"[audit-error] {METRIC_NAMESPACE}/ComplianceFindings: the ComplianceFindings metric could not be put"
        in (message["Message"])
    )


def test_a_metric_that_cannot_be_put_is_mailed_even_on_a_clean_run(run_audit, clean_account: Account, deny):
    deny("cloudwatch", "PutMetricData")

    run_audit()

    [message] = clean_account.published_messages()
    assert message["Subject"] == "Compliance auditor: 1 finding in account 123456789012 (us-east-1)"


def test_the_mail_lists_a_public_database_before_lesser_findings(run_audit, clean_account: Account):
    _open_postgres_to_the_world(clean_account)
    _stop_key_rotation(clean_account)
    clean_account.client("rds").modify_db_instance(DBInstanceIdentifier="secure-aws-db", PubliclyAccessible=True)

    run_audit()

    [message] = clean_account.published_messages()
    assert message["Subject"] == "Compliance auditor: 3 findings (1 critical) in account 123456789012 (us-east-1)"
    text = message["Message"]
    assert text.index("[rds-instance-public-access]") < text.index("[security-group-world-ingress]")
    assert text.index("[security-group-world-ingress]") < text.index("[kms-key-rotation]")


def test_a_run_with_more_findings_than_sns_can_carry_still_mails_the_most_severe(
    run_audit, clean_account: Account, monkeypatch
):
    import handler

    def thousands_of_unencrypted_buckets(clients, config):
        result = CheckResult()
        for n in range(3000):
            result.add("s3-bucket-default-encryption", f"bucket-{n:05}", "no default encryption is configured " * 3)
        return result

    monkeypatch.setattr(handler, "CHECKS", (("bulk", thousands_of_unencrypted_buckets), *handler.CHECKS))
    clean_account.client("rds").modify_db_instance(DBInstanceIdentifier="secure-aws-db", PubliclyAccessible=True)

    result = run_audit()

    assert len(result["findings"]) == 3001
    # moto refuses what SNS refuses: a message over 256 KiB, a subject of 100 characters or more.
    [message] = clean_account.published_messages()
    assert "1. [rds-instance-public-access] secure-aws-db" in message["Message"]
    assert "medium) not listed, to stay within SNS's size limit" in message["Message"]
