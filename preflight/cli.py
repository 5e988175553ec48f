"""`python -m preflight`: `pulumi preview --policy-pack` for a Pulumi Python project, offline.

For a stack it runs the program under the mock engine as a first `pulumi preview` would and prints the plan;
runs the policy pack over the Analyzer interface on that preview, and again on an apply-mode run so that
policies needing known values (ARNs, policy documents) decide too; merges both and prints the violations
grouped by policy, then exemptions, then the policies that could not decide.

Exit status: 0 when no mandatory policy is violated, 1 when one is, 2 when the program, its config, the
policy pack or its config fails (the error message, not a traceback, on the first line of stderr). What blocks
is decided once, in `preflight.outcome`.

What the terminal shows after the plan is `preflight.reports.terminal`; the files (`--json`, `--sarif`,
`--markdown`, `--diagram`) are written by `preflight.reports.write_reports(outcome, requested)`, where `outcome`
is the run's `preflight.outcome.Outcome` and `requested` maps "json"/"sarif"/"markdown"/"diagram" to the path.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from concurrent import futures
from pathlib import Path
from typing import TextIO

from preflight.analyze import (
    PolicyConfigError,
    PolicyPack,
    PolicyPackError,
    load_policy_pack_config,
    merge_findings,
)
from preflight.diagram import SUFFIXES as DIAGRAM_SUFFIXES
from preflight.outcome import EXIT_ERROR, Outcome
from preflight.pack_process import pack_python
from preflight.plan import render_plan
from preflight.record import ProgramError, Recording, run_program
from preflight.reports import terminal, write_reports

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PACK = REPO_DIR / "policy"
REPORT_KINDS = ("json", "sarif", "markdown", "diagram")
# The prod stack runs in seconds: ten minutes means something waits forever, not that it is slow.
DEFAULT_TIMEOUT_SECONDS = 600.0


class Failure(Exception):
    """An error that ends the run with exit status 2 and this message."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m preflight",
        description="Offline `pulumi preview --policy-pack`: run a Pulumi Python program under Pulumi's mock "
        "engine, print the plan, and check it with a CrossGuard policy pack. No Pulumi CLI, cloud "
        "credentials or network needed.",
        epilog="Exit status: 0 no mandatory policy violated, 1 a mandatory policy violated, 2 the program, its "
        "config or the policy pack failed.",
    )
    parser.add_argument(
        "--cwd",
        "-C",
        metavar="DIR",
        type=Path,
        default=None,
        help="the Pulumi project directory, like `pulumi -C` (default: the current directory)",
    )
    parser.add_argument(
        "--stack",
        "-s",
        metavar="NAME",
        default="prod",
        help="the stack whose Pulumi.<NAME>.yaml config to use (default: prod)",
    )
    parser.add_argument(
        "--policy-pack",
        metavar="DIR",
        type=Path,
        default=None,
        help=f"a Python CrossGuard policy pack (default: this repo's {DEFAULT_PACK})",
    )
    parser.add_argument(
        "--policy-pack-config",
        metavar="FILE",
        type=Path,
        default=None,
        help="JSON config for the policy pack, as `pulumi preview --policy-pack-config` takes it "
        "(default, for this repo's project and pack: the pack's config.<stack>.json, else its config.json)",
    )
    parser.add_argument(
        "--config",
        "-c",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        type=_config_pair,
        help="a config value overriding the stack file (repeatable); KEY without a namespace is in the project's",
    )
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        help="how long the program may run, and the policy pack may take for one resource, before the run fails "
        f"naming what hung (default: {DEFAULT_TIMEOUT_SECONDS:g}; 0: no limit)",
    )
    for kind, what in (
        ("json", "every resource and finding as JSON"),
        ("sarif", "findings as SARIF 2.1.0"),
        ("markdown", "a Markdown summary for a pull request"),
        ("diagram", "an architecture diagram of the resource graph"),
    ):
        parser.add_argument(f"--{kind}", metavar="FILE", type=Path, default=None, help=f"write {what} to FILE")
    return parser


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more seconds, got {text}")
    return seconds


def _config_pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def main(argv: Sequence[str] | None = None, *, pack: PolicyPack | None = None) -> int:
    """Runs the command; returns its exit status. `pack` reuses an already running pack (tests)."""
    parser = build_parser()
    options = parser.parse_args(argv)
    if options.diagram is not None:
        suffixes = DIAGRAM_SUFFIXES
        if options.diagram.suffix.lower() not in suffixes:  # a usage error, before the run rather than after it
            parser.error(f"--diagram {options.diagram}: unknown format; name the file {', '.join(suffixes)}")
    out, err = sys.stdout, sys.stderr
    try:
        check_report_paths({kind: getattr(options, kind) for kind in REPORT_KINDS if getattr(options, kind)})
        outcome = run(options, out=out, err=err, pack=pack)
    except Failure as failure:
        print(f"error: {failure}", file=err)
        return EXIT_ERROR
    try:
        _write_reports(outcome, options, out)
    except OSError as error:
        print(f"error: cannot write a report to {error.filename}: {error.strerror}", file=err)
        return EXIT_ERROR
    return outcome.exit_code


