"""The function tier: the compliance auditor Lambda, its network, role, logs, dead-letter queue, schedule, alarms."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from components.function import (
    FINDINGS_METRIC,
    ComplianceAuditorArgs,
    ComplianceAuditorNetworkArgs,
    ComplianceAuditorRunArgs,
    alarm_period_seconds,
    code_archive,
    not_running_window,
    validate_compliance_auditor_args,
)
from preflight.record import RecordedResource, Recording, is_unknown
from tests.conftest import PROJECT_DIR, run_stack

COMPONENT = "secure-aws:function:ComplianceAuditor"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
PERMISSION = "aws:lambda/permission:Permission"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
FUNCTION_NAME = "secure-aws-prod-compliance-auditor"
CODE_DIR = PROJECT_DIR / "lambda" / "compliance_auditor"


def part(rec: Recording, role: str) -> RecordedResource:
    return rec.named(f"function-{role}")


def depends_on(resource: RecordedResource, prop: str) -> list[str]:
    return resource.property_dependencies.get(prop, [])


def rules_on(rec: Recording, kind: str, group: RecordedResource) -> list[RecordedResource]:
    return [r for r in rec.of_type(kind) if depends_on(r, "securityGroupId") == [group.urn]]


def policy(rec: Recording) -> dict[str, Any]:
    document = part(rec, "policy").inputs["policy"]
    assert not is_unknown(document)
    return json.loads(document)


def statements(rec: Recording) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in policy(rec)["Statement"]}


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# Section: structure ---------------------------------------------------------------------------------------------


def test_every_auditor_resource_is_a_child_of_the_function_tier(prod):
    (tier,) = prod.of_type(COMPONENT)
    children = [r for r in prod.resources if r.name.startswith("function-")]
    assert {r.parent for r in children} == {tier.urn}
    assert tier.name == "function"
    assert {
        "function-auditor",
        "function-sg",
        "function-role",
        "function-logs",
        "function-dlq",
        "function-schedule",
        "function-errors-alarm",
        "function-not-running-alarm",
        "function-findings-alarm",
        "function-dead-letters-alarm",
    } <= {r.name for r in children}


def test_function_name_is_exported(prod_apply, prod_preview):
    assert prod_apply.stack_outputs["auditorFunctionName"] == FUNCTION_NAME
    assert prod_preview.stack_outputs["auditorFunctionName"] == FUNCTION_NAME


# Section: the function ------------------------------------------------------------------------------------------


def test_function_runs_python_312_on_arm64(prod):
    function = part(prod, "auditor")
    assert function.inputs["runtime"] == "python3.12"
    assert function.inputs["architectures"] == ["arm64"]
    assert function.inputs["handler"] == "handler.handler"
    assert function.inputs["name"] == FUNCTION_NAME


def test_code_is_every_module_of_the_auditor_package_at_the_archive_root(prod):
    archive = part(prod, "auditor").inputs["code"]
    expected = {p.relative_to(CODE_DIR).as_posix() for p in CODE_DIR.rglob("*.py") if "__pycache__" not in p.parts}
    assert set(archive.assets) == expected
    assert {"handler.py", "auditor/security_groups.py", "auditor/kms_keys.py"} <= expected
    assert archive.assets["handler.py"].path == "lambda/compliance_auditor/handler.py"


def test_code_archive_leaves_out_bytecode(tmp_path: Path, monkeypatch):
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "handler.py").write_text("def handler(event, context): ...\n")
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "notes.txt").write_text("not code")
    monkeypatch.chdir(tmp_path)

    assert set(code_archive(".").assets) == {"handler.py", "pkg/__init__.py"}


def test_function_runs_in_the_app_subnets_of_every_az_with_its_own_security_group(prod):
    function = part(prod, "auditor")
    app_subnets = {r.urn for r in prod.resources if r.name.startswith("network-app-subnet")}
    assert len(app_subnets) == 2
    assert set(depends_on(function, "vpcConfig")) == app_subnets | {part(prod, "sg").urn}
    assert len(function.inputs["vpcConfig"]["subnetIds"]) == 2
    assert len(function.inputs["vpcConfig"]["securityGroupIds"]) == 1


def test_function_is_in_the_app_subnets_by_id(prod_apply):
    vpc_config = part(prod_apply, "auditor").inputs["vpcConfig"]
    app_subnet_ids = prod_apply.stack_outputs["appSubnetIds"]
    assert vpc_config["subnetIds"] == app_subnet_ids
    assert vpc_config["securityGroupIds"] == [part(prod_apply, "sg").id]


def test_environment_is_encrypted_with_the_stack_key(prod):
    function = part(prod, "auditor")
    assert depends_on(function, "kmsKeyArn") == [prod.named("encryption-key").urn]


def test_environment_names_the_alert_topic_namespace_and_corporate_ranges(prod_apply):
    variables = part(prod_apply, "auditor").inputs["environment"]["variables"]
    assert variables == {
        "FINDINGS_TOPIC_ARN": prod_apply.stack_outputs["alertTopicArn"],
        "METRIC_NAMESPACE": f"ComplianceAuditor/{FUNCTION_NAME}",
        "ALLOWED_SSH_CIDRS": "203.0.113.0/24",
    }
    assert part(prod_apply, "auditor").inputs["kmsKeyArn"] == prod_apply.stack_outputs["kmsKeyArn"]


def test_several_corporate_ranges_reach_the_function_comma_separated():
    rec = run_stack(preview=True, corporateCidrs=["203.0.113.0/24", "198.51.100.0/25"])
    variables = part(rec, "auditor").inputs["environment"]["variables"]
    assert variables["ALLOWED_SSH_CIDRS"] == "203.0.113.0/24,198.51.100.0/25"


def test_tracing_is_active(prod):
    assert part(prod, "auditor").inputs["tracingConfig"] == {"mode": "Active"}


def test_no_concurrency_is_reserved_by_default(prod):
    # A reservation fails on accounts with a Lambda concurrency quota under 101, which every new account has.
    assert "reservedConcurrentExecutions" not in part(prod, "auditor").inputs


def test_reserved_concurrency_is_set_when_the_stack_asks_for_it():
    rec = run_stack(preview=True, reservedConcurrency="1")
    assert part(rec, "auditor").inputs["reservedConcurrentExecutions"] == 1


def test_timeout_and_memory_fit_a_few_hundred_paginated_calls(prod):
    function = part(prod, "auditor")
    assert 60 <= function.inputs["timeout"] <= 900
    assert 128 <= function.inputs["memorySize"] <= 1024


def test_failed_invocations_go_to_a_kms_encrypted_dead_letter_queue(prod):
    function, queue = part(prod, "auditor"), part(prod, "dlq")
    assert depends_on(function, "deadLetterConfig") == [queue.urn]
    assert depends_on(queue, "kmsMasterKeyId") == [prod.named("encryption-key").urn]
    assert "sqsManagedSseEnabled" not in queue.inputs
    assert queue.inputs["messageRetentionSeconds"] == 14 * 24 * 3600


def test_dead_letter_queue_is_the_function_target_by_arn(prod_apply):
    function, queue = part(prod_apply, "auditor"), part(prod_apply, "dlq")
    assert function.inputs["deadLetterConfig"]["targetArn"] == queue.outputs["arn"]
    assert queue.inputs["kmsMasterKeyId"] == prod_apply.stack_outputs["kmsKeyArn"]


# Section: logs --------------------------------------------------------------------------------------------------


def test_logs_go_to_a_dedicated_encrypted_log_group_named_after_the_function(prod):
    function, log_group = part(prod, "auditor"), part(prod, "logs")
    assert log_group.inputs["name"] == f"/aws/lambda/{FUNCTION_NAME}"
    assert depends_on(log_group, "kmsKeyId") == [prod.named("encryption-key").urn]
    assert log_group.inputs["retentionInDays"] == 365
    assert function.inputs["loggingConfig"] == {"logFormat": "Text", "logGroup": f"/aws/lambda/{FUNCTION_NAME}"}
    # The group exists before the function, so Lambda never creates an unencrypted one on the first run.
    assert depends_on(function, "loggingConfig") == [log_group.urn]


def test_log_group_is_protected_in_production_only(prod):
    assert part(prod, "logs").protect is True
    assert part(prod, "logs").inputs["deletionProtectionEnabled"] is True
    staging = run_stack(preview=True, environment="Staging")
    assert part(staging, "logs").protect is False
    # Explicitly false: the provider only turns the protection off when told so, never when it is left out.
    assert part(staging, "logs").inputs["deletionProtectionEnabled"] is False


def test_log_retention_follows_config():
    rec = run_stack(preview=True, logRetentionDays="731")
    assert part(rec, "logs").inputs["retentionInDays"] == 731


# Section: network -----------------------------------------------------------------------------------------------


def test_security_group_is_described_and_not_named_like_an_id(prod):
    group = part(prod, "sg")
    assert group.inputs["description"]
    assert not group.inputs["namePrefix"].startswith("sg-")
    assert "ingress" not in group.inputs and "egress" not in group.inputs
    assert depends_on(group, "vpcId") == [prod.named("network-vpc").urn]


def test_nothing_may_reach_the_function(prod):
    assert rules_on(prod, INGRESS, part(prod, "sg")) == []


def test_the_function_may_only_call_out_on_https(prod):
    # Every egress rule on the group, whichever tier wrote it: the database admits the auditor but opens no
    # path from it.
    rules = rules_on(prod, EGRESS, part(prod, "sg"))
    assert [
        (r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"], r.inputs["cidrIpv4"]) for r in rules
    ] == [("tcp", 443, 443, "0.0.0.0/0")]
    (tier,) = prod.of_type(COMPONENT)
    assert rules[0].parent == tier.urn
    assert rules[0].inputs["description"]


def test_the_database_admits_the_function_on_its_port_only(prod):
    group = part(prod, "sg")
    admitting = [r for r in prod.of_type(INGRESS) if depends_on(r, "referencedSecurityGroupId") == [group.urn]]
    assert [(depends_on(r, "securityGroupId"), r.inputs["fromPort"], r.inputs["toPort"]) for r in admitting] == [
        ([prod.named("database-sg").urn], 5432, 5432)
    ]


# Section: role --------------------------------------------------------------------------------------------------


def test_only_lambda_acting_for_this_account_may_assume_the_role(prod_apply):
    trust = json.loads(part(prod_apply, "role").inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_no_statement_allows_a_wildcard_action(prod_apply):
    for statement in policy(prod_apply)["Statement"]:
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            assert "*" not in action, statement["Sid"]


def test_the_role_grants_exactly_these_actions(prod_apply):
    granted = {action for s in policy(prod_apply)["Statement"] for action in as_list(s["Action"])}
    assert granted == {
        # the checks
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "ec2:DescribeSecurityGroups",
        "kms:ListKeys",
        "kms:DescribeKey",
        "kms:GetKeyRotationStatus",
        "rds:DescribeDBInstances",
        "s3:ListAllMyBuckets",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetEncryptionConfiguration",
        "ec2:DescribeManagedPrefixLists",
        "ec2:GetManagedPrefixListEntries",
        # the S3 check's fallback where the runtime's botocore cannot list buckets by region
        "s3:GetBucketLocation",
        # reporting
        "sns:Publish",
        "cloudwatch:PutMetricData",
        # running in the VPC
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
        # its logs, traces, dead letters and the key behind them
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "sqs:SendMessage",
        "kms:Decrypt",
        "kms:GenerateDataKey",
    }


# boto3 method -> IAM action where the two differ; otherwise the action is the operation's name.
_IAM_ACTION_NAMES = {
    ("s3", "ListBuckets"): "ListAllMyBuckets",
    ("s3", "GetPublicAccessBlock"): "GetBucketPublicAccessBlock",
    ("s3", "GetBucketEncryption"): "GetEncryptionConfiguration",
}
_CLIENTS = ("ec2", "s3", "cloudtrail", "rds", "kms", "sns", "cloudwatch")


def _actions_the_handler_calls() -> set[str]:
    """Every AWS operation the auditor's code calls (directly or through a paginator), as an IAM action."""
    session = botocore.session.get_session()
    source = "\n".join(p.read_text() for p in CODE_DIR.rglob("*.py"))
    actions = set()
    for service in _CLIENTS:
        operations = {xform_name(op): op for op in session.get_service_model(service).operation_names}
        called = re.findall(rf"\b{service}\.(\w+)\(", source)
        called += re.findall(rf"\b{service}\.get_paginator\(\"(\w+)\"\)", source)
        for method in called:
            if method in operations:
                operation = operations[method]
                actions.add(f"{service}:{_IAM_ACTION_NAMES.get((service, operation), operation)}")
    return actions


