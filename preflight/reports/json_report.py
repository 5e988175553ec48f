"""The JSON report: every resource a first preview creates and every finding, plus a summary.

    {"version": 1, "project", "stack", "stackUrn",
     "policyPack": {"name", "version", "policies": [...], "config", "disabledPolicies", "unmatchedExemptions"},
     "summary": {"resources", "policies", "mandatoryViolations", "advisoryViolations", "remediations",
                 "exemptions", "undecided", "passed", "exitCode"},
     "resources": [{"urn", "type", "name", "parent", "custom", "protect", "dependencies", "source"}],
     "findings": [{"policy", "pack", "enforcementLevel", "severity", "urn", "resourceType", "resourceName",
                   "message", "description", "undecided", "undecidedReason", "exempted", "exemptionReason",
                   "verdict", "source"}]}

`resources` starts with the root stack, which a first preview creates too: `summary.resources` is its length,
the `+ N to create` the printed plan ends with. A finding's `verdict` is what it means for the run (see
`preflight.outcome.Verdict`): "blocking", "advisory", "remediated", "exempted", "undecided" or "ignored";
`summary.passed` and `exitCode` follow from it, as for the terminal and every other report.

`source` is `{"path": relative to the project, "line", "column", "uri"}` (the SDK's source position), or null.
Resource inputs and outputs are left out on purpose: they may hold secrets.
"""

from __future__ import annotations

import json
from typing import Any

from preflight.analyze import Finding
from preflight.outcome import Outcome, verdict
from preflight.record import STACK_TYPE, RecordedResource
from preflight.reports.common import (
    location,
    policy_metadata,
    resource_name,
    resource_type,
    resources,
    source_path,
    undecided_reason,
)

FORMAT_VERSION = 1


def _resource(outcome: Outcome, resource: RecordedResource) -> dict[str, Any]:
    position = resource.source_position
    source = None
    if position is not None:
        source = {
            "path": source_path(outcome.project_dir, position),
            "line": position.line,
            "column": position.column,
            "uri": position.uri,
        }
    return {
        "urn": resource.urn,
        "type": resource.type,
        "name": resource.name,
        "parent": resource.parent,
        "custom": resource.custom,
        "protect": resource.protect,
        "dependencies": list(resource.dependencies),
        "source": source,
    }


def _stack(outcome: Outcome) -> dict[str, Any]:
    urn = outcome.preview.stack_urn
    return {
        "urn": urn,
        "type": STACK_TYPE,
        "name": urn.rsplit("::", 1)[-1],
        "parent": "",
        "custom": False,
        "protect": False,
        "dependencies": [],
        "source": None,
    }


def _finding(outcome: Outcome, finding: Finding) -> dict[str, Any]:
    where = location(outcome, finding.urn)
    return {
        "policy": finding.policy,
        "pack": finding.pack,
        "enforcementLevel": finding.enforcement_level,
        "severity": finding.severity,
        "urn": finding.urn,
        "resourceType": resource_type(finding.urn),
        "resourceName": resource_name(finding.urn),
        "message": finding.message,
        "description": finding.description,
        "undecided": finding.undecided,
        "undecidedReason": undecided_reason(finding) if finding.undecided else "",
        "exempted": finding.exempted,
        "exemptionReason": finding.exemption_reason,
        "verdict": verdict(finding).value,
        "source": {"path": where.path, "line": where.line, "column": where.column} if where else None,
    }


def summary(outcome: Outcome) -> dict[str, Any]:
    counts = outcome.counts
    return {
        "resources": counts.resources,
        "policies": counts.policies,
        "mandatoryViolations": counts.mandatory_violations,
        "advisoryViolations": counts.advisory_violations,
        "remediations": counts.remediations,
        "exemptions": counts.exemptions,
        "undecided": counts.undecided,
        "passed": counts.passed,
        "exitCode": counts.exit_code,
    }


def build(outcome: Outcome) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "project": outcome.preview.project,
        "stack": outcome.stack,
        "stackUrn": outcome.preview.stack_urn,
        "policyPack": {
            "name": outcome.pack_name,
            "version": outcome.pack_version,
            "policies": [policy_metadata(p) for p in outcome.policies],
            "config": str(outcome.pack_config) if outcome.pack_config else None,
            "disabledPolicies": outcome.disabled_policies,
            "unmatchedExemptions": [{"policy": p, "name": n} for p, n in outcome.unmatched_exemptions],
        },
        "summary": summary(outcome),
        "resources": [_stack(outcome), *(_resource(outcome, r) for r in resources(outcome))],
        "findings": [_finding(outcome, f) for f in outcome.findings],
    }


def render(outcome: Outcome) -> str:
    return json.dumps(build(outcome), indent=2, default=str) + "\n"
