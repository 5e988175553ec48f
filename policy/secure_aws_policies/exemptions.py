"""Exemptions: one resource may be exempted from one named policy, only with a written reason.

They live in the pack's own config (the `--policy-pack-config` JSON), so the Pulumi CLI honours them exactly as
the offline runner does. Every policy's config schema has an optional `exemptions` array:

    {"<policy-name>": {"exemptions": [
        {"type": "aws:lb/listener:Listener", "name": "web-http", "reason": "Port 80 only redirects to HTTPS."},
        {"urn": "urn:pulumi:prod::secure-aws::...::storage-logs-bucket", "reason": "..."}
    ]}}

Each entry names one resource by its identity: its exact `urn`, or its `type` token and exact `name` together
(a name alone could be another type's; a pattern could match a resource added later), and gives a `reason` of at
least 10 characters of text. Wildcards are refused, so no entry can match everything. The engine validates the
config against this schema before the first `Analyze` (`ReconcilePolicyPackConfig`), so an exemption without a
reason, or with a pattern, stops the run. An exemption that names no resource of the stack is reported by the
advisory `exemptions-name-a-resource` policy (a stale exemption).

A violation on an exempted resource is not reported. The pack logs it instead, through the engine's `Log` RPC
(the CLI shows it as an info message on the resource), as one line with a fixed machine-readable prefix:

    exempted: policy=<name> urn="<urn>" reason="<reason>" violation="<message>"

(values after `urn=` are JSON strings). The offline runner turns these lines into exempted findings. If the
pack cannot reach the engine's log, the exemption is not applied and the violation is reported (fail safe: an
exemption nobody sees must not hide anything).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any

EXEMPTIONS = "exemptions"
LOG_PREFIX = "exempted: "
MIN_REASON_LENGTH = 10

# No wildcard or character class anywhere: an exemption names one resource, never a pattern.
_EXACT = "^[^*?\\[\\]]+$"

EXEMPTIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": "Resources this policy does not apply to, each named by its identity, with its reason: "
    '`{"type": "<type token>", "name": "<exact resource name>", "reason": "..."}` or `{"urn": "<exact URN>", '
    '"reason": "..."}`. No wildcards. The reason (at least 10 characters) is shown wherever the exempted finding '
    "is listed.",
    "items": {
        "type": "object",
        "properties": {
            "urn": {"type": "string", "pattern": _EXACT, "description": "The exact URN of the exempted resource."},
            "type": {"type": "string", "pattern": _EXACT, "description": "The resource's type token."},
            "name": {"type": "string", "pattern": _EXACT, "description": "The resource's exact name."},
            "reason": {
                "type": "string",
                "minLength": MIN_REASON_LENGTH,
                # At least 10 characters between the first and the last non-blank one: no padded placeholder.
                "pattern": "\\S.{" + str(MIN_REASON_LENGTH - 2) + ",}\\S",
                "description": "Why this resource may deviate from the policy (at least 10 characters).",
            },
        },
        "required": ["reason"],
        "additionalProperties": False,
        "oneOf": [
            {"required": ["urn"], "not": {"anyOf": [{"required": ["type"]}, {"required": ["name"]}]}},
            {"required": ["type", "name"], "not": {"required": ["urn"]}},
        ],
    },
}


def with_exemptions(properties: Mapping[str, Any] | None) -> dict[str, Any]:
    """A policy's config schema properties plus the `exemptions` property every policy has."""
    return {**dict(properties or {}), EXEMPTIONS: EXEMPTIONS_SCHEMA}


def matching(exemptions: Any, urn: str, name: str, resource_type: str) -> Mapping[str, Any] | None:
    """The first exemption that names this resource: by its exact URN, or by its type and exact name; or None."""
    for entry in exemptions if isinstance(exemptions, list) else []:
        if isinstance(entry, Mapping) and names(entry, urn, name, resource_type):
            return entry
    return None


