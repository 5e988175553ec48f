"""Record: run a Pulumi Python program under Pulumi's own mock engine and keep what the engine would see.

`run_program(project_dir, stack, preview=...)` loads the stack's config from `Pulumi.<stack>.yaml`, runs the
program's `__main__.py` in this process with `pulumi.runtime.set_mocks` and a recording `MockMonitor`, and
returns a `Recording`: for every `RegisterResource` request its type, name, URN, parent, custom flag, provider
reference, dependencies, property dependencies, source position and inputs, both in wire form (a protobuf
Struct with unknowns and secrets kept, what an analyzer receives) and deserialized (for assertions).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import runpy
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from google.protobuf import empty_pb2, struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import mocks, rpc, settings

from preflight.mocks import AwsMocks
from preflight.transforms import EngineTransforms, TransformError

STACK_TYPE = "pulumi:pulumi:Stack"


def is_unknown(value: Any) -> bool:
    """True for a value the engine does not know yet (a preview's computed id, ARN, ...)."""
    return isinstance(value, Unknown) or value == rpc.UNKNOWN


@dataclass(frozen=True)
class SourcePosition:
    uri: str
    line: int
    column: int


@dataclass
class RecordedResource:
    """One `RegisterResource` request, as the engine saw it."""

    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    provider: str
    id: str | None
    inputs: dict[str, Any]
    wire_inputs: struct_pb2.Struct
    outputs: dict[str, Any]
    wire_outputs: struct_pb2.Struct
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    protect: bool
    source_position: SourcePosition | None
    delete_before_replace: bool = False
    # The rest of the request's options, as the engine passes them on to an analyzer.
    delete_before_replace_defined: bool = False
    version: str = ""
    ignore_changes: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    custom_timeouts: dict[str, str] = field(default_factory=dict)

    @property
    def is_provider(self) -> bool:
        return self.type.startswith("pulumi:providers:")


@dataclass
class Recording:
    """Everything a program registered, in registration order, plus its stack outputs."""

    project: str
    stack: str
    preview: bool
    resources: list[RecordedResource] = field(default_factory=list)
    stack_outputs: dict[str, Any] = field(default_factory=dict)
    # The exports the program marked secret (pulumi.Output.secret, config.require_secret, ...): the engine sends
    # them to a policy pack wrapped as secrets.
    secret_outputs: set[str] = field(default_factory=set)
    stack_urn: str = ""
    # The stack's config as the engine hands it to the program and to a policy pack (namespaced keys).
    config: dict[str, str] = field(default_factory=dict)
    # The config keys whose values are secrets (`secure:` in the stack file, given here with --config).
    secret_config_keys: set[str] = field(default_factory=set)
    # (type, name) -> the order the program declared the resource in: the registration order the engine would
    # see without the SDK's async jitter (registrations race on resolving their inputs; declarations do not).
    declared: dict[tuple[str, str], int] = field(default_factory=dict)

    def of_type(self, type_token: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_token]

    def named(self, name: str) -> RecordedResource:
        matches = [r for r in self.resources if r.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources are named {name!r}")
        return matches[0]

    def by_urn(self, urn: str) -> RecordedResource:
        for resource in self.resources:
            if resource.urn == urn:
                return resource
        raise KeyError(urn)

    def children_of(self, urn: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.parent == urn]


class ProgramError(Exception):
    """The program (or its config) failed: the message is the program's own, not a traceback.

    `recording` holds what the program had registered before it failed (empty for a config error).
    """

    def __init__(self, message: str, recording: Recording | None = None) -> None:
        super().__init__(message)
        self.recording = recording


class RecordingMonitor(mocks.MockMonitor):
    """A MockMonitor that keeps each registration request in the form the engine goes on with it: after the
    resource transforms the engine would run (`preflight.transforms`), which the MockMonitor alone ignores."""

    def __init__(self, mock: AwsMocks, recording: Recording) -> None:
        super().__init__(mock)
        self.recording = recording
        self.transforms = EngineTransforms()

    def RegisterStackTransform(self, request: Any) -> Any:
        self.transforms.register_stack_transform(request)
        return super().RegisterStackTransform(request)

    def RegisterStackInvokeTransform(self, request: Any) -> Any:
        self.transforms.register_invoke_transform(request)
        return super().RegisterStackInvokeTransform(request)

    def Invoke(self, request: Any) -> Any:
        return super().Invoke(self.transforms.apply_invoke(request))

    def RegisterResource(self, request: Any) -> Any:
        if request.type != STACK_TYPE:
            request = self.transforms.apply(request)
        response = super().RegisterResource(request)
        self.transforms.registered(request, response.urn)
        if request.type == STACK_TYPE:
            self.recording.stack_urn = response.urn
            return response
        position = None
        if request.HasField("sourcePosition") and request.sourcePosition.uri:
            position = SourcePosition(
                request.sourcePosition.uri, request.sourcePosition.line, request.sourcePosition.column
            )
        wire_inputs = struct_pb2.Struct()
        wire_inputs.CopyFrom(request.object)
        wire_outputs = struct_pb2.Struct()
        wire_outputs.CopyFrom(response.object)
        self.recording.resources.append(
            RecordedResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent=request.parent,
                custom=request.custom,
                provider=request.provider,
                id=response.id or None,
                inputs=rpc.deserialize_properties(request.object, keep_unknowns=True),
                wire_inputs=wire_inputs,
                outputs=rpc.deserialize_properties(response.object, keep_unknowns=True),
                wire_outputs=wire_outputs,
                dependencies=list(request.dependencies),
                property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
                protect=request.protect if request.HasField("protect") else False,
                source_position=position,
                delete_before_replace=request.deleteBeforeReplace,
                delete_before_replace_defined=request.deleteBeforeReplaceDefined,
                version=request.version,
                ignore_changes=list(request.ignoreChanges),
                additional_secret_outputs=list(request.additionalSecretOutputs),
                aliases=list(request.aliasURNs),
                custom_timeouts=_custom_timeouts(request),
            )
        )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        if request.urn == self.recording.stack_urn:
            self.recording.stack_outputs = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
        else:
            # A component's registered outputs are its state: what AnalyzeStack shows for it.
            for resource in self.recording.resources:
                if resource.urn == request.urn and not resource.custom:
                    resource.wire_outputs = struct_pb2.Struct()
                    resource.wire_outputs.CopyFrom(request.outputs)
                    resource.outputs = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
        return empty_pb2.Empty()


def _custom_timeouts(request: Any) -> dict[str, str]:
    if not request.HasField("customTimeouts"):
        return {}
    timeouts = request.customTimeouts
    return {op: getattr(timeouts, op) for op in ("create", "update", "delete") if getattr(timeouts, op)}


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """A project or stack file as a mapping; ProgramError naming the file and line when it is not one."""
    try:
        document = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise ProgramError(f"{where}: not valid YAML: {problem}") from error
    except OSError as error:
        raise ProgramError(f"cannot read {path}: {error.strerror}") from error
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ProgramError(f"{path}:1: expected a mapping of keys to values, found {type(document).__name__}")
    return document


def read_stack_config(project_dir: Path, stack: str) -> tuple[str, dict[str, str], set[str]]:
    """Returns the project name, the stack's config in the engine's form (namespaced keys, string values) and the
    keys whose values are encrypted (`secure:`), which are not in the config: only `--config` can give them here."""
    project_file = project_dir / "Pulumi.yaml"
    project = read_yaml_mapping(project_file).get("name")
    if not isinstance(project, str) or not project:
        raise ProgramError(f"{project_file}: the project has no `name:` (e.g. name: my-project)")
    stack_file = project_dir / f"Pulumi.{stack}.yaml"
    if not stack_file.exists():
        stacks = sorted(path.name[len("Pulumi.") : -len(".yaml")] for path in project_dir.glob("Pulumi.*.yaml"))
        known = f" (stacks here: {', '.join(stacks)}; pick one with --stack)" if stacks else ""
        raise ProgramError(f"stack {stack!r} has no config file: {stack_file} is missing{known}")
    raw = read_yaml_mapping(stack_file).get("config") or {}
    if not isinstance(raw, dict):
        raise ProgramError(f"{stack_file}: `config:` must be a mapping of keys to values")
    config: dict[str, str] = {}
    secure: set[str] = set()
    for key, value in raw.items():
        full_key = key if ":" in key else f"{project}:{key}"
        if isinstance(value, dict) and "secure" in value:
            secure.add(full_key)
            continue
        config[full_key] = value if isinstance(value, str) else json.dumps(value)
    return project, config, secure


@contextlib.contextmanager
def _program_context(project_dir: Path) -> Iterator[None]:
    """The working directory and import path the Python language host gives a program; restored after."""
    previous_cwd, previous_path = os.getcwd(), list(sys.path)
    previous_modules = set(sys.modules)
    os.chdir(project_dir)
    sys.path.insert(0, str(project_dir))
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_quiet_about_exits)
    asyncio.set_event_loop(loop)
    try:
        yield
    finally:
        asyncio.set_event_loop(None)
        loop.close()
        os.chdir(previous_cwd)
        sys.path[:] = previous_path
        # Forget the program's own modules so another project's `components` package can load next time.
        for name in set(sys.modules) - previous_modules:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(project_dir)) and "site-packages" not in module_file:
                del sys.modules[name]


