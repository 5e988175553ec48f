"""The worst wins (issue 10 item 4): where several resources write the same setting of one target, AWS keeps the
one applied last, so the pack judges each and the least secure decides. Through the real pack process, both modes.
The `ok-*` targets have two resources that agree, and pass."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations


@pytest.fixture(scope="module")
def worst_wins(policy_pack) -> Analyses:
    return Analyses(policy_pack, {m: run_fixture("worst_wins", preview=m == "preview") for m in ("preview", "apply")})


def test_a_second_public_access_block_that_leaves_one_setting_off_decides(worst_wins, mode):
    found = violations(worst_wins(mode), "s3-bucket-public-access-blocked")
    assert found == {"two-of-each-bucket": ["bucket two-of-each-bucket: second-block leaves blockPublicPolicy off."]}


def test_a_second_versioning_resource_that_suspends_versioning_decides(worst_wins, mode):
    found = violations(worst_wins(mode), "s3-bucket-versioning")
    assert set(found) == {"two-of-each-bucket"}
    assert (
        "second-versioning also sets its versioning, to a status other than Enabled" in found["two-of-each-bucket"][0]
    )


def test_a_second_ownership_control_that_allows_acls_decides(worst_wins, mode):
    found = violations(worst_wins(mode), "s3-bucket-ownership-enforced")
    assert set(found) == {"two-of-each-bucket"}
    assert "second-ownership also sets its object ownership" in found["two-of-each-bucket"][0]


def test_a_second_bucket_policy_without_the_tls_deny_decides(worst_wins):
    """The policies embed the bucket's ARN, unknown at a first preview: judged at apply."""
    found = violations(worst_wins("apply"), "s3-bucket-denies-insecure-transport")
    assert set(found) == {"two-of-each-bucket"}
    assert "no statement of second-policy does" in found["two-of-each-bucket"][0]


def test_a_key_policy_resource_is_judged_beside_the_keys_own_policy(worst_wins, mode):
    found = violations(worst_wins(mode), "resource-policy-not-public")
    assert set(found) == {"public-key-policy"}
    assert "allows kms:Decrypt to everyone" in found["public-key-policy"][0]


def test_a_separate_tag_resource_that_overrides_a_required_tag_is_refused(worst_wins, mode):
    found = violations(worst_wins(mode), "required-tags")
    assert found == {
        "staging-environment-tag": [
            "staging-environment-tag sets Environment='Staging' on a resource, overriding its own tags; required "
            "Environment='Production'."
        ],
        "dev-environment-asg-tag": [
            "dev-environment-asg-tag sets Environment='Dev' on a resource, overriding its own tags; required "
            "Environment='Production'."
        ],
    }
