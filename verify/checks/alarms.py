"""Every alarm of the stack reaches the alert topic, and the last time it acted, the action did not fail.

The stack's alarms are found two ways: every alarm with an action on the alert topic, and every alarm that
carries the alert topic's tags (the provider's default tags, on every resource of the stack), so an alarm
whose actions someone removed or redirected is found too. Two stacks with identical tags in one account would
be taken for one; `environment` (a default tag) tells them apart.

An alarm's action fails when CloudWatch cannot publish to the topic: most often the topic's KMS key or access
policy does not admit cloudwatch.amazonaws.com. Only the alarm's action history shows it.
"""

from __future__ import annotations

import json
from typing import Any

from verify.context import Context
from verify.results import CheckResult, failed, passed

CHECK = "alarms"
ACTION_LISTS = ("AlarmActions", "OKActions", "InsufficientDataActions")
# Target tracking scaling policies (the web tier's Auto Scaling group) own alarms AWS creates and names
# "TargetTracking-..."; their action is the scaling policy, never the alert topic, and AWS says not to edit them.
MANAGED_BY_AUTO_SCALING = "TargetTracking-"
PUBLISH_FIX = (
    "the alert topic's KMS key policy must let cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt, and "
    "the topic's access policy must let it sns:Publish for this account's alarms; `pulumi up` restores both"
)


def check_alarms(context: Context) -> list[CheckResult]:
    topic_arn = context.outputs.require("alertTopicArn")
    cloudwatch = context.client("cloudwatch")
    alarms = _all_alarms(cloudwatch)
    stack_alarms = _stack_alarms(context, alarms, topic_arn)
    if not stack_alarms:
        return [
            failed(
                CHECK,
                f"no alarm notifies the alert topic {topic_arn}",
                "run `pulumi up`: every tier creates its alarms with the alert topic as their action",
            )
        ]
    results = []
    for alarm_type, alarm in stack_alarms:
        name = alarm["AlarmName"]
        if topic_arn not in alarm.get("AlarmActions", []):
            elsewhere = ", ".join(alarm.get("AlarmActions", [])) or "nothing"
            results.append(
                failed(
                    CHECK,
                    f"alarm {name} does not notify the alert topic when it fires (its alarm actions: {elsewhere})",
                    "run `pulumi up` to restore its actions (someone changed them outside Pulumi)",
                )
            )
        if not alarm.get("ActionsEnabled", True):
            results.append(
                failed(
                    CHECK,
                    f"alarm {name} has its actions disabled: it changes state and tells no one",
                    f"aws cloudwatch enable-alarm-actions --alarm-names '{name}'",
                )
            )
        last_failure = _last_action_failure(cloudwatch, name, alarm_type)
        if last_failure:
            results.append(failed(CHECK, f"alarm {name}: its last action failed: {last_failure}", PUBLISH_FIX))
    return results or [passed(CHECK, f"{len(stack_alarms)} alarm(s) notify the alert topic, and no last action failed")]


def _all_alarms(cloudwatch: Any) -> list[tuple[str, dict[str, Any]]]:
    pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    alarms: list[tuple[str, dict[str, Any]]] = []
    for page in pages:
        alarms.extend(("MetricAlarm", alarm) for alarm in page.get("MetricAlarms", []))
        alarms.extend(("CompositeAlarm", alarm) for alarm in page.get("CompositeAlarms", []))
    return alarms


def _stack_alarms(
    context: Context, alarms: list[tuple[str, dict[str, Any]]], topic_arn: str
) -> list[tuple[str, dict[str, Any]]]:
    notifying = [(kind, a) for kind, a in alarms if any(topic_arn in a.get(key, []) for key in ACTION_LISTS)]
    topic_tags = _tags(context.client("sns").list_tags_for_resource(ResourceArn=topic_arn).get("Tags", []))
    if not topic_tags:
        return notifying
    cloudwatch = context.client("cloudwatch")
    notifying_names = {alarm["AlarmName"] for _, alarm in notifying}
    tagged = []
    for kind, alarm in alarms:
        if alarm["AlarmName"] in notifying_names or alarm["AlarmName"].startswith(MANAGED_BY_AUTO_SCALING):
            continue
        tags = _tags(cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"]).get("Tags", []))
        if topic_tags.items() <= tags.items():
            tagged.append((kind, alarm))
    return notifying + tagged


def _tags(tags: list[dict[str, str]]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in tags}


def _last_action_failure(cloudwatch: Any, alarm_name: str, alarm_type: str) -> str | None:
    """The summary of the alarm's most recent action if that action failed, else None (also for never acted)."""
    items = cloudwatch.describe_alarm_history(
        AlarmName=alarm_name,
        AlarmTypes=[alarm_type],
        HistoryItemType="Action",
        ScanBy="TimestampDescending",
        MaxRecords=1,
    ).get("AlarmHistoryItems", [])
    if not items:
        return None
    latest = items[0]
    # An action item's HistoryData is JSON with "actionState" ("Succeeded" or "Failed"); its summary reads
    # "Successfully executed action ..." or "Failed to execute action ...".
    try:
        state = json.loads(latest.get("HistoryData") or "{}").get("actionState")
    except (json.JSONDecodeError, AttributeError):
        state = None
    summary = latest.get("HistorySummary", "")
    if state == "Failed" or (state is None and summary.startswith("Failed")):
        return f"{summary} ({latest['Timestamp']:%Y-%m-%d %H:%M} UTC)" if "Timestamp" in latest else summary
    return None
