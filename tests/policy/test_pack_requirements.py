"""The pack's virtualenv is built from policy/requirements.txt alone (Makefile, and `pulumi preview --policy-pack`
on a user's machine), so every third-party module the pack imports must be pinned there, not arrive by luck as a
dependency of something else."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

POLICY_DIR = Path(__file__).resolve().parents[2] / "policy"


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for source in POLICY_DIR.rglob("*.py"):
        if ".venv" in source.parts or "tools" in source.relative_to(POLICY_DIR).parts:
            continue  # policy/tools/ are generators run from the project's venv, not the pack's
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def _pinned_distributions() -> set[str]:
    text = (POLICY_DIR / "requirements.txt").read_text()
    return {m.lower().replace("_", "-") for m in re.findall(r"^([A-Za-z0-9_.-]+)==\S+$", text, re.MULTILINE)}


def test_every_third_party_module_the_pack_imports_is_pinned_in_its_requirements():
    local = {p.stem for p in POLICY_DIR.iterdir()} | {"secure_aws_policies"}
    third_party = _imported_top_level_modules() - set(sys.stdlib_module_names) - local
    owners = packages_distributions()
    unpinned = {
        module: owners.get(module)
        for module in third_party
        if not {d.lower().replace("_", "-") for d in owners.get(module, [module])} & _pinned_distributions()
    }
    assert not unpinned, f"imported by the pack but not pinned in policy/requirements.txt: {unpinned}"


def test_the_check_sees_the_pack_s_imports():
    """Guards the test above against passing vacuously (e.g. a path change that finds no source)."""
    assert {"pulumi_policy", "yaml"} <= _imported_top_level_modules()
