"""The GitHub Actions workflows parse, and run what README.md says they run (issue 15 item 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_DIR

WORKFLOWS = PROJECT_DIR / ".github" / "workflows"


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    workflow["on"] = workflow.pop(True)
    return workflow


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def runs(workflow: dict, job: str) -> list[str]:
    return [step["run"] for step in steps(workflow, job) if "run" in step]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_workflow_parses_with_triggers_and_jobs(path: Path):
    workflow = yaml.safe_load(path.read_text())
    assert workflow[True] and workflow["jobs"]
    for job in workflow["jobs"].values():
        assert job["runs-on"] and job["steps"] and job["timeout-minutes"]


def test_pull_requests_run_lint_the_offline_preview_of_each_stack_and_the_tests():
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow["on"]
    assert "make lint" in runs(workflow, "lint")
    assert "make test" in runs(workflow, "test")
    stacks = workflow["jobs"]["offline-preview"]["strategy"]["matrix"]["stack"]
    assert stacks == ["prod", "staging"]
    assert all((PROJECT_DIR / f"Pulumi.{stack}.yaml").exists() for stack in stacks)
    (preview,) = [run for run in runs(workflow, "offline-preview") if run.startswith("make preview")]
    assert "--stack ${{ matrix.stack }}" in preview


def test_the_offline_preview_uploads_the_sarif_it_writes_even_when_the_preview_fails():
    workflow = load("pull-request.yml")
    job = workflow["jobs"]["offline-preview"]
    assert job["permissions"]["security-events"] == "write"
    (preview,) = [run for run in runs(workflow, "offline-preview") if run.startswith("make preview")]
    written = re.search(r"--sarif (.+?\.sarif)", preview).group(1)
    (upload,) = [step for step in job["steps"] if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == written
    assert "!cancelled()" in upload["if"]  # a failed preview (exit 1) still uploads its findings


def test_the_real_preview_job_builds_both_virtualenvs_before_the_cli_runs_the_pack():
    workflow = load("pulumi-preview.yml")
    assert "workflow_dispatch" in workflow["on"]
    job = workflow["jobs"]["preview"]
    assert "vars.PULUMI_BACKEND_URL != ''" in job["if"]  # only where a backend exists
    commands = runs(workflow, "preview")
    venv = commands.index("make venv")
    (preview,) = [i for i, run in enumerate(commands) if "pulumi preview" in run]
    assert venv < preview
    assert "--policy-pack policy --policy-pack-config" in commands[preview]
    assert job["permissions"] == {"contents": "read", "id-token": "write"}


def test_the_real_preview_installs_the_cli_matching_the_pinned_sdk():
    install = next(run for run in runs(load("pulumi-preview.yml"), "preview") if "get.pulumi.com" in run)
    assert "requirements.txt" in install
    assert re.search(r"^pulumi==\d+\.\d+\.\d+$", (PROJECT_DIR / "requirements.txt").read_text(), re.MULTILINE)