def names(entry: Mapping[str, Any], urn: str, name: str, resource_type: str) -> bool:
    """The exemption entry names this resource."""
    if "urn" in entry:
        return bool(urn) and entry["urn"] == urn
    return bool(name) and entry.get("type") == resource_type and entry.get("name") == name


# policy name -> the exemptions its config carried, as seen by the policies that ran in this process (read by the
# advisory exemptions-name-a-resource policy, which runs last).
SEEN: dict[str, list[Any]] = {}


def note(policy: str, config: Mapping[str, Any] | None) -> None:
    """Records the exemptions a policy is configured with in this analysis (none clears an earlier record)."""
    found = (config or {}).get(EXEMPTIONS)
    if isinstance(found, list) and found:
        SEEN[policy] = found
    else:
        SEEN.pop(policy, None)


def describe(entry: Mapping[str, Any]) -> str:
    return f"urn {entry.get('urn')}" if "urn" in entry else f"{entry.get('type')} {entry.get('name')}"


def log_line(policy: str, urn: str, reason: str, violation: str) -> str:
    """The one line the pack logs for an exempted violation (parsed by preflight.analyze)."""
    return (
        f"{LOG_PREFIX}policy={policy} urn={json.dumps(urn)} reason={json.dumps(reason)} "
        f"violation={json.dumps(violation)}"
    )


def exempting(
    policy: str,
    report: Callable[..., None],
    config: Mapping[str, Any],
    identities: Mapping[str, tuple[str, str]],
    default_urn: str = "",
) -> Callable[..., None]:
    """Wraps a policy's `report_violation` so a violation on an exempted resource is logged, not reported.

    `identities` maps the URNs the policy may report on to (name, type); `default_urn` is the resource a resource
    policy reports on when it passes no URN. A stack-wide violation (no URN) is never exempted.
    """
    exemptions = config.get(EXEMPTIONS) or []
    if not exemptions:
        return report

    def report_or_exempt(message: str, urn: str | None = None) -> None:
        target = urn or default_urn
        entry = matching(exemptions, target, *identities.get(target, ("", ""))) if target else None
        if entry is None:
            if urn is None:
                report(message)
            else:
                report(message, urn)
            return
        if not log(log_line(policy, target, str(entry.get("reason", "")), message), target):
            # Fail safe: an exemption nobody can see is not applied.
            report(
                f"{message} (an exemption names this resource, but it could not be recorded through the "
                "engine's log, so it is not applied)",
                target,
            )

    return report_or_exempt


# Section: logging to the engine ###########################################################################

_engine_lock = threading.Lock()
_engine: list[Any] = []  # [stub or None], resolved once


def _engine_stub() -> Any:
    """An Engine client for the address the CLI started the pack with, or None outside a pack process.

    `python -m pulumi.policy <engine address> <pack dir>` does not connect `pulumi.log` to the engine (it
    configures no engine, so `pulumi.log.info` prints to stderr, which the CLI only relays as plugin output).
    Calling the engine's `Log` RPC directly attaches the message to the resource's URN, as the engine shows logs.
    """
    with _engine_lock:
        if not _engine:
            _engine.append(_connect())
        return _engine[0]


def _connect() -> Any:
    # pulumi.policy's own arguments: <engine address> <pack dir> (plus flags). Only when this very pack is the
    # program being served is the first one an engine: anywhere else (tests importing the pack) there is none.
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("engineAddress")
    parser.add_argument("program")
    try:
        args, _ = parser.parse_known_args(sys.argv[1:])
    except SystemExit:
        return None
    pack_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if os.path.realpath(args.program) != os.path.realpath(pack_dir) or ":" not in args.engineAddress:
        return None
    import grpc
    from pulumi.runtime.proto import engine_pb2_grpc

    return engine_pb2_grpc.EngineStub(grpc.insecure_channel(args.engineAddress))


