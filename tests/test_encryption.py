"""The encryption tier: one rotating customer-managed key whose policy lets only this stack's services use it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from preflight.mocks import ACCOUNT_ID, REGION
from preflight.record import Recording, is_unknown
from tests.conftest import run_stack

COMPONENT = "secure-aws:encryption:Encryption"
KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
TRAIL_ARN = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT_ID}:trail/secure-aws-prod-trail"


def key_of(rec: Recording):
    return rec.named("encryption-key")


def key_policy(rec: Recording) -> dict[str, Any]:
    policy = key_of(rec).inputs["policy"]
    assert not is_unknown(policy), "the key policy must be known (account id and region are known)"
    return json.loads(policy)


def statement(policy: dict[str, Any], sid: str) -> dict[str, Any]:
    matches = [s for s in policy["Statement"] if s.get("Sid") == sid]
    assert len(matches) == 1, f"expected one statement {sid!r}"
    return matches[0]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_key_rotates_automatically_and_waits_30_days_before_deletion(prod):
    key = key_of(prod)
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30
    assert key.inputs["customerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
    assert key.inputs["description"]


def test_alias_names_the_project_and_stack_and_points_at_the_key(prod_apply):
    alias = prod_apply.named("encryption-alias")
    assert alias.inputs["name"] == "alias/secure-aws-prod"
    assert alias.inputs["targetKeyId"] == key_of(prod_apply).outputs["keyId"]


def test_key_and_alias_are_children_of_the_component_named_after_it(prod):
    (component,) = prod.of_type(COMPONENT)
    assert component.name == "encryption"
    for child in (key_of(prod), prod.named("encryption-alias")):
        assert child.parent == component.urn
        assert child.name.startswith(f"{component.name}-")


def test_key_uses_the_stack_provider_through_its_parent(prod_apply):
    (provider,) = prod_apply.of_type("pulumi:providers:aws")
    assert key_of(prod_apply).provider.startswith(provider.urn)


def test_key_policy_is_known_even_in_a_first_preview(prod_preview):
    policy = key_policy(prod_preview)
    assert statement(policy, "EnableRootAccountAdministration")


def test_root_administers_the_key(prod_apply):
    root = statement(key_policy(prod_apply), "EnableRootAccountAdministration")
    assert root["Effect"] == "Allow"
    assert root["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}
    assert root["Action"] == "kms:*"
    assert "Condition" not in root


def test_nobody_but_root_gets_kms_star(prod_apply):
    for s in key_policy(prod_apply)["Statement"]:
        if s["Sid"] == "EnableRootAccountAdministration":
            continue
        assert "kms:*" not in as_list(s["Action"]), s["Sid"]
        assert all(a.startswith("kms:") and a != "kms:*" for a in as_list(s["Action"])), s["Sid"]


def test_every_statement_but_root_is_conditioned(prod_apply):
    for s in key_policy(prod_apply)["Statement"]:
        if s["Sid"] != "EnableRootAccountAdministration":
            assert s.get("Condition"), f"{s['Sid']} grants use of the key without a condition"


def test_cloudtrail_encrypts_only_for_this_stacks_trail(prod_apply):
    policy = key_policy(prod_apply)
    encrypt = statement(policy, "AllowCloudTrailToEncryptLogs")
    assert encrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert encrypt["Action"] == "kms:GenerateDataKey*"
    assert encrypt["Condition"]["StringLike"] == {
        "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{ACCOUNT_ID}:trail/*"
    }
    assert encrypt["Condition"]["StringEquals"] == {"aws:SourceArn": TRAIL_ARN}
    describe = statement(policy, "AllowCloudTrailToDescribeKey")
    assert describe["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert describe["Action"] == "kms:DescribeKey"
    assert describe["Condition"]["StringEquals"] == {"aws:SourceArn": TRAIL_ARN}


def test_the_trail_the_key_policy_pins_is_the_one_the_audit_tier_creates(prod_apply):
    """The key policy names the trail (aws:SourceArn) before it exists: both tiers get the name from __main__."""
    describe = statement(key_policy(prod_apply), "AllowCloudTrailToDescribeKey")
    assert describe["Condition"]["StringEquals"]["aws:SourceArn"] == prod_apply.stack_outputs["trailArn"]


def test_cloudwatch_logs_of_this_account_and_region_only(prod_apply):
    logs = statement(key_policy(prod_apply), "AllowCloudWatchLogsOfThisAccount")
    assert logs["Principal"] == {"Service": f"logs.{REGION}.amazonaws.com"}
    assert set(logs["Action"]) == {
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
    }
    assert logs["Condition"] == {
        "ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:*"}
    }


def test_cloudwatch_alarms_publish_to_encrypted_topics_of_this_account(prod_apply):
    alarms = statement(key_policy(prod_apply), "AllowCloudWatchAlarmsToPublishToEncryptedTopics")
    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert set(alarms["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    assert alarms["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT_ID}
    assert alarms["Condition"]["ArnLike"] == {
        "kms:EncryptionContext:aws:sns:topicArn": f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:*"
    }


def test_eventbridge_publishes_to_encrypted_topics_of_this_account_without_source_keys(prod_apply):
    """SNS documents aws:SourceAccount/SourceArn as unsupported for EventBridge-to-encrypted-topic delivery."""
    events = statement(key_policy(prod_apply), "AllowEventBridgeToPublishToEncryptedTopics")
    assert events["Principal"] == {"Service": "events.amazonaws.com"}
    assert set(events["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    assert events["Condition"] == {
        "ArnLike": {"kms:EncryptionContext:aws:sns:topicArn": f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:*"}
    }


def test_account_principals_use_the_key_only_through_this_stacks_services(prod_apply):
    use = statement(key_policy(prod_apply), "AllowUseThroughServicesForThisAccount")
    assert use["Principal"] == {"AWS": "*"}
    assert set(use["Action"]) == {
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
    }
    assert use["Condition"]["StringEquals"]["kms:CallerAccount"] == ACCOUNT_ID
    assert set(use["Condition"]["StringEquals"]["kms:ViaService"]) == {
        f"{service}.{REGION}.amazonaws.com"
        for service in ("s3", "sns", "ec2", "rds", "lambda", "secretsmanager", "sqs")
    }


def test_grants_only_for_aws_resources_of_this_account(prod_apply):
    grants = statement(key_policy(prod_apply), "AllowGrantsForAwsResourcesOfThisAccount")
    assert grants["Principal"] == {"AWS": "*"}
    assert grants["Action"] == "kms:CreateGrant"
    assert grants["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}
    assert grants["Condition"]["StringEquals"]["kms:CallerAccount"] == ACCOUNT_ID
    assert f"ec2.{REGION}.amazonaws.com" in grants["Condition"]["StringEquals"]["kms:ViaService"]


def test_wildcard_principals_are_always_bound_to_this_account(prod_apply):
    for s in key_policy(prod_apply)["Statement"]:
        if s["Principal"] in ("*", {"AWS": "*"}):
            assert s["Condition"]["StringEquals"]["kms:CallerAccount"] == ACCOUNT_ID, s["Sid"]


def test_key_is_protected_in_production(prod):
    assert key_of(prod).protect is True


def test_key_is_not_protected_outside_production():
    staging = run_stack(preview=True, environment="Staging")
    assert key_of(staging).protect is False


def test_preview_knows_no_key_arn_and_exports_it_as_unknown(prod_preview):
    assert is_unknown(prod_preview.stack_outputs["kmsKeyArn"])


def test_apply_exports_the_key_arn(prod_apply):
    arn = prod_apply.stack_outputs["kmsKeyArn"]
    assert arn == key_of(prod_apply).outputs["arn"]
    assert arn.startswith(f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/")


@pytest.mark.parametrize("preview", [True, False])
def test_two_runs_register_the_same_key(preview):
    def registrations(rec: Recording) -> list[tuple[str, str, str, Any]]:
        # Wire form: unknowns compare equal there, and it is what the engine diffs.
        return [(r.type, r.name, r.parent, r.wire_inputs) for r in rec.of_type(KEY) + rec.of_type(ALIAS)]

    assert registrations(run_stack(preview)) == registrations(run_stack(preview))
