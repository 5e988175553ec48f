"""Analyze: run a CrossGuard policy pack over a `Recording`, through the Analyzer gRPC interface the CLI uses.

    with PolicyPack("policy") as pack:
        findings = pack.analyze(run_program(".", "prod", preview=True), config={"all": "mandatory"})

`PolicyPack` starts the pack as `pulumi preview --policy-pack DIR` does (see `preflight.pack_process`), one
process per stack context (project, stack, dry run, config: what the CLI's policy proxy exports to the pack
when it starts it), and drives it in the engine's order:

1. `GetAnalyzerInfo` (cached), then `ConfigureStack` once per process;
2. `Configure` with the `--policy-pack-config` JSON reconciled over the schema defaults and the pack's
   `initialConfig`, as the engine's `ReconcilePolicyPackConfig` does (and validated against each policy's
   config schema, like the engine);
3. `Analyze` for every registration in registration order, with the resource's inputs in wire form
   (unknowns and secrets kept), its options and its provider. As in the engine's step generator this
   includes the root stack, components and provider resources, and the default provider the engine creates
   for a custom resource that names no provider (`pulumi:providers:<pkg>::default_<version>`, its inputs
   the stack config of that package), just before that resource; `Remediate` first when a policy is at
   level remediate, Analyze then seeing the remediated inputs;
4. `AnalyzeStack` with every resource's outputs, parent, dependencies, property dependencies and provider.

Each diagnostic becomes a `Finding`. As the engine does, a finding from `Analyze` carries the URN of the
resource being analyzed; one from `AnalyzeStack` the URN the policy reported ("" if none). What the pack
logs to the engine as `exempted: ...` (policy/secure_aws_policies/exemptions.py) becomes an exempted Finding.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import jsonschema
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import rpc
from pulumi.runtime.proto import analyzer_pb2

from preflight.pack_process import (
    EngineServer,
    PackProcess,
    PolicyPackError,
    StackContext,
    config_tuple,
    pack_python,
)
from preflight.record import STACK_TYPE, RecordedResource, Recording

LEVELS = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.REMEDIATE: "remediate",
    analyzer_pb2.DISABLED: "disabled",
}
LEVEL_VALUES = {name: value for value, name in LEVELS.items()}
SEVERITIES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}
# pulumi-policy's advisory note when a policy read a value that is unknown until the resource exists.
UNDECIDED = re.compile(r"^can't run (?:policy|remediation) '[^']*' from policy pack '[^']*' during preview: ")
# What a pack logs instead of reporting a violation on an exempted resource (policy/secure_aws_policies/exemptions.py).
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
EXEMPTED = re.compile(
    rf"^exempted: policy=(?P<policy>\S+) urn=(?P<urn>{_JSON_STRING}) reason=(?P<reason>{_JSON_STRING}) "
    rf"violation=(?P<violation>{_JSON_STRING})$",
    re.DOTALL,
)


@dataclass(frozen=True)
class Finding:
    """One diagnostic of the pack.

    `message` is what the policy reported: pulumi-policy sends `description + "\\n" + message`, and the
    description (kept in `description`) is taken off the front. An `undecided` finding is the SDK's
    "can't run policy ... during preview" note, kept whole. Level `remediate` marks a remediation the pack
    applied to a resource's inputs, which blocks nothing: a violation that remains after remediation, and any
    stack policy's at level remediate, is `mandatory`, as the engine reads it. What blocks is decided in one
    place: `preflight.outcome.verdict`.
    """

    policy: str
    pack: str
    enforcement_level: str
    severity: str
    urn: str
    message: str
    description: str
    undecided: bool = False
    exempted: bool = False
    exemption_reason: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two findings the same (a preview's and an apply's, say)."""
        return (self.policy, self.urn, self.message)


class PolicyConfigError(PolicyPackError):
    """The policy pack config (the `--policy-pack-config` JSON) is malformed or fails a policy's schema."""


@dataclass
class PolicyConfig:
    """One entry of a policy pack config: an enforcement level ("" when not set) and properties."""

    enforcement_level: str = ""
    properties: dict[str, Any] | None = None