def log(message: str, urn: str) -> bool:
    """Logs an info message on `urn` through the engine's Log RPC; False when there is no engine to log to.

    (`pulumi.log.info` is no substitute: in a pack it only prints to stderr, which the runner cannot tie to a
    resource.)
    """
    stub = _engine_stub()
    if stub is None:
        return False
    import grpc
    from pulumi.runtime.proto import engine_pb2

    try:
        stub.Log(engine_pb2.LogRequest(severity=engine_pb2.INFO, message=message, urn=urn))
    except grpc.RpcError:
        return False
    return True


# Section: documentation ###################################################################################

GUIDE = """\
## Exemptions: how to write one

When a resource must deviate from a policy for a reason you can defend, exempt that resource from that one policy
instead of disabling or weakening the policy (the model is cdk-nag's suppressions and Pulumi's policy exceptions).
An exemption is part of the policy's config, in the same file you pass with `--policy-pack-config`:

```json
{
  "<policy-name>": {
    "exemptions": [
      {"type": "aws:lb/listener:Listener", "name": "web-http",
       "reason": "Port 80 only answers with a 301 redirect to HTTPS."},
      {"urn": "urn:pulumi:prod::secure-aws::secure-aws:web:WebTier$aws:lb/listener:Listener::web-http",
       "reason": "The same, pinned to one stack's resource."}
    ]
  }
}
```

- Name one resource by its identity: its exact `urn` (as `pulumi stack --show-urns` prints it), or its `type`
  token and exact `name` together, plus a `reason`. There are no patterns (`*`, `?` and `[...]` are refused): a
  pattern, or a name alone, could match a resource someone adds later, and a new resource never inherits an
  exemption.
- The `reason` is required and has at least 10 characters: say why the deviation is safe or necessary, and what
  compensates for it. It is shown wherever the finding is listed.
- One exemption covers one policy. A resource that breaks two policies needs two, each with its own reason.
- A policy-wide (stack) finding that names no resource cannot be exempted.
- The config is validated before anything is analyzed: a missing or short reason, an entry with both or neither
  of `urn` and `type`+`name`, a wildcard, or an unknown key stops the run with the policy's name and the problem.
- An exemption that names no resource of the stack (the resource was renamed or removed) is reported by the
  advisory policy `exemptions-name-a-resource` as a stale exemption: delete it, or correct the name. The offline runner
  (`make preview`, `python -m preflight`) also refuses a policy name the pack does not have; the Pulumi CLI
  ignores an unknown name, so such a typo would exempt nothing (it never hides a violation).
- An exempted violation is not a violation: it does not fail `pulumi preview`. The pack logs it instead, as an
  info message on the resource, in one machine-readable line:
  `exempted: policy=<name> urn="<urn>" reason="<reason>" violation="<message>"`. The offline runner and its
  reports list it under "exemptions", with its reason. If that log line cannot be delivered, the exemption is
  not applied and the violation is reported as usual.
- `pulumi preview --policy-pack policy --policy-pack-config policy/config.json` applies this project's own
  exemptions; the offline `make preview` uses `policy/config.json` by default.
"""


def guide(config_path: Any) -> str:
    """The README section on exemptions, with the table of the exemptions this project ships."""
    lines = [GUIDE, "This project's own exemptions (`policy/config.json`):", ""]
    try:
        with open(config_path) as config_file:
            shipped = json.load(config_file)
    except (OSError, json.JSONDecodeError):
        shipped = {}
    rows = [
        (
            policy,
            f"{entry['type']} {entry['name']}" if "name" in entry else entry.get("urn", ""),
            entry.get("reason", ""),
        )
        for policy, settings in sorted(shipped.items())
        if isinstance(settings, dict)
        for entry in settings.get(EXEMPTIONS, [])
    ]
    if not rows:
        return "\n".join([*lines, "(none)", ""])
    lines += ["| policy | resource | reason |", "|---|---|---|"]
    escaped = "\\|"
    lines += [f"| `{p}` | `{r}` | {reason.replace('|', escaped)} |" for p, r, reason in rows]
    return "\n".join(lines) + "\n"
