"""Required tags, counting the provider's default_tags; the taggable types are generated from pulumi-aws."""

from __future__ import annotations

import subprocess
import sys

from tests.policy.conftest import ROOT, violations


def test_provider_default_tags_satisfy_the_required_tags(analyze, mode):
    """Every taggable resource of the compliant program gets Environment=Production from its provider only."""
    assert violations(analyze(f"compliant-{mode}"), "required-tags") == {}


def test_missing_or_wrong_tags_are_refused_and_resource_tags_override_default_tags(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "required-tags")
    assert set(found) == {"untagged-log-group", "staging-tagged-log-group", "untagged-asg"}
    assert "neither its tags nor the provider's default_tags" in found["untagged-log-group"][0]
    assert "Environment='Staging', required Environment='Production'" in found["staging-tagged-log-group"][0]
    assert "default_tags never reach Auto Scaling groups" in found["untagged-asg"][0]


def test_types_without_tags_are_not_judged(analyze, fixture_recordings):
    """Providers, components, SSE configurations, rules, permissions take no tags: none draws a finding."""
    judged = {f.urn for f in analyze("violations-apply") if f.policy == "required-tags"}
    untaggable = [
        r.urn for r in fixture_recordings["violations-apply"].resources
        if r.type in ("aws:lambda/permission:Permission", "aws:ec2/securityGroupRule:SecurityGroupRule")
        or r.is_provider
    ]  # fmt: skip
    assert untaggable and not judged & set(untaggable)


def test_required_tags_and_values_are_configurable(analyze):
    config = {"required-tags": {"requiredTags": {"Environment": "*", "CostCenter": "security"}}}
    found = violations(analyze("compliant-apply", config), "required-tags")
    assert "data-bucket" in found and "has no CostCenter tag" in found["data-bucket"][0]
    assert not any("Environment" in m for messages in found.values() for m in messages)


def test_the_taggable_types_file_is_what_the_generator_writes_from_pulumi_aws():
    script = ROOT / "policy" / "tools" / "generate_taggable_types.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_the_taggable_types_cover_the_stack_and_skip_tag_filters():
    from secure_aws_policies.services.tagging import TAGGABLE_TYPES

    assert TAGGABLE_TYPES["aws:s3/bucket:Bucket"] == "map"
    assert TAGGABLE_TYPES["aws:autoscaling/group:Group"] == "list"
    assert (
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration" not in TAGGABLE_TYPES
    )
    assert "aws:inspector/resourceGroup:ResourceGroup" not in TAGGABLE_TYPES  # its `tags` select other resources
