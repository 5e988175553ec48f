"""CloudWatch: log groups encrypted with our key and kept long enough, alarms that notify someone, and a metric
filter plus alarm for every CIS monitoring item on the trail's log group (patterns in `cis_patterns.py`)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..cis_patterns import CIS_PATTERNS, cis_item_of
from ..keys import report_key
from ..props import UNKNOWN, Deferred, as_int, attempt, falsy, has, is_set, items, peek, value
from ..registry import CDK_NAG, CIS, SECURITY_HUB, Category, resource_policy, stack_policy
from ..types import (
    CLOUDTRAIL,
    LOG_GROUP,
    METRIC_ALARM,
    METRIC_FILTER,
    SNS_TOPIC,
    SNS_TOPIC_SUBSCRIPTION,
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
    # kms_key_id left out: CloudWatch Logs encrypts with its own service key (logs/log_group.py takes "The ARN of
    # the KMS Key"; none by default), not ours.
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
    ],
    remediation="Set alarm_actions=[<SNS topic ARN>] (and leave actions_enabled unset or True).",
)
def alarm_has_action(args: Any, report: Any, config: dict) -> None:
    if not is_set(args.props, "alarmActions"):
        report(f"alarm {args.name} has no alarm action: it changes state and tells no one.")
    # actions_enabled "Defaults to `true`" (cloudwatch/metric_alarm.py), so only an explicit false silences an alarm;
    # alarm_actions left out: no action (no default).
    if falsy(value(args.props, "actionsEnabled")):
        report(f"alarm {args.name} has actionsEnabled=false, so its actions never run.")


def _alarm_acts(alarm: Any) -> bool:
    return is_set(alarm.props, "alarmActions") and not falsy(value(alarm.props, "actionsEnabled"))


@stack_policy(
    name="cis-monitoring-metric-filters",
    description="A stack with a CloudTrail trail delivering to CloudWatch Logs has, on that log group, a metric "
    "filter whose pattern is the published CIS pattern for each monitoring recommendation (4.1-4.15), and each "
    "filter's metric has an alarm with an action that fires on a single matching event (statistic Sum or SampleCount, "
    "threshold reached by one event, one evaluation period, datapoints_to_alarm left out or 1: AWS defaults it to "
    "evaluation_periods). (A stack without such a trail is not judged: the account's "
    "trail and its alarms live elsewhere.)",
    types=[CLOUDTRAIL, METRIC_FILTER, METRIC_ALARM, LOG_GROUP],
    severity=Severity.LOW,
    category=Category.LOGGING,
    controls=[*(CIS(f"4.{n}") for n in range(1, 16)), *(SECURITY_HUB(f"CloudWatch.{n}") for n in range(1, 15))],
    remediation="For each missing item add an aws.cloudwatch.LogMetricFilter on the trail's log group with the "
    "published pattern (see the policy pack's cis_patterns.py) and a metric_transformation {name, namespace, value: "
    "'1'}, and an aws.cloudwatch.MetricAlarm on that metric that fires on a single event: statistic Sum or "
    "SampleCount, threshold 1 with GreaterThanOrEqualToThreshold (or 0 with GreaterThanThreshold), "
    "evaluation_periods=1 and datapoints_to_alarm unset or 1, with alarm_actions=[<SNS topic>].",
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
    # A trail's cloud_watch_logs_group_arn left out: it delivers to no log group (no default), so no filter sees it.
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
            report(
                f"no metric filter on the trail's log group has the CIS {item} pattern ({title}): "
                f"{CIS_PATTERNS[item][1][0]}",
                where,
            )
            continue
        with deferred.guard():
            if not any(_has_acting_alarm(f, alarms) for f in filters):
                names = ", ".join(f.name for f in filters)
                report(
                    f"CIS {item} ({title}): no alarm with an action watches the metric of filter {names}.",
                    filters[0].urn,
                )
            elif not any(_has_acting_alarm(f, alarms, single_event=True) for f in filters):
                names = ", ".join(f.name for f in filters)
                report(
                    f"CIS {item} ({title}): the alarms on the metric of filter {names} do not fire on a single "
                    "event (they need statistic Sum or SampleCount, a threshold one event reaches, one "
                    "evaluation period and one datapoint).",
                    filters[0].urn,
                )
    deferred.finish()


def _has_acting_alarm(metric_filter: Any, alarms: list[Any], single_event: bool = False) -> bool:
    # pulumi-aws takes one transformation (an object); a list, as older schemas had, reads the same.
    candidates = items(value(metric_filter.props, "metricTransformation"))
    metrics = {(value(t, "namespace"), value(t, "name")) for t in candidates}
    for alarm in alarms:
        metric = (peek(alarm.props, "namespace"), peek(alarm.props, "metricName"))
        fires = not single_event or _fires_on_one_event(alarm.props)
        if has(alarm.props, "metricName") and metric in metrics and _alarm_acts(alarm) and fires:
            return True
    return False


# One matching event adds a data point of 1 (the filter's value) to the period: Sum and SampleCount are then >= 1.
# What one event reaches, per comparison operator; an unknown threshold or operator is not a miss.
_ONE_EVENT_REACHES = {
    "GreaterThanOrEqualToThreshold": lambda threshold: threshold <= 1,
    "GreaterThanThreshold": lambda threshold: threshold < 1,
}


def _fires_on_one_event(props: Any) -> bool:
    statistic = peek(props, "statistic")
    # comparison_operator is required (metric_alarm.py), as are metric_name and namespace for a metric alarm; no
    # default to judge.
    operator = peek(props, "comparisonOperator")
    threshold = peek(props, "threshold")
    # pulumi-aws 7 MetricAlarm: datapoints_to_alarm is "the number of data points that must be breaching";
    # CloudWatch takes evaluation_periods when it is left out (PutMetricAlarm DatapointsToAlarm).
    periods = peek(props, "evaluationPeriods", 1)
    datapoints = peek(props, "datapointsToAlarm", periods)
    if statistic is not UNKNOWN and str(statistic) not in ("Sum", "SampleCount"):
        return False  # includes a percentile (extendedStatistic) alarm, which sets no statistic
    if operator is not UNKNOWN and threshold is not UNKNOWN:
        reaches = _ONE_EVENT_REACHES.get(str(operator))
        if reaches is None or not reaches(float(threshold)):
            return False
    return all(found is UNKNOWN or as_int(found, 1) <= 1 for found in (periods, datapoints))


def _topic_urns(resource: Any, key: str, topics: dict[str, Any]) -> set[str]:
    """The stack's topics an input names: by dependency (an unknown ARN at preview) or by the known ARN."""
    urns = {d.urn for d in resource.property_dependencies.get(key, []) if d.urn in topics}
    found = attempt(lambda: [str(v) for v in items(value(resource.props, key))])
    arns = set() if found is UNKNOWN else set(found)
    urns |= {urn for urn, topic in topics.items() if peek(topic.props, "arn") in arns}
    return urns


