"""What a check reports: one checklist line with its status, what was found and, when not a pass, the fix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    """Works for now, but needs someone's attention (an unconfirmed subscription, a change still applying)."""
    FAIL = "fail"
    SKIP = "skip"
    """Not checked on purpose (the auditor run without --invoke); never changes the exit code."""


@dataclass(frozen=True)
class CheckResult:
    check: str
    """The check area, e.g. "trail" (stable: CI keys on it)."""
    status: Status
    summary: str
    """What was found, naming the resource."""
    fix: str | None = None
    """What to do about it; every warning and failure has one."""

    def __post_init__(self) -> None:
        if self.status in (Status.WARN, Status.FAIL) and not self.fix:
            raise ValueError(f"{self.check}: a {self.status.value} needs a fix")


def passed(check: str, summary: str) -> CheckResult:
    return CheckResult(check, Status.PASS, summary)


def warned(check: str, summary: str, fix: str) -> CheckResult:
    return CheckResult(check, Status.WARN, summary, fix)


def failed(check: str, summary: str, fix: str) -> CheckResult:
    return CheckResult(check, Status.FAIL, summary, fix)


def skipped(check: str, summary: str) -> CheckResult:
    return CheckResult(check, Status.SKIP, summary)
