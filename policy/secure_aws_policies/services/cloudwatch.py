"""CloudWatch: log groups encrypted with our key and kept long enough, alarms that notify someone, and a metric
filter plus alarm for every CIS monitoring item on the trail's log group (patterns in `cis_patterns.py`)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..cis_patterns import CIS_PATTERNS, cis_item_of
from ..keys import report_key
from ..props import Deferred, as_int, falsy, has, is_set, items, peek, value
from ..registry import CDK_NAG, CIS, SECURITY_HUB, Category, resource_policy, stack_policy
from ..types import (
    CLOUDTRAIL,
    LOG_GROUP,
    METRIC_ALARM,
    METRIC_FILTER,
)


@resource_policy(
    name="log-group-encrypted-with-cmk",
    description="CloudWatch Logs log groups encrypt their events with our customer-managed KMS key.",
    types=[LOG_GROUP],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[CDK_NAG("NIST.800.53.R5-CloudWatchLogGroupEncrypted")],
    remediation="Set kms_key_id=<our key ARN>; the key policy must let logs.<region>.amazonaws.com use it for "
    "this log group's ARN.",
)
def log_group_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    report_key(args, report, "kmsKeyId", "log group")


@resource_policy(
    name="log-group-retention",
    description="CloudWatch log groups keep their events at least the configured number of days (never-expiring "
    "groups keep them longer and pass).",
    types=[LOG_GROUP],
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[SECURITY_HUB("CloudWatch.16"), CDK_NAG("NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod")],
    remediation="Set retention_in_days to at least the minimum (365 for production audit and flow logs).",
    config={
        "minRetentionDays": {
            "type": "integer",
            "minimum": 1,
            "default": 365,
            "description": "The fewest days a log group may keep its events.",
        },
    },
)
def log_group_retention(args: Any, report: Any, config: dict) -> None:
    days, minimum = as_int(value(args.props, "retentionInDays")), int(config["minRetentionDays"])
    if days and days < minimum:
        report(f"log group {args.name} keeps events {days} days; at least {minimum} are required.")


@resource_policy(
    name="alarm-has-action",
    description="Every CloudWatch metric alarm notifies or acts: it has alarm actions and they are enabled.",
    types=[METRIC_ALARM],
    severity=Severity.HIGH,
    category=Category.LOGGING,
    controls=[
        SECURITY_HUB("CloudWatch.15"),
        SECURITY_HUB("CloudWatch.17"),
        CDK_NAG("NIST.800.53.R5-CloudWatchAlarmAction"),
    ],  # fmt: skip
    remediation="Set alarm_actions=[<SNS topic ARN>] (and leave actions_enabled unset or True).",
)
def alarm_has_action(args: Any, report: Any, config: dict) -> None:
    if not is_set(args.props, "alarmActions"):
        report(f"alarm {args.name} has no alarm action: it changes state and tells no one.")
    if falsy(value(args.props, "actionsEnabled")):
        report(f"alarm {args.name} has actionsEnabled=false, so its actions never run.")


def _alarm_acts(alarm: Any) -> bool:
    return is_set(alarm.props, "alarmActions") and not falsy(value(alarm.props, "actionsEnabled"))


@stack_policy(
    name="cis-monitoring-metric-filters",
    description="A stack with a CloudTrail trail delivering to CloudWatch Logs has, on that log group, a metric "
    "filter whose pattern is the published CIS pattern for each monitoring recommendation (4.1-4.15), and each "
    "filter's metric has an alarm with an action. (A stack without such a trail is not judged: the account's "
    "trail and its alarms live elsewhere.)",
    types=[CLOUDTRAIL, METRIC_FILTER, METRIC_ALARM, LOG_GROUP],
    severity=Severity.LOW,
    category=Category.LOGGING,
    controls=[*(CIS(f"4.{n}") for n in range(1, 16)), *(SECURITY_HUB(f"CloudWatch.{n}") for n in range(1, 15))],
    remediation="For each missing item add an aws.cloudwatch.LogMetricFilter on the trail's log group with the "
    "published pattern (see the policy pack's cis_patterns.py) and a metric_transformation {name, namespace, value: "
    "'1'}, and an aws.cloudwatch.MetricAlarm on that metric (Sum >= 1 over 300 s) with alarm_actions=[<SNS topic>].",
    config={
        "recommendations": {
            "type": "array",
            "items": {"type": "string", "enum": list(CIS_PATTERNS)},
            "default": list(CIS_PATTERNS),
            "description": "The CIS monitoring items (4.1-4.15) that must each have a filter and an alarm.",
        },
    },
)
def cis_monitoring_metric_filters(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    trails = [r for r in args.resources if r.resource_type == CLOUDTRAIL and is_set(r.props, "cloudWatchLogsGroupArn")]
    if not trails:
        return
    trail_groups = {d.urn for t in trails for d in t.property_dependencies.get("cloudWatchLogsGroupArn", [])}
    alarms = [r for r in args.resources if r.resource_type == METRIC_ALARM]
    found: dict[str, list[Any]] = {}
    for metric_filter in (r for r in args.resources if r.resource_type == METRIC_FILTER):
        with deferred.guard():
            groups = {d.urn for d in metric_filter.property_dependencies.get("logGroupName", [])}
            if trail_groups and not groups & trail_groups:
                continue  # a filter on some other log group watches something else
            item = cis_item_of(str(value(metric_filter.props, "pattern", "")))
            if item is not None:
                found.setdefault(item, []).append(metric_filter)
    where = trails[0].urn
    for item in config["recommendations"]:
        title = CIS_PATTERNS[item][0]
        filters = found.get(item, [])
        if not filters:
            report(f"no metric filter on the trail's log group has the CIS {item} pattern ({title}): "
                   f"{CIS_PATTERNS[item][1][0]}", where)  # fmt: skip
            continue
        with deferred.guard():
            if not any(_has_acting_alarm(f, alarms) for f in filters):
                names = ", ".join(f.name for f in filters)
                report(f"CIS {item} ({title}): no alarm with an action watches the metric of filter {names}.",
                       filters[0].urn)  # fmt: skip
    deferred.finish()


def _has_acting_alarm(metric_filter: Any, alarms: list[Any]) -> bool:
    # pulumi-aws takes one transformation (an object); a list, as older schemas had, reads the same.
    candidates = items(value(metric_filter.props, "metricTransformation"))
    metrics = {(value(t, "namespace"), value(t, "name")) for t in candidates}
    for alarm in alarms:
        metric = (peek(alarm.props, "namespace"), peek(alarm.props, "metricName"))
        if has(alarm.props, "metricName") and metric in metrics and _alarm_acts(alarm):
            return True
    return False
