"""The terminal report: what `python -m preflight` prints after the plan, laid out as `pulumi preview` does.

Violations grouped by policy (mandatory first), then remediations, exemptions and the policies that could not
decide, then a summary of the counts. What blocks and every figure come from the `Outcome`, as for the other
reports; this one is just printed instead of written to a file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

from preflight.analyze import Finding
from preflight.outcome import Outcome, Verdict, verdict
from preflight.plan import display_type, source_order
from preflight.record import Recording
from preflight.reports.common import undecided_reason


def render_diagnostics(preview: Recording, diagnostics: str) -> str:
    """What the program printed or logged, under the stack, as the CLI's Diagnostics section shows it."""
    if not diagnostics.strip():
        return ""
    lines = ["Diagnostics:", f"  pulumi:pulumi:Stack ({preview.stack_urn.rsplit('::', 1)[-1]}):"]
    lines += [f"    {line}" for line in diagnostics.strip().splitlines()]
    return "\n".join(lines) + "\n\n"


def render(outcome: Outcome) -> str:
    """Violations grouped by policy (mandatory first), then remediations, exemptions, undecided, a summary.

    Identical findings (one policy, one message) on several resources are printed once, under the list of those
    resources and with their count; the counts in the summary stay per finding, as in every report.
    """
    lines = _violations(outcome)
    lines += _listed(outcome, "Policy Remediations:", outcome.remediations, lambda f: f.description, "[remediate]  ")
    lines += _listed(outcome, "Exemptions:", outcome.exemptions, lambda f: f.exemption_reason or "(no reason given)")
    lines += _listed(outcome, "Policies that could not decide:", outcome.undecided, undecided_reason)
    return "\n".join(lines + _summary(outcome)) + "\n"


def _violations(outcome: Outcome) -> list[str]:
    if not outcome.violations:
        return []
    order = {r.urn: i for i, r in enumerate(sorted(outcome.apply.resources, key=source_order))}
    descriptions = {p.name: p.description for p in outcome.policies}
    violations = sorted(
        outcome.violations, key=lambda f: (verdict(f) is not Verdict.BLOCKING, f.policy, order.get(f.urn, -1))
    )
    lines = ["Policy Violations:"]
    for (level, policy), group in _grouped(violations):
        severity = f", {group[0].severity}" if group[0].severity else ""
        lines.append(f"    [{level}]  {policy}  ({outcome.pack_name} v{outcome.pack_version}{severity})")
        lines.append(f"    {group[0].description or descriptions.get(policy, '')}")
        for message, alike in _alike(group, lambda f: f.message or "").items():
            lines += [f"      - {_where(outcome, finding.urn)}" for finding in alike]
            lines += [f"          {message_line}" for message_line in message.splitlines()]
            if len(alike) > 1:
                lines.append(f"          (the same finding on {len(alike)} resources)")
    return [*lines, ""]


def _listed(
    outcome: Outcome, title: str, findings: list[Finding], explain: Callable[[Finding], str], prefix: str = ""
) -> list[str]:
    """A section of one headline per finding (policy and resource) and its explanation; nothing when empty. One
    policy's findings with the same explanation share it: their resources are listed under the first."""
    if not findings:
        return []
    lines = [title]
    by_policy: dict[str, list[Finding]] = {}
    for finding in findings:
        by_policy.setdefault(finding.policy, []).append(finding)
    for policy, group in by_policy.items():
        for explanation, alike in _alike(group, explain).items():
            headline = f"    {prefix}{policy}  "
            lines.append(headline + _where(outcome, alike[0].urn))
            lines += [" " * len(headline) + _where(outcome, finding.urn) for finding in alike[1:]]
            count = f" ({len(alike)} resources)" if len(alike) > 1 else ""
            lines.append(f"          {explanation}{count}")
    return [*lines, ""]


def _alike(findings: list[Finding], text: Callable[[Finding], str]) -> dict[str, list[Finding]]:
    """The findings grouped by their text, in the order each text first appears."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(text(finding), []).append(finding)
    return groups


def _summary(outcome: Outcome) -> list[str]:
    counts = outcome.counts
    config = _shown(outcome.pack_config) if outcome.pack_config else "none (each policy at the pack's own level)"
    lines = [
        f"Policy packs run: {outcome.pack_name} v{outcome.pack_version} ({counts.policies} policies), "
        "on the preview and on an apply-mode run",
        f"    {_count(counts.mandatory_violations, 'mandatory violation')}, "
        f"{_count(counts.advisory_violations, 'advisory violation')}, "
        f"{_count(counts.exemptions, 'exemption')}, {_count(counts.undecided, 'undecided policy')}",
        f"    policy pack config: {config}",
    ]
    if outcome.disabled_policies:
        lines.append(f"    disabled, never ran: {', '.join(outcome.disabled_policies)}")
    for policy, name in outcome.unmatched_exemptions:
        lines.append(f"    warning: the exemption of {name} from {policy} matched no resource (misspelt or left over?)")
    return lines


def _grouped(findings: list[Finding]) -> list[tuple[tuple[str, str], list[Finding]]]:
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.enforcement_level, finding.policy), []).append(finding)
    return list(groups.items())


def _count(n: int, noun: str) -> str:
    if n == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {plural}"


def _where(outcome: Outcome, urn: str) -> str:
    """`type name (file:line)` for a resource; the stack for a finding that names none."""
    if not urn:
        return f"{outcome.stack} stack"
    resource = outcome.resource(urn)
    qualified_type = urn.split("::")[2] if urn.count("::") >= 3 else urn
    name = urn.rsplit("::", 1)[-1]
    text = f"{display_type(qualified_type.rsplit('$', 1)[-1])} {name}"
    if resource is not None and resource.source_position is not None:
        text += f"  ({source_location(outcome.project_dir, resource.source_position.uri)}:"
        text += f"{resource.source_position.line})"
    return text


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def source_location(project_dir: Path, uri: str) -> str:
    """A source position's file, relative to the project when it is inside it."""
    path = Path(unquote(urlparse(uri).path)) if uri.startswith("file:") else Path(uri)
    try:
        return str(path.relative_to(project_dir))
    except ValueError:
        return str(path)
