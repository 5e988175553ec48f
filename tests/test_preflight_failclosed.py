"""Preflight fails closed (issue 15 item 2) and says what it ran (item 6).

Bad project files, a pack config the pack cannot take, and report paths that cannot be written stop the run
with exit status 2 before anything is printed as if it passed; reports are written whole or not at all; the
output names the pack config that ran, the policies it disabled and the exemptions that excused nothing; a
project elsewhere (`--cwd`) never gets this project's exemptions.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from preflight.analyze import Finding, PolicyPack
from preflight.cli import build_parser, main, run
from preflight.outcome import Outcome
from preflight.record import Recording, run_program
from preflight.reports import terminal
from tests.conftest import PROJECT_DIR

FIXTURE_PACK = PROJECT_DIR / "tests" / "fixtures" / "packs" / "minimal"
FIXTURE_PROGRAM = PROJECT_DIR / "tests" / "fixtures" / "programs" / "minimal"
BASE = ["--cwd", str(FIXTURE_PROGRAM), "--stack", "test", "--policy-pack", str(FIXTURE_PACK)]
LOOSE_URN = "urn:pulumi:test::fixture-minimal::pulumi:pulumi:Stack$aws:s3/bucket:Bucket::loose"


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPack]:
    with PolicyPack(FIXTURE_PACK) as running:
        yield running


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the fixture program to break."""
    copy = tmp_path / "project"
    shutil.copytree(FIXTURE_PROGRAM, copy)
    (copy / "Pulumi.yaml").write_text((copy / "Pulumi.yaml").read_text().replace("../../../../.venv", "venv"))
    return copy


def preflight(pack: PolicyPack, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*BASE, *args], pack=pack)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# Project and stack files ---------------------------------------------------------------------------------------


