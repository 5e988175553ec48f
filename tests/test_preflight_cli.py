"""`python -m preflight`: the offline `pulumi preview --policy-pack`, on the fixture program and fixture pack.

Most tests call `main(argv, pack=...)` in-process with one running fixture pack; a few run the real command in
a subprocess to check what a user or CI sees (exit status, stderr without a traceback).
"""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from preflight.analyze import PolicyPack
from preflight.cli import build_parser, main, run
from preflight.outcome import Outcome
from preflight.plan import display_type, plan_rows, render_plan
from preflight.record import Recording, run_program

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PACK = ROOT / "tests" / "fixtures" / "packs" / "minimal"
FIXTURE_PROGRAM = ROOT / "tests" / "fixtures" / "programs" / "minimal"
BASE = ["--cwd", str(FIXTURE_PROGRAM), "--stack", "test", "--policy-pack", str(FIXTURE_PACK)]


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPack]:
    with PolicyPack(FIXTURE_PACK) as running:
        yield running


def preflight(pack: PolicyPack, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*BASE, *args], pack=pack)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def line_of(text: str) -> int:
    source = (FIXTURE_PROGRAM / "__main__.py").read_text().splitlines()
    return next(number for number, line in enumerate(source, start=1) if text in line)


def command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "preflight", *BASE, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


# Exit status ---------------------------------------------------------------------------------------------------


