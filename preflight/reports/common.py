"""What every report needs: counts, and where in the project a finding's resource was created."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import yaml
from google.protobuf import json_format

from preflight.analyze import LEVELS, SEVERITIES, Finding
from preflight.outcome import Outcome
from preflight.plan import display_type
from preflight.record import RecordedResource, SourcePosition


@dataclass(frozen=True)
class Location:
    """A source line inside the project (`path` relative to the project dir, with `/`), or none."""

    path: str
    line: int
    column: int


def source_path(project_dir: Path, position: SourcePosition) -> str | None:
    """The source file of a position, relative to the project dir; None outside the project's own code."""
    uri = position.uri
    path = Path(unquote(urlparse(uri).path)) if uri.startswith("file:") else Path(uri)
    try:
        relative = path.resolve().relative_to(project_dir.resolve())
    except ValueError:
        return None
    # A virtualenv inside the project (.venv) holds the SDKs, not the program.
    if {"site-packages", "dist-packages"} & set(relative.parts):
        return None
    return relative.as_posix()


def location(outcome: Outcome, urn: str) -> Location | None:
    """Where the resource behind `urn` was created in the project.

    The SDK's source position is the first frame outside the SDK; for a provider that frame is inside the
    provider package, so the nearest ancestor created in the project stands in for it.
    """
    resource = outcome.resource(urn) if urn else None
    seen: set[str] = set()
    while resource is not None and resource.urn not in seen:
        seen.add(resource.urn)
        position = resource.source_position
        if position is not None and position.line > 0:
            path = source_path(outcome.project_dir, position)
            if path is not None:
                return Location(path, position.line, position.column)
        resource = outcome.resource(resource.parent) if resource.parent else None
    return None


def program_file(project_dir: Path) -> str:
    """The program's entry file, relative to the project (Pulumi.yaml's `main`, else `__main__.py`)."""
    main = ""
    with contextlib.suppress(OSError, yaml.YAMLError, AttributeError):
        main = str((yaml.safe_load((project_dir / "Pulumi.yaml").read_text()) or {}).get("main") or "")
    entry = Path(main) if main else Path()
    if not main or (project_dir / entry).is_dir():
        entry = entry / "__main__.py"
    return entry.as_posix()


def resources(outcome: Outcome) -> list[RecordedResource]:
    """The resources a first `pulumi preview` creates, in registration order."""
    return list(outcome.preview.resources)


def resource_type(urn: str) -> str:
    """The type in a URN (`urn:pulumi:stack::project::parent$type::name` -> `type`)."""
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""


def resource_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1] if urn.count("::") >= 3 else ""


def describe(urn: str, stack: str) -> str:
    """`aws:s3:Bucket storage-logs-bucket`, or the stack for a finding that names no resource."""
    if not urn:
        return f"{stack} stack"
    return f"{display_type(resource_type(urn))} {resource_name(urn)}"


def policy_metadata(policy: Any) -> dict[str, Any]:
    """A `PolicyInfo` from `GetAnalyzerInfo` as plain values."""
    framework = {}
    if policy.HasField("framework"):
        framework = {k: v for k, v in json_format.MessageToDict(policy.framework).items() if v}
    return {
        "name": policy.name,
        "displayName": policy.displayName,
        "description": policy.description,
        "enforcementLevel": LEVELS.get(policy.enforcementLevel, "advisory"),
        "severity": SEVERITIES.get(policy.severity, ""),
        "tags": list(policy.tags),
        "framework": framework,
        "remediationSteps": policy.remediation_steps,
        "url": policy.url,
    }


def undecided_reason(finding: Finding) -> str:
    """The SDK's note "can't run policy 'x' from policy pack 'p' during preview: <reason>" -> the reason."""
    return finding.message.split(" during preview: ", 1)[-1]
