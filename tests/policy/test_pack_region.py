"""The allowed region, whichever way the region is chosen: explicit provider, resource `region`, default provider."""

from __future__ import annotations

from tests.policy.conftest import run_fixture, violations


def test_us_east_1_providers_and_resources_are_allowed(analyze, mode):
    assert violations(analyze(f"compliant-{mode}"), "aws-region-allowed") == {}


def test_an_explicit_provider_and_a_resource_region_elsewhere_are_refused_once_each(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "aws-region-allowed")
    assert set(found) == {"eu-west-1-aws", "eu-west-1-queue"}
    assert "deploys to eu-west-1" in found["eu-west-1-aws"][0]
    assert "sets region=eu-west-1" in found["eu-west-1-queue"][0]
    # The topic on that provider is not reported again: the provider is the one decision.
    assert "topic-via-eu-provider" not in found


def test_the_default_provider_is_judged_by_the_stack_config_region(policy_pack):
    recording = run_fixture("compliant", preview=True, **{"aws:region": "eu-west-1"})
    found = violations(policy_pack.analyze(recording), "aws-region-allowed")
    assert len(found) == 1
    [(name, messages)] = found.items()
    assert name.startswith("default") and "deploys to eu-west-1" in messages[0]


def test_allowed_regions_are_configurable(analyze):
    config = {"aws-region-allowed": {"allowedRegions": ["us-east-1", "eu-west-1"]}}
    assert violations(analyze("violations-apply", config), "aws-region-allowed") == {}
