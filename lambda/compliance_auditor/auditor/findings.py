"""What every check returns: findings (rule, resource, detail) and how many resources each rule looked at."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from botocore.exceptions import ClientError

AUDIT_ERROR = "audit-error"


class Finding(TypedDict):
    """One resource that breaks one rule. `rule` is stable (alarms and queries key on it); `detail` is for people."""

    rule: str
    resource: str
    detail: str


@dataclass
class CheckResult:
    """The outcome of one check area. `checked` counts the resources each rule evaluated."""

    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    def add(self, rule: str, resource: str, detail: str) -> None:
        self.findings.append(Finding(rule=rule, resource=resource, detail=detail))

    def count(self, *rules: str, resources: int = 1) -> None:
        for rule in rules:
            self.checked[rule] = self.checked.get(rule, 0) + resources


def error_code(error: Exception) -> str:
    """AWS's error code for an API error; the exception's type for anything else (a timeout, a bug)."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "Unknown"))
    return type(error).__name__


def check_failed(check: str, error: Exception) -> Finding:
    """A check that could not finish (access denied, throttled past retries, an answer it did not expect):
    reported, because unchecked is not a pass."""
    return Finding(
        rule=AUDIT_ERROR,
        resource=check,
        detail=f"the {check} check failed and its rules were not evaluated: {error_code(error)} ({error})",
    )


def resource_unreadable(check: str, resource: str, error: Exception) -> Finding:
    """One resource a check could not read (e.g. a key or bucket policy that denies the auditor)."""
    return Finding(
        rule=AUDIT_ERROR,
        resource=resource,
        detail=f"the {check} check could not read {resource}: {error_code(error)} ({error})",
    )