class _EngineLog(logging.Handler):
    """What the program logs (`pulumi.log.*`) as the CLI's Diagnostics show it: `error: ...`, `warning: ...`,
    info plain, debug hidden. Written to the current `sys.stderr`, so a caller capturing it gets it."""

    def emit(self, record: logging.LogRecord) -> None:
        prefix = {"ERROR": "error: ", "WARNING": "warning: "}.get(record.levelname, "")
        print(prefix + record.getMessage(), file=sys.stderr)


_PROGRAM_LOG = logging.getLogger("preflight.program")
_PROGRAM_LOG.propagate = False
_PROGRAM_LOG.setLevel(logging.INFO)
_PROGRAM_LOG.addHandler(_EngineLog())


def _quiet_about_exits(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """A program's `sys.exit`, a Ctrl-C or a failed transform is reported once by the caller, not again as a stray
    task's traceback (a transform on many resources fails each of their registrations)."""
    if isinstance(context.get("exception"), SystemExit | KeyboardInterrupt | TransformError):
        return
    loop.default_exception_handler(context)


def run_program(
    project_dir: Path | str,
    stack: str = "prod",
    *,
    preview: bool = True,
    config_overrides: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> Recording:
    """Runs the program under the mock engine and records its registrations.

    Raises ProgramError with the program's message when the program or its config fails, when it ends the
    process itself (`os._exit`), or when it has not finished after `timeout` seconds.
    """
    project_dir = Path(project_dir).resolve()
    project, config, secure = read_stack_config(project_dir, stack)
    program_dir, program = _program_path(project_dir)
    for key, value in (config_overrides or {}).items():
        config[key if ":" in key else f"{project}:{key}"] = value
    for key in sorted(secure - set(config)):
        short = key.removeprefix(f"{project}:")
        raise ProgramError(f"config key '{key}' is an encrypted secret; pass its value with --config {short}=VALUE")
    recording = Recording(
        project=project, stack=stack, preview=preview, config=dict(config), secret_config_keys=set(secure)
    )
    aws_mocks = AwsMocks(preview=preview)
    with _program_context(program_dir):
        monitor = RecordingMonitor(aws_mocks, recording)
        # A fresh root stack per run: set_mocks keeps an existing one, and with it the last run's exports.
        settings.set_root_resource(None)  # type: ignore[arg-type]
        pulumi.runtime.set_mocks(
            aws_mocks, project=project, stack=stack, preview=preview, monitor=monitor, logger=_PROGRAM_LOG
        )
        pulumi.runtime.set_all_config(config, sorted(secure))
        try:
            with _exit_refused(), _time_limit(timeout):
                mocks.test(lambda: _run_declaring(program, recording))()
                asyncio.get_event_loop().run_until_complete(_resolve_stack_outputs(recording))
        except _TimedOut as timed_out:
            raise ProgramError(
                f"the program did not finish within {timed_out.seconds:g} s (--timeout): it waits on something "
                "that never comes, or loops",
                recording,
            ) from None
        except Exception as error:  # the program's own failure, reported by its message
            raise ProgramError(_message(error, program_dir), recording) from error
        except SystemExit as exit_:  # `sys.exit(...)` in a program ends the program, not this process
            code = exit_.code
            message = code if isinstance(code, str) else f"the program exited with status {code or 0} (sys.exit)"
            raise ProgramError(message, recording) from exit_
        finally:
            pulumi.runtime.set_all_config({})
    return recording


def _run_declaring(program: Path, recording: Recording) -> None:
    """Runs the program, numbering its resources in the order it declares them (a stack transformation runs in
    each resource's constructor, before its registration goes async; it changes nothing)."""

    def number(args: pulumi.ResourceTransformationArgs) -> None:
        recording.declared.setdefault((args.type_, args.name), len(recording.declared))

    pulumi.runtime.register_stack_transformation(number)
    runpy.run_path(str(program), run_name="__main__")


class _TimedOut(BaseException):
    """Raised into the program when its time is up: a BaseException, so the program's own `except Exception`
    cannot swallow it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupts the program after `seconds` (a real-time timer: also while it sleeps or waits on a socket).
    Only the main thread can take a signal; elsewhere (a test's worker thread) there is no limit."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _TimedOut(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _exit_refused() -> Iterator[None]:
    """`os._exit` in a program would end this process with the program's status, 0 included: a run that never
    reached the policy pack would look like a pass. While the program runs it ends the program instead."""
    real_exit = os._exit

    def refuse(status: int) -> None:
        raise SystemExit(f"the program ended the process itself with os._exit({status}); nothing was checked")

    os._exit = refuse  # type: ignore[assignment]
    try:
        yield
    finally:
        os._exit = real_exit


async def _resolve_stack_outputs(recording: Recording) -> None:
    """Resolves the program's `pulumi.export`s; at preview an unknown one is kept as UNKNOWN."""
    root = pulumi.runtime.get_root_resource()
    for name, value in dict(getattr(root, "outputs", {}) or {}).items():
        output = pulumi.Output.from_input(value)
        resolved = await output.future(with_unknowns=True)
        recording.stack_outputs[name] = rpc.UNKNOWN if isinstance(resolved, Unknown) else resolved
        if await output.is_secret():
            recording.secret_outputs.add(name)


def _program_path(project_dir: Path) -> tuple[Path, Path]:
    """The program's directory and file: Pulumi.yaml's `main` (a directory or a .py file), else `__main__.py`."""
    main = read_yaml_mapping(project_dir / "Pulumi.yaml").get("main")
    target = (project_dir / str(main)).resolve() if main else project_dir
    program = target / "__main__.py" if target.is_dir() or not main else target
    if not program.is_file():
        where = f"`main: {main}` in Pulumi.yaml names {program}" if main else f"{program} is missing"
        raise ProgramError(f"no Python program to run: {where}")
    return program.parent, program


def _message(error: BaseException, program_dir: Path) -> str:
    """The program's own message; the exception's type where the message alone says little (KeyError: 'x'),
    and on a second line the program's line that raised it."""
    message = str(error).strip()
    if not isinstance(error, ValueError | pulumi.RunError) or not message:
        message = f"{type(error).__name__}: {message}" if message else type(error).__name__
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _in_program(f.filename, program_dir)]
    if frames:
        message += f"\n  at {Path(frames[-1].filename).relative_to(program_dir)}:{frames[-1].lineno}"
    return message


def _in_program(filename: str, program_dir: Path) -> bool:
    path = Path(filename)
    return path.is_relative_to(program_dir) and "site-packages" not in path.parts


__all__ = [
    "ProgramError",
    "RecordedResource",
    "Recording",
    "SourcePosition",
    "is_unknown",
    "read_stack_config",
    "run_program",
]
