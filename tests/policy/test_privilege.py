"""Privilege, not spelling (issue 10 item 8): an identity policy is judged on what it allows. Through the real pack
process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations

ESCALATION = "iam-no-privilege-escalation"


@pytest.fixture(scope="module")
def privilege(policy_pack) -> Analyses:
    return Analyses(policy_pack, {m: run_fixture("privilege", preview=m == "preview") for m in ("preview", "apply")})


def test_what_amounts_to_admin_is_refused_however_it_is_spelled(privilege, mode):
    found = violations(privilege(mode), ESCALATION)
    assert set(found) == {
        "s3-get-everything-policy",
        "kms-prefix-wildcard-policy",
        "passrole-runinstances-policy",
        "iam-writes-on-all-roles-policy",
        "iam-question-mark-policy",
        "service-wildcard-spelling-policy",
        "s3-full-access-attachment",
        "assume-any-role-policy",
        "update-any-function-policy",
        "command-any-instance-policy",
        "read-every-secret-policy",
    }
    assert "allows i*:*, se?retsmanager:Get* on every resource" in found["service-wildcard-spelling-policy"][0]
    assert "allows s3:Get* on every resource" in found["s3-get-everything-policy"][0]
    assert "allows kms:Decr* on every resource" in found["kms-prefix-wildcard-policy"][0]
    assert (
        "allows iam:PassRole on every role, and the document allows ec2:RunInstances"
        in (found["passrole-runinstances-policy"][0])
    )
    assert (
        "allows IAM permission writes (iam:AttachRolePolicy) on every role"
        in (found["iam-writes-on-all-roles-policy"][0])
    )
    assert any("iam:PutRolePolicy" in m for m in found["iam-question-mark-policy"])
    assert "AmazonS3FullAccess, which is admin-equivalent" in found["s3-full-access-attachment"][0]
    for name, action in (
        ("assume-any-role-policy", "sts:AssumeRole"),
        ("update-any-function-policy", "lambda:UpdateFunctionCode"),
        ("command-any-instance-policy", "ssm:SendCommand"),
        ("read-every-secret-policy", "secretsmanager:GetSecretValue"),
    ):
        assert any(f"allows {action} on every resource: whoever holds it acts as" in m for m in found[name]), name


def test_metadata_reads_scoped_pass_role_and_named_actions_pass(privilege, mode):
    assert not [name for name in violations(privilege(mode), ESCALATION) if name.startswith("ok-")]
