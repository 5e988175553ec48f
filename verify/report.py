"""The checklist for people (like `make preview`'s report) and the JSON document for CI."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from verify.results import CheckResult, Status

MARKS = {Status.PASS: "PASS", Status.WARN: "WARN", Status.FAIL: "FAIL", Status.SKIP: "SKIP"}


def exit_code(results: Sequence[CheckResult]) -> int:
    """1 when any check failed; warnings and skips leave it 0."""
    return 1 if any(result.status is Status.FAIL for result in results) else 0


def text_report(results: Sequence[CheckResult], stack: str, account_id: str, region: str) -> str:
    width = max((len(result.check) for result in results), default=0)
    lines = [f"Verifying stack {stack} in account {account_id} ({region})", ""]
    for result in results:
        lines.append(f"  {MARKS[result.status]}  {result.check:<{width}}  {result.summary}")
        if result.fix:
            lines.append(f"        {'':<{width}}  fix: {result.fix}")
    counts = Counter(result.status for result in results)
    lines += [
        "",
        f"{counts[Status.PASS]} passed, {counts[Status.WARN]} warnings, {counts[Status.FAIL]} failed, "
        f"{counts[Status.SKIP]} skipped",
    ]
    return "\n".join(lines)


def json_report(results: Sequence[CheckResult], stack: str, account_id: str, region: str) -> str:
    counts = Counter(result.status.value for result in results)
    document = {
        "stack": stack,
        "account": account_id,
        "region": region,
        "passed": exit_code(results) == 0,
        "summary": {status.value: counts[status.value] for status in Status},
        "checks": [{"check": r.check, "status": r.status.value, "summary": r.summary, "fix": r.fix} for r in results],
    }
    return json.dumps(document, indent=2)
