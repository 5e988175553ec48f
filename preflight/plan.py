"""The plan of a first `pulumi preview`, printed the way the CLI prints it: a tree of `+ create` rows.

    Previewing update (prod):
         Type                    Name              Plan
     +   pulumi:pulumi:Stack     secure-aws-prod   create
     +   ├─ pulumi:providers:aws secure-aws-prod-aws create
     +   └─ my:index:Store       store             create
     +      └─ aws:s3:Bucket     store-bucket      create

    Resources:
        + 4 to create

Rows nest under their parent (components, the stack). As in the CLI, types are shown simplified
(`aws:s3/bucket:Bucket` as `aws:s3:Bucket`), the engine's default providers are not shown, and the stack
counts as one of the resources to create. Siblings are in registration order as the program declares them
(`Recording.declared`): the CLI's order, without the run-to-run jitter of the SDK's async registrations.
"""

from __future__ import annotations

from dataclasses import dataclass

from preflight.record import STACK_TYPE, RecordedResource, Recording


@dataclass(frozen=True)
class PlanRow:
    """One row of the plan: its tree prefix, simplified type, name and URN."""

    prefix: str
    type: str
    name: str
    urn: str


def display_type(token: str) -> str:
    """The CLI's simplified type: `aws:ec2/vpc:Vpc` -> `aws:ec2:Vpc` (the module's last part repeats the type)."""
    parts = token.split(":")
    if len(parts) != 3 or "/" not in parts[1]:
        return token
    module, _, last = parts[1].rpartition("/")
    if last.lower() == parts[2].lower():
        return f"{parts[0]}:{module}:{parts[2]}"
    return token


def source_order(resource: RecordedResource) -> tuple[str, int, int, str]:
    """A stable sort key: where the program created the resource, then its name."""
    position = resource.source_position
    if position is None:
        return ("", 0, 0, resource.name)
    return (position.uri, position.line, position.column, resource.name)


def plan_rows(recording: Recording) -> list[PlanRow]:
    """Every resource to create, depth first in declaration order, under the root stack."""
    stack_name = recording.stack_urn.rsplit("::", 1)[-1]
    children: dict[str, list[tuple[str, str, str]]] = {}
    known = {recording.stack_urn} | {r.urn for r in recording.resources}
    last = len(recording.declared)  # what the program did not declare (the engine's default provider) goes last

    def declaration_order(resource: RecordedResource) -> tuple[int, tuple[str, int, int, str]]:
        return recording.declared.get((resource.type, resource.name), last), source_order(resource)

    for resource in sorted(recording.resources, key=declaration_order):
        parent = resource.parent if resource.parent in known else recording.stack_urn
        children.setdefault(parent, []).append((resource.urn, display_type(resource.type), resource.name))
    rows = [PlanRow("", STACK_TYPE, stack_name, recording.stack_urn)]

    def walk(urn: str, indent: str) -> None:
        kids = children.get(urn, [])
        for index, (child_urn, child_type, child_name) in enumerate(kids):
            last = index == len(kids) - 1
            rows.append(PlanRow(indent + ("└─ " if last else "├─ "), child_type, child_name, child_urn))
            walk(child_urn, indent + ("   " if last else "│  "))

    walk(recording.stack_urn, "")
    return rows


def render_plan(recording: Recording) -> str:
    """The preview table and its summary, as text."""
    rows = plan_rows(recording)
    type_width = max(len(r.prefix) + len(r.type) for r in rows)
    name_width = max(len(r.name) for r in rows)
    lines = [f"Previewing update ({recording.stack}):", f"     {'Type':<{type_width}}  {'Name':<{name_width}}  Plan"]
    for row in rows:
        lines.append(f" +   {row.prefix + row.type:<{type_width}}  {row.name:<{name_width}}  create")
    lines += ["", "Resources:", f"    + {len(rows)} to create"]
    return "\n".join(line.rstrip() for line in lines) + "\n"
