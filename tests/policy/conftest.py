"""Fixtures for the policy pack's tests: the fixture programs recorded once per mode, and their findings.

Everything goes through the offline runner (`preflight.record.run_program` + the real pack process started by the
session's `policy_pack` fixture), the way `pulumi preview --policy-pack policy` would see it. Two fixture
programs: `compliant` (every judged type, configured right: the pack must find nothing) and `violations` (each
resource named after the policies it breaks).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from preflight.analyze import Finding, PolicyPack
from preflight.record import Recording, run_program

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policy"
PROGRAMS = Path(__file__).resolve().parent / "programs"

# The pack's modules are importable from the tests (for metadata and the docs), never the other way round.
if str(POLICY_DIR) not in sys.path:
    sys.path.insert(0, str(POLICY_DIR))


# The policies the `compliant` and `violations` fixture programs were written for (encryption at rest, tagging,
# network exposure and region); the other policies bring their own fixture programs and tests.
PART_ONE_POLICIES = frozenset(
    {
        "s3-bucket-encrypted-with-cmk",
        "rds-storage-encrypted-with-cmk",
        "rds-performance-insights-encrypted-with-cmk",
        "ebs-encrypted-with-cmk",
        "lambda-environment-encrypted-with-cmk",
        "cloudtrail-encrypted-with-cmk",
        "log-group-encrypted-with-cmk",
        "sns-topic-encrypted-with-cmk",
        "sqs-queue-encrypted-with-cmk",
        "secret-encrypted-with-cmk",
        "kms-key-rotation-enabled",
        "kms-key-deletion-window",
        "required-tags",
        "security-group-world-ingress-restricted",
        "security-group-world-ingress-only-on-load-balancers",
        "security-group-admin-ports-restricted",
        "default-security-group-closed",
        "security-group-name-not-sg-prefix",
        "security-group-rules-described",
        "network-acl-admin-ports-closed-to-world",
        "ec2-instance-no-public-ip",
        "launch-template-no-public-ip",
        "subnet-no-auto-public-ip",
        "rds-not-publicly-accessible",
        "lambda-function-in-vpc",
        "lambda-permission-not-public",
        "aws-region-allowed",
    }
)


def part_one_policies() -> frozenset[str]:
    """The policies the `compliant` and `violations` fixture programs were written for."""
    return PART_ONE_POLICIES


def run_fixture(name: str, preview: bool, **config: str) -> Recording:
    return run_program(PROGRAMS / name, "test", preview=preview, config_overrides=config)


def name_of(finding: Finding) -> str:
    """The resource's name: the last part of its URN ("" for a stack-wide finding)."""
    return finding.urn.rsplit("::", 1)[-1] if finding.urn else ""


def violations(findings: Iterable[Finding], policy: str) -> dict[str, list[str]]:
    """Resource name -> the messages `policy` reported for it (undecided notes and exempted findings left out)."""
    found: dict[str, list[str]] = {}
    for finding in findings:
        if finding.policy == policy and not finding.undecided and not finding.exempted:
            found.setdefault(name_of(finding), []).append(finding.message)
    return found


def assert_refused_exactly(found: Mapping[str, list[str]], expected: Mapping[str, str]) -> None:
    """The policy refused exactly the `expected` resources (name -> a fragment one of its messages holds): every
    other resource of the fixture, the "ok-" ones among them, passed."""
    assert set(found) == set(expected)
    for name, fragment in expected.items():
        assert any(fragment in message for message in found[name]), (name, found[name])


def undecided(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.undecided]


class Analyses:
    """Findings per (program run, pack config), each computed once per session."""

    def __init__(self, pack: PolicyPack, recordings: Mapping[str, Recording]) -> None:
        self.pack = pack
        self.recordings = recordings
        self._cache: dict[tuple[str, str], list[Finding]] = {}

    def __call__(self, run: str, config: Mapping[str, Any] | None = None) -> list[Finding]:
        key = (run, json.dumps(config, sort_keys=True))
        if key not in self._cache:
            self._cache[key] = self.pack.analyze(self.recordings[run], config=config)
        return self._cache[key]


@pytest.fixture(scope="session")
def fixture_recordings() -> dict[str, Recording]:
    """The two fixture programs in both modes: four program runs for the whole pack suite."""
    return {
        f"{name}-{mode}": run_fixture(name, preview=mode == "preview")
        for name in ("compliant", "violations")
        for mode in ("preview", "apply")
    }


@pytest.fixture(scope="session")
def analyze(policy_pack: PolicyPack, fixture_recordings: dict[str, Recording]) -> Analyses:
    """`analyze("violations-apply", config=None)` -> the findings of the real pack process."""
    return Analyses(policy_pack, fixture_recordings)


@pytest.fixture(params=["preview", "apply"])
def mode(request: pytest.FixtureRequest) -> str:
    """Both modes, for behaviour that must not differ between a first preview and an update."""
    return request.param