@stack_policy(
    name="alarm-reaches-subscribed-topic",
    description="Every CloudWatch metric alarm whose actions notify an SNS topic of this stack reaches at least one "
    "topic with a subscription in the stack (aws.sns.TopicSubscription, joined by its topic input); a topic no one "
    "subscribes to swallows the alarm. Alarms whose topics all live outside the stack are not judged here.",
    types=[METRIC_ALARM, SNS_TOPIC, SNS_TOPIC_SUBSCRIPTION],
    severity=Severity.HIGH,
    category=Category.LOGGING,
    controls=[SECURITY_HUB("CloudWatch.15")],
    remediation="Add an aws.sns.TopicSubscription (email, or a ticketing/chat endpoint) to the alarm's topic, or "
    "point the alarm at the alert topic that has one.",
)
def alarm_reaches_subscribed_topic(args: Any, report: Any, config: dict) -> None:
    topics = {r.urn: r for r in args.resources if r.resource_type == SNS_TOPIC}
    if not topics:
        return
    subscribed: set[str] = set()
    for subscription in (r for r in args.resources if r.resource_type == SNS_TOPIC_SUBSCRIPTION):
        subscribed |= _topic_urns(subscription, "topic", topics)
    for alarm in (r for r in args.resources if r.resource_type == METRIC_ALARM):
        # alarm_actions has no default: left out, the alarm reaches nobody. A topic's arn and a filter's
        # metric_transformation (namespace, name) name things; no default to judge.
        reached = _topic_urns(alarm, "alarmActions", topics)
        if reached and not reached & subscribed:
            names = ", ".join(sorted(topics[urn].name for urn in reached))
            report(
                f"alarm {alarm.name} notifies topic {names}, which has no subscription in the stack: nobody hears it.",
                alarm.urn,
            )