def parse_policy_pack_config(raw: Mapping[str, Any] | None) -> dict[str, PolicyConfig]:
    """Parses `--policy-pack-config` JSON: `{"all": level, "<policy>": level | {"enforcementLevel": ..., ...}}`."""
    result: dict[str, PolicyConfig] = {}
    for name, value in (raw or {}).items():
        if isinstance(value, str):
            result[name] = PolicyConfig(_level(name, value))
        elif isinstance(value, dict):
            properties = dict(value)
            level = properties.pop("enforcementLevel", "")
            if not isinstance(level, str):
                raise PolicyConfigError(f"parsing enforcement level for {name!r}: {level!r} must be a string")
            if level:
                _level(name, level)
            if level or properties:
                result[name] = PolicyConfig(level, properties or None)
        else:
            raise PolicyConfigError(f"parsing {name!r}: {value!r} is not a valid value; must be a string or object")
    return result


def load_policy_pack_config(path: Path | str) -> dict[str, Any]:
    """Reads a `--policy-pack-config` file (an empty file is no config, as for the CLI)."""
    text = Path(path).read_text()
    if not text.strip():
        return {}
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise PolicyConfigError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(raw, dict):
        raise PolicyConfigError(f"{path} must hold a JSON object keyed by policy name")
    parse_policy_pack_config(raw)
    return raw


def _level(name: str, level: str) -> str:
    if level not in LEVEL_VALUES:
        raise PolicyConfigError(
            f"parsing enforcement level for {name!r}: {level!r} is not a valid enforcement level "
            f"(one of {', '.join(LEVEL_VALUES)})"
        )
    return level


def reconcile_policy_pack_config(
    info: analyzer_pb2.AnalyzerInfo, config: Mapping[str, Any] | None
) -> dict[str, PolicyConfig]:
    """The engine's ReconcilePolicyPackConfig: schema defaults, then initialConfig, then the given config.

    Raises PolicyConfigError listing every schema violation, prefixed by the policy name, as the CLI does, and
    for a policy name the pack does not have (stricter than the engine, which ignores one: a misspelt name would
    silently exempt nothing).
    """
    result: dict[str, PolicyConfig] = {}
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema.properties) if policy.HasField("configSchema") else {}
        defaults = {
            key: spec["default"] for key, spec in schema.items() if isinstance(spec, dict) and "default" in spec
        }
        result[policy.name] = PolicyConfig(LEVELS[policy.enforcementLevel], defaults or None)
    # The engine reads an initialConfig entry's level as given, and an unset one as its enum zero: advisory.
    initial = {
        name: PolicyConfig(LEVELS[entry.enforcementLevel], json_format.MessageToDict(entry.properties) or None)
        for name, entry in info.initialConfig.items()
    }
    _apply_config(result, initial)
    given = parse_policy_pack_config(config)
    _apply_config(result, given)
    known = {policy.name for policy in info.policies}
    errors = [
        f"{name}: the policy pack {info.name} has no such policy" for name in given if name not in known | {"all"}
    ]
    for policy in info.policies:
        if not policy.HasField("configSchema"):
            continue
        schema = {"type": "object", **json_format.MessageToDict(policy.configSchema)}
        schema.setdefault("properties", {})["enforcementLevel"] = {"type": "string", "enum": list(LEVEL_VALUES)}
        document = result[policy.name].properties or {}
        for error in sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=str):
            where = ".".join(str(p) for p in error.absolute_path)
            errors.append(f"{policy.name}: {where + ': ' if where else ''}{error.message}")
    if errors:
        raise PolicyConfigError("invalid policy pack config:\n  " + "\n  ".join(errors))
    return result


def _apply_config(result: dict[str, PolicyConfig], given: Mapping[str, PolicyConfig]) -> None:
    all_config = given.get("all")
    if all_config is not None and all_config.enforcement_level:
        for name, current in result.items():
            result[name] = PolicyConfig(all_config.enforcement_level, current.properties)
    for name, entry in given.items():
        current = result.get(name, PolicyConfig())
        properties = dict(current.properties or {})
        properties.update(entry.properties or {})
        result[name] = PolicyConfig(entry.enforcement_level or current.enforcement_level, properties or None)


