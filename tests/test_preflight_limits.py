"""Preflight fails closed on what never ends or ends too soon (issue 15 item 2): a program that ends the process
itself, a program that never returns, a pack that hangs, a policy that raises, and preflight itself killed
(SIGKILL) with its pack processes still running. Each runs the real thing: `python -m preflight` in a process of
its own, or the real pack process."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from preflight.analyze import PolicyPack, PolicyPackError
from preflight.plan import plan_rows
from preflight.record import Recording, run_program
from tests.test_preflight_cli import BASE, FIXTURE_PROGRAM, ROOT, alive, children, project

PACK_PYTHON = ROOT / "policy" / ".venv" / "bin" / "python"
HAS_PROC = Path("/proc/self/stat").exists()


def preflight(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "preflight", *BASE, *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def scratch_pack(directory: Path, validate: str) -> Path:
    """A pack of two policies: `fine` reports nothing, `culprit` runs `validate` on the fixture's key."""
    directory.mkdir()
    (directory / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (directory / "__main__.py").write_text(
        "import time\n"
        "from pulumi_policy import PolicyPack, ResourceValidationPolicy\n"
        "def fine(args, report):\n"
        "    pass\n"
        "def culprit(args, report):\n"
        "    if args.name == 'store-key':\n"
        f"        {validate}\n"
        "PolicyPack('scratch', [\n"
        "    ResourceValidationPolicy(name='fine', description='reports nothing', validate=fine),\n"
        "    ResourceValidationPolicy(name='culprit', description='misbehaves', validate=culprit),\n"
        "])\n"
    )
    return directory


@pytest.fixture(scope="module")
def fixture_preview() -> Recording:
    return run_program(FIXTURE_PROGRAM, "test", preview=True)


def test_a_program_ending_the_process_with_status_0_never_passes(tmp_path: Path) -> None:
    result = preflight("--cwd", str(project(tmp_path, "import os\nos._exit(0)\n")))
    assert result.returncode == 2
    assert "error: the program ended the process itself with os._exit(0)" in result.stderr
    assert "mandatory violation" not in result.stdout  # no summary, as if it had been checked


def test_a_program_that_never_returns_fails_after_the_timeout(tmp_path: Path) -> None:
    started = time.monotonic()
    result = preflight("--cwd", str(project(tmp_path, "import time\ntime.sleep(300)\n")), "--timeout", "1")
    assert result.returncode == 2
    assert "error: the program did not finish within 1 s (--timeout)" in result.stderr
    assert time.monotonic() - started < 60  # it did not wait for the program


def test_a_program_that_catches_everything_still_times_out(tmp_path: Path) -> None:
    program = "import time\nwhile True:\n    try:\n        time.sleep(300)\n    except Exception:\n        pass\n"
    result = preflight("--cwd", str(project(tmp_path, program)), "--timeout", "1")
    assert result.returncode == 2
    assert "did not finish within 1 s" in result.stderr


def test_the_timeout_must_be_a_number_of_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    from preflight.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["--timeout", "soon"])
    assert "expected a number of seconds" in capsys.readouterr().err


def test_a_policy_that_raises_is_named(tmp_path: Path, fixture_preview: Recording) -> None:
    pack_dir = scratch_pack(tmp_path / "pack", "raise KeyError('no such property')")
    with PolicyPack(pack_dir, python=PACK_PYTHON) as pack, pytest.raises(PolicyPackError) as caught:
        pack.analyze(fixture_preview)
    assert "(raised by policy culprit)" in str(caught.value)
    assert "no such property" in str(caught.value)


def test_a_pack_that_hangs_is_named_after_the_timeout(tmp_path: Path, fixture_preview: Recording) -> None:
    pack_dir = scratch_pack(tmp_path / "pack", "time.sleep(300)")
    with PolicyPack(pack_dir, python=PACK_PYTHON, call_timeout=1) as pack:
        with pytest.raises(PolicyPackError) as caught:
            pack.analyze(fixture_preview)
        hung = [process for process in pack.processes if process.context is not None]
    assert "Analyze on" in str(caught.value) and "store-key did not answer within 1 s" in str(caught.value)
    assert not any(process.alive for process in hung)  # retired, not left busy


@pytest.mark.skipif(not HAS_PROC, reason="reads the process table from /proc")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_pack_processes_die_with_a_sigkilled_preflight(tmp_path: Path) -> None:
    # The program sleeps, so the pack is up and serving (past writing its port, which a dead reader would end).
    sleeper = project(tmp_path, "import time\ntime.sleep(60)\n")
    command = [sys.executable, "-m", "preflight", *BASE, "--cwd", str(sleeper)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as run:
        deadline = time.monotonic() + 60
        while not (packs := children(run.pid)) and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.05)
        assert packs, "the pack never started"
        time.sleep(3)  # the pack's start-up takes well under a second
        assert all(alive(p) for p in packs)
        run.send_signal(signal.SIGKILL)  # no handler, no atexit: only the kernel can tell the packs
        run.wait(timeout=30)
    deadline = time.monotonic() + 5
    while any(alive(p) for p in packs) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in packs)


def test_a_pack_analyzing_from_a_thread_that_ends_keeps_its_processes(fixture_preview: Recording) -> None:
    """The lifeline kills a process when the thread that started it ends. preflight analyzes the preview on a pool
    thread, and a pack given to `main` (the tests' shared one) outlives that pool: the stack context's process must
    survive it, or the next run on the same pack meets a dead process ("Connection reset by peer")."""
    from tests.test_preflight_cli import FIXTURE_PACK

    with PolicyPack(FIXTURE_PACK) as pack:
        worker = threading.Thread(target=pack.analyze, args=(fixture_preview,))
        worker.start()
        worker.join()
        started = [p for p in pack.processes if p is not pack._first]
        assert started, "the analysis started no stack-context process"
        time.sleep(1)  # the kernel signals when the thread ends; give a killed process time to go
        assert all(p.alive for p in started)
        assert pack.analyze(fixture_preview) is not None  # the same context, the same process


def test_the_plan_follows_the_order_the_program_declares_resources(tmp_path: Path) -> None:
    """Not source order: a helper defined above declares its bucket after the one below it."""
    program = (
        "import pulumi_aws as aws\n"
        "def later():\n"
        "    return aws.s3.Bucket('declared-second')\n"
        "aws.s3.Bucket('declared-first')\n"
        "later()\n"
    )
    recording = run_program(project(tmp_path, program), "test", preview=True)
    names = [row.name for row in plan_rows(recording)]
    assert names.index("declared-first") < names.index("declared-second")


def test_an_encrypted_config_value_needs_its_value_on_the_command_line(tmp_path: Path) -> None:
    directory = project(tmp_path, "import pulumi\npulumi.Config().require_secret('dbPassword')\n")
    (directory / "Pulumi.test.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  scratch:dbPassword:\n    secure: AAABAGVuY3J5cHRlZA==\n"
    )
    result = preflight("--cwd", str(directory))
    assert result.returncode == 2
    assert "config key 'scratch:dbPassword' is an encrypted secret" in result.stderr
    assert "--config dbPassword=VALUE" in result.stderr
    given = run_program(directory, "test", preview=True, config_overrides={"dbPassword": "not-a-real-one"})
    assert given.secret_config_keys == {"scratch:dbPassword"}  # handed to the pack as a secret key
