"""The stacks and their pack configs: staging is cheaper and still passes the pack with its own config, and the
pack follows the stack's own allowed SSH ranges (issue 15 item 4) without letting a stack widen them."""

from __future__ import annotations

import dataclasses
import json

import pytest

from preflight.analyze import Finding, PolicyPack, load_policy_pack_config
from preflight.cli import default_pack_config
from preflight.record import Recording, run_program
from tests.conftest import PROJECT_DIR, run_stack

PACK_DIR = PROJECT_DIR / "policy"
ADMIN_PORTS_POLICY = "security-group-admin-ports-restricted"


def blocking_or_advisory(findings: list[Finding]) -> list[str]:
    return [f"{f.policy}: {f.message}" for f in findings if not f.undecided and not f.exempted]


@pytest.fixture(scope="module", params=["preview", "apply"])
def staging(request: pytest.FixtureRequest) -> Recording:
    return run_program(PROJECT_DIR, "staging", preview=request.param == "preview")


def test_staging_passes_the_pack_with_its_own_config(staging: Recording, policy_pack: PolicyPack):
    config = load_policy_pack_config(PACK_DIR / "config.staging.json")
    assert blocking_or_advisory(policy_pack.analyze(staging, config)) == []


def test_staging_against_the_production_config_fails_on_the_environment_tag(staging, policy_pack):
    """The per-environment config is what lets staging pass: the production one requires Environment=Production."""
    findings = blocking_or_advisory(policy_pack.analyze(staging, load_policy_pack_config(PACK_DIR / "config.json")))
    assert any(message.startswith("required-tags:") and "Environment='Staging'" in message for message in findings)


def test_staging_is_the_cheaper_profile(staging: Recording):
    types = [resource.type for resource in staging.resources]
    assert types.count("aws:ec2/natGateway:NatGateway") == 1
    (template,) = [r for r in staging.resources if r.type == "aws:ec2/launchTemplate:LaunchTemplate"]
    assert template.inputs["instanceType"] == "t4g.small"
    (database,) = [r for r in staging.resources if r.type == "aws:rds/instance:Instance"]
    assert database.inputs["multiAz"] is True  # still two AZs for the database
    assert database.inputs["storageEncrypted"] is True


def test_every_production_exemption_holds_in_staging_too():
    """The staging config repeats config.json's exemptions on purpose (the CLI takes one file): the copies agree."""
    prod = json.loads((PACK_DIR / "config.json").read_text())
    staging = json.loads((PACK_DIR / "config.staging.json").read_text())
    for policy, entry in prod.items():
        assert staging[policy]["exemptions"] == entry["exemptions"], policy


@pytest.mark.parametrize(
    ("stack", "expected"), [("staging", "config.staging.json"), ("prod", "config.json"), ("dev", "config.json")]
)
def test_the_default_pack_config_follows_the_stack(stack, expected):
    assert default_pack_config(PROJECT_DIR, None, None, stack) == PACK_DIR / expected


def test_another_project_gets_no_per_stack_pack_config(tmp_path):
    """This project's exemptions name this project's resources: `--cwd` elsewhere must not apply them."""
    assert default_pack_config(tmp_path, None, None, "staging") is None


# The pack follows the stack's own SSH ranges (issue 15: setting corporateCidrs as the README says used to fail
# the preview on your own SSH rule, because the pack's allowedSshCidrs kept its default).
OWN_RANGE = "198.51.100.0/24"


@pytest.fixture(scope="module")
def own_range() -> Recording:
    return run_stack(preview=False, corporateCidrs=[OWN_RANGE])


def admin_port_findings(pack: PolicyPack, recording: Recording, config: dict | None = None) -> list[str]:
    return [f.message for f in pack.analyze(recording, config) if f.policy == ADMIN_PORTS_POLICY and not f.exempted]


def with_stack_cidrs(recording: Recording, cidrs_json: str) -> Recording:
    """The same resources, with another corporateCidrs in the stack config the engine hands the pack."""
    return dataclasses.replace(recording, config={**recording.config, "secure-aws:corporateCidrs": cidrs_json})


def test_the_pack_allows_the_stacks_own_corporate_range(own_range, policy_pack):
    assert admin_port_findings(policy_pack, own_range, load_policy_pack_config(PACK_DIR / "config.json")) == []


def test_a_stack_cannot_widen_the_allowed_ranges_beyond_a_16(own_range, policy_pack):
    """A stack config listing 198.0.0.0/8 (settings would refuse it; the pack judges on its own) allows nothing."""
    findings = admin_port_findings(policy_pack, with_stack_cidrs(own_range, '["198.0.0.0/8"]'))
    assert findings and all(OWN_RANGE in message for message in findings)


def test_a_world_open_stack_range_allows_nothing(own_range, policy_pack):
    assert admin_port_findings(policy_pack, with_stack_cidrs(own_range, '["0.0.0.0/0"]'))


def test_the_pack_config_can_stop_following_the_stack(own_range, policy_pack):
    """A security team that pins the ranges sets allowedSshCidrsStackKey to "": only allowedSshCidrs counts."""
    pinned = {ADMIN_PORTS_POLICY: {"allowedSshCidrsStackKey": "", "allowedSshCidrs": ["203.0.113.0/24"]}}
    findings = admin_port_findings(policy_pack, own_range, pinned)
    assert findings and all(OWN_RANGE in message for message in findings)
