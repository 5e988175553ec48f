"""How long the offline preview of a stack takes on this machine, step by step (a script, not a timed test).

    .venv/bin/python benchmarks/preview_benchmark.py [--runs 5] [--stack prod]

Prints medians over `--runs` runs (with the fastest and slowest) of:

- the program under the mock engine, each run in a fresh interpreter as `python -m preflight` runs it: the
  imports (pulumi, the recorder), then a preview-mode run (which pays for the program's own imports:
  pulumi_aws's modules, the components) and an apply-mode run;
- the policy pack's start-up: the first process and `GetAnalyzerInfo`, then one process per stack context
  (preview and apply each get their own, as the CLI's policy proxy gives them), with its `ConfigureStack`;
- the analysis, timed on the gRPC calls themselves: `Configure`, `Analyze` (per resource, and in all) and
  `AnalyzeStack`, over the preview and the apply runs;
- the whole `python -m preflight` command's wall time (its exit status 0 or 1 both count as a run).

The target (issue 7): the whole offline preview under 10 s on 2 cores, pack start-up and analysis under half.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 10.0


def program_worker(stack: str) -> None:
    """One cold run of the program in both modes; prints its timings as JSON (run in a fresh interpreter)."""
    start = time.perf_counter()
    from preflight.record import run_program

    imported = time.perf_counter()
    preview = run_program(ROOT, stack, preview=True)
    previewed = time.perf_counter()
    run_program(ROOT, stack, preview=False)
    applied = time.perf_counter()
    print(
        json.dumps(
            {
                "import": imported - start,
                "preview": previewed - imported,
                "apply": applied - previewed,
                "resources": len(preview.resources),
            }
        )
    )


def program_run(stack: str) -> dict[str, float]:
    script = str(Path(__file__).resolve())
    # The program's own prints go to the worker's stderr; only the last stdout line is the JSON.
    output = subprocess.run(
        [sys.executable, script, "--worker-program", "--stack", stack],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def pack_run(stack: str) -> dict[str, float]:
    """Starts the policy pack and analyzes a preview and an apply run, timing each gRPC call."""
    import contextlib
    import io

    from preflight.analyze import PolicyPack, load_policy_pack_config
    from preflight.record import run_program

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        recordings = [run_program(ROOT, stack, preview=True), run_program(ROOT, stack, preview=False)]
    config_file = ROOT / "policy" / "config.json"
    config = load_policy_pack_config(config_file) if config_file.exists() else {}
    seconds: dict[str, float] = defaultdict(float)
    calls: Counter[str] = Counter()

    started = time.perf_counter()
    pack = PolicyPack(ROOT / "policy")
    try:
        _ = pack.info
        seconds["start"] = time.perf_counter() - started
        call: Callable[..., Any] = pack._call
        new_process: Callable[..., Any] = pack._process

        def timed_call(process: Any, method: str, request: Any, urn: str) -> Any:
            begin = time.perf_counter()
            try:
                return call(process, method, request, urn)
            finally:
                seconds[method] += time.perf_counter() - begin
                calls[method] += 1

        def timed_process(context: Any) -> Any:
            known = context in pack._processes
            begin = time.perf_counter()
            process = new_process(context)
            if not known:
                seconds["context"] += time.perf_counter() - begin
                calls["context"] += 1
            return process

        pack._call = timed_call  # type: ignore[method-assign]
        pack._process = timed_process  # type: ignore[method-assign]
        for recording in recordings:
            pack.analyze(recording, config)
    finally:
        pack.close()
    return {
        "start": seconds["start"],
        "contexts": seconds["context"],
        "context_count": calls["context"],
        "configure": seconds["Configure"],
        "analyze": seconds["Analyze"],
        "analyze_calls": calls["Analyze"],
        "analyze_stack": seconds["AnalyzeStack"],
    }


def command_run(stack: str) -> float:
    begin = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "preflight", "--stack", stack], cwd=ROOT, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - begin
    if result.returncode not in (0, 1):
        raise SystemExit(f"python -m preflight failed ({result.returncode}):\n{result.stderr}")
    return elapsed


def _row(label: str, values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    scaled = [v * scale for v in values]
    digits = 1 if unit == "ms" else 2
    median = statistics.median(scaled)
    return f"  {label:<52} {median:8.{digits}f} {unit:<2}  (min {min(scaled):.{digits}f}, max {max(scaled):.{digits}f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (default 5)")
    parser.add_argument("--stack", default="prod", help="the stack to preview (default prod)")
    parser.add_argument("--worker-program", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker_program:
        program_worker(options.stack)
        return 0
    if options.runs < 1:
        parser.error("--runs must be at least 1")

    programs = [program_run(options.stack) for _ in range(options.runs)]
    packs = [pack_run(options.stack) for _ in range(options.runs)]
    commands = [command_run(options.stack) for _ in range(options.runs)]

    resources = int(programs[0]["resources"])
    analyze_calls = int(packs[0]["analyze_calls"])
    startup = [p["start"] + p["contexts"] for p in packs]
    analysis = [p["configure"] + p["analyze"] + p["analyze_stack"] for p in packs]
    print(
        f"Offline preview of the {options.stack} stack: {resources} resources; {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}; medians of {options.runs} runs"
    )
    print("Program under the mock engine (a fresh interpreter per run):")
    print(_row("imports (pulumi, the recorder)", [p["import"] for p in programs]))
    print(_row("preview-mode run (with the program's own imports)", [p["preview"] for p in programs]))
    print(_row("apply-mode run", [p["apply"] for p in programs]))
    print("Policy pack (policy/, over the Analyzer gRPC interface):")
    print(_row("start-up: first process + GetAnalyzerInfo", [p["start"] for p in packs]))
    print(
        _row(
            f"start-up: {int(packs[0]['context_count'])} stack-context processes + ConfigureStack",
            [p["contexts"] for p in packs],
        )
    )
    print(_row("Configure (preview + apply)", [p["configure"] for p in packs]))
    print(
        _row(
            f"Analyze per resource ({analyze_calls} calls: preview + apply)",
            [p["analyze"] / p["analyze_calls"] for p in packs],
            "ms",
            1000.0,
        )
    )
    print(_row("Analyze, all resources (preview + apply)", [p["analyze"] for p in packs]))
    print(_row("AnalyzeStack (preview + apply)", [p["analyze_stack"] for p in packs]))
    print("Totals:")
    print(_row("pack start-up + analysis", [s + a for s, a in zip(startup, analysis, strict=True)]))
    print(_row(f"python -m preflight --stack {options.stack} (wall)", commands))
    whole = statistics.median(commands)
    pack_share = statistics.median([s + a for s, a in zip(startup, analysis, strict=True)])
    print(
        f"Target: whole preview < {TARGET_SECONDS:.0f} s: {'met' if whole < TARGET_SECONDS else 'MISSED'} "
        f"({whole:.2f} s); pack start-up + analysis < half of it: "
        f"{'met' if pack_share < whole / 2 else 'MISSED'} ({pack_share:.2f} s of {whole:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
