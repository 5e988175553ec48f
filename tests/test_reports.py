"""The reports of `python -m preflight`: JSON, SARIF 2.1.0 and Markdown.

The end-to-end tests run the command (`preflight.cli.main`) on the fixture program with the fixture pack and
`keyRotation=false`, so it violates two mandatory policies: `kms-key-rotation` on `store-key` (created inside
the `Store` component) and `bucket-encrypted` on `loose`. The SARIF report is validated against the official
SARIF 2.1.0 schema, vendored in tests/data (see tests/data/README.md; never fetched at test time).
Level, exemption and undecided handling are tested on hand-made findings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from preflight.analyze import Finding, PolicyPack
from preflight.cli import main
from preflight.diagram import architecture, mermaid
from preflight.outcome import Outcome
from preflight.plan import render_plan
from preflight.record import Recording, run_program
from preflight.reports import json_report, markdown, sarif, write_reports
from tests.conftest import PROJECT_DIR

FIXTURE_PROGRAM = PROJECT_DIR / "tests" / "fixtures" / "programs" / "minimal"
FIXTURE_PACK = PROJECT_DIR / "tests" / "fixtures" / "packs" / "minimal"
SARIF_SCHEMA = PROJECT_DIR / "tests" / "data" / "sarif-schema-2.1.0.json"
KEY_URN = "urn:pulumi:test::fixture-minimal::fixture:index:Store$aws:kms/key:Key::store-key"
# SARIF paths are relative to the git repository holding the project (a source tarball: the project).
IN_GIT = (PROJECT_DIR / ".git").exists()
FIXTURE_URI = "tests/fixtures/programs/minimal/__main__.py" if IN_GIT else "__main__.py"
ROOT_URI = (PROJECT_DIR if IN_GIT else FIXTURE_PROGRAM).resolve().as_uri() + "/"
LOOSE_URN = "urn:pulumi:test::fixture-minimal::pulumi:pulumi:Stack$aws:s3/bucket:Bucket::loose"


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first occurrence of `text` in a file."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {path}")


def validate_sarif(document: dict[str, Any]) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(document)


@pytest.fixture(scope="module")
def fixture_pack() -> Iterator[PolicyPack]:
    with PolicyPack(FIXTURE_PACK) as pack:
        yield pack


@pytest.fixture(scope="module")
def reports(fixture_pack: PolicyPack, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The three reports of `python -m preflight` on the violating fixture program, and its exit status."""
    out = tmp_path_factory.mktemp("reports")
    argv = [
        "--cwd",
        str(FIXTURE_PROGRAM),
        "--stack",
        "test",
        "--policy-pack",
        str(FIXTURE_PACK),
        "--config",
        "keyRotation=false",
        "--json",
        str(out / "report.json"),
        "--sarif",
        str(out / "report.sarif"),
        "--markdown",
        str(out / "report.md"),
    ]
    status = main(argv, pack=fixture_pack)
    return {
        "status": status,
        "json": json.loads((out / "report.json").read_text()),
        "sarif": json.loads((out / "report.sarif").read_text()),
        "markdown": (out / "report.md").read_text(),
    }


@pytest.fixture(scope="module")
def fixture_preview() -> Recording:
    return run_program(FIXTURE_PROGRAM, "test", preview=True)


def finding(policy: str, urn: str, level: str = "mandatory", **flags: Any) -> Finding:
    return Finding(
        policy=policy,
        pack="fixture-minimal",
        enforcement_level=level,
        severity="high",
        urn=urn,
        message=f"{policy} says no",
        description=f"{policy} description",
        **flags,
    )


def outcome_of(recording: Recording, findings: list[Finding], project_dir: Path = FIXTURE_PROGRAM) -> Outcome:
    return Outcome(
        project_dir=project_dir,
        stack=recording.stack,
        preview=recording,
        apply=recording,
        findings=findings,
        pack_dir=FIXTURE_PACK,
        pack_name="fixture-minimal",
        pack_version="0.1.0",
    )