def test_the_role_allows_every_call_the_handler_makes_and_no_other_service_call(prod_apply):
    called = _actions_the_handler_calls()
    assert "rds:DescribeDBInstances" in called and "s3:ListAllMyBuckets" in called  # the scan finds paginators
    runtime = {
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "sqs:SendMessage",
        "kms:Decrypt",
        "kms:GenerateDataKey",
    }
    granted = {action for s in policy(prod_apply)["Statement"] for action in as_list(s["Action"])}
    assert granted - runtime == called


def test_read_actions_that_take_a_resource_are_scoped_to_its_type(prod_apply):
    by_sid = statements(prod_apply)
    assert by_sid["ReadBucketSettings"]["Resource"] == "arn:aws:s3:::*"
    assert by_sid["ReadKeyRotation"]["Resource"] == "arn:aws:kms:us-east-1:123456789012:key/*"
    assert by_sid["ReadTrailStatus"]["Resource"] == "arn:aws:cloudtrail:*:*:trail/*"
    assert by_sid["ReadPrefixListEntries"]["Resource"] == "arn:aws:ec2:us-east-1:*:prefix-list/*"
    assert set(as_list(by_sid["ListAndDescribeForChecks"]["Action"])) == {
        "cloudtrail:DescribeTrails",
        "ec2:DescribeSecurityGroups",
        "kms:ListKeys",
        "rds:DescribeDBInstances",
        "s3:ListAllMyBuckets",
        "ec2:DescribeManagedPrefixLists",
    }


