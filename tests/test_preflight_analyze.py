"""The analyzer half of the offline runner: a real policy pack process driven over the Analyzer gRPC interface.

The fixture pack (tests/fixtures/packs/minimal) has two resource policies, a stack policy and two probes that,
when configured on, report as JSON exactly what Analyze / AnalyzeStack received. The fixture program
(tests/fixtures/programs/minimal) has a component with a protected key, a bucket and its SSE configuration
(explicit provider), and one loose unencrypted bucket on the default provider.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi.runtime import rpc

from preflight.analyze import (
    Finding,
    PolicyConfigError,
    PolicyPack,
    PolicyPackError,
    engine_view,
    load_policy_pack_config,
    merge_findings,
)
from preflight.record import Recording, run_program

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PACK = ROOT / "tests" / "fixtures" / "packs" / "minimal"
FIXTURE_PROGRAM = ROOT / "tests" / "fixtures" / "programs" / "minimal"
PACK_PYTHON = ROOT / "policy" / ".venv" / "bin" / "python"
PROBES_ON = {"resource-probe": "advisory", "graph-probe": "advisory"}


def fixture_run(preview: bool, **config: str) -> Recording:
    return run_program(FIXTURE_PROGRAM, "test", preview=preview, config_overrides=config)


def urn_of(recording: Recording, name: str) -> str:
    return recording.named(name).urn


def by_policy(findings: list[Finding], policy: str) -> list[Finding]:
    return [f for f in findings if f.policy == policy]


def probes(findings: list[Finding], policy: str) -> dict[str, dict]:
    """The probe's reports keyed by the name at the end of each URN."""
    return {f.urn.rsplit("::", 1)[-1]: json.loads(f.message) for f in by_policy(findings, policy)}


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPack]:
    with PolicyPack(FIXTURE_PACK, python=PACK_PYTHON) as running:
        yield running


@pytest.fixture(scope="module")
def preview_run() -> Recording:
    return fixture_run(preview=True)


@pytest.fixture(scope="module")
def apply_run() -> Recording:
    return fixture_run(preview=False)


# Starting and stopping -----------------------------------------------------------------------------------------


def test_the_pack_serves_on_the_port_it_printed_first(pack: PolicyPack) -> None:
    first = pack.processes[0]
    assert first.alive
    assert first.port == pack.port > 0
    assert first.channel is not None


def test_get_analyzer_info_lists_every_policy_with_its_default_level(pack: PolicyPack) -> None:
    levels = {p.name: p.enforcementLevel for p in pack.info.policies}
    assert pack.info.name == "fixture-minimal"
    assert levels == {
        "kms-key-rotation": 1,
        "sse-key-region": 1,
        "bucket-encrypted": 1,
        "resource-probe": 2,
        "tag-remediation": 2,
        "graph-probe": 2,
    }


def test_the_pack_version_comes_from_pulumipolicy_yaml(pack: PolicyPack) -> None:
    assert pack.version == "0.1.0"


def test_close_stops_every_pack_process_and_reaps_it(preview_run: Recording) -> None:
    running = PolicyPack(FIXTURE_PACK, python=PACK_PYTHON)
    running.analyze(preview_run)
    pids = [p.process.pid for p in running.processes]
    assert len(pids) == 2  # the info process and the preview's
    running.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):  # neither running nor a zombie
            os.kill(pid, 0)