def run(options: argparse.Namespace, *, out: TextIO, err: TextIO, pack: PolicyPack | None = None) -> Outcome:
    """The offline preview: record, plan, analyze both modes, print. Raises Failure for exit status 2."""
    progress = _progress(err)
    project_dir = (options.cwd or Path.cwd()).resolve()
    if not (project_dir / "Pulumi.yaml").exists():
        raise Failure(f"no Pulumi project in {project_dir}: it has no Pulumi.yaml (use --cwd DIR)")
    pack_dir = (options.policy_pack or DEFAULT_PACK).resolve()
    if pack is None:
        try:
            pack_python(pack_dir)  # a missing pack or virtualenv fails now, not after the program ran
        except PolicyPackError as error:
            raise Failure(str(error)) from error
    config_file = default_pack_config(project_dir, options.policy_pack, options.policy_pack_config, options.stack)
    try:
        policy_config = load_policy_pack_config(config_file) if config_file else {}
    except OSError as error:
        raise Failure(f"cannot read the policy pack config {config_file}: {error.strerror}") from error
    except PolicyConfigError as error:
        raise Failure(f"the policy pack config is not usable: {error}") from error
    overrides = dict(options.config)

    with futures.ThreadPoolExecutor(max_workers=2) as background:
        # The pack starts while the program runs, and analyzes the preview while the apply-mode run goes:
        # the pack is another process, so the two overlap on a multi-core machine.
        timeout = options.timeout or None
        starting = background.submit(PolicyPack, pack_dir, call_timeout=timeout) if pack is None else None
        try:
            progress(f"Running the program for stack {options.stack} (preview)...")
            preview, diagnostics = _record(
                project_dir, options.stack, preview=True, overrides=overrides, timeout=timeout
            )
            running = starting.result() if starting is not None else pack
            assert running is not None
            try:  # a config the pack cannot take fails before the plan, in plain words
                running.check_config(policy_config)
            except PolicyConfigError as error:
                raise Failure(
                    f"the policy pack config {config_file} does not fit the pack {running.name}: {error}"
                ) from error
            progress("")  # the progress line goes before the plan is printed
            print(render_plan(preview), file=out)
            print(terminal.render_diagnostics(preview, diagnostics), file=out, end="")
            out.flush()
            progress("Analyzing the preview, and running the program as `pulumi up` would...")
            analyzing = background.submit(running.analyze, preview, policy_config)
            try:
                apply, _ = _record(project_dir, options.stack, preview=False, overrides=overrides, timeout=timeout)
            finally:
                preview_findings = analyzing.result()
            progress("Analyzing the apply-mode run...")
            apply_findings = running.analyze(apply, policy_config)
            outcome = Outcome(
                project_dir=project_dir,
                stack=options.stack,
                preview=preview,
                apply=apply,
                findings=merge_findings(preview_findings, apply_findings),
                pack_dir=running.pack_dir,
                pack_name=running.name,
                pack_version=running.version,
                policies=list(running.info.policies),
                policy_config=policy_config,
                pack_config=config_file,
            )
        except PolicyPackError as error:
            raise Failure(str(error)) from error
        finally:
            progress("")
            if starting is not None:
                with contextlib.suppress(Exception):  # its own failure, if any, was raised above
                    starting.result().close()
    print(terminal.render(outcome), file=out, end="")
    return outcome


def default_pack_config(
    project_dir: Path, pack_dir: Path | None, given: Path | None, stack: str = "prod"
) -> Path | None:
    """The `--policy-pack-config` to use: the one given; else, for this repository's own project and pack, the
    pack's config for the stack's environment (config.<stack>.json, e.g. staging's Environment=Staging), else its
    config.json. Another project (`--cwd`) or pack gets none: the exemptions in config.json name this project's
    resources, and must never excuse another project's by a name it happens to share."""
    if given is not None:
        return given
    if pack_dir is not None or project_dir.resolve() != REPO_DIR:
        return None
    for candidate in (DEFAULT_PACK / f"config.{stack}.json", DEFAULT_PACK / "config.json"):
        if candidate.exists():
            return candidate
    return None


def check_report_paths(requested: dict[str, Path]) -> None:
    """Each report's file can be written: checked before the run, so a long run never ends in a lost report."""
    for kind, path in requested.items():
        target = Path(path)
        if target.is_dir():
            raise Failure(f"--{kind} {target}: is a directory; name a file")
        parent = next((p for p in (target.parent, *target.parent.parents) if p.exists()), Path("."))
        if not parent.is_dir():
            raise Failure(f"--{kind} {target}: {parent} is not a directory")
        if not os.access(parent, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
            raise Failure(f"--{kind} {target}: permission denied")


def _record(
    project_dir: Path, stack: str, *, preview: bool, overrides: dict[str, str], timeout: float | None = None
) -> tuple[Recording, str]:
    """Runs the program; its own prints and log lines are kept apart so an error message comes first."""
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            recording = run_program(project_dir, stack, preview=preview, config_overrides=overrides, timeout=timeout)
    except ProgramError as error:
        output = captured.getvalue().strip()
        raise Failure(str(error) + (f"\n\nprogram output:\n{output}" if output else "")) from error
    return recording, captured.getvalue()


def _progress(err: TextIO) -> Callable[[str], None]:
    """Progress lines on a terminal only: CI logs stay quiet (also when a CI runner fakes a terminal)."""
    if not (hasattr(err, "isatty") and err.isatty()) or os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        return lambda message: None

    def show(message: str) -> None:
        err.write(f"\r\x1b[K{message}")
        err.flush()

    return show


def _write_reports(outcome: Outcome, options: argparse.Namespace, out: TextIO) -> None:
    requested = {kind: getattr(options, kind) for kind in REPORT_KINDS if getattr(options, kind) is not None}
    if not requested:
        return
    for path in write_reports(outcome, requested):
        print(f"Wrote {path}", file=out)
