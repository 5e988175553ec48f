"""Telling people: one SNS message listing the findings, and the ComplianceFindings metric every run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from auditor.findings import Finding

METRIC_NAME = "ComplianceFindings"
SUBJECT_LIMIT = 99  # SNS refuses subjects of 100 characters or more
# SNS messages are at most 256 KiB; the body stops listing findings before that (they are all in the logs).
BODY_LIMIT_BYTES = 250 * 1024


def subject(count: int, region: str, account: str | None) -> str:
    where = f"account {account} ({region})" if account else region
    text = f"Compliance auditor: {count} finding{'s' if count != 1 else ''} in {where}"
    return text[:SUBJECT_LIMIT]


def body(findings: Sequence[Finding], checked: Mapping[str, int], region: str, account: str | None) -> str:
    """A plain-text message a person can act on: every finding, then what was checked. Pure."""
    where = f"account {account}, region {region}" if account else f"region {region}"
    lines = [
        f"The compliance auditor found {len(findings)} problem{'s' if len(findings) != 1 else ''} in {where}.",
        "These are resources that drifted from the stack's rules (changed in the console or by other tools),",
        "or checks the auditor could not run (rule audit-error).",
        "",
    ]
    footer = ["", "Resources checked per rule:", *(f"  {rule}: {count}" for rule, count in sorted(checked.items()))]
    size = sum(len(line.encode()) + 1 for line in lines + footer)
    for number, finding in enumerate(findings, start=1):
        line = f"{number}. [{finding['rule']}] {finding['resource']}: {finding['detail']}"
        if size + len(line.encode()) + 1 > BODY_LIMIT_BYTES:
            lines.append(f"... and {len(findings) - number + 1} more: see the function's log group.")
            break
        lines.append(line)
        size += len(line.encode()) + 1
    return "\n".join(lines + footer)


def publish_findings(
    sns: Any,
    topic_arn: str,
    findings: Sequence[Finding],
    checked: Mapping[str, int],
    region: str,
    account: str | None,
) -> str:
    """Publishes one message for the run; returns its message id."""
    response = sns.publish(
        TopicArn=topic_arn,
        Subject=subject(len(findings), region, account),
        Message=body(findings, checked, region, account),
    )
    return response["MessageId"]


def put_findings_metric(cloudwatch: Any, namespace: str, count: int) -> None:
    """Puts the metric every run, zero included, so an alarm on it sees data and not INSUFFICIENT_DATA."""
    cloudwatch.put_metric_data(
        Namespace=namespace,
        MetricData=[{"MetricName": METRIC_NAME, "Value": float(count), "Unit": "Count"}],
    )