def test_a_pack_nobody_closed_stops_when_the_interpreter_exits() -> None:
    script = (
        f"from preflight.analyze import PolicyPack; print(PolicyPack({str(FIXTURE_PACK)!r}).processes[0].process.pid)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    pid = int(result.stdout.strip())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_pack_python_is_the_virtualenv_pulumipolicy_yaml_names() -> None:
    with PolicyPack(FIXTURE_PACK) as running:  # virtualenv: ../../../../policy/.venv
        assert running.python == FIXTURE_PACK / "../../../../policy/.venv/bin/python"
        assert running.info.name == "fixture-minimal"


def test_a_missing_pack_virtualenv_says_to_run_make_venv(tmp_path: Path) -> None:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime:\n  name: python\n  options:\n    virtualenv: venv\n")
    with pytest.raises(PolicyPackError, match="make venv") as caught:
        PolicyPack(tmp_path)
    assert str(tmp_path / "venv") in str(caught.value)


def test_a_directory_without_pulumipolicy_yaml_is_not_a_pack(tmp_path: Path) -> None:
    with pytest.raises(PolicyPackError, match="no PulumiPolicy.yaml"):
        PolicyPack(tmp_path, python=PACK_PYTHON)


def test_a_pack_that_fails_to_start_reports_its_own_error(tmp_path: Path) -> None:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text("raise RuntimeError('policy pack is broken on purpose')\n")
    with pytest.raises(PolicyPackError, match="broken on purpose"):
        PolicyPack(tmp_path, python=PACK_PYTHON)


# Findings ------------------------------------------------------------------------------------------------------


def test_an_unencrypted_bucket_is_a_mandatory_finding_on_that_bucket(pack: PolicyPack, preview_run: Recording) -> None:
    [finding] = by_policy(pack.analyze(preview_run), "bucket-encrypted")
    assert finding == Finding(
        policy="bucket-encrypted",
        pack="fixture-minimal",
        enforcement_level="mandatory",
        severity="critical",
        urn=urn_of(preview_run, "loose"),
        message="bucket has no server-side encryption configuration",
        description="Every bucket has a server-side encryption configuration.",
    )


def test_a_resource_policy_finding_carries_the_analyzed_resources_urn(pack: PolicyPack) -> None:
    recording = fixture_run(preview=True, keyRotation="false")
    [finding] = by_policy(pack.analyze(recording), "kms-key-rotation")
    assert (finding.urn, finding.enforcement_level, finding.severity, finding.message) == (
        urn_of(recording, "store-key"),
        "mandatory",
        "high",
        "key rotation is off",
    )


def test_a_compliant_program_has_no_mandatory_finding(pack: PolicyPack) -> None:
    recording = fixture_run(preview=False)
    findings = pack.analyze(recording, {"bucket-encrypted": "disabled"})
    assert [f for f in findings if f.enforcement_level == "mandatory"] == []


# Policy pack config --------------------------------------------------------------------------------------------


def test_config_all_advisory_downgrades_every_policy(pack: PolicyPack, preview_run: Recording) -> None:
    [finding] = by_policy(pack.analyze(preview_run, {"all": "advisory"}), "bucket-encrypted")
    assert finding.enforcement_level == "advisory"


def test_config_disabled_turns_a_policy_off(pack: PolicyPack, preview_run: Recording) -> None:
    findings = pack.analyze(preview_run, {"bucket-encrypted": {"enforcementLevel": "disabled"}})
    assert by_policy(findings, "bucket-encrypted") == []


def test_config_turns_a_disabled_policy_on(pack: PolicyPack, preview_run: Recording) -> None:
    findings = pack.analyze(preview_run, {"graph-probe": "mandatory"})
    assert {f.enforcement_level for f in by_policy(findings, "graph-probe")} == {"mandatory"}


def test_config_is_not_sticky_between_runs(pack: PolicyPack, preview_run: Recording) -> None:
    pack.analyze(preview_run, {"all": "disabled"})
    assert by_policy(pack.analyze(preview_run), "bucket-encrypted") != []


def test_a_config_property_overrides_the_schema_default(pack: PolicyPack, preview_run: Recording) -> None:
    findings = pack.analyze(preview_run, {"kms-key-rotation": {"minDeletionWindowDays": 31}})
    assert [f.message for f in by_policy(findings, "kms-key-rotation")] == ["deletion window is below 31 days"]


def test_a_config_property_that_breaks_the_schema_is_rejected_naming_the_policy(
    pack: PolicyPack, preview_run: Recording
) -> None:
    with pytest.raises(PolicyConfigError, match="kms-key-rotation: minDeletionWindowDays: 'soon' is not of type"):
        pack.analyze(preview_run, {"kms-key-rotation": {"minDeletionWindowDays": "soon"}})


def test_an_unknown_enforcement_level_is_rejected(pack: PolicyPack, preview_run: Recording) -> None:
    with pytest.raises(PolicyConfigError, match="'strict' is not a valid enforcement level"):
        pack.analyze(preview_run, {"all": "strict"})


def test_a_policy_pack_config_file_is_read_and_checked(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text('{"all": "advisory"}')
    bad.write_text('{"all": 3}')
    assert load_policy_pack_config(good) == {"all": "advisory"}
    with pytest.raises(PolicyConfigError, match="must be a string or object"):
        load_policy_pack_config(bad)


# Unknowns: preview vs apply ------------------------------------------------------------------------------------


def test_a_policy_reading_an_unknown_is_undecided_at_preview(pack: PolicyPack, preview_run: Recording) -> None:
    [finding] = by_policy(pack.analyze(preview_run), "sse-key-region")
    assert finding.undecided
    assert finding.enforcement_level == "advisory"
    assert finding.urn == urn_of(preview_run, "store-bucket-0-sse")
    assert "kmsMasterKeyId can't be known during preview" in finding.message


def test_apply_mode_decides_what_preview_could_not(pack: PolicyPack, apply_run: Recording) -> None:
    assert by_policy(pack.analyze(apply_run), "sse-key-region") == []
    [finding] = by_policy(pack.analyze(apply_run, {"sse-key-region": {"region": "eu-west-1"}}), "sse-key-region")
    assert not finding.undecided
    assert finding.message.startswith("key arn:aws:kms:us-east-1:123456789012:key/")


def test_the_pack_runs_with_the_stacks_context_in_each_mode(
    pack: PolicyPack, preview_run: Recording, apply_run: Recording
) -> None:
    preview = probes(pack.analyze(preview_run, PROBES_ON), "resource-probe")
    apply = probes(pack.analyze(apply_run, PROBES_ON), "resource-probe")
    assert (preview["loose"]["stack"], preview["loose"]["dryRun"]) == ("test", True)
    assert (apply["loose"]["stack"], apply["loose"]["dryRun"]) == ("test", False)


# What the engine sends -----------------------------------------------------------------------------------------


def test_analyze_gets_every_registration_like_the_engine(pack: PolicyPack, preview_run: Recording) -> None:
    seen = probes(pack.analyze(preview_run, PROBES_ON), "resource-probe")
    assert {name: report["type"] for name, report in seen.items()} == {
        "fixture-minimal-test": "pulumi:pulumi:Stack",
        "fixture-aws": "pulumi:providers:aws",
        "default_7_51_1": "pulumi:providers:aws",
        "store": "fixture:index:Store",
        "store-key": "aws:kms/key:Key",
        "store-bucket-0": "aws:s3/bucket:Bucket",
        "store-bucket-0-sse": "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "loose": "aws:s3/bucket:Bucket",
    }


def test_analyze_gets_the_resources_options(pack: PolicyPack, preview_run: Recording) -> None:
    seen = probes(pack.analyze(preview_run, PROBES_ON), "resource-probe")
    assert seen["store-key"]["protect"] is True
    assert seen["store-bucket-0"]["protect"] is False
    assert seen["store-key"]["parent"] == urn_of(preview_run, "store")


def test_analyze_gets_the_explicit_provider_with_its_properties(pack: PolicyPack, preview_run: Recording) -> None:
    seen = probes(pack.analyze(preview_run, PROBES_ON), "resource-probe")
    assert seen["store-key"]["provider"] == {
        "type": "pulumi:providers:aws",
        "name": "fixture-aws",
        "urn": urn_of(preview_run, "fixture-aws"),
        "region": "us-east-1",
        "version": "7.51.1",  # the engine writes the SDK's plugin version into a provider's inputs
    }


def test_a_resource_without_a_provider_gets_the_engines_default_provider(
    pack: PolicyPack, preview_run: Recording
) -> None:
    seen = probes(pack.analyze(preview_run, PROBES_ON), "resource-probe")
    assert seen["loose"]["provider"] == {
        "type": "pulumi:providers:aws",
        "name": "default_7_51_1",
        "urn": "urn:pulumi:test::fixture-minimal::pulumi:providers:aws::default_7_51_1",
        "region": "us-east-1",  # from the stack's aws:region
        "version": "7.51.1",
    }


def test_the_default_provider_is_registered_before_its_first_user(preview_run: Recording) -> None:
    order = [r.name for r in engine_view(preview_run)]
    assert order[0] == "fixture-minimal-test"
    assert order.index("default_7_51_1") == order.index("loose") - 1


def test_analyze_stack_sees_parents(pack: PolicyPack, preview_run: Recording) -> None:
    graph = probes(pack.analyze(preview_run, PROBES_ON), "graph-probe")
    assert graph["store-bucket-0"]["parent"] == urn_of(preview_run, "store")
    assert graph["store"]["parent"] == preview_run.stack_urn
    assert graph["fixture-minimal-test"]["parent"] == ""


def test_analyze_stack_sees_dependencies_and_property_dependencies(pack: PolicyPack, preview_run: Recording) -> None:
    graph = probes(pack.analyze(preview_run, PROBES_ON), "graph-probe")
    sse = graph["store-bucket-0-sse"]
    bucket, key = urn_of(preview_run, "store-bucket-0"), urn_of(preview_run, "store-key")
    assert sorted(sse["dependencies"]) == sorted([bucket, key])
    assert sse["propertyDependencies"]["bucket"] == [bucket]
    assert sse["propertyDependencies"]["rules"] == [key]


def test_a_secret_reaches_the_pack_as_the_engine_sends_it(pack: PolicyPack, preview_run: Recording) -> None:
    owner = preview_run.named("loose").wire_inputs["tags"]["Owner"]
    assert owner["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270"  # rpc's secret signature
    seen = probes(pack.analyze(preview_run, PROBES_ON), "resource-probe")
    assert seen["loose"]["tags"] == {"Environment": "Production", "Owner": "secops"}


def test_an_unknown_stack_output_is_sent_as_the_unknown_sentinel(preview_run: Recording) -> None:
    [stack] = [r for r in engine_view(preview_run) if r.type == "pulumi:pulumi:Stack"]
    assert stack.outputs["keyArn"] == rpc.UNKNOWN


def test_a_policy_that_crashes_is_an_error_naming_the_resource(tmp_path: Path, preview_run: Recording) -> None:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text(
        "from pulumi_policy import PolicyPack, ResourceValidationPolicy\n"
        "def crash(args, report):\n"
        "    if args.name == 'store-key':\n"
        "        raise KeyError('no such property')\n"
        "PolicyPack('crashy', [ResourceValidationPolicy(name='crash', description='crashes', validate=crash)])\n"
    )
    with PolicyPack(tmp_path, python=PACK_PYTHON) as crashy, pytest.raises(PolicyPackError) as caught:
        crashy.analyze(preview_run)
    assert f"Analyze on {urn_of(preview_run, 'store-key')} failed" in str(caught.value)
    assert "no such property" in str(caught.value)


def test_a_pack_that_logs_still_analyzes(pack: PolicyPack, preview_run: Recording) -> None:
    findings = pack.analyze(preview_run, PROBES_ON)
    assert by_policy(findings, "resource-probe") != []
    assert "probing" in "".join(p.stderr for p in pack.processes) + str(pack.log)


def test_a_remediation_fixes_the_inputs_analyze_then_sees(pack: PolicyPack, preview_run: Recording) -> None:
    findings = pack.analyze(preview_run, {**PROBES_ON, "tag-remediation": "remediate"})
    seen = probes(findings, "resource-probe")
    assert seen["loose"]["tags"] == {"Environment": "Production", "Owner": "secops", "Remediated": "yes"}
    assert seen["store-key"]["tags"] is None
    remediated = {f.urn for f in by_policy(findings, "tag-remediation")}
    assert remediated == {urn_of(preview_run, "loose"), urn_of(preview_run, "store-bucket-0")}
    assert {f.enforcement_level for f in by_policy(findings, "tag-remediation")} == {"remediate"}


def test_no_remediation_runs_unless_a_policy_is_at_remediate(pack: PolicyPack, preview_run: Recording) -> None:
    seen = probes(pack.analyze(preview_run, PROBES_ON), "resource-probe")
    assert "Remediated" not in seen["loose"]["tags"]


# Merging preview and apply -------------------------------------------------------------------------------------


def _finding(policy: str, urn: str, message: str, undecided: bool = False) -> Finding:
    level = "advisory" if undecided else "mandatory"
    return Finding(policy, "pack", level, "", urn, message, "description", undecided=undecided)


def test_merging_drops_a_preview_note_that_apply_decided() -> None:
    note = _finding("p", "urn:a", "can't run policy 'p' ...", undecided=True)
    violation = _finding("p", "urn:a", "bad")
    assert merge_findings([note], [violation]) == [violation]
    assert merge_findings([note], []) == []


def test_merging_keeps_a_note_apply_could_not_decide_either_once() -> None:
    note = _finding("p", "urn:a", "can't run policy 'p' ...", undecided=True)
    assert merge_findings([note], [note]) == [note]


def test_merging_lists_the_same_violation_once() -> None:
    preview_only, both = _finding("p", "urn:a", "one"), _finding("p", "urn:b", "two")
    assert merge_findings([preview_only, both], [both]) == [preview_only, both]
