"""Resource transforms under the offline runner: run as the engine runs them, so the pack judges what would deploy.

The fixture program (tests/fixtures/programs/transforms) declares only secure resources; config `weaken` adds a
transform that opens SSH to the world and switches a bucket to SSE-S3, at one of the levels the engine collects
transforms from. Each test goes through the runner's own pieces: `run_program` under the mock engine and the real
policy pack over the Analyzer interface, in both modes (a first preview and an apply-mode run).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from preflight.analyze import Finding, PolicyPack
from preflight.record import ProgramError, Recording, run_program

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tests" / "fixtures" / "programs" / "transforms"
FIXTURE_PACK = ROOT / "tests" / "fixtures" / "packs" / "minimal"
PACK_PYTHON = ROOT / "policy" / ".venv" / "bin" / "python"
MODES = ["preview", "apply"]
WEAKENED = {
    ("security-group-admin-ports-restricted", "app-sg"),
    ("security-group-world-ingress-restricted", "app-sg"),
    ("s3-bucket-encrypted-with-cmk", "app-bucket"),
}
_runs: dict[tuple[str, str, str], Recording] = {}


def run(mode: str, weaken: str = "none", options: str = "") -> Recording:
    """The fixture program, recorded once per (mode, config) for this module."""
    key = (mode, weaken, options)
    if key not in _runs:
        _runs[key] = run_program(
            PROGRAM, "test", preview=mode == "preview", config_overrides={"weaken": weaken, "options": options}
        )
    return _runs[key]


def weakening_findings(findings: list[Finding]) -> set[tuple[str, str]]:
    """The (policy, resource name) pairs the weakening transform is expected to trigger, as far as they were."""
    return {
        (f.policy, f.urn.rsplit("::", 1)[-1])
        for f in findings
        if not f.undecided and not f.exempted and (f.policy, f.urn.rsplit("::", 1)[-1]) in WEAKENED
    }


# The pack sees what the transforms made ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_the_program_as_written_passes_the_weakened_policies(policy_pack: PolicyPack, mode: str) -> None:
    assert weakening_findings(policy_pack.analyze(run(mode))) == set()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "weaken",
    ["own", "tier", "platform", "stack"],
    ids=["resource-transforms", "parent-transforms", "grandparent-transforms", "stack-transform"],
)
def test_a_weakening_transform_is_caught_by_the_pack(policy_pack: PolicyPack, mode: str, weaken: str) -> None:
    assert weakening_findings(policy_pack.analyze(run(mode, weaken))) == WEAKENED


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("weaken", ["legacy", "legacy-stack"])
def test_legacy_transformations_still_apply(policy_pack: PolicyPack, mode: str, weaken: str) -> None:
    recording = run(mode, weaken)
    assert [rule["fromPort"] for rule in recording.named("app-sg").inputs["ingress"]] == [443, 22]
    assert weakening_findings(policy_pack.analyze(recording)) == WEAKENED


@pytest.mark.parametrize("mode", MODES)
def test_an_invoke_transform_that_widens_a_policy_document_is_caught_by_the_pack(
    policy_pack: PolicyPack, mode: str
) -> None:
    def admin_wildcards(recording: Recording) -> list[str]:
        findings = policy_pack.analyze(recording)
        return [f.urn.rsplit("::", 1)[-1] for f in findings if f.policy == "iam-no-admin-wildcard" and not f.undecided]

    assert admin_wildcards(run(mode)) == []
    assert admin_wildcards(run(mode, "invoke")) == ["app-role-policy"]


# The engine's order, inheritance and options -------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_transforms_run_own_then_each_ancestors_then_the_stacks(mode: str) -> None:
    # Each level's marking transform appends its name to the tag: the order they ran in, each seeing the last.
    assert run(mode).named("app-sg").inputs["tags"]["Chain"] == "own,tier,platform,stack"


@pytest.mark.parametrize("mode", MODES)
def test_a_transformed_resource_keeps_its_dependencies(mode: str) -> None:
    encryption = run(mode, "own").named("app-encryption")
    bucket, key = run(mode, "own").named("app-bucket").urn, run(mode, "own").named("platform-key").urn
    assert encryption.property_dependencies["bucket"] == [bucket]
    assert set(encryption.dependencies) == {bucket, key}


@pytest.fixture(scope="module")
def probe_pack() -> Iterator[PolicyPack]:
    """The fixture pack, whose `resource-probe` reports the options Analyze received for each resource."""
    with PolicyPack(FIXTURE_PACK, python=PACK_PYTHON) as running:
        yield running


def probed_protect(pack: PolicyPack, recording: Recording) -> dict[str, bool]:
    findings = pack.analyze(recording, {"resource-probe": "advisory"})
    reports = [json.loads(f.message) for f in findings if f.policy == "resource-probe"]
    return {report["name"]: report["protect"] for report in reports}


@pytest.mark.parametrize("mode", MODES)
def test_a_transform_that_changes_an_option_is_what_the_pack_sees(probe_pack: PolicyPack, mode: str) -> None:
    assert probed_protect(probe_pack, run(mode))["platform-key"] is True
    assert probed_protect(probe_pack, run(mode, options="unprotect"))["platform-key"] is False


@pytest.mark.parametrize("mode", MODES)
def test_children_inherit_an_option_a_transform_set_on_their_component(probe_pack: PolicyPack, mode: str) -> None:
    # The transform protects only the component; the engine gives its children the component's `protect`.
    protect = probed_protect(probe_pack, run(mode, options="protect-tier"))
    assert (protect["app"], protect["app-sg"], protect["app-bucket"]) == (True, True, True)
    assert probed_protect(probe_pack, run(mode))["app-sg"] is False


def test_a_failing_transform_is_reported_with_the_resource_and_the_transforms_line() -> None:
    with pytest.raises(ProgramError) as failure:
        run_program(PROGRAM, "test", preview=True, config_overrides={"weaken": "broken"})
    message = str(failure.value)
    assert "a resource transform failed on" in message
    assert "cannot transform app-" in message
    assert 'programs/transforms/__main__.py", line' in message


# Through the command a user runs ------------------------------------------------------------------------------


def preflight(tmp_path: Path, weaken: str) -> subprocess.CompletedProcess[str]:
    # Only the policies the transform breaks, so the exit status says whether the transform was seen.
    config = tmp_path / "pack-config.json"
    config.write_text(json.dumps({"all": "disabled", **{policy: "mandatory" for policy, _ in WEAKENED}}))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "preflight",
            "--cwd",
            str(PROGRAM),
            "--stack",
            "test",
            "--policy-pack-config",
            str(config),
            "--config",
            f"weaken={weaken}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_preview_fails_on_a_stack_transform_that_weakens_the_program(tmp_path: Path) -> None:
    passing, weakened = preflight(tmp_path, "none"), preflight(tmp_path, "stack")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert weakened.returncode == 1, weakened.stdout + weakened.stderr
    assert "app-sg: ingress[1] (tcp 22) lets 0.0.0.0/0 reach port(s) 22" in weakened.stdout