def test_a_malformed_stack_file_exits_2_naming_the_file_and_line(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    (project / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n  bad: [unclosed\n")
    code, out, err = preflight(pack, capsys, "--cwd", str(project))
    assert code == 2
    assert err.startswith(f"error: {project / 'Pulumi.test.yaml'}:")
    assert "not valid YAML" in err.splitlines()[0]
    assert "Traceback" not in err
    assert out == ""


def test_a_malformed_project_file_exits_2_naming_the_file_and_line(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    (project / "Pulumi.yaml").write_text("name: fixture-minimal\nruntime: python\n\tmain: x\n")
    code, _, err = preflight(pack, capsys, "--cwd", str(project))
    assert code == 2
    assert err.startswith(f"error: {project / 'Pulumi.yaml'}:3: not valid YAML")


def test_a_project_file_without_a_name_exits_2_saying_so(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    (project / "Pulumi.yaml").write_text("- just\n- a list\n")
    code, _, err = preflight(pack, capsys, "--cwd", str(project))
    assert code == 2
    assert err.startswith(f"error: {project / 'Pulumi.yaml'}:1: expected a mapping")


# The pack config -----------------------------------------------------------------------------------------------


def test_a_pack_config_the_pack_cannot_take_fails_before_the_plan_naming_the_file(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text('{"kms-key-rotation": {"minDeletionWindowDays": "a week"}}')
    code, out, err = preflight(pack, capsys, "--policy-pack-config", str(config))
    assert code == 2
    assert "Previewing update" not in out
    assert err.startswith(f"error: the policy pack config {config} does not fit the pack fixture-minimal")
    assert "kms-key-rotation: minDeletionWindowDays: 'a week' is not of type 'integer'" in err


def test_the_output_names_the_pack_config_that_ran(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text('{"bucket-encrypted": "advisory"}')
    code, out, _ = preflight(pack, capsys, "--policy-pack-config", str(config), "--json", str(tmp_path / "r.json"))
    assert code == 0
    assert f"policy pack config: {config}" in out
    assert json.loads((tmp_path / "r.json").read_text())["policyPack"]["config"] == str(config)


def test_a_disabled_policy_is_reported_as_never_run(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text('{"bucket-encrypted": "disabled"}')
    code, out, _ = preflight(pack, capsys, "--policy-pack-config", str(config), "--json", str(tmp_path / "r.json"))
    assert code == 0
    assert "disabled, never ran: " in out
    disabled = out.split("disabled, never ran: ", 1)[1].splitlines()[0].split(", ")
    assert "bucket-encrypted" in disabled
    assert "bucket-encrypted" in json.loads((tmp_path / "r.json").read_text())["policyPack"]["disabledPolicies"]


def test_an_exemption_that_matches_nothing_is_reported() -> None:
    recording = run_program(FIXTURE_PROGRAM, "test", preview=True)
    used = Finding(
        policy="bucket-encrypted",
        pack="fixture-minimal",
        enforcement_level="mandatory",
        severity="",
        urn=LOOSE_URN,
        message="no encryption",
        description="",
        exempted=True,
        exemption_reason="public data",
    )
    config = {
        "bucket-encrypted": {
            "exemptions": [{"name": "loose", "reason": "public data"}, {"name": "lose", "reason": "a typo"}]
        }
    }
    outcome = outcome_of(recording, [used], config)
    assert outcome.unmatched_exemptions == [("bucket-encrypted", "lose")]
    assert "warning: the exemption of lose from bucket-encrypted matched no resource" in terminal.render(outcome)


def outcome_of(recording: Recording, findings: list[Finding], config: dict[str, object]) -> Outcome:
    return Outcome(
        project_dir=FIXTURE_PROGRAM,
        stack="test",
        preview=recording,
        apply=recording,
        findings=findings,
        pack_dir=FIXTURE_PACK,
        pack_name="fixture-minimal",
        pack_version="0.1.0",
        policy_config=dict(config),
    )


def test_another_project_never_gets_this_projects_pack_config(policy_pack: PolicyPack) -> None:
    """`--cwd` elsewhere with the default pack: policy/config.json's exemptions name this project's resources."""
    out = io.StringIO()
    options = build_parser().parse_args(["--cwd", str(FIXTURE_PROGRAM), "--stack", "test"])
    outcome = run(options, out=out, err=io.StringIO(), pack=policy_pack)
    assert outcome.pack_config is None
    assert outcome.policy_config == {}
    assert "policy pack config: none" in out.getvalue()


def test_this_project_runs_with_its_pack_config(policy_pack: PolicyPack) -> None:
    out = io.StringIO()
    outcome = run(build_parser().parse_args(["--cwd", str(PROJECT_DIR)]), out=out, err=io.StringIO(), pack=policy_pack)
    assert outcome.pack_config == PROJECT_DIR / "policy" / "config.json"
    assert outcome.unmatched_exemptions == []


# Reports -------------------------------------------------------------------------------------------------------


def test_a_report_path_that_cannot_be_written_fails_before_the_run(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("")
    code, out, err = preflight(pack, capsys, "--json", str(tmp_path / "a-file" / "r.json"))
    assert code == 2
    assert out == ""  # nothing ran
    assert err.startswith(f"error: --json {tmp_path / 'a-file' / 'r.json'}: {tmp_path / 'a-file'} is not a directory")


def test_a_report_path_that_is_a_directory_fails_before_the_run(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = preflight(pack, capsys, "--sarif", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: --sarif {tmp_path}: is a directory")


def test_a_report_is_never_left_half_written(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "r.json"
    report.write_text("the last run's report\n")
    real_write_text = Path.write_text

    def disk_full(self: Path, text: str, *args: object, **kwargs: object) -> int:
        real_write_text(self, text[:10])
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", disk_full)
    code, _, err = preflight(pack, capsys, "--json", str(report))
    monkeypatch.undo()
    assert code == 2
    assert "No space left on device" in err
    assert report.read_text() == "the last run's report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


# Output --------------------------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_is_cleared_before_the_plan(pack: PolicyPack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()  # stdout and stderr on one terminal, as a user sees them
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(sys, "stdout", screen)
    assert main([*BASE, "--config", "loose=false"], pack=pack) == 0
    before_plan = screen.getvalue().split("Previewing update", 1)[0]
    assert "Running the program" in before_plan
    assert before_plan.endswith("\r\x1b[K")
