"""Exemptions: a resource may be exempted from one named policy, only with a written reason.

They live in the pack's own config (the `--policy-pack-config` JSON), so the Pulumi CLI honours them exactly as
the offline runner does. Every policy's config schema has an optional `exemptions` array:

    {"<policy-name>": {"exemptions": [
        {"name": "web-http", "reason": "Port 80 only answers with a 301 redirect to HTTPS (FSBP ELB.1)."},
        {"urn": "urn:pulumi:prod::secure-aws::...::storage-logs-bucket", "reason": "..."}
    ]}}

Each entry names exactly one of `urn` (the exact URN) or `name` (an fnmatch pattern on the resource's name), and
a `reason` of at least 10 characters of text. The engine validates the config against this schema before the
first `Analyze` (`ReconcilePolicyPackConfig`), so an exemption without a reason stops the run.

A violation on an exempted resource is not reported. The pack logs it instead, through the engine's `Log` RPC
(the CLI shows it as an info message on the resource), as one line with a fixed machine-readable prefix:

    exempted: policy=<name> urn="<urn>" reason="<reason>" violation="<message>"

(values after `urn=` are JSON strings). The offline runner turns these lines into exempted findings. If the
pack cannot reach the engine's log, the exemption is not applied and the violation is reported (fail safe: an
exemption nobody sees must not hide anything).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any

EXEMPTIONS = "exemptions"
LOG_PREFIX = "exempted: "
MIN_REASON_LENGTH = 10

EXEMPTIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": "Resources this policy does not apply to, each with its reason: "
    '`{"urn": "<exact URN>", "reason": "..."}` or `{"name": "<fnmatch pattern on the resource name>", '
    '"reason": "..."}`. The reason (at least 10 characters) is shown wherever the exempted finding is listed.',
    "items": {
        "type": "object",
        "properties": {
            "urn": {"type": "string", "minLength": 1, "description": "The exact URN of the exempted resource."},
            "name": {"type": "string", "minLength": 1, "description": "An fnmatch pattern on the resource name."},
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
        "oneOf": [{"required": ["urn"]}, {"required": ["name"]}],
    },
}


def with_exemptions(properties: Mapping[str, Any] | None) -> dict[str, Any]:
    """A policy's config schema properties plus the `exemptions` property every policy has."""
    return {**dict(properties or {}), EXEMPTIONS: EXEMPTIONS_SCHEMA}


def matching(exemptions: Any, urn: str, name: str) -> Mapping[str, Any] | None:
    """The first exemption that names this resource (by exact URN or by a name pattern), or None."""
    for entry in exemptions if isinstance(exemptions, list) else []:
        if not isinstance(entry, Mapping):
            continue
        if "urn" in entry and urn and entry["urn"] == urn:
            return entry
        if "name" in entry and name and fnmatch.fnmatchcase(name, str(entry["name"])):
            return entry
    return None


def log_line(policy: str, urn: str, reason: str, violation: str) -> str:
    """The one line the pack logs for an exempted violation (parsed by preflight.analyze)."""
    return (f"{LOG_PREFIX}policy={policy} urn={json.dumps(urn)} reason={json.dumps(reason)} "
            f"violation={json.dumps(violation)}")  # fmt: skip


def exempting(
    policy: str,
    report: Callable[..., None],
    config: Mapping[str, Any],
    names: Mapping[str, str],
    default_urn: str = "",
) -> Callable[..., None]:
    """Wraps a policy's `report_violation` so a violation on an exempted resource is logged, not reported.

    `names` maps the URNs the policy may report on to resource names; `default_urn` is the resource a resource
    policy reports on when it passes no URN. A stack-wide violation (no URN) is never exempted.
    """
    exemptions = config.get(EXEMPTIONS) or []
    if not exemptions:
        return report

    def report_or_exempt(message: str, urn: str | None = None) -> None:
        target = urn or default_urn
        entry = matching(exemptions, target, names.get(target, "")) if target else None
        if entry is None:
            if urn is None:
                report(message)
            else:
                report(message, urn)
            return
        if not log(log_line(policy, target, str(entry.get("reason", "")), message), target):
            # Fail safe: an exemption nobody can see is not applied.
            report(f"{message} (an exemption names this resource, but it could not be recorded through the "
                   "engine's log, so it is not applied)", target)  # fmt: skip

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
      {"name": "web-http", "reason": "Port 80 only answers with a 301 redirect to HTTPS."},
      {"urn": "urn:pulumi:prod::secure-aws::secure-aws:web:WebTier$aws:lb/listener:Listener::web-http",
       "reason": "The same, pinned to one stack's resource."}
    ]
  }
}
```

- Name exactly one of `urn` (the resource's exact URN, as `pulumi stack --show-urns` prints it) or `name` (an
  fnmatch pattern on the resource's name: `storage-*-bucket`; prefer the exact name), plus a `reason`.
- The `reason` is required and has at least 10 characters: say why the deviation is safe or necessary, and what
  compensates for it. It is shown wherever the finding is listed.
- One exemption covers one policy. A resource that breaks two policies needs two, each with its own reason.
- A policy-wide (stack) finding that names no resource cannot be exempted.
- The config is validated before anything is analyzed: a missing or short reason, an entry with both or neither
  of `urn`/`name`, or an unknown key stops the run with the policy's name and the problem. The offline runner
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
        (policy, entry.get("name") or entry.get("urn", ""), entry.get("reason", ""))
        for policy, settings in sorted(shipped.items()) if isinstance(settings, dict)
        for entry in settings.get(EXEMPTIONS, [])
    ]  # fmt: skip
    if not rows:
        return "\n".join([*lines, "(none)", ""])
    lines += ["| policy | resource | reason |", "|---|---|---|"]
    escaped = "\\|"
    lines += [f"| `{p}` | `{r}` | {reason.replace('|', escaped)} |" for p, r, reason in rows]
    return "\n".join(lines) + "\n"
