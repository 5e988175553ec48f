"""Start a Python CrossGuard policy pack the way the Pulumi CLI does, and stop it cleanly.

The CLI's Python language host runs `<venv python> -u -m pulumi.policy <engine address> <pack dir>` with the
pack directory as working directory and the stack's context in `PULUMI_*` variables (its `PolicyProxy` sets
them from the engine's `ConfigureStack`), then reads exactly one stdout line: the port the pack serves the
Analyzer gRPC interface on. `PackProcess` does the same and hands back a connected `AnalyzerStub`. On Linux the
command runs under `setpriv --pdeathsig KILL`, so a pack never outlives preflight, even a SIGKILLed one.

The engine address a pack gets is served here by `EngineServer`, a tiny in-process `pulumirpc.Engine` that
keeps what the pack logs. (pulumi-policy's Python runtime does not dial it today: `pulumi.log` in a pack writes
to stderr, which `PackProcess` keeps too. The secure-aws pack dials it itself to log exemptions: see
policy/secure_aws_policies/exemptions.py.)
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2_grpc, engine_pb2, engine_pb2_grpc

# The message size limit the engine and pulumi-policy both use (400 MB).
GRPC_OPTIONS = [("grpc.max_receive_message_length", 400 * 1024 * 1024)]
START_TIMEOUT_SECONDS = 60.0


def _lifeline() -> tuple[str, ...]:
    """A command prefix that makes Linux SIGKILL the pack when preflight ends, however it ends (even by SIGKILL,
    which no handler or atexit sees): util-linux's `setpriv --pdeathsig`, which sets PR_SET_PDEATHSIG and execs
    the pack's command unchanged. (Setting it from Python between fork and exec would run gRPC's fork handlers in
    the child.) The signal follows the thread that started the process, so analyze.PolicyPack starts every process
    on a thread of its own that ends only after it has closed them. Without setpriv (macOS) a pack outlives only
    a SIGKILLed preflight."""
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return (setpriv, "--pdeathsig", "KILL", "--") if setpriv else ()


_LIFELINE = _lifeline()


class PolicyPackError(Exception):
    """The policy pack could not be started, or failed while analysing (message says which and why)."""


@dataclass(frozen=True)
class StackContext:
    """What the CLI's policy proxy exports to a pack process: fixed for that process's lifetime."""

    project: str
    stack: str
    dry_run: bool
    config: tuple[tuple[str, str], ...] = ()
    organization: str = "organization"
    secret_keys: tuple[str, ...] = ()

    def environment(self) -> dict[str, str]:
        return {
            "PULUMI_ORGANIZATION": self.organization,
            "PULUMI_PROJECT": self.project,
            "PULUMI_STACK": self.stack,
            "PULUMI_DRY_RUN": "true" if self.dry_run else "false",
            "PULUMI_CONFIG": json.dumps(dict(self.config)),
            "PULUMI_CONFIG_SECRET_KEYS": json.dumps(list(self.secret_keys)),
        }


class _EngineServicer(engine_pb2_grpc.EngineServicer):
    """The engine's logging service, keeping every message instead of showing it."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []  # (severity, urn, message)
        self.root_resource = ""
        self._lock = threading.Lock()

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:
        severity = engine_pb2.LogSeverity.Name(request.severity).lower()
        with self._lock:
            self.messages.append((severity, request.urn, request.message))
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.GetRootResourceResponse(urn=self.root_resource)

    def SetRootResource(self, request: Any, context: Any) -> Any:
        self.root_resource = request.urn
        return engine_pb2.SetRootResourceResponse()

    def StartDebugging(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    def RequirePulumiVersion(self, request: Any, context: Any) -> Any:
        return engine_pb2.RequirePulumiVersionResponse()


class EngineServer:
    """A `pulumirpc.Engine` on 127.0.0.1 for the pack's engine address."""

    def __init__(self) -> None:
        self.servicer = _EngineServicer()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=2), options=GRPC_OPTIONS)
        engine_pb2_grpc.add_EngineServicer_to_server(self.servicer, self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self._server.start()
        self.address = f"127.0.0.1:{port}"

    @property
    def messages(self) -> list[tuple[str, str, str]]:
        return list(self.servicer.messages)

    def stop(self) -> None:
        self._server.stop(grace=None)


def pack_python(pack_dir: Path) -> Path:
    """The pack's interpreter: `runtime.options.virtualenv` of PulumiPolicy.yaml (default `venv`), as the CLI uses."""
    project_file = pack_dir / "PulumiPolicy.yaml"
    if not project_file.exists():
        raise PolicyPackError(f"{pack_dir} is not a policy pack: it has no PulumiPolicy.yaml")
    project = yaml.safe_load(project_file.read_text()) or {}
    runtime = project.get("runtime")
    name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if name != "python":
        raise PolicyPackError(f"{project_file} has runtime {name!r}; only Python policy packs can run here")
    options = (runtime.get("options") or {}) if isinstance(runtime, dict) else {}
    venv = pack_dir / str(options.get("virtualenv") or "venv")
    python = venv / "bin" / "python"
    if not python.exists():
        raise PolicyPackError(
            f"the policy pack's virtualenv {venv} does not exist: run `make venv` "
            f"(or `python3 -m venv {venv} && {venv}/bin/pip install -r {pack_dir}/requirements.txt`)"
        )
    return python


class PackProcess:
    """One running pack process for one stack context, with a connected Analyzer client."""

    def __init__(self, pack_dir: Path, python: Path, engine_address: str, context: StackContext | None) -> None:
        self.pack_dir = pack_dir
        self.context = context
        env = dict(os.environ)
        # The language host runs the pack inside its virtualenv, whatever environment the caller runs in.
        for name in [k for k in env if k.startswith("PULUMI_")] + ["PYTHONPATH", "PYTHONHOME"]:
            env.pop(name, None)
        venv = python.parent.parent
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        if context is not None:
            env.update(context.environment())
        command = [*_LIFELINE, str(python), "-u", "-m", "pulumi.policy", engine_address, str(pack_dir)]
        try:
            self.process = subprocess.Popen(
                command,
                cwd=pack_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as error:
            raise PolicyPackError(f"could not start the policy pack {pack_dir}: {error}") from error
        _LIVE.add(self)  # from its first instant, so an interrupt during start-up stops it too
        self._stderr: list[str] = []
        self._stdout: list[str] = []
        self._drains = [threading.Thread(target=self._drain, args=(self.process.stderr, self._stderr), daemon=True)]
        self._drains[0].start()
        self.port = self._read_port()
        # Later stdout lines are the pack's own prints: kept, never parsed (as the engine only logs them).
        self._drains.append(threading.Thread(target=self._drain, args=(self.process.stdout, self._stdout), daemon=True))
        self._drains[-1].start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}", options=GRPC_OPTIONS)
        try:
            grpc.channel_ready_future(self.channel).result(timeout=START_TIMEOUT_SECONDS)
        except grpc.FutureTimeoutError as error:
            self.close()
            raise PolicyPackError(f"the policy pack {pack_dir} printed port {self.port} but never served it") from error
        self.analyzer = analyzer_pb2_grpc.AnalyzerStub(self.channel)

    def _read_port(self) -> int:
        """The first stdout line is the port (the engine reads exactly one line)."""
        result: list[bytes] = []
        stdout = self.process.stdout
        assert stdout is not None  # started with stdout=PIPE
        reader = threading.Thread(target=lambda: result.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT_SECONDS)
        line = result[0].decode(errors="replace").strip() if result else ""
        if line.isdigit():
            return int(line)
        self.close()
        detail = self.stderr.strip().splitlines()
        reason = detail[-1] if detail else (f"its first output line was {line!r}" if line else "it printed nothing")
        raise PolicyPackError(f"the policy pack {self.pack_dir} failed to start: {reason}\n{self.stderr.strip()}")

    @staticmethod
    def _drain(stream: Any, sink: list[str]) -> None:
        for raw in iter(stream.readline, b""):
            sink.append(raw.decode(errors="replace"))

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    @property
    def stdout(self) -> str:
        return "".join(self._stdout)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Cancel (as the engine does at shutdown, tolerating Unimplemented), then terminate and reap."""
        _LIVE.discard(self)
        channel = getattr(self, "channel", None)
        if channel is not None and self.alive:
            # pulumi-policy's Python servicer does not implement Cancel: the engine tolerates that too.
            with contextlib.suppress(grpc.RpcError):
                self.analyzer.Cancel(empty_pb2.Empty(), timeout=2)
            channel.close()
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for drain in getattr(self, "_drains", []):
            drain.join(timeout=2)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


# A pack process serves forever: whatever a caller forgets to close is stopped when this interpreter exits.
_LIVE: set[PackProcess] = set()


@atexit.register
def _close_forgotten() -> None:
    for process in list(_LIVE):
        process.close()


def terminate_all() -> None:
    """Stops every pack process at once, without gRPC or locks: what a signal handler may do before `os._exit`."""
    for process in list(_LIVE):
        with contextlib.suppress(OSError):
            process.process.terminate()


def config_tuple(config: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(config.items()))
