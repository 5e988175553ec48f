"""The component convention: plain typed args, no settings, one production flag, one condition builder.

These read the components' source and args classes, so a new tier (or a hurried edit) that drifts from the
convention fails here with the file to fix, instead of in review.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
from pathlib import Path

import pytest

import conventions

COMPONENTS_DIR = Path(__file__).resolve().parent.parent / "components"
MODULES = sorted(path.stem for path in COMPONENTS_DIR.glob("*.py") if path.stem != "__init__")
SOURCES = sorted(COMPONENTS_DIR.rglob("*.py"))
# The modules of the program's configuration: a component gets plain values from __main__.py, never these.
SETTINGS_MODULES = {"settings", "provider"}
PRODUCTION_FLAG = "is_production"


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def _args_classes() -> list[type]:
    classes = []
    for module_name in MODULES:
        module = importlib.import_module(f"components.{module_name}")
        classes += [
            value
            for name, value in vars(module).items()
            if name.endswith("Args") and dataclasses.is_dataclass(value) and value.__module__ == module.__name__
        ]
    return classes


@pytest.mark.parametrize("module_name", MODULES)
def test_components_never_import_the_settings_loader(module_name):
    assert not _imported_modules(COMPONENTS_DIR / f"{module_name}.py") & SETTINGS_MODULES


def test_every_tier_has_a_typed_args_dataclass():
    classes = _args_classes()
    assert {
        "EncryptionArgs",
        "NetworkArgs",
        "StorageArgs",
        "AuditArgs",
        "WebTierArgs",
        "DatabaseArgs",
        "ComplianceAuditorArgs",
    } <= {cls.__name__ for cls in classes}
    for cls in classes:
        for field in dataclasses.fields(cls):
            # The annotation as written (postponed evaluation): a plain type, never the Settings object.
            assert isinstance(field.type, str) and field.type, f"{cls.__name__}.{field.name} has no type"
            assert "Settings" not in field.type, f"{cls.__name__}.{field.name} takes the settings object"


MAX_ARGS_FIELDS = 10


def test_large_args_are_grouped_into_nested_dataclasses():
    """A tier's args stay readable at the call site: past ten fields, related ones move into a nested dataclass
    (WebTierArgs.network, DatabaseArgs.engine, ComplianceAuditorArgs.run, ...)."""
    classes = _args_classes()
    assert len(classes) >= 7  # every tier's args were found: the check below is not vacuous
    for cls in classes:
        fields = dataclasses.fields(cls)
        assert len(fields) <= MAX_ARGS_FIELDS, f"{cls.__name__} has {len(fields)} fields: group related ones"


def test_the_production_flag_has_one_name_across_tiers():
    for cls in _args_classes():
        names = {field.name for field in dataclasses.fields(cls)}
        drifted = {name for name in names if "production" in name or name == "deletion_protection"} - {PRODUCTION_FLAG}
        assert not drifted, f"{cls.__name__}: call the production flag {PRODUCTION_FLAG}, not {drifted}"


@pytest.mark.parametrize("module_name", [name for name in MODULES if name != "policy_documents"])
def test_policy_condition_blocks_are_built_by_the_one_helper(module_name):
    """components/policy_documents.condition, not another copy of GetPolicyDocumentStatementConditionArgs(...)."""
    tree = ast.parse((COMPONENTS_DIR / f"{module_name}.py").read_text())
    built_here = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "GetPolicyDocumentStatementConditionArgs"
    ]
    assert built_here == [], f"components/{module_name}.py builds condition blocks itself at lines {built_here}"


def test_every_args_dataclass_is_keyword_only():
    """Args are built by name (`NetworkArgs(vpc_cidr=..., az_count=...)`): adding a field never shifts another."""
    for cls in _args_classes():
        assert all(field.kw_only for field in dataclasses.fields(cls)), f"{cls.__name__}: use @dataclass(kw_only=True)"


# The program's string facts a component must import from conventions.py rather than spell out again (a component
# default such as engine_version="16" would silently disagree with the config default one day).
RETYPED_FACTS = {
    *conventions.ALLOWED_TLS_POLICIES,
    *conventions.SUPPORTED_POSTGRES_MAJOR_VERSIONS,
    *conventions.NAT_GATEWAY_MODES,
    conventions.PRODUCTION_ENVIRONMENT,
    conventions.REQUIRED_REGION,
}


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(COMPONENTS_DIR)))
def test_components_import_the_programs_facts_instead_of_retyping_them(path):
    tree = ast.parse(path.read_text())
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    retyped = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and id(node) not in docstrings and node.value in RETYPED_FACTS
    ]
    assert retyped == [], f"{path.name}: import these from conventions.py: {retyped}"