def test_findings_go_only_to_the_alert_topic(prod_apply):
    assert statements(prod_apply)["PublishFindings"]["Resource"] == prod_apply.stack_outputs["alertTopicArn"]


def test_the_metric_may_only_be_put_in_the_auditor_namespace(prod_apply):
    statement = statements(prod_apply)["PutFindingsMetric"]
    assert statement["Action"] == "cloudwatch:PutMetricData"
    assert statement["Condition"] == {"StringEquals": {"cloudwatch:namespace": f"ComplianceAuditor/{FUNCTION_NAME}"}}


def test_logs_dead_letters_and_key_use_are_limited_to_its_own_resources(prod_apply):
    by_sid = statements(prod_apply)
    log_group_arn = part(prod_apply, "logs").outputs["arn"]
    assert by_sid["WriteOwnLogs"]["Resource"] == f"{log_group_arn}:*"
    assert log_group_arn.endswith(f":log-group:/aws/lambda/{FUNCTION_NAME}")
    assert by_sid["SendFailedEventsToDeadLetterQueue"]["Resource"] == part(prod_apply, "dlq").outputs["arn"]
    key = by_sid["UseStackKeyThroughServices"]
    assert key["Resource"] == prod_apply.stack_outputs["kmsKeyArn"]
    assert key["Condition"] == {
        "StringEquals": {
            "kms:ViaService": [
                "lambda.us-east-1.amazonaws.com",
                "sns.us-east-1.amazonaws.com",
                "sqs.us-east-1.amazonaws.com",
            ]
        }
    }