def test_a_compliant_program_exits_0(pack: PolicyPack, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = preflight(pack, capsys, "--config", "loose=false")
    assert code == 0
    assert "Policy Violations" not in out
    assert "0 mandatory violations" in out


def test_a_mandatory_violation_exits_1_naming_policy_resource_and_source_line(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = preflight(pack, capsys)
    assert code == 1
    violations = out[out.index("Policy Violations:") :]
    assert "[mandatory]  bucket-encrypted  (fixture-minimal v0.1.0, critical)" in violations
    loose_line = line_of('aws.s3.Bucket("loose"')
    assert f"aws:s3:Bucket loose  (__main__.py:{loose_line})" in violations
    assert "bucket has no server-side encryption configuration" in violations


def test_a_config_override_that_breaks_a_policy_exits_1(pack: PolicyPack, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = preflight(pack, capsys, "--config", "loose=false", "--config", "keyRotation=false")
    assert code == 1
    assert "[mandatory]  kms-key-rotation" in out
    assert f"aws:kms:Key store-key  (__main__.py:{line_of('aws.kms.Key(')})" in out


def test_an_advisory_violation_is_shown_but_exits_0(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "advisory.json"
    config.write_text('{"bucket-encrypted": {"enforcementLevel": "advisory"}}')
    code, out, _ = preflight(pack, capsys, "--policy-pack-config", str(config))
    assert code == 0
    assert "[advisory]  bucket-encrypted" in out
    assert "1 advisory violation" in out


def test_a_remediation_is_listed_and_blocks_nothing(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "remediate.json"
    config.write_text('{"tag-remediation": "remediate"}')
    code, out, _ = preflight(pack, capsys, "--policy-pack-config", str(config), "--config", "loose=false")
    assert code == 0
    remediations = out[out.index("Policy Remediations:") :]
    assert "[remediate]  tag-remediation  aws:s3:Bucket store-bucket-0" in remediations


def test_a_bad_config_value_exits_2_with_the_programs_message_first_and_no_traceback() -> None:
    result = command("--config", "bucketCount=many")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "error: bucketCount must be a whole number such as 1, got 'many'"
    assert "Traceback" not in result.stderr


def test_a_stack_without_a_config_file_exits_2(pack: PolicyPack, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = preflight(pack, capsys, "--stack", "staging")
    assert code == 2
    assert err.startswith("error: stack 'staging' has no config file")
    assert err.splitlines()[0].endswith("(stacks here: test; pick one with --stack)")


def test_a_directory_without_a_pulumi_project_exits_2(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = preflight(pack, capsys, "--cwd", str(tmp_path))
    assert code == 2
    assert "has no Pulumi.yaml" in err.splitlines()[0]


def test_an_invalid_policy_pack_config_exits_2_naming_the_policy(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text('{"kms-key-rotation": {"minDeletionWindowDays": "a week"}}')
    code, _, err = preflight(pack, capsys, "--policy-pack-config", str(config))
    assert code == 2
    assert "kms-key-rotation: minDeletionWindowDays: 'a week' is not of type 'integer'" in err


def test_a_policy_pack_without_its_virtualenv_exits_2_saying_make_venv(tmp_path: Path) -> None:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime:\n  name: python\n  options:\n    virtualenv: venv\n")
    result = command("--policy-pack", str(tmp_path))
    assert result.returncode == 2
    assert "make venv" in result.stderr.splitlines()[0]


# The plan ------------------------------------------------------------------------------------------------------


def test_the_plan_is_a_tree_of_creates_nested_under_components(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = preflight(pack, capsys)
    rows = [line for line in out.splitlines() if line.startswith(" +   ")]
    assert rows[0].split() == ["+", "pulumi:pulumi:Stack", "fixture-minimal-test", "create"]
    store = next(i for i, row in enumerate(rows) if row.split()[-2] == "store")
    assert rows[store].split()[-3:] == ["fixture:index:Store", "store", "create"]
    depth = type_column(rows[store])
    children = {row.split()[-2]: row for row in rows[store + 1 :] if type_column(row) > depth}
    assert set(children) == {"store-key", "store-bucket-0", "store-bucket-0-sse"}
    assert {type_column(row) for row in children.values()} == {depth + 3}  # one level deeper than the component
    assert rows[-1].split()[-3:] == ["aws:s3:Bucket", "loose", "create"]  # back at the stack's level
    assert type_column(rows[-1]) == depth


def type_column(row: str) -> int:
    """Where a plan row's type starts: its depth in the tree."""
    return row.index(row.split()[-3])


def test_the_plan_ends_with_the_count_to_create(pack: PolicyPack, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = preflight(pack, capsys)
    # The stack, the explicit provider, the component, its key, bucket and SSE configuration, the loose bucket.
    assert "Resources:\n    + 7 to create\n" in out


def test_the_plan_hides_the_engines_default_provider() -> None:
    rows = plan_rows(run_program(FIXTURE_PROGRAM, "test", preview=True))
    assert [row.name for row in rows if row.type == "pulumi:providers:aws"] == ["fixture-aws"]


def test_the_plan_is_the_same_on_every_run_in_declaration_order(prod_preview: Recording) -> None:
    again = run_program(ROOT, "prod", preview=True)
    assert render_plan(again) == render_plan(prod_preview)  # the SDK's registration order varies from run to run
    names = [row.name for row in plan_rows(prod_preview)]
    assert names.index("encryption") < names.index("network") < names.index("storage")  # as __main__.py goes


def test_types_are_shown_simplified_like_the_cli() -> None:
    assert display_type("aws:ec2/vpc:Vpc") == "aws:ec2:Vpc"
    assert display_type("aws:s3/bucketPolicy:BucketPolicy") == "aws:s3:BucketPolicy"
    assert display_type("aws:ec2/vpc:VpcEndpoint") == "aws:ec2/vpc:VpcEndpoint"
    assert display_type("secure-aws:network:Network") == "secure-aws:network:Network"


# Preview and apply ---------------------------------------------------------------------------------------------


def test_a_policy_undecided_at_preview_is_decided_by_the_apply_run(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, out, _ = preflight(pack, capsys)
    assert "could not decide" not in out  # sse-key-region could not read the key ARN at preview only
    config = tmp_path / "config.json"
    config.write_text('{"sse-key-region": {"region": "eu-west-1"}}')
    code, out, _ = preflight(pack, capsys, "--policy-pack-config", str(config), "--config", "loose=false")
    assert code == 1
    assert "[mandatory]  sse-key-region" in out
    assert "key arn:aws:kms:us-east-1:123456789012:key/" in out


def test_progress_stays_quiet_when_not_on_a_terminal(pack: PolicyPack, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = preflight(pack, capsys, "--config", "loose=false")
    assert err == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal(pack: PolicyPack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main([*BASE, "--config", "loose=false"], pack=pack) == 0
    assert "Running the program for stack test (preview)..." in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")  # the progress line is cleared before the results


def test_progress_stays_quiet_in_ci_even_on_a_terminal(pack: PolicyPack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert main([*BASE, "--config", "loose=false"], pack=pack) == 0
    assert terminal.getvalue() == ""


# Options and the reports seam ----------------------------------------------------------------------------------


def test_help_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    options = [
        "--cwd DIR",
        "--stack NAME",
        "--policy-pack DIR",
        "--policy-pack-config FILE",
        "--config KEY=VALUE",
        "--json FILE",
        "--sarif FILE",
        "--markdown FILE",
        "--diagram FILE",
    ]
    for option in options:
        assert option in out
    assert "Exit status: 0" in out


def test_a_config_option_without_a_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*BASE, "--config", "loose"])
    assert exited.value.code == 2
    assert "expected KEY=VALUE" in capsys.readouterr().err


def test_reports_are_handed_the_outcome_and_the_requested_paths(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[Outcome, dict[str, Path]]] = []

    def write_reports(outcome: Outcome, requested: dict[str, Path]) -> list[Path]:
        calls.append((outcome, requested))
        return [requested["json"]]

    monkeypatch.setattr("preflight.cli.write_reports", write_reports)
    code, out, _ = preflight(pack, capsys, "--json", str(tmp_path / "r.json"), "--sarif", str(tmp_path / "r.sarif"))
    [(outcome, requested)] = calls
    assert requested == {"json": tmp_path / "r.json", "sarif": tmp_path / "r.sarif"}
    assert code == outcome.exit_code == 1
    assert [f.policy for f in outcome.blocking] == ["bucket-encrypted"]
    assert f"Wrote {tmp_path / 'r.json'}" in out


def test_a_report_that_cannot_be_written_exits_2(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def write_reports(outcome: Outcome, requested: dict[str, Path]) -> list[Path]:
        return [Path(requested["json"]).write_text("{}") and requested["json"]]

    monkeypatch.setattr("preflight.cli.write_reports", write_reports)
    code, _, err = preflight(pack, capsys, "--config", "loose=false", "--json", str(tmp_path / "missing" / "r.json"))
    assert code == 2
    assert err.startswith(f"error: cannot write a report to {tmp_path / 'missing' / 'r.json'}")


# This project ----------------------------------------------------------------------------------------------------


def test_the_prod_stack_exits_0_but_for_the_findings_its_tiers_are_fixing(policy_pack: PolicyPack) -> None:
    """Issue 7: `make preview` of the prod stack exits 0. The policy tests keep the list of known findings."""
    from tests.policy.test_pack_prod import KNOWN_FINDINGS

    out = io.StringIO()
    outcome = run(build_parser().parse_args(["--cwd", str(ROOT)]), out=out, err=io.StringIO(), pack=policy_pack)
    blocking = {(f.policy, f.urn.rsplit("::", 1)[-1]) for f in outcome.blocking}
    assert blocking <= KNOWN_FINDINGS, out.getvalue()
    assert outcome.exit_code == (1 if blocking else 0)
    assert f"+ {len(outcome.preview.resources) + 1} to create" in out.getvalue()


def test_a_bad_prod_config_value_exits_2_naming_the_key(pack: PolicyPack, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--cwd", str(ROOT), "--config", "azCount=9"], pack=pack)
    first_line = capsys.readouterr().err.splitlines()[0]
    assert code == 2
    assert first_line.startswith("error: ")
    assert "azCount" in first_line


# Failures a user meets first: exit 2, the program's own message first, no traceback ------------------------------


def project(directory: Path, program: str, pulumi_yaml: str = "name: scratch\nruntime: python\n") -> Path:
    """A one-file Pulumi project with a `test` stack."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(pulumi_yaml)
    (directory / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    if program:
        (directory / "__main__.py").write_text(program)
    return directory


def test_an_exception_in_the_program_exits_2_naming_its_type_and_line(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    program = 'import pulumi\nsettings = {}\nregion = settings["region"]\n'
    code, out, err = preflight(pack, capsys, "--cwd", str(project(tmp_path, program)))
    assert code == 2
    assert err.splitlines()[:2] == ["error: KeyError: 'region'", "  at __main__.py:3"]
    assert "Traceback" not in err + out


def test_a_program_calling_sys_exit_exits_2_with_its_message_not_its_status(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    program = 'import sys\nsys.exit("refusing to run without a VPC")\n'
    code, out, err = preflight(pack, capsys, "--cwd", str(project(tmp_path, program)))
    assert code == 2
    assert err.splitlines()[0] == "error: refusing to run without a VPC"
    assert "Traceback" not in err + out


def test_a_project_without_a_program_exits_2_saying_which_file_is_missing(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = preflight(pack, capsys, "--cwd", str(project(tmp_path, "")))
    assert code == 2
    assert err.splitlines()[0] == f"error: no Python program to run: {tmp_path / '__main__.py'} is missing"


def test_the_program_directory_named_by_main_in_pulumi_yaml_is_run(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project(tmp_path, "", "name: scratch\nruntime: python\nmain: src/\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "__main__.py").write_text('import pulumi_aws as aws\naws.kms.Key("key")\n')
    code, out, _ = preflight(pack, capsys, "--cwd", str(tmp_path))
    assert code == 1  # the fixture pack: this key does not rotate
    assert "aws:kms:Key key  (src/__main__.py:2)" in out  # source lines are relative to the project


def test_a_missing_policy_pack_fails_before_the_program_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["--cwd", str(FIXTURE_PROGRAM), "--stack", "test", "--policy-pack", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert err == f"error: {tmp_path} is not a policy pack: it has no PulumiPolicy.yaml\n"
    assert out == ""  # no plan was printed: the program never ran


# Interrupts: nothing left running -------------------------------------------------------------------------------


def children(pid: int) -> set[int]:
    """Live child processes of `pid` (a zombie has exited: it is only waiting to be reaped)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_a_cancelled_ci_job_stops_every_pack_process(signum: int) -> None:
    command = [sys.executable, "-m", "preflight", *BASE]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as run:
        deadline = time.monotonic() + 60
        while not (packs := children(run.pid)) and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.05)
        assert packs, "the pack never started"
        run.send_signal(signum)
        _, err = run.communicate(timeout=30)
    assert run.returncode == 128 + signum
    assert err.strip().endswith(f"interrupted ({signal.Signals(signum).name})")
    assert "Traceback" not in err
    deadline = time.monotonic() + 5
    while any(alive(p) for p in packs) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in packs)


def test_make_preview_passes_its_args_to_the_command() -> None:
    """A pull-request job writes its reports through the README's first command: `make preview ARGS=...`."""
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "preview", "ARGS=--sarif out.sarif -c azCount=3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = [line for line in dry_run.stdout.splitlines() if "-m preflight" in line]  # under `make test` too
    assert commands == [".venv/bin/python -m preflight --sarif out.sarif -c azCount=3"]


def test_what_the_program_logs_shows_under_diagnostics_with_its_severity(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    program = (
        'import pulumi\npulumi.log.info("using 2 AZs")\npulumi.log.warn("no certificate")\npulumi.log.error("x")\n'
    )
    code, out, _ = preflight(pack, capsys, "--cwd", str(project(tmp_path, program)))
    assert code == 0  # as with the CLI, a logged error fails nothing (pulumi/pulumi#5085)
    diagnostics = out[out.index("Diagnostics:") :].splitlines()
    assert diagnostics[2:5] == ["    using 2 AZs", "    warning: no certificate", "    error: x"]


def test_an_unknown_diagram_format_is_a_usage_error_before_anything_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*BASE, "--diagram", "architecture.jpeg"])
    captured = capsys.readouterr()
    assert exited.value.code == 2
    assert "--diagram architecture.jpeg: unknown format; name the file .svg" in captured.err
    assert captured.out == ""
