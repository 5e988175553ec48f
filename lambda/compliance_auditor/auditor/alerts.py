"""Telling people: one SNS message listing the findings most severe first, and the ComplianceFindings metric."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from auditor.findings import AUDIT_ERROR, Finding, error_code
from auditor.severity import CRITICAL, by_severity, severity_of

METRIC_NAME = "ComplianceFindings"
# SNS: "must be ASCII text ... and must be less than 100 characters long".
SUBJECT_LIMIT = 99
# SNS messages are at most 256 KiB (262,144 bytes); the body stops listing findings well before that (every
# finding is in the logs), leaving room for the JSON envelope SNS wraps it in for SQS or HTTP subscribers.
BODY_LIMIT_BYTES = 250 * 1024


def subject(count: int, region: str, account: str | None, critical: int = 0) -> str:
    where = f"account {account} ({region})" if account else region
    urgent = f" ({critical} critical)" if critical else ""
    text = f"Compliance auditor: {count} finding{'s' if count != 1 else ''}{urgent} in {where}"
    return text[:SUBJECT_LIMIT]


def body(findings: Sequence[Finding], checked: Mapping[str, int], region: str, account: str | None) -> str:
    """A plain-text message a person can act on: the findings grouped by severity, most severe first, then what
    was checked. When they would not all fit in an SNS message, the least severe are left out and counted. Pure."""
    where = f"account {account}, region {region}" if account else f"region {region}"
    lines = [
        f"The compliance auditor found {len(findings)} problem{'s' if len(findings) != 1 else ''} in {where}.",
        "These are resources that drifted from the stack's rules (changed in the console or by other tools),",
        "or checks the auditor could not run (rule audit-error). The most severe come first.",
    ]
    footer = ["", "Resources checked per rule:", *(f"  {rule}: {count}" for rule, count in sorted(checked.items()))]
    # What the "left out" line can take at most, so that adding it never crosses the limit.
    reserve = 200
    size = sum(len(line.encode()) + 1 for line in lines + footer) + reserve
    ordered = by_severity(findings)
    group = None
    for number, finding in enumerate(ordered, start=1):
        severity = severity_of(finding["rule"])
        entry = [f"{number}. [{finding['rule']}] {finding['resource']}: {finding['detail']}"]
        if severity != group:
            entry[:0] = ["", f"{severity.capitalize()} ({_count(ordered, severity)}):"]
        entry_size = sum(len(line.encode()) + 1 for line in entry)
        if size + entry_size > BODY_LIMIT_BYTES:
            lines += ["", _left_out(ordered[number - 1 :])]
            break
        lines += entry
        size += entry_size
        group = severity
    return "\n".join(lines + footer)


def _count(findings: Sequence[Finding], severity: str) -> int:
    return sum(1 for finding in findings if severity_of(finding["rule"]) == severity)


def _left_out(findings: Sequence[Finding]) -> str:
    counts = Counter(severity_of(finding["rule"]) for finding in findings)
    per_severity = ", ".join(f"{count} {severity}" for severity, count in counts.items())
    return (
        f"... and {len(findings)} more ({per_severity}) not listed, to stay within SNS's size limit: "
        "see the function's log group."
    )


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
        Subject=subject(len(findings), region, account, _count(findings, CRITICAL)),
        Message=body(findings, checked, region, account),
    )
    return response["MessageId"]


def metric_failed(namespace: str, error: Exception) -> Finding:
    """The metric could not be put: an audit-error finding, so the mail says why its alarm has no data."""
    return Finding(
        rule=AUDIT_ERROR,
        resource=f"{namespace}/{METRIC_NAME}",
        detail=f"the {METRIC_NAME} metric could not be put, so its alarm sees no data: {error_code(error)} ({error})",
    )


def put_findings_metric(cloudwatch: Any, namespace: str, count: int) -> None:
    """Puts the metric every run, zero included, so an alarm on it sees data and not INSUFFICIENT_DATA."""
    cloudwatch.put_metric_data(
        Namespace=namespace,
        MetricData=[{"MetricName": METRIC_NAME, "Value": float(count), "Unit": "Count"}],
    )