def test_the_function_is_created_after_its_permissions(prod):
    assert part(prod, "policy").urn in part(prod, "auditor").dependencies


# Section: schedule ----------------------------------------------------------------------------------------------


def test_an_eventbridge_schedule_targets_the_function(prod):
    rule, target, function = part(prod, "schedule"), part(prod, "schedule-target"), part(prod, "auditor")
    assert rule.inputs["scheduleExpression"] == "rate(1 hour)"
    assert depends_on(target, "rule") == [rule.urn]
    assert depends_on(target, "arn") == [function.urn]


def test_the_schedule_invokes_the_function_only_after_the_app_subnets_nat_routes_exist(prod):
    # Every audit calls AWS APIs through the NAT gateways; the function itself names only the subnets.
    routes = [r for r in prod.of_type("aws:ec2/route:Route") if r.name.startswith("network-app-nat-route-")]
    assert len(routes) == 2
    assert {route.urn for route in routes} <= set(part(prod, "schedule-target").dependencies)


def test_the_schedule_follows_audit_schedule():
    rec = run_stack(preview=True, auditSchedule="cron(0 6 * * ? *)")
    assert part(rec, "schedule").inputs["scheduleExpression"] == "cron(0 6 * * ? *)"
    # Once a day: the alarms look at days, not hours.
    assert part(rec, "findings-alarm").inputs["period"] == 86400
    not_running = part(rec, "not-running-alarm")
    assert (not_running.inputs["period"], not_running.inputs["evaluationPeriods"]) == (86400, 2)


