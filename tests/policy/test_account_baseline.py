"""Account-level guardrails where the stack manages them (issue 13: EBS encryption by default with our key, snapshot
and AMI block public access; with them the S3 account public access block, serial console and password policy).
Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations


@pytest.fixture(scope="module")
def baseline(policy_pack) -> Analyses:
    runs = {
        f"{program}-{mode}": run_fixture(program, preview=mode == "preview")
        for program in ("account_baseline", "account_baseline_keyless")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


def test_ebs_encryption_by_default_stays_on_with_our_key(baseline, mode):
    found = violations(baseline(f"account_baseline-{mode}"), "ebs-encryption-by-default-with-cmk")
    assert set(found) == {"ebs-default-off", "aws-managed-default-key"}
    assert "enabled=false" in found["ebs-default-off"][0]
    assert "AWS managed key" in found["aws-managed-default-key"][0]


def test_ebs_encryption_by_default_without_a_default_key_uses_aws_ebs(baseline, mode):
    found = violations(baseline(f"account_baseline_keyless-{mode}"), "ebs-encryption-by-default-with-cmk")
    assert list(found) == [""]  # a stack-wide finding: the missing resource has no URN
    assert "aws/ebs" in found[""][0]


def test_snapshot_and_ami_public_sharing_is_blocked(baseline, mode):
    found = violations(baseline(f"account_baseline-{mode}"), "ec2-snapshot-and-ami-public-sharing-blocked")
    assert set(found) == {"new-sharing-snapshot-block", "unblocked-ami"}


def test_the_s3_account_block_has_all_four_settings_and_a_left_out_one_is_off(baseline, mode):
    found = violations(baseline(f"account_baseline-{mode}"), "s3-account-public-access-block-all-on")
    assert set(found) == {"partial-s3-block"}
    assert "ignorePublicAcls, restrictPublicBuckets" in found["partial-s3-block"][0]


def test_a_serial_console_resource_without_enabled_turns_it_on(baseline, mode):
    found = violations(baseline(f"account_baseline-{mode}"), "ec2-serial-console-access-disabled")
    assert set(found) == {"default-serial-console"}


def test_the_password_policy_meets_cis_and_left_out_arguments_take_iam_s_weak_defaults(baseline, mode):
    found = violations(baseline(f"account_baseline-{mode}"), "iam-password-policy-strong")
    assert set(found) == {"weak-password-policy"}
    message = found["weak-password-policy"][0]
    assert "minimum_password_length is 8" in message
    assert "password_reuse_prevention is 0" in message  # left out: IAM allows reuse
    assert "requireUppercaseCharacters is off" in message and "requireSymbols" not in message


def test_a_stack_that_leaves_the_account_settings_to_the_organization_passes(analyze, mode):
    """The part-one compliant program manages none of these settings: nothing to judge, nothing reported."""
    findings = analyze(f"compliant-{mode}")
    for policy in (
        "ebs-encryption-by-default-with-cmk",
        "ec2-snapshot-and-ami-public-sharing-blocked",
        "s3-account-public-access-block-all-on",
        "ec2-serial-console-access-disabled",
        "iam-password-policy-strong",
    ):
        assert violations(findings, policy) == {}, policy
