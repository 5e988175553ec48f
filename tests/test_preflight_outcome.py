"""One outcome model: what blocks is decided once (`preflight.outcome.verdict`), and every output agrees on it.

The terminal, JSON, SARIF and Markdown are each written from the same `Outcome`; these tests run the command on
the fixture program with the fixture pack and read all four, for each kind of finding. The verdicts follow the
Pulumi engine (pulumi/pulumi pkg/resource/deploy/analyze_snapshot.go): a mandatory violation blocks, an applied
remediation does not, an Analyze diagnostic at level remediate is mandatory.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime.proto import analyzer_pb2

from preflight.analyze import Finding, PolicyPack, _finding
from preflight.cli import main
from preflight.outcome import EXIT_OK, EXIT_VIOLATIONS, Verdict, verdict
from tests.conftest import PROJECT_DIR

FIXTURE_PROGRAM = PROJECT_DIR / "tests" / "fixtures" / "programs" / "minimal"
FIXTURE_PACK = PROJECT_DIR / "tests" / "fixtures" / "packs" / "minimal"
BASE = ["--cwd", str(FIXTURE_PROGRAM), "--stack", "test", "--policy-pack", str(FIXTURE_PACK)]


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPack]:
    with PolicyPack(FIXTURE_PACK) as running:
        yield running


def every_output(pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> dict[str, Any]:
    """The exit status and the counts each of the four outputs states."""
    paths = {kind: tmp_path / f"report.{kind}" for kind in ("json", "sarif", "markdown")}
    code = main([*BASE, *args, *(part for kind, path in paths.items() for part in (f"--{kind}", str(path)))], pack=pack)
    captured = capsys.readouterr()
    out = captured.out
    # A run that fails before its reports (exit 2) says why on stderr: show it rather than a missing file.
    assert paths["json"].exists(), (code, out, captured.err)
    document = json.loads(paths["json"].read_text())
    run = json.loads(paths["sarif"].read_text())["runs"][0]
    text = paths["markdown"].read_text()
    terminal = re.search(r"(\d+) mandatory violations?, (\d+) advisory violations?", out)
    markdown_counts = re.search(r"^\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", text, re.MULTILINE)
    plan_count = re.search(r"\+ (\d+) to create", out)
    assert terminal and markdown_counts and plan_count, (out, text)
    return {
        "code": code,
        "terminal": {"mandatory": int(terminal[1]), "advisory": int(terminal[2]), "resources": int(plan_count[1])},
        "json": document["summary"],
        "sarif": {
            "exitCode": run["invocations"][0]["exitCode"],
            "errors": sum(1 for r in run["results"] if r["level"] == "error" and not r.get("suppressions")),
            "warnings": sum(1 for r in run["results"] if r["level"] == "warning" and not r.get("suppressions")),
        },
        "markdown": {
            "passed": text.startswith("### ✅"),
            "mandatory": int(markdown_counts[1]),
            "advisory": int(markdown_counts[2]),
            "remediations": int(markdown_counts[3]),
            "resources": int(re.search(r"\*\*(\d+) resources\*\*", text)[1]),  # type: ignore[index]
        },
    }


def assert_all_agree(outputs: dict[str, Any], *, mandatory: int, advisory: int) -> None:
    passed = mandatory == 0
    expected_code = EXIT_OK if passed else EXIT_VIOLATIONS
    assert outputs["code"] == expected_code
    assert (outputs["terminal"]["mandatory"], outputs["terminal"]["advisory"]) == (mandatory, advisory)
    summary = outputs["json"]
    assert (summary["mandatoryViolations"], summary["advisoryViolations"]) == (mandatory, advisory)
    assert (summary["passed"], summary["exitCode"]) == (passed, expected_code)
    assert outputs["sarif"] == {"exitCode": expected_code, "errors": mandatory, "warnings": advisory}
    markdown = outputs["markdown"]
    assert (markdown["passed"], markdown["mandatory"], markdown["advisory"]) == (passed, mandatory, advisory)
    assert outputs["terminal"]["resources"] == summary["resources"] == markdown["resources"]


# Issue 14: with a policy at remediate, the terminal said "0 mandatory violations" and exited 0 while the Markdown
# said "1 mandatory violation" and the JSON `passed: false, exitCode: 0`.
def test_an_applied_remediation_blocks_nothing_in_any_output(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "remediate.json"
    config.write_text('{"tag-remediation": "remediate"}')
    outputs = every_output(pack, capsys, tmp_path, "--policy-pack-config", str(config), "--config", "loose=false")
    assert_all_agree(outputs, mandatory=0, advisory=0)
    assert outputs["json"]["remediations"] == outputs["markdown"]["remediations"] > 0


def test_a_mandatory_violation_blocks_in_every_output(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outputs = every_output(pack, capsys, tmp_path)
    assert_all_agree(outputs, mandatory=1, advisory=0)


def test_an_advisory_violation_is_counted_but_blocks_nothing_in_every_output(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "advisory.json"
    config.write_text('{"bucket-encrypted": "advisory"}')
    outputs = every_output(pack, capsys, tmp_path, "--policy-pack-config", str(config))
    assert_all_agree(outputs, mandatory=0, advisory=1)


def test_a_disabled_policy_never_runs_so_nothing_blocks(
    pack: PolicyPack, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "disabled.json"
    config.write_text('{"bucket-encrypted": "disabled"}')
    outputs = every_output(pack, capsys, tmp_path, "--policy-pack-config", str(config))
    assert_all_agree(outputs, mandatory=0, advisory=0)


# The classification itself ------------------------------------------------------------------------------------


def finding(level: str, **flags: Any) -> Finding:
    return Finding(
        policy="p", pack="pack", enforcement_level=level, severity="", urn="u", message="m", description="d", **flags
    )


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (finding("mandatory"), Verdict.BLOCKING),
        (finding("advisory"), Verdict.ADVISORY),
        (finding("remediate"), Verdict.REMEDIATED),
        (finding("disabled"), Verdict.IGNORED),
        (finding("mandatory", exempted=True), Verdict.EXEMPTED),
        (finding("advisory", undecided=True), Verdict.UNDECIDED),
    ],
)
def test_each_finding_has_one_verdict(found: Finding, expected: Verdict) -> None:
    assert verdict(found) is expected


def test_an_analyze_diagnostic_at_remediate_is_mandatory_as_the_engine_reads_it() -> None:
    diagnostic = analyzer_pb2.AnalyzeDiagnostic(
        policyName="p",
        policyPackName="pack",
        description="d",
        message="d\nstill wrong",
        enforcementLevel=analyzer_pb2.REMEDIATE,
    )
    assert verdict(_finding(diagnostic, "u")) is Verdict.BLOCKING


# No import circle ---------------------------------------------------------------------------------------------


def import_graph(root: Path) -> dict[str, set[str]]:
    """Every module of a package and the modules of the same package it imports anywhere in its code: at the top,
    in a function, under `if TYPE_CHECKING`, or by name with `importlib.import_module("...")`."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        if ".venv" in path.parts:
            continue
        relative = path.relative_to(root.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                targets = [str(node.args[0].value)]
            else:
                continue
            # A module's own packages are imported before it, by Python: never a circle.
            ancestors = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
            imported |= {target for target in targets if target in modules and target not in ancestors | {name}}
        graph[name] = imported
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the list of modules around it, or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


# The runner, and the policy pack's package(s) (the pack runs `policy/__main__.py` with policy/ on its path).
PACKAGES = [PROJECT_DIR / "preflight"] + sorted(p.parent for p in (PROJECT_DIR / "policy").glob("*/__init__.py"))


@pytest.mark.parametrize("root", PACKAGES, ids=lambda root: root.name)
def test_no_module_imports_itself_round_a_circle(root: Path) -> None:
    graph = import_graph(root)
    assert len(graph) > 3
    assert cycle_in(graph) == []


def test_the_import_graph_sees_imports_by_name_and_for_type_checking(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("import importlib\nimportlib.import_module('pkg.b')\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import X\n")
    assert cycle_in(import_graph(package)) == ["pkg.a", "pkg.b", "pkg.a"]


def test_the_cycle_check_finds_a_circle() -> None:
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) == []