def test_only_the_schedule_may_invoke_the_function(prod):
    function = part(prod, "auditor")
    permissions = [p for p in prod.of_type(PERMISSION) if depends_on(p, "function") == [function.urn]]
    assert len(permissions) == 1
    (permission,) = permissions
    assert permission.inputs["action"] == "lambda:InvokeFunction"
    assert permission.inputs["principal"] == "events.amazonaws.com"
    assert depends_on(permission, "sourceArn") == [part(prod, "schedule").urn]


def test_the_permission_names_the_rule_by_arn(prod_apply):
    permission = part(prod_apply, "invoke-from-schedule")
    assert permission.inputs["sourceArn"] == part(prod_apply, "schedule").outputs["arn"]
    assert permission.inputs["function"] == FUNCTION_NAME


# Section: alarms ------------------------------------------------------------------------------------------------


def test_function_errors_above_zero_alarm_to_the_alert_topic(prod_apply):
    alarm = part(prod_apply, "errors-alarm")
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == ("AWS/Lambda", "Errors")
    assert alarm.inputs["dimensions"] == {"FunctionName": FUNCTION_NAME}
    assert (alarm.inputs["comparisonOperator"], alarm.inputs["threshold"]) == ("GreaterThanThreshold", 0)
    assert alarm.inputs["alarmActions"] == [prod_apply.stack_outputs["alertTopicArn"]]


def test_findings_above_zero_alarm_to_the_alert_topic(prod_apply):
    alarm = part(prod_apply, "findings-alarm")
    variables = part(prod_apply, "auditor").inputs["environment"]["variables"]
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == (
        variables["METRIC_NAMESPACE"],
        "ComplianceFindings",
    )
    assert (alarm.inputs["comparisonOperator"], alarm.inputs["threshold"]) == ("GreaterThanThreshold", 0)
    assert alarm.inputs["alarmActions"] == [prod_apply.stack_outputs["alertTopicArn"]]
    # The all-clear is mailed too, so people know the drift was fixed.
    assert alarm.inputs["okActions"] == [prod_apply.stack_outputs["alertTopicArn"]]
    assert alarm.inputs["period"] == 3600


# Section: program <-> Lambda. The function's code ships on its own and keeps its own names on purpose; these hold
# the program's side to what the code actually reads and writes.


def _lambda_module(name: str) -> Any:
    code_dir = str(CODE_DIR)
    if code_dir not in sys.path:
        sys.path.insert(0, code_dir)  # the Lambda's modules sit at its package root, as in the deployed zip
    return importlib.import_module(name)


