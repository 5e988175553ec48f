"""The JSON report: every resource a first preview creates and every finding, plus a summary.

    {"version": 1, "project", "stack", "stackUrn", "policyPack": {"name", "version", "policies": [...]},
     "summary": {"resources", "policies", "mandatoryViolations", "advisoryViolations", "exemptions",
                 "undecided", "passed", "exitCode"},
     "resources": [{"urn", "type", "name", "parent", "custom", "protect", "dependencies", "source"}],
     "findings": [{"policy", "pack", "enforcementLevel", "severity", "urn", "resourceType", "resourceName",
                   "message", "description", "undecided", "undecidedReason", "exempted", "exemptionReason",
                   "source"}]}

`source` is `{"path": relative to the project, "line", "column", "uri"}` (the SDK's source position), or null.
Resource inputs and outputs are left out on purpose: they may hold secrets.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from preflight.analyze import Finding
from preflight.record import RecordedResource
from preflight.reports.common import (
    location,
    policy_metadata,
    resource_name,
    resource_type,
    resources,
    source_path,
    summary,
    undecided_reason,
)

if TYPE_CHECKING:
    from preflight.cli import Outcome

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
        "source": {"path": where.path, "line": where.line, "column": where.column} if where else None,
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
        },
        "summary": summary(outcome),
        "resources": [_resource(outcome, r) for r in resources(outcome)],
        "findings": [_finding(outcome, f) for f in outcome.findings],
    }


def render(outcome: Outcome) -> str:
    return json.dumps(build(outcome), indent=2, default=str) + "\n"
