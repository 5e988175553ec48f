"""`python -m preflight`: `pulumi preview --policy-pack` for a Pulumi Python project, offline.

For a stack it runs the program under the mock engine as a first `pulumi preview` would and prints the plan;
runs the policy pack over the Analyzer interface on that preview, and again on an apply-mode run so that
policies needing known values (ARNs, policy documents) decide too; merges both and prints the violations
grouped by policy, then exemptions, then the policies that could not decide.

Exit status: 0 when no mandatory policy is violated, 1 when one is, 2 when the program, its config, the
policy pack or its config fails (the error message, not a traceback, on the first line of stderr).

Reports (`--json`, `--sarif`, `--markdown`, `--diagram`) are written by `preflight.reports.write_reports(
outcome, requested)`, where `outcome` is an `Outcome` and `requested` maps "json"/"sarif"/"markdown"/"diagram"
to the output path.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlparse

from preflight.analyze import (
    Finding,
    PolicyConfigError,
    PolicyPack,
    PolicyPackError,
    load_policy_pack_config,
    merge_findings,
)
from preflight.pack_process import pack_python
from preflight.plan import display_type, render_plan, source_order
from preflight.record import ProgramError, RecordedResource, Recording, run_program

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PACK = REPO_DIR / "policy"
REPORT_KINDS = ("json", "sarif", "markdown", "diagram")

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


@dataclass
class Outcome:
    """Everything one offline preview found: what the reports are written from."""

    project_dir: Path
    stack: str
    preview: Recording
    apply: Recording
    findings: list[Finding]
    pack_dir: Path
    pack_name: str
    pack_version: str
    policies: list[Any] = field(default_factory=list)  # analyzer_pb2.PolicyInfo from GetAnalyzerInfo
    policy_config: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return EXIT_VIOLATIONS if self.mandatory else EXIT_OK

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if not (f.undecided or f.exempted or f.enforcement_level == "remediate")]

    @property
    def mandatory(self) -> list[Finding]:
        return [f for f in self.violations if f.enforcement_level == "mandatory"]

    @property
    def remediations(self) -> list[Finding]:
        """Fixes that policies at level remediate applied to inputs (what still fails is reported as mandatory)."""
        return [f for f in self.findings if f.enforcement_level == "remediate" and not f.exempted]

    @property
    def exemptions(self) -> list[Finding]:
        return [f for f in self.findings if f.exempted]

    @property
    def undecided(self) -> list[Finding]:
        return [f for f in self.findings if f.undecided]

    def resource(self, urn: str) -> RecordedResource | None:
        for recording in (self.apply, self.preview):
            for resource in recording.resources:
                if resource.urn == urn:
                    return resource
        return None


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
        "(default: config.json of the default pack, if it exists)",
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
    for kind, what in (("json", "every resource and finding as JSON"), ("sarif", "findings as SARIF 2.1.0"),
                       ("markdown", "a Markdown summary for a pull request"),
                       ("diagram", "an architecture diagram of the resource graph")):  # fmt: skip
        parser.add_argument(f"--{kind}", metavar="FILE", type=Path, default=None, help=f"write {what} to FILE")
    return parser  # fmt: skip


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
        suffixes = importlib.import_module("preflight.diagram").SUFFIXES
        if options.diagram.suffix.lower() not in suffixes:  # a usage error, before the run rather than after it
            parser.error(f"--diagram {options.diagram}: unknown format; name the file {', '.join(suffixes)}")
    out, err = sys.stdout, sys.stderr
    try:
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
    config_file = options.policy_pack_config
    if config_file is None and options.policy_pack is None and (DEFAULT_PACK / "config.json").exists():
        config_file = DEFAULT_PACK / "config.json"
    try:
        policy_config = load_policy_pack_config(config_file) if config_file else {}
    except OSError as error:
        raise Failure(f"cannot read the policy pack config {config_file}: {error.strerror}") from error
    except PolicyConfigError as error:
        raise Failure(str(error)) from error
    overrides = dict(options.config)

    with futures.ThreadPoolExecutor(max_workers=2) as background:
        # The pack starts while the program runs, and analyzes the preview while the apply-mode run goes:
        # the pack is another process, so the two overlap on a multi-core machine.
        starting = background.submit(PolicyPack, pack_dir) if pack is None else None
        try:
            progress(f"Running the program for stack {options.stack} (preview)...")
            preview, diagnostics = _record(project_dir, options.stack, preview=True, overrides=overrides)
            print(render_plan(preview), file=out)
            _print_diagnostics(preview, diagnostics, out)
            progress("Analyzing the preview, and running the program as `pulumi up` would...")
            running = starting.result() if starting is not None else pack
            assert running is not None
            analyzing = background.submit(running.analyze, preview, policy_config)
            try:
                apply, _ = _record(project_dir, options.stack, preview=False, overrides=overrides)
            finally:
                preview_findings = analyzing.result()
            progress("Analyzing the apply-mode run...")
            apply_findings = running.analyze(apply, policy_config)
            outcome = Outcome(
                project_dir=project_dir, stack=options.stack, preview=preview, apply=apply,
                findings=merge_findings(preview_findings, apply_findings), pack_dir=running.pack_dir,
                pack_name=running.name, pack_version=running.version, policies=list(running.info.policies),
                policy_config=policy_config,
            )  # fmt: skip
        except PolicyPackError as error:
            raise Failure(str(error)) from error
        finally:
            progress("")
            if starting is not None:
                with contextlib.suppress(Exception):  # its own failure, if any, was raised above
                    starting.result().close()
    print(render_findings(outcome), file=out, end="")
    return outcome


def _print_diagnostics(preview: Recording, diagnostics: str, out: TextIO) -> None:
    """What the program printed or logged, under the stack, as the CLI's Diagnostics section shows it."""
    if not diagnostics.strip():
        return
    print("Diagnostics:", file=out)
    print(f"  pulumi:pulumi:Stack ({preview.stack_urn.rsplit('::', 1)[-1]}):", file=out)
    for line in diagnostics.strip().splitlines():
        print(f"    {line}", file=out)
    print(file=out)