def test_the_auditor_accepts_the_environment_the_program_gives_it(prod_apply):
    variables = part(prod_apply, "auditor").inputs["environment"]["variables"]
    config = _lambda_module("auditor.config").AuditConfig.from_environment(variables)
    assert config.findings_topic_arn == prod_apply.stack_outputs["alertTopicArn"]
    assert set(variables) == set(_lambda_module("auditor.config").ENVIRONMENT_VARIABLES)


def test_the_findings_alarm_watches_the_metric_the_auditor_puts(prod_apply):
    alarm = part(prod_apply, "findings-alarm")
    assert alarm.inputs["metricName"] == FINDINGS_METRIC == _lambda_module("auditor.alerts").METRIC_NAME


def test_messages_in_the_dead_letter_queue_alarm_to_the_alert_topic(prod):
    alarm = part(prod, "dead-letters-alarm")
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert depends_on(alarm, "dimensions") == [part(prod, "dlq").urn]
    assert depends_on(alarm, "alarmActions") == [prod.named("audit-alerts").urn]


@pytest.mark.parametrize(
    ("schedule", "seconds"),
    [
        ("rate(1 hour)", 3600),
        ("rate(15 minutes)", 900),
        ("rate(1 minute)", 60),
        ("rate(6 hours)", 21600),
        ("rate(1 day)", 86400),
        # A daily cron: a day, so a finding is not followed by a false all-clear an hour later.
        ("cron(0 6 * * ? *)", 86400),
        ("cron(0 6,18 * * ? *)", 86400),
        # Every hour (hours field *): an hour.
        ("cron(15 * ? * * *)", 3600),
        ("cron(0/30 * * * ? *)", 3600),
    ],
)
def test_the_findings_alarm_looks_at_one_schedule_interval(schedule, seconds):
    assert alarm_period_seconds(schedule) == seconds


def test_an_auditor_that_stops_running_notifies_the_alert_topic(prod_apply):
    alarm = part(prod_apply, "not-running-alarm")
    topic = prod_apply.stack_outputs["alertTopicArn"]
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == ("AWS/Lambda", "Invocations")
    assert alarm.inputs["dimensions"] == {"FunctionName": FUNCTION_NAME}
    assert alarm.inputs["statistic"] == "Sum"
    assert (alarm.inputs["comparisonOperator"], alarm.inputs["threshold"]) == ("LessThanThreshold", 1)
    # Lambda publishes nothing for a period without a run. With every data point of the evaluation range
    # missing the alarm goes from OK to INSUFFICIENT_DATA, and that transition mails the topic.
    assert alarm.inputs["treatMissingData"] == "missing"
    assert alarm.inputs["insufficientDataActions"] == [topic]
    assert alarm.inputs["okActions"] == [topic]
    assert alarm.inputs["alarmActions"] == [topic]


def test_a_fresh_stack_gets_no_not_running_alarm_before_the_first_run(prod_apply):
    # A new alarm starts in INSUFFICIENT_DATA and acts only on a change of state. "breaching" would turn a new
    # stack's silence into ALARM at the first evaluation and mail it; "missing" keeps it where it started.
    alarm = part(prod_apply, "not-running-alarm")
    assert alarm.inputs["treatMissingData"] not in ("breaching", "notBreaching", "ignore")
    assert "INSUFFICIENT_DATA means the compliance auditor has not run" in alarm.inputs["alarmDescription"]


def test_a_schedule_that_cannot_invoke_the_function_alarms_to_the_alert_topic(prod_apply):
    # A permission or target broken from the start never lets the function run, so the not-running alarm
    # would stay silent: EventBridge's own count of failed invocations covers that.
    alarm = part(prod_apply, "schedule-failed-alarm")
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == ("AWS/Events", "FailedInvocations")
    assert alarm.inputs["dimensions"] == {"RuleName": part(prod_apply, "schedule").outputs["name"]}
    assert (alarm.inputs["statistic"], alarm.inputs["comparisonOperator"]) == ("Sum", "GreaterThanThreshold")
    assert alarm.inputs["threshold"] == 0
    # No failure, no data point: silence is the healthy state here.
    assert alarm.inputs["treatMissingData"] == "notBreaching"
    assert alarm.inputs["alarmActions"] == [prod_apply.stack_outputs["alertTopicArn"]]


