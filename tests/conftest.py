"""Shared fixtures: run the real program under Pulumi's mock engine, once per (mode, config) per session.

`prod_preview` / `prod_apply` are the prod stack as a first `pulumi preview` and as `pulumi up` would register
it. They go through `preflight.record.run_program`, the same recorder the offline preview uses. Tests that
need another config call `run_stack(preview=..., **overrides)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from preflight.analyze import PolicyPack
from preflight.record import Recording, run_program

PROJECT_DIR = Path(__file__).resolve().parent.parent

# The policy pack runs in its own virtualenv, as under the Pulumi CLI. Without it a third of the suite could not
# run at all, so refuse to start rather than skip it silently.
if not (PROJECT_DIR / "policy" / ".venv" / "bin" / "python").exists():
    raise pytest.UsageError("policy/.venv is missing: `make test` builds it (or run `make venv`), then rerun pytest")


def run_stack(preview: bool, **overrides: object) -> Recording:
    """Runs the prod stack with config overrides (plain values; lists and dicts are sent as JSON)."""
    config = {key: value if isinstance(value, str) else json.dumps(value) for key, value in overrides.items()}
    return run_program(PROJECT_DIR, "prod", preview=preview, config_overrides=config)


@pytest.fixture(scope="session")
def prod_preview() -> Recording:
    return run_stack(preview=True)


@pytest.fixture(scope="session")
def prod_apply() -> Recording:
    return run_stack(preview=False)


@pytest.fixture(params=["preview", "apply"], scope="session")
def prod(request: pytest.FixtureRequest, prod_preview: Recording, prod_apply: Recording) -> Recording:
    """The prod stack in both modes, for properties that must hold in each."""
    return prod_preview if request.param == "preview" else prod_apply


@pytest.fixture(scope="session")
def policy_pack() -> Iterator[PolicyPack]:
    """This repo's policy pack (policy/), one running pack per session, as `pulumi preview --policy-pack policy`.

    `policy_pack.analyze(recording, config)` returns the `preflight.analyze.Finding`s.
    """
    with PolicyPack(PROJECT_DIR / "policy") as pack:
        yield pack
