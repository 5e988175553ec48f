"""Defaults as AWS applies them (issue 10 item 3): every property a policy reads has its left-out behaviour
written next to it, quoted from pulumi-aws 7 (or AWS) where it has one, so no rule assumes "absent = safe"
unchecked.

Read statically: each literal property name the pack's modules pass to the unknown-safe readers (peek, value,
is_set, block, has and the key readers) must be named, in its module, within two lines of a statement of what
happens when it is left out ("default", "left out", "absent" or "required"). A read that names a thing rather than
configuring it (an id, a port in a rule, a JSON document's field) says so in the same words: "no default to
judge". The behaviour itself is tested through the pack process by each policy's tests (tests/policy/test_defaults.py
and the "left out" cases of every fixture).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACK = Path(__file__).resolve().parents[2] / "policy" / "secure_aws_policies"
READERS = frozenset(
    {
        "peek",
        "value",
        "is_set",
        "block",
        "has",
        "key_at",
        "key_problem_at",
        "customer_key_problem",
        "report_key",
        "flag_then_key_problem",
    }
)
STATED = re.compile(r"default|left out|absent|required", re.IGNORECASE)


def _reads(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in READERS:
            continue
        for argument in node.args[1:3]:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value[:1].islower():
                found.add(argument.value)
                break
    return found


def _forms(read: str) -> set[str]:
    leaf = read.split(".")[-1]
    return {leaf.lower(), re.sub(r"(?<!^)([A-Z])", r"_\1", leaf).lower()}


def _uncited(path: Path) -> list[str]:
    text = path.read_text()
    lines = text.lower().splitlines()
    missing = []
    for read in sorted(_reads(ast.parse(text))):
        patterns = [re.compile(rf"(?<![\w]){re.escape(form)}(?![\w])") for form in _forms(read)]
        near = (
            " ".join(lines[max(0, i - 2) : i + 3])
            for i, line in enumerate(lines)
            if any(p.search(line) for p in patterns)
        )
        if not any(STATED.search(window) for window in near):
            missing.append(read)
    return missing


MODULES = sorted(PACK.rglob("*.py"))


def test_the_scan_finds_the_reads_it_must_judge():
    """The scan sees reads at all (a reader renamed would make every module pass)."""
    assert sum(len(_reads(ast.parse(m.read_text()))) for m in MODULES) > 300


@pytest.mark.parametrize("module", MODULES, ids=lambda m: str(m.relative_to(PACK)))
def test_every_property_a_policy_reads_states_its_default(module):
    assert _uncited(module) == [], (
        f"{module.name}: say what pulumi-aws 7 / AWS does when these are left out (quote the provider docs), or "
        "that a read names a thing and has no default to judge"
    )
