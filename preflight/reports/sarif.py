"""The SARIF 2.1.0 report, for code-scanning tools that annotate the line that created a resource.

One rule per policy of the pack: its description, help (the remediation steps), default level and, under
`properties.tags`, the control ids it implements (`fsbp:S3.17`, `cis:3.7`); `security-severity` carries the
policy's severity as the number code-scanning hosts sort by. One result per finding:

- a rule's default level from the policy's configured enforcement level: mandatory (and remediate, whose
  violations left after the fix are mandatory) -> error, advisory -> warning, disabled -> none;
- a result's level from its verdict (`preflight.outcome.verdict`, the one classification every output uses):
  blocking -> error, advisory -> warning, an applied remediation or a policy that could not decide -> note;
- an exempted finding keeps the level of the violation it excuses and gets an accepted `suppressions` entry
  whose justification is the exemption's reason;
- located at the source line that created the resource (the SDK's source position, relative to the git
  repository holding the project, else to the project, under the `%SRCROOT%` base), and named by its URN
  (`logicalLocations[].fullyQualifiedName`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from preflight.analyze import Finding
from preflight.outcome import Outcome, Verdict, verdict
from preflight.reports.common import (
    Location,
    describe,
    location,
    policy_metadata,
    program_file,
    resource_name,
    undecided_reason,
)

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {"mandatory": "error", "remediate": "error", "advisory": "warning", "disabled": "none"}
RESULT_LEVELS = {
    Verdict.BLOCKING: "error",
    Verdict.ADVISORY: "warning",
    Verdict.REMEDIATED: "note",
    Verdict.UNDECIDED: "note",
    Verdict.IGNORED: "none",
}
# The CVSS-like number code-scanning hosts read from a rule's `security-severity`.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def _rule(outcome: Outcome, policy: Any) -> dict[str, Any]:
    metadata = policy_metadata(policy)
    level = outcome.level_of(policy)
    framework = metadata["framework"]
    help_text = metadata["remediationSteps"] or metadata["description"]
    properties: dict[str, Any] = {"tags": sorted(set(metadata["tags"])), "enforcementLevel": level}
    if metadata["severity"]:
        properties["severity"] = metadata["severity"]
        properties["security-severity"] = SECURITY_SEVERITY[metadata["severity"]]
    if framework:
        properties["framework"] = framework
    rule: dict[str, Any] = {
        "id": metadata["name"],
        "name": metadata["name"],
        "shortDescription": {"text": metadata["displayName"] or metadata["description"] or metadata["name"]},
        "fullDescription": {"text": metadata["description"] or metadata["name"]},
        "help": {"text": help_text or metadata["name"]},
        "defaultConfiguration": {"level": LEVELS.get(level, "warning"), "enabled": level != "disabled"},
        "properties": properties,
    }
    if framework:
        controls = f" ({framework.get('name', '')} {framework.get('reference', '')})".rstrip()
        rule["help"]["markdown"] = f"**Remediation:** {help_text}\n\n**Controls:** {', '.join(metadata['tags'])}"
        rule["help"]["markdown"] += controls
    if metadata["url"]:
        rule["helpUri"] = metadata["url"]
    return rule


def _fingerprint(finding: Finding) -> str:
    return hashlib.sha256(f"{finding.policy}\n{finding.urn}\n{finding.message}".encode()).hexdigest()


def _result(outcome: Outcome, finding: Finding, rule_index: int) -> dict[str, Any]:
    kind = verdict(finding)
    level = LEVELS.get(finding.enforcement_level, "warning") if kind is Verdict.EXEMPTED else RESULT_LEVELS[kind]
    if kind is Verdict.UNDECIDED:
        text = f"{finding.policy} could not decide for {describe(finding.urn, outcome.stack)}: "
        text += undecided_reason(finding)
    elif kind is Verdict.REMEDIATED:
        text = f"{finding.policy} remediated {describe(finding.urn, outcome.stack)}: {finding.description}"
    else:
        text = finding.message or finding.description or finding.policy
    # Code-scanning hosts want a file for every result: one that names no resource created in the project (a
    # stack policy's, a provider's) is put on the program's entry file.
    where = location(outcome, finding.urn) or Location(program_file(outcome.project_dir), 1, 0)
    region: dict[str, int] = {"startLine": where.line}
    if where.column > 0:
        region["startColumn"] = where.column
    uri = _repository_path(outcome.project_dir, where.path)
    place: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}, "region": region}
    }
    if finding.urn:
        place["logicalLocations"] = [
            {"fullyQualifiedName": finding.urn, "name": resource_name(finding.urn), "kind": "resource"}
        ]
    result: dict[str, Any] = {
        "ruleId": finding.policy,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": text},
        "locations": [place],
        "partialFingerprints": {"preflightFinding/v1": _fingerprint(finding)},
        "properties": {
            "enforcementLevel": finding.enforcement_level,
            "severity": finding.severity,
            "undecided": finding.undecided,
            "exempted": finding.exempted,
            "verdict": kind.value,
        },
    }
    if finding.exempted:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": finding.exemption_reason or "(no reason)"}
        ]
    return result


def build(outcome: Outcome) -> dict[str, Any]:
    rules = [_rule(outcome, p) for p in outcome.policies]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    for finding in outcome.findings:
        if finding.policy not in index:  # a policy the pack did not list: still one rule for it
            index[finding.policy] = len(rules)
            rules.append(
                {
                    "id": finding.policy,
                    "name": finding.policy,
                    "shortDescription": {"text": finding.description or finding.policy},
                }
            )
    results = [_result(outcome, f, index[f.policy]) for f in outcome.findings]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": outcome.pack_name,
                        "version": outcome.pack_version,
                        "fullName": f"{outcome.pack_name} policy pack (Pulumi CrossGuard, offline preview)",
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"preflight/{outcome.preview.project}/{outcome.stack}/"},
                "originalUriBaseIds": {SRCROOT: {"uri": source_root(outcome.project_dir).as_uri() + "/"}},
                "invocations": [{"executionSuccessful": True, "exitCode": outcome.exit_code}],
                "results": results,
                "properties": {
                    "project": outcome.preview.project,
                    "stack": outcome.stack,
                    "stackUrn": outcome.preview.stack_urn,
                },
            }
        ],
    }


def render(outcome: Outcome) -> str:
    return json.dumps(build(outcome), indent=2) + "\n"


def source_root(project_dir: Path) -> Path:
    """Where paths are relative to: the git repository holding the project (code-scanning hosts resolve a
    result's file from the repository root, also for a project in a subdirectory), else the project itself."""
    project_dir = project_dir.resolve()
    for directory in (project_dir, *project_dir.parents):
        if (directory / ".git").exists():
            return directory
    return project_dir


def _repository_path(project_dir: Path, path: str) -> str:
    try:
        return (project_dir.resolve() / path).relative_to(source_root(project_dir)).as_posix()
    except ValueError:
        return path