@dataclass
class _Registration:
    """A resource as the engine holds it: recorded, or made by the engine (root stack, default provider)."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str = ""
    provider_urn: str = ""
    inputs: struct_pb2.Struct = field(default_factory=struct_pb2.Struct)
    outputs: struct_pb2.Struct = field(default_factory=struct_pb2.Struct)
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    recorded: RecordedResource | None = None


def engine_view(recording: Recording) -> list[_Registration]:
    """Every resource the engine would register for this program, in the order it would see them."""
    stack_name = recording.stack_urn.rsplit("::", 1)[-1] if recording.stack_urn else ""
    stack_outputs = struct_pb2.Struct()
    stack_outputs.update(
        {
            name: _secret(_wire_value(value)) if name in recording.secret_outputs else _wire_value(value)
            for name, value in recording.stack_outputs.items()
        }
    )
    view = [_Registration(recording.stack_urn, STACK_TYPE, stack_name, custom=False, outputs=stack_outputs)]
    defaults: dict[str, str] = {}
    for resource in recording.resources:
        provider_urn = resource.provider.rsplit("::", 1)[0] if resource.provider else ""
        if resource.custom and not resource.is_provider and not provider_urn:
            package = resource.type.split(":", 1)[0]
            name = "default_" + resource.version.replace(".", "_") if resource.version else "default"
            provider_urn = f"urn:pulumi:{recording.stack}::{recording.project}::pulumi:providers:{package}::{name}"
            if provider_urn not in defaults:
                defaults[provider_urn] = name
                view.append(_default_provider(recording, package, name, provider_urn, resource.version))
        inputs, outputs = resource.wire_inputs, resource.wire_outputs
        if resource.is_provider:
            # The engine writes a provider's version into its inputs, and a provider's state is its inputs.
            inputs = struct_pb2.Struct()
            inputs.CopyFrom(resource.wire_inputs)
            if resource.version:
                inputs.update({"version": resource.version})
            outputs = inputs
        view.append(
            _Registration(
                resource.urn,
                resource.type,
                resource.name,
                resource.custom,
                resource.parent,
                provider_urn,
                inputs,
                outputs,
                list(resource.dependencies),
                {k: list(v) for k, v in resource.property_dependencies.items()},
                resource,
            )
        )
    return view


def _wire_value(value: Any) -> Any:
    """A resolved stack output in wire form: unknowns as the engine's UNKNOWN sentinel, the rest as JSON."""
    if isinstance(value, Unknown):
        return rpc.UNKNOWN
    if isinstance(value, Mapping):
        return {str(k): _wire_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_wire_value(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _secret(value: Any) -> Any:
    """A value wrapped as the engine sends a secret (its signature, as in `rpc.serialize_property`)."""
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


def _default_provider(recording: Recording, package: str, name: str, urn: str, version: str) -> _Registration:
    """The engine's default provider: its inputs are the stack config of its package, plus the version."""
    inputs = struct_pb2.Struct()
    prefix = f"{package}:"
    inputs.update({key[len(prefix) :]: value for key, value in recording.config.items() if key.startswith(prefix)})
    if version:
        inputs.update({"version": version})
    outputs = struct_pb2.Struct()
    outputs.CopyFrom(inputs)
    return _Registration(urn, f"pulumi:providers:{package}", name, custom=True, inputs=inputs, outputs=outputs)


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")
_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def _seconds(duration: str) -> float:
    """A Go duration string ("1h30m", "5m") in seconds, as the engine stores custom timeouts."""
    return sum(float(amount) * _SECONDS[unit] for amount, unit in _DURATION.findall(duration))


def _options(registration: _Registration) -> analyzer_pb2.AnalyzerResourceOptions:
    resource = registration.recorded
    options = analyzer_pb2.AnalyzerResourceOptions(parent=registration.parent)
    if resource is None:
        return options
    options.protect = resource.protect
    options.ignoreChanges.extend(resource.ignore_changes)
    options.deleteBeforeReplace = resource.delete_before_replace
    options.deleteBeforeReplaceDefined = resource.delete_before_replace_defined
    options.additionalSecretOutputs.extend(resource.additional_secret_outputs)
    options.aliases.extend(resource.aliases)
    if resource.custom_timeouts:
        timeouts = options.customTimeouts
        for op, value in resource.custom_timeouts.items():
            setattr(timeouts, op, _seconds(value))
    return options


class PolicyPack:
    """A running Python policy pack, driven like the Pulumi engine drives it. Use as a context manager."""

    def __init__(
        self, pack_dir: Path | str, python: Path | str | None = None, call_timeout: float | None = None
    ) -> None:
        self.pack_dir = Path(pack_dir).resolve()
        # How long one Analyzer call may take (None: no limit); a pack that hangs is then named, not waited on.
        self.call_timeout = call_timeout
        self._reconciled: dict[str, PolicyConfig] = {}
        # absolute(), not resolve(): a venv python is a symlink, and the venv is found from its path.
        self.python = Path(python).absolute() if python is not None else pack_python(self.pack_dir)
        if python is not None:
            pack_python_file = self.pack_dir / "PulumiPolicy.yaml"
            if not pack_python_file.exists():
                raise PolicyPackError(f"{self.pack_dir} is not a policy pack: it has no PulumiPolicy.yaml")
            if not self.python.exists():
                raise PolicyPackError(f"the policy pack's python {self.python} does not exist: run `make venv`")
        self.engine = EngineServer()
        # The lifeline (pack_process._lifeline) kills a pack process when the thread that started it ends, and
        # analyze() is called from any thread (preflight analyzes the preview on a pool thread that ends with the
        # run, while a pack handed to `main` lives on): every process is started on this pack's own thread, which
        # lives until close().
        self._spawner = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="policy-pack-spawner")
        self._processes: dict[StackContext | None, PackProcess] = {}
        self._lock = threading.Lock()
        self._info: analyzer_pb2.AnalyzerInfo | None = None
        try:
            # The first process answers GetAnalyzerInfo before any stack is known, as for `pulumi policy publish`.
            self._first = self._process(None)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> PolicyPack:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def port(self) -> int:
        """The port the first pack process printed on its first stdout line."""
        return self._first.port

    @property
    def processes(self) -> list[PackProcess]:
        return list(self._processes.values())

    @property
    def info(self) -> analyzer_pb2.AnalyzerInfo:
        """GetAnalyzerInfo, asked once."""
        if self._info is None:
            self._info = self._call(self._first, "GetAnalyzerInfo", empty_pb2.Empty(), "")
        return self._info

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def version(self) -> str:
        """The pack version: PulumiPolicy.yaml's `version` wins over the SDK's, as in the CLI."""
        project = yaml.safe_load((self.pack_dir / "PulumiPolicy.yaml").read_text()) or {}
        return str(project.get("version") or self.info.version)

    def _process(self, context: StackContext | None) -> PackProcess:
        process = self._processes.get(context)
        if process is not None and process.alive:
            return process
        process = self._spawner.submit(PackProcess, self.pack_dir, self.python, self.engine.address, context).result()
        self._processes[context] = process
        if context is not None:
            request = analyzer_pb2.AnalyzerStackConfigureRequest(
                stack=context.stack,
                project=context.project,
                organization=context.organization,
                dry_run=context.dry_run,
                config=dict(context.config),
                config_secret_keys=list(context.secret_keys),
            )
            self._call(process, "ConfigureStack", request, "")
        return process

    def _call(self, process: PackProcess, method: str, request: Any, urn: str) -> Any:
        try:
            return getattr(process.analyzer, method)(request, timeout=self.call_timeout)
        except grpc.RpcError as error:
            where = f" on {urn}" if urn else ""
            if error.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                self._retire(process)  # still busy with the call: of no further use
                raise PolicyPackError(
                    f"policy pack {self.pack_dir.name}: {method}{where} did not answer within "
                    f"{self.call_timeout:g} s (--timeout): one of its policies hangs"
                ) from error
            details = error.details() if hasattr(error, "details") else str(error)
            culprit = self._culprit(process, method, request) if method in ("Analyze", "AnalyzeStack") else None
            stderr = process.stderr.strip()
            raise PolicyPackError(
                f"policy pack {self.pack_dir.name}: {method}{where} failed: {details}"
                + (f" (raised by policy {culprit})" if culprit else "")
                + (f"\n{stderr}" if stderr else "")
            ) from error

    def _culprit(self, process: PackProcess, method: str, request: Any) -> str | None:
        """The policy whose validation raised: the failed call again with one policy enabled at a time.

        The pack's error names no policy (pulumi-policy reports the exception only). The search reconfigures the
        process, so it is retired afterwards; the next analysis starts a fresh one.
        """
        policies = [policy.name for policy in self.info.policies]
        try:
            for suspect in policies:
                configure = analyzer_pb2.ConfigureAnalyzerRequest()
                for name in policies:
                    entry = self._reconciled.get(name, PolicyConfig())
                    level = "disabled"
                    if name == suspect:  # at its own level, or advisory when it had none or was off
                        level = (
                            entry.enforcement_level if entry.enforcement_level not in ("", "disabled") else "advisory"
                        )
                    configure.policyConfig[name].enforcementLevel = LEVEL_VALUES[level]
                    if name == suspect and entry.properties:
                        configure.policyConfig[name].properties.update(entry.properties)
                process.analyzer.Configure(configure, timeout=self.call_timeout)
                try:
                    getattr(process.analyzer, method)(request, timeout=self.call_timeout)
                except grpc.RpcError:
                    return suspect
            return None
        except grpc.RpcError:
            return None  # the pack cannot be reconfigured: the error stands without a name
        finally:
            self._retire(process)

    def _retire(self, process: PackProcess) -> None:
        for context, running in list(self._processes.items()):
            if running is process and running is not self._first:
                del self._processes[context]
                process.close()

    def check_config(self, config: Mapping[str, Any] | None) -> dict[str, PolicyConfig]:
        """The config as the engine reconciles it with this pack's policies; PolicyConfigError if it does not fit."""
        return reconcile_policy_pack_config(self.info, config)

    def configure(self, process: PackProcess, config: Mapping[str, Any] | None) -> dict[str, PolicyConfig]:
        reconciled = reconcile_policy_pack_config(self.info, config)
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, entry in reconciled.items():
            if not entry.enforcement_level:
                continue
            policy_config = request.policyConfig[name]
            policy_config.enforcementLevel = LEVEL_VALUES[entry.enforcement_level]
            if entry.properties:
                policy_config.properties.update(entry.properties)
        if request.policyConfig:
            self._call(process, "Configure", request, "")
        self._reconciled = reconciled
        return reconciled

    def analyze(self, recording: Recording, config: Mapping[str, Any] | None = None) -> list[Finding]:
        """Configure, Analyze every registration, then AnalyzeStack; returns every diagnostic as a Finding."""
        context = StackContext(
            recording.project,
            recording.stack,
            recording.preview,
            config_tuple(recording.config),
            secret_keys=tuple(sorted(recording.secret_config_keys)),
        )
        with self._lock:
            process = self._process(context)
            reconciled = self.configure(process, config)
            logged_before = len(self.engine.messages)
            view = engine_view(recording)
            providers = {r.urn: r for r in view if r.type.startswith("pulumi:providers:")}
            findings: list[Finding] = []
            # The engine asks for remediations first; pulumi-policy only runs policies at level remediate there,
            # so without one the call changes nothing and is skipped.
            remediating = any(entry.enforcement_level == "remediate" for entry in reconciled.values())
            for registration in view:
                request = analyzer_pb2.AnalyzeRequest(
                    type=registration.type,
                    properties=registration.inputs,
                    urn=registration.urn,
                    name=registration.name,
                    options=_options(registration),
                )
                self._set_provider(request, registration, providers)
                if remediating:
                    findings.extend(self._remediate(process, request, registration))
                response = self._call(process, "Analyze", request, registration.urn)
                findings.extend(_finding(d, registration.urn) for d in response.diagnostics)
            stack_request = analyzer_pb2.AnalyzeStackRequest()
            for registration in view:
                resource = stack_request.resources.add(
                    type=registration.type,
                    properties=registration.outputs,
                    urn=registration.urn,
                    name=registration.name,
                    options=_options(registration),
                    parent=registration.parent,
                    dependencies=registration.dependencies,
                )
                for key, urns in registration.property_dependencies.items():
                    resource.propertyDependencies[key].urns.extend(urns)
                self._set_provider(resource, registration, providers)
            response = self._call(process, "AnalyzeStack", stack_request, "")
            findings.extend(_finding(d, d.urn) for d in response.diagnostics)
            findings.extend(self._exempted(self.engine.messages[logged_before:], reconciled))
        return findings

    def _remediate(
        self, process: PackProcess, request: analyzer_pb2.AnalyzeRequest, registration: _Registration
    ) -> list[Finding]:
        """The engine's first pass: apply each remediation to the inputs Analyze (and the resource) then get.

        An applied remediation is a finding at level `remediate` (the CLI lists it, it blocks nothing); a
        remediation that could not run at preview is an advisory note, as the engine shows it.
        """
        response = self._call(process, "Remediate", request, registration.urn)
        found = []
        for remediation in response.remediations:
            if remediation.diagnostic:
                level, message = "advisory", remediation.diagnostic
            elif remediation.HasField("properties"):
                request.properties.CopyFrom(remediation.properties)
                registration.inputs = remediation.properties
                outputs = struct_pb2.Struct()
                outputs.CopyFrom(registration.outputs)
                outputs.update(json_format.MessageToDict(remediation.properties))
                registration.outputs = outputs
                level, message = "remediate", "remediated: the engine creates the resource with the policy's fix"
            else:
                continue
            found.append(
                Finding(
                    policy=remediation.policyName,
                    pack=remediation.policyPackName,
                    enforcement_level=level,
                    severity="",
                    urn=registration.urn,
                    message=message,
                    description=remediation.description,
                    undecided=bool(UNDECIDED.match(message)),
                )
            )
        return found

    def _exempted(
        self, messages: Iterable[tuple[str, str, str]], reconciled: Mapping[str, PolicyConfig]
    ) -> list[Finding]:
        """The pack's `exempted: ...` log lines as exempted findings (the violation it did not report)."""
        policies = {policy.name: policy for policy in self.info.policies}
        found = []
        for _, _, message in messages:
            match = EXEMPTED.match(message)
            if match is None or match["policy"] not in policies:
                continue
            policy = policies[match["policy"]]
            found.append(
                Finding(
                    policy=policy.name,
                    pack=self.info.name,
                    enforcement_level=reconciled[policy.name].enforcement_level or LEVELS[policy.enforcementLevel],
                    severity=SEVERITIES.get(policy.severity, ""),
                    urn=json.loads(match["urn"]),
                    message=json.loads(match["violation"]),
                    description=policy.description,
                    exempted=True,
                    exemption_reason=json.loads(match["reason"]),
                )
            )
        return found

    @staticmethod
    def _set_provider(request: Any, registration: _Registration, providers: Mapping[str, _Registration]) -> None:
        provider = providers.get(registration.provider_urn)
        if provider is not None:
            request.provider.CopyFrom(
                analyzer_pb2.AnalyzerProviderResource(
                    type=provider.type, properties=provider.inputs, urn=provider.urn, name=provider.name
                )
            )

    @property
    def log(self) -> list[tuple[str, str, str]]:
        """What the pack logged to the engine: (severity, urn, message)."""
        return self.engine.messages

    def close(self) -> None:
        """Stops every pack process (Cancel, terminate, reap) and the engine server. Safe to call twice."""
        for process in list(getattr(self, "_processes", {}).values()):
            process.close()
        if hasattr(self, "_processes"):
            self._processes.clear()
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.stop()
        spawner = getattr(self, "_spawner", None)
        if spawner is not None:
            spawner.shutdown(wait=True)  # after the processes: its thread's end would kill them


def _finding(diagnostic: analyzer_pb2.AnalyzeDiagnostic, urn: str) -> Finding:
    message, description = diagnostic.message, diagnostic.description
    undecided = bool(UNDECIDED.match(message))
    if not undecided and description and message.startswith(description):
        message = message[len(description) :].lstrip("\n")
    level = LEVELS.get(diagnostic.enforcementLevel, "advisory")
    if level == "remediate":
        # As the engine does (pkg/resource/deploy/analyze_snapshot.go): a violation left after remediation, or a
        # stack policy's, is mandatory. pulumi-policy already sends it so; a pack in another SDK may not.
        level = "mandatory"
    return Finding(
        policy=diagnostic.policyName,
        pack=diagnostic.policyPackName,
        enforcement_level=level,
        severity=SEVERITIES.get(diagnostic.severity, ""),
        urn=urn,
        message=message,
        description=description,
        undecided=undecided,
    )


def merge_findings(preview: Iterable[Finding], apply: Iterable[Finding]) -> list[Finding]:
    """Preview's and apply's findings without duplicates (same policy, URN and message), preview's first.

    A policy that could not decide at preview but ran at apply is decided: its preview note is dropped unless
    the apply run could not decide it either.
    """
    apply = list(apply)
    undecided_at_apply = {(f.policy, f.urn) for f in apply if f.undecided}
    merged: dict[tuple[str, str, str], Finding] = {}
    for finding in [*preview, *apply]:
        if finding.undecided and (finding.policy, finding.urn) not in undecided_at_apply:
            continue
        merged.setdefault(finding.key, finding)
    return list(merged.values())


__all__ = [
    "Finding",
    "PolicyConfigError",
    "PolicyPack",
    "PolicyPackError",
    "engine_view",
    "load_policy_pack_config",
    "merge_findings",
    "parse_policy_pack_config",
    "reconcile_policy_pack_config",
]
