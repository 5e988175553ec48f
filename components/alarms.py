"""The one shape every alarm of this stack has: a CloudWatch metric alarm that notifies the alert topic.

Each tier decides what to watch and when it is bad; this module only makes sure every alarm is built the same
way (a described static-threshold alarm on one metric, its actions the alert topic, the all-clear mailed too
where the tier asks for it), so a new alarm cannot forget its topic or its missing-data treatment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_aws as aws

TREAT_MISSING_DATA = ("breaching", "notBreaching", "ignore", "missing")


def metric_alarm(
    parent: pulumi.Resource,
    name: str,
    *,
    description: str,
    namespace: str,
    metric_name: str,
    statistic: str,
    comparison_operator: str,
    threshold: float,
    period: int,
    evaluation_periods: int,
    treat_missing_data: str,
    topic_arn: pulumi.Input[str],
    dimensions: Mapping[str, pulumi.Input[str]] | None = None,
    notify_ok: bool = False,
    notify_insufficient_data: bool = False,
    alarm_name: str | None = None,
    depends_on: Sequence[pulumi.Resource] = (),
) -> aws.cloudwatch.MetricAlarm:
    """A metric alarm child of `parent` whose alarm (and, with `notify_ok`, OK; with
    `notify_insufficient_data`, INSUFFICIENT_DATA) action is the alert topic.

    `treat_missing_data` has no default on purpose: whether silence is healthy (no 5xx, no findings) or itself
    the problem (a database or a schedule that stopped reporting) is each alarm's own decision.
    """
    if treat_missing_data not in TREAT_MISSING_DATA:
        raise ValueError(f"{name}: treat_missing_data must be one of {', '.join(TREAT_MISSING_DATA)}")
    actions = [topic_arn]
    return aws.cloudwatch.MetricAlarm(
        name,
        name=alarm_name,
        alarm_description=description,
        namespace=namespace,
        metric_name=metric_name,
        dimensions=dimensions,
        statistic=statistic,
        comparison_operator=comparison_operator,
        threshold=threshold,
        period=period,
        evaluation_periods=evaluation_periods,
        treat_missing_data=treat_missing_data,
        alarm_actions=actions,
        ok_actions=actions if notify_ok else None,
        insufficient_data_actions=actions if notify_insufficient_data else None,
        opts=pulumi.ResourceOptions(parent=parent, depends_on=list(depends_on) or None),
    )