def _record(project_dir: Path, stack: str, *, preview: bool, overrides: dict[str, str]) -> tuple[Recording, str]:
    """Runs the program; its own prints and log lines are kept apart so an error message comes first."""
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            recording = run_program(project_dir, stack, preview=preview, config_overrides=overrides)
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


def render_findings(outcome: Outcome) -> str:
    """Violations grouped by policy (mandatory first), then exemptions, then undecided policies, then a summary."""
    lines: list[str] = []
    order = {r.urn: i for i, r in enumerate(sorted(outcome.apply.resources, key=source_order))}
    descriptions = {p.name: p.description for p in outcome.policies}
    violations = sorted(outcome.violations, key=lambda f: (f.enforcement_level != "mandatory", f.policy,
                                                          order.get(f.urn, -1)))  # fmt: skip
    if violations:
        lines.append("Policy Violations:")
        for (level, policy), group in _grouped(violations):
            severity = f", {group[0].severity}" if group[0].severity else ""
            lines.append(f"    [{level}]  {policy}  ({outcome.pack_name} v{outcome.pack_version}{severity})")
            lines.append(f"    {group[0].description or descriptions.get(policy, '')}")
            for finding in group:
                lines.append(f"      - {_where(outcome, finding.urn)}")
                for message_line in (finding.message or "").splitlines():
                    lines.append(f"          {message_line}")
        lines.append("")
    if outcome.remediations:
        lines.append("Policy Remediations:")
        for finding in outcome.remediations:
            lines.append(f"    [remediate]  {finding.policy}  {_where(outcome, finding.urn)}")
            lines.append(f"          {finding.description}")
        lines.append("")
    if outcome.exemptions:
        lines.append("Exemptions:")
        for finding in outcome.exemptions:
            lines.append(f"    {finding.policy}  {_where(outcome, finding.urn)}")
            lines.append(f"          {finding.exemption_reason or '(no reason given)'}")
        lines.append("")
    if outcome.undecided:
        lines.append("Policies that could not decide:")
        for finding in outcome.undecided:
            reason = finding.message.split(" during preview: ", 1)[-1]
            lines.append(f"    {finding.policy}  {_where(outcome, finding.urn)}")
            lines.append(f"          {reason}")
        lines.append("")
    mandatory, advisory = len(outcome.mandatory), len(outcome.violations) - len(outcome.mandatory)
    lines.append(
        f"Policy packs run: {outcome.pack_name} v{outcome.pack_version} ({len(outcome.policies)} policies), "
        "on the preview and on an apply-mode run"
    )
    lines.append(
        f"    {_count(mandatory, 'mandatory violation')}, {_count(advisory, 'advisory violation')}, "
        f"{_count(len(outcome.exemptions), 'exemption')}, {_count(len(outcome.undecided), 'undecided policy')}"
    )
    return "\n".join(lines) + "\n"


def _grouped(findings: list[Finding]) -> list[tuple[tuple[str, str], list[Finding]]]:
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.enforcement_level, finding.policy), []).append(finding)
    return list(groups.items())


def _count(n: int, noun: str) -> str:
    if n == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {plural}"


def _where(outcome: Outcome, urn: str) -> str:
    """`type name (file:line)` for a resource; the stack for a finding that names none."""
    if not urn:
        return f"{outcome.stack} stack"
    resource = outcome.resource(urn)
    qualified_type = urn.split("::")[2] if urn.count("::") >= 3 else urn
    name = urn.rsplit("::", 1)[-1]
    text = f"{display_type(qualified_type.rsplit('$', 1)[-1])} {name}"
    if resource is not None and resource.source_position is not None:
        text += f"  ({source_location(outcome.project_dir, resource.source_position.uri)}:"
        text += f"{resource.source_position.line})"
    return text


def source_location(project_dir: Path, uri: str) -> str:
    """A source position's file, relative to the project when it is inside it."""
    path = Path(unquote(urlparse(uri).path)) if uri.startswith("file:") else Path(uri)
    try:
        return str(path.relative_to(project_dir))
    except ValueError:
        return str(path)


def _write_reports(outcome: Outcome, options: argparse.Namespace, out: TextIO) -> None:
    requested = {kind: getattr(options, kind) for kind in REPORT_KINDS if getattr(options, kind) is not None}
    if not requested:
        return
    reports = importlib.import_module("preflight.reports")  # only when asked for: graphviz lookups and all
    for path in reports.write_reports(outcome, requested) or []:
        print(f"Wrote {path}", file=out)
