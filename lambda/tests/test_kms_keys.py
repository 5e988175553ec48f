"""KMS: enabled, symmetric, customer-managed keys rotate automatically."""

from __future__ import annotations

import pytest
from conftest import Account

from auditor.kms_keys import ROTATION, is_rotatable_customer_key


def test_a_customer_key_without_rotation_is_a_finding(run_audit, clean_account: Account):
    key = clean_account.client("kms").create_key(Description="made in the console")["KeyMetadata"]

    assert [(f["rule"], f["resource"], f["detail"]) for f in run_audit()["findings"]] == [
        (ROTATION, key["Arn"], "customer-managed key (made in the console) does not rotate automatically")
    ]


def test_disabled_and_asymmetric_keys_are_out_of_scope(run_audit, clean_account: Account):
    kms = clean_account.client("kms")
    disabled = kms.create_key(Description="retired")["KeyMetadata"]["KeyId"]
    kms.disable_key(KeyId=disabled)
    kms.create_key(Description="signing", KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")

    result = run_audit()

    assert result["findings"] == []
    assert result["checked"][ROTATION] == 1


def test_a_key_the_auditor_may_not_describe_is_an_audit_error_and_the_others_are_checked(
    run_audit, clean_account: Account, deny
):
    kms = clean_account.client("kms")
    hidden = kms.create_key(Description="another team's")["KeyMetadata"]
    unrotated = kms.create_key(Description="unrotated")["KeyMetadata"]
    deny("kms", "DescribeKey", only_for={"KeyId": hidden["KeyId"]})

    result = run_audit()

    assert [(f["rule"], f["resource"]) for f in result["findings"]] == [
        ("audit-error", hidden["Arn"]),
        (ROTATION, unrotated["Arn"]),
    ]


@pytest.mark.parametrize(
    ("change", "in_scope"),
    [
        ({}, True),
        ({"KeyManager": "AWS"}, False),
        ({"KeyState": "PendingDeletion"}, False),
        ({"KeySpec": "HMAC_256"}, False),
        ({"Origin": "EXTERNAL"}, False),
        ({"Origin": "AWS_CLOUDHSM"}, False),
    ],
)
def test_which_keys_the_rotation_rule_applies_to(change, in_scope):
    metadata = {"KeyManager": "CUSTOMER", "KeyState": "Enabled", "KeySpec": "SYMMETRIC_DEFAULT", "Origin": "AWS_KMS"}

    assert is_rotatable_customer_key({**metadata, **change}) is in_scope
