"""The Markdown report: a summary fit for a pull-request comment.

A headline that says whether the preview passes, the counts, then a table of violations (mandatory first,
each with its policy, resource, source line and message), the exemptions with their reasons, and the
policies that could not decide. Long tables are cut (a code host limits a comment's size).
"""

from __future__ import annotations

from preflight.analyze import Finding
from preflight.outcome import Outcome, Verdict, verdict
from preflight.reports.common import describe, location, undecided_reason

MAX_ROWS = 100
_ICONS = {Verdict.BLOCKING: "🔴", Verdict.ADVISORY: "🟡"}


def _cell(text: str) -> str:
    """Text safe inside a table cell: no pipes or line breaks."""
    return " ".join(text.replace("|", "\\|").split("\n")).strip() or "-"


def _code(text: str) -> str:
    return f"`{text}`" if text else "-"


def _where(outcome: Outcome, finding: Finding) -> str:
    where = location(outcome, finding.urn)
    return _code(f"{where.path}:{where.line}") if where else "-"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines.append(f"\n_... and {len(rows) - MAX_ROWS} more: see the JSON or SARIF report._")
    return lines


def render(outcome: Outcome) -> str:
    counts = outcome.counts
    project, stack = outcome.preview.project, outcome.stack
    if counts.passed:
        headline = f"### ✅ `{project}` / `{stack}`: no mandatory policy violated"
    else:
        headline = f"### ❌ `{project}` / `{stack}`: {_plural(counts.mandatory_violations, 'mandatory violation')}"
    lines = [
        headline,
        "",
        # The count the printed plan ends with (`+ N to create`: the stack included, as the CLI counts it).
        f"Offline `pulumi preview --policy-pack` of the `{stack}` stack: **{counts.resources} resources** to "
        f"create, checked by **{outcome.pack_name} v{outcome.pack_version}** ({counts.policies} policies) on "
        "the preview and on an apply-mode run.",
        "",
        "| Mandatory violations | Advisory violations | Remediations | Exemptions | Undecided |",
        "|---:|---:|---:|---:|---:|",
        f"| {counts.mandatory_violations} | {counts.advisory_violations} | {counts.remediations} "
        f"| {counts.exemptions} | {counts.undecided} |",
    ]
    config = f"`{outcome.pack_config.name}`" if outcome.pack_config else "none (each policy at the pack's own level)"
    lines += ["", f"Policy pack config: {config}."]
    if outcome.disabled_policies:
        lines.append(f"Disabled, never ran: {', '.join(_code(p) for p in outcome.disabled_policies)}.")
    for policy, name in outcome.unmatched_exemptions:
        lines.append(f"⚠️ The exemption of `{name}` from `{policy}` matched no resource.")
    violations = sorted(outcome.violations, key=lambda f: (verdict(f) is not Verdict.BLOCKING, f.policy, f.urn))
    if violations:
        lines += ["", "#### Violations", ""]
        rows = [
            [
                f"{_ICONS[verdict(f)]} {'mandatory' if verdict(f) is Verdict.BLOCKING else 'advisory'}",
                _code(f.policy),
                _cell(describe(f.urn, stack)),
                _where(outcome, f),
                _cell(f.message or f.description),
            ]
            for f in violations
        ]
        lines += _table(["Level", "Policy", "Resource", "Source", "Message"], rows)
    if outcome.remediations:
        lines += ["", "#### Remediations (the resource is created with the policy's fix)", ""]
        rows = [
            [_code(f.policy), _cell(describe(f.urn, stack)), _where(outcome, f), _cell(f.description)]
            for f in outcome.remediations
        ]
        lines += _table(["Policy", "Resource", "Source", "Fix"], rows)
    exemptions = outcome.exemptions
    if exemptions:
        lines += ["", "#### Exemptions", ""]
        rows = [
            [
                _code(f.policy),
                _cell(describe(f.urn, stack)),
                _where(outcome, f),
                _cell(f.exemption_reason or "(no reason given)"),
            ]
            for f in exemptions
        ]
        lines += _table(["Policy", "Resource", "Source", "Reason"], rows)
    undecided = outcome.undecided
    if undecided:
        lines += ["", "#### Policies that could not decide", ""]
        rows = [[_code(f.policy), _cell(describe(f.urn, stack)), _cell(undecided_reason(f))] for f in undecided]
        lines += _table(["Policy", "Resource", "Why"], rows)
    lines += ["", "<sub>Written by <code>python -m preflight</code>.</sub>"]
    return "\n".join(lines) + "\n"