def test_the_not_running_alarm_waits_longer_than_one_schedule_interval(prod):
    alarm = part(prod, "not-running-alarm")
    assert (alarm.inputs["period"], alarm.inputs["evaluationPeriods"]) == (3600, 2)
    assert alarm.inputs["period"] * alarm.inputs["evaluationPeriods"] > 3600  # the default rate(1 hour)
    assert depends_on(alarm, "dimensions") == [part(prod, "auditor").urn]


def test_the_not_running_window_follows_the_schedule():
    rec = run_stack(preview=True, auditSchedule="rate(15 minutes)")
    alarm = part(rec, "not-running-alarm")
    assert (alarm.inputs["period"], alarm.inputs["evaluationPeriods"]) == (900, 2)


@pytest.mark.parametrize(
    ("schedule", "window"),
    [
        ("rate(1 hour)", (3600, 2)),
        ("rate(1 minute)", (60, 2)),
        ("rate(15 minutes)", (900, 2)),
        ("rate(12 hours)", (43200, 2)),
        ("rate(1 day)", (86400, 2)),
        # A cron schedule runs every day (settings refuse others): two days without a run is a broken one.
        ("cron(0 6 * * ? *)", (86400, 2)),
        # One that runs every hour: two hours.
        ("cron(0/30 * * * ? *)", (3600, 2)),
    ],
)
def test_the_not_running_window_is_two_intervals_within_cloudwatch_limits(schedule, window):
    period, periods = not_running_window(schedule)
    assert (period, periods) == window
    assert period % 60 == 0
    # CloudWatch: at most a day in all for periods under an hour, at most seven days otherwise.
    assert period * periods <= (86400 if period < 3600 else 7 * 86400)


# Section: arguments ---------------------------------------------------------------------------------------------


def _args(**changes: Any) -> ComplianceAuditorArgs:
    """Good args with `changes` applied, each by its field name wherever it is grouped."""
    network: dict[str, Any] = {"vpc_id": "vpc-1", "app_subnet_ids": ["subnet-1", "subnet-2"]}
    run: dict[str, Any] = {"schedule": "rate(1 hour)", "code_path": str(CODE_DIR), "reserved_concurrency": None}
    top: dict[str, Any] = {
        "function_name": "secure-aws-prod-compliance-auditor",
        "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k",
        "alert_topic_arn": "arn:aws:sns:us-east-1:123456789012:alerts",
        "allowed_ssh_cidrs": ["203.0.113.0/24"],
        "region": "us-east-1",
        "log_retention_days": 365,
        "is_production": True,
    }
    for key, value in changes.items():
        group = network if key in network else run if key in run else top
        assert key in group, f"ComplianceAuditorArgs has no field {key}"
        group[key] = value
    return ComplianceAuditorArgs(
        network=ComplianceAuditorNetworkArgs(**network), run=ComplianceAuditorRunArgs(**run), **top
    )


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"function_name": "has space"}, "not a Lambda function name"),
        ({"function_name": "x" * 65}, "not a Lambda function name"),
        ({"app_subnet_ids": ["subnet-1"]}, "at least 2 AZs"),
        ({"allowed_ssh_cidrs": []}, "allowed_ssh_cidrs is empty"),
        ({"code_path": "lambda/nowhere"}, "handler.py not found"),
        ({"schedule": "rate(2 days)"}, "runs less than once a day"),
        ({"schedule": "cron(0 6 ? * MON *)"}, "must run every day"),
        ({"reserved_concurrency": 0}, "reserved_concurrency must be at least 1"),
    ],
)
def test_component_refuses_broken_args(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        validate_compliance_auditor_args(_args(**changes))


def test_good_args_pass_validation():
    validate_compliance_auditor_args(_args())
