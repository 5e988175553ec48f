"""Detection is on: the load balancer is behind the stack's web ACL, which logs; GuardDuty and AWS Config run.

GuardDuty and Config are checked only where this stack owns the account baseline (`manageAccountBaseline`: the
stack then exports guardDutyDetectorId and configRecorderName); elsewhere their owner (an organization, Control
Tower) answers for them, and the check says it skipped them.
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from verify.checks.access_logs import stack_load_balancers
from verify.context import Context
from verify.results import CheckResult, failed, passed, skipped

CHECK = "detection"


def check_detection(context: Context) -> list[CheckResult]:
    results = _web_acl_results(context)
    results += _guardduty_results(context)
    results += _config_results(context)
    return results


def _web_acl_results(context: Context) -> list[CheckResult]:
    web_acl_arn = context.outputs.require("webAclArn")
    wafv2 = context.client("wafv2")
    results = []
    for load_balancer_arn in stack_load_balancers(context):
        name = load_balancer_arn.split(":loadbalancer/", 1)[-1]
        protecting = wafv2.get_web_acl_for_resource(ResourceArn=load_balancer_arn).get("WebACL") or {}
        if protecting.get("ARN") != web_acl_arn:
            results.append(
                failed(
                    CHECK,
                    f"load balancer {name} is not behind the stack's web ACL "
                    f"(it has {protecting.get('Name') or 'none'})",
                    "run `pulumi up`: the web tier associates its web ACL with the load balancer",
                )
            )
    try:
        wafv2.get_logging_configuration(ResourceArn=web_acl_arn)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "WAFNonexistentItemException":
            raise
        results.append(
            failed(
                CHECK,
                f"web ACL {web_acl_arn} has no logging: blocked and allowed requests are not recorded",
                "run `pulumi up`: the web tier sends its logs to the aws-waf-logs- log group",
            )
        )
    return results or [passed(CHECK, "the load balancer is behind the stack's web ACL, which logs its requests")]


def _guardduty_results(context: Context) -> list[CheckResult]:
    detector_id = context.outputs.get("guardDutyDetectorId")
    if not detector_id:
        return [skipped(CHECK, "GuardDuty: not this stack's (manageAccountBaseline is off)")]
    status = context.client("guardduty").get_detector(DetectorId=detector_id).get("Status")
    if status != "ENABLED":
        return [
            failed(
                CHECK,
                f"GuardDuty detector {detector_id} is {status}: no threat findings are produced",
                f"aws guardduty update-detector --detector-id {detector_id} --enable (or `pulumi up`)",
            )
        ]
    return [passed(CHECK, f"GuardDuty detector {detector_id} is enabled")]


def _config_results(context: Context) -> list[CheckResult]:
    recorder = context.outputs.get("configRecorderName")
    if not recorder:
        return [skipped(CHECK, "AWS Config: not this stack's (manageAccountBaseline is off)")]
    statuses = context.client("config").describe_configuration_recorder_status(ConfigurationRecorderNames=[recorder])[
        "ConfigurationRecordersStatus"
    ]
    status = statuses[0] if statuses else {}
    if not status.get("recording"):
        return [
            failed(
                CHECK,
                f"AWS Config recorder {recorder} is not recording: configuration changes go unrecorded",
                f"aws configservice start-configuration-recorder --configuration-recorder-name {recorder}",
            )
        ]
    if str(status.get("lastStatus", "")).upper() == "FAILURE":
        reason = f"{status.get('lastErrorCode', '')}: {status.get('lastErrorMessage', '')}".strip(": ")
        return [
            failed(
                CHECK,
                f"AWS Config recorder {recorder}: its last recording failed ({reason or 'no reason given'})",
                "the recorder's role must allow what AWS_ConfigRole grants and its delivery channel's bucket policy "
                "must let Config write; `pulumi up` restores both",
            )
        ]
    return [passed(CHECK, f"AWS Config recorder {recorder} is recording")]