def results_by_rule(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {result["ruleId"]: result for result in document["runs"][0]["results"]}


# --- JSON -------------------------------------------------------------------------------------------------------


def test_the_violating_fixture_exits_1_and_still_writes_every_report(reports: dict[str, Any]) -> None:
    assert reports["status"] == 1
    assert reports["json"]["summary"]["exitCode"] == 1


def test_json_lists_every_resource_the_preview_creates(reports: dict[str, Any], fixture_preview: Recording) -> None:
    listed = {r["urn"]: r for r in reports["json"]["resources"]}
    assert set(listed) == {fixture_preview.stack_urn} | {r.urn for r in fixture_preview.resources}
    assert reports["json"]["resources"][0]["type"] == "pulumi:pulumi:Stack"
    key = listed[KEY_URN]
    store_urn = "urn:pulumi:test::fixture-minimal::pulumi:pulumi:Stack$fixture:index:Store::store"
    assert (key["type"], key["name"], key["parent"]) == ("aws:kms/key:Key", "store-key", store_urn)


def test_json_gives_each_resource_its_source_line_in_the_project(reports: dict[str, Any]) -> None:
    loose = next(r for r in reports["json"]["resources"] if r["urn"] == LOOSE_URN)
    expected_line = line_of(FIXTURE_PROGRAM / "__main__.py", 'aws.s3.Bucket("loose"')
    assert (loose["source"]["path"], loose["source"]["line"]) == ("__main__.py", expected_line)


def test_json_lists_each_finding_with_its_flags(reports: dict[str, Any]) -> None:
    findings = {(f["policy"], f["urn"]): f for f in reports["json"]["findings"]}
    rotation = findings[("kms-key-rotation", KEY_URN)]
    assert rotation["enforcementLevel"] == "mandatory"
    assert rotation["message"] == "key rotation is off"
    assert (rotation["exempted"], rotation["undecided"], rotation["exemptionReason"]) == (False, False, "")
    assert rotation["source"]["line"] == line_of(FIXTURE_PROGRAM / "__main__.py", "self.key = aws.kms.Key(")
    assert ("bucket-encrypted", LOOSE_URN) in findings


def test_json_summary_counts_what_the_findings_hold(reports: dict[str, Any]) -> None:
    summary = reports["json"]["summary"]
    assert summary["mandatoryViolations"] == 2
    assert (summary["passed"], summary["exemptions"], summary["undecided"]) == (False, 0, 0)
    assert summary["resources"] == len(reports["json"]["resources"])


def test_json_keeps_exemption_reasons_and_undecided_reasons(fixture_preview: Recording) -> None:
    undecided_message = (
        "can't run policy 'sse-key-region' from policy pack 'fixture-minimal' during preview: the key is unknown"
    )
    findings = [
        finding("bucket-encrypted", LOOSE_URN, exempted=True, exemption_reason="a public dataset, ticket SEC-12"),
        replace(finding("sse-key-region", KEY_URN, "advisory"), message=undecided_message, undecided=True),
    ]
    document = json_report.build(outcome_of(fixture_preview, findings))
    exempted, undecided = document["findings"]
    assert (exempted["exempted"], exempted["exemptionReason"]) == (True, "a public dataset, ticket SEC-12")
    assert (undecided["undecided"], undecided["undecidedReason"]) == (True, "the key is unknown")
    assert document["summary"]["passed"] is True


# --- SARIF ------------------------------------------------------------------------------------------------------


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(reports: dict[str, Any]) -> None:
    validate_sarif(reports["sarif"])
    assert reports["sarif"]["version"] == "2.1.0"


def test_the_vendored_schema_rejects_a_broken_sarif_log(reports: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(reports["sarif"]))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate_sarif(broken)


def test_sarif_result_points_at_the_line_that_created_the_resource(reports: dict[str, Any]) -> None:
    location = results_by_rule(reports["sarif"])["bucket-encrypted"]["locations"][0]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": FIXTURE_URI, "uriBaseId": "%SRCROOT%"}
    assert physical["region"]["startLine"] == line_of(FIXTURE_PROGRAM / "__main__.py", 'aws.s3.Bucket("loose"')
    assert location["logicalLocations"][0]["fullyQualifiedName"] == LOOSE_URN


def test_sarif_result_of_a_component_child_points_at_its_line_inside_the_component(
    reports: dict[str, Any],
) -> None:
    physical = results_by_rule(reports["sarif"])["kms-key-rotation"]["locations"][0]["physicalLocation"]
    assert physical["region"]["startLine"] == line_of(FIXTURE_PROGRAM / "__main__.py", "self.key = aws.kms.Key(")


def test_sarif_base_uri_is_the_repository_root(reports: dict[str, Any]) -> None:
    base = reports["sarif"]["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == ROOT_URI  # the repository: code-scanning hosts resolve a result's file from its root


def test_sarif_has_one_rule_per_policy_and_results_point_at_theirs(
    reports: dict[str, Any], fixture_pack: PolicyPack
) -> None:
    driver = reports["sarif"]["runs"][0]["tool"]["driver"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == [policy.name for policy in fixture_pack.info.policies]
    assert {"bucket-encrypted", "kms-key-rotation", "resource-probe"} <= set(rule_ids)
    for result in reports["sarif"]["runs"][0]["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    disabled = driver["rules"][rule_ids.index("resource-probe")]["defaultConfiguration"]
    assert disabled == {"level": "none", "enabled": False}


def test_sarif_rules_carry_the_policies_description_remediation_and_control_ids(
    policy_pack: PolicyPack, prod_preview: Recording
) -> None:
    outcome = outcome_of(prod_preview, [], PROJECT_DIR)
    outcome.policies = list(policy_pack.info.policies)
    document = sarif.build(outcome)
    validate_sarif(document)
    rules = {rule["id"]: rule for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == {p.name for p in policy_pack.info.policies}
    for policy in policy_pack.info.policies:
        rule = rules[policy.name]
        assert rule["fullDescription"]["text"] == policy.description
        assert rule["help"]["text"] == policy.remediation_steps
        assert rule["properties"]["tags"] == sorted(policy.tags)
        assert policy.tags, f"{policy.name} names no control"


# A finding at level remediate is a fix the pack applied (a violation left after it is mandatory): a note.
@pytest.mark.parametrize(
    ("level", "sarif_level"), [("mandatory", "error"), ("remediate", "note"), ("advisory", "warning")]
)
def test_sarif_level_follows_what_the_finding_means_for_the_run(
    fixture_preview: Recording, level: str, sarif_level: str
) -> None:
    document = sarif.build(outcome_of(fixture_preview, [finding("kms-key-rotation", KEY_URN, level)]))
    assert results_by_rule(document)["kms-key-rotation"]["level"] == sarif_level


def test_sarif_puts_an_exemption_in_suppressions_with_its_reason(fixture_preview: Recording) -> None:
    exempted = finding("bucket-encrypted", LOOSE_URN, exempted=True, exemption_reason="public dataset, SEC-12")
    document = sarif.build(outcome_of(fixture_preview, [exempted]))
    validate_sarif(document)
    result = results_by_rule(document)["bucket-encrypted"]
    assert result["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "public dataset, SEC-12"}
    ]
    assert result["level"] == "error"


def test_sarif_reports_a_policy_that_could_not_decide_as_a_note(fixture_preview: Recording) -> None:
    message = "can't run policy 'sse-key-region' from policy pack 'fixture-minimal' during preview: key unknown"
    undecided = replace(finding("sse-key-region", KEY_URN), message=message, undecided=True)
    document = sarif.build(outcome_of(fixture_preview, [undecided]))
    validate_sarif(document)
    result = results_by_rule(document)["sse-key-region"]
    assert result["level"] == "note"
    assert result["message"]["text"].endswith(": key unknown")
    assert "suppressions" not in result


def test_sarif_puts_a_finding_without_a_resource_on_the_programs_entry_file(fixture_preview: Recording) -> None:
    document = sarif.build(outcome_of(fixture_preview, [finding("bucket-encrypted", "")]))
    validate_sarif(document)
    physical = results_by_rule(document)["bucket-encrypted"]["locations"][0]["physicalLocation"]
    assert physical == {"artifactLocation": {"uri": FIXTURE_URI, "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 1}}


def test_sarif_locates_a_prod_resource_in_its_component_module(prod_preview: Recording) -> None:
    bucket = prod_preview.named("storage-logs-bucket")
    document = sarif.build(outcome_of(prod_preview, [finding("s3-bucket-encrypted-with-cmk", bucket.urn)], PROJECT_DIR))
    physical = results_by_rule(document)["s3-bucket-encrypted-with-cmk"]["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "components/storage.py"
    assert physical["region"]["startLine"] == bucket.source_position.line
    assert (
        "aws.s3.Bucket("
        in (PROJECT_DIR / "components" / "storage.py").read_text().splitlines()[bucket.source_position.line - 1]
    )


def test_sarif_locates_the_provider_in_the_project_not_in_the_sdk(prod_preview: Recording) -> None:
    provider = next(r for r in prod_preview.resources if r.is_provider)
    document = sarif.build(outcome_of(prod_preview, [finding("aws-region", provider.urn)], PROJECT_DIR))
    uri = results_by_rule(document)["aws-region"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert not uri.startswith(("/", "file:")) and "site-packages" not in uri


# --- Markdown ---------------------------------------------------------------------------------------------------


def test_markdown_headline_says_the_preview_fails_and_tables_each_violation(reports: dict[str, Any]) -> None:
    text = reports["markdown"]
    assert text.splitlines()[0] == "### ❌ `fixture-minimal` / `test`: 2 mandatory violations"
    key_line = line_of(FIXTURE_PROGRAM / "__main__.py", "self.key = aws.kms.Key(")
    assert (
        f"| 🔴 mandatory | `kms-key-rotation` | aws:kms:Key store-key | `__main__.py:{key_line}` "
        "| key rotation is off |"
    ) in text


def test_markdown_lists_exemptions_with_reasons_and_undecided_policies(fixture_preview: Recording) -> None:
    message = "can't run policy 'sse-key-region' from policy pack 'fixture-minimal' during preview: key unknown"
    findings = [
        finding("bucket-encrypted", LOOSE_URN, exempted=True, exemption_reason="public | dataset\nSEC-12"),
        replace(finding("sse-key-region", KEY_URN), message=message, undecided=True),
        finding("kms-key-rotation", KEY_URN, "advisory"),
    ]
    text = markdown.render(outcome_of(fixture_preview, findings))
    assert text.splitlines()[0] == "### ✅ `fixture-minimal` / `test`: no mandatory policy violated"
    exemptions = text.split("#### Exemptions")[1]
    loose_line = line_of(FIXTURE_PROGRAM / "__main__.py", 'aws.s3.Bucket("loose"')
    assert (
        f"| `bucket-encrypted` | aws:s3:Bucket loose | `__main__.py:{loose_line}` | public \\| dataset SEC-12 |"
        in exemptions
    )
    assert "| `sse-key-region` | aws:kms:Key store-key | key unknown |" in text.split("could not decide")[1]
    assert "| 🟡 advisory | `kms-key-rotation` |" in text.split("#### Violations")[1]
    assert "| 0 | 1 | 0 | 1 | 1 |" in text


def test_write_reports_writes_each_requested_file_and_no_other(fixture_preview: Recording, tmp_path: Path) -> None:
    outcome = outcome_of(fixture_preview, [finding("kms-key-rotation", KEY_URN)])
    written = write_reports(outcome, {"sarif": tmp_path / "out" / "r.sarif", "markdown": tmp_path / "r.md"})
    assert written == [tmp_path / "out" / "r.sarif", tmp_path / "r.md"]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["r.md", "r.sarif"]


def test_write_reports_draws_the_diagram_in_the_format_its_suffix_names(
    fixture_preview: Recording, tmp_path: Path
) -> None:
    outcome = outcome_of(fixture_preview, [])
    written = write_reports(outcome, {"diagram": tmp_path / "architecture.md"})
    assert written == [tmp_path / "architecture.md"]
    expected = mermaid(architecture(fixture_preview))
    assert (tmp_path / "architecture.md").read_text() == f"```mermaid\n{expected}```\n"


def test_an_unknown_diagram_format_is_refused_before_any_report_is_written(
    fixture_preview: Recording, tmp_path: Path
) -> None:
    with pytest.raises(OSError, match=r"unknown diagram format \.txt"):
        write_reports(outcome_of(fixture_preview, []), {"json": tmp_path / "r.json", "diagram": tmp_path / "d.txt"})
    assert not list(tmp_path.iterdir())


def test_markdown_counts_the_resources_to_create_as_the_printed_plan_does(fixture_preview: Recording) -> None:
    text = markdown.render(outcome_of(fixture_preview, []))
    assert render_plan(fixture_preview).rstrip().endswith("+ 7 to create")  # the stack counts, as in the CLI
    assert "**7 resources** to create" in text


def test_sarif_paths_are_relative_to_the_repository_holding_the_project_else_to_the_project(tmp_path: Path) -> None:
    project = tmp_path / "infra" / "prod"
    project.mkdir(parents=True)
    assert sarif.source_root(project) == project.resolve()  # not in a repository
    (tmp_path / ".git").mkdir()
    assert sarif.source_root(project) == tmp_path.resolve()
