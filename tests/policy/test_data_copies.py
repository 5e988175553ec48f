"""Copies of our data stay in the guarded accounts (issue 10 item 6, "identity is this account"; item 10's sharing
rule for snapshots, extended to every copy): S3 and ECR replication, Backup copy actions, SNS subscriptions and
CloudWatch Logs subscriptions. Through the real pack process, both modes."""

from __future__ import annotations

from tests.policy.conftest import assert_refused_exactly, run_fixture, violations


def test_a_copy_to_another_account_is_refused_and_one_to_ours_passes(policy_pack, mode):
    findings = policy_pack.analyze(run_fixture("data_copies", preview=mode == "preview"))
    assert_refused_exactly(
        violations(findings, "data-copies-stay-in-guarded-accounts"),
        {
            "s3-replication-to-their-account": "account 999999999999 (rules[0].destination.account)",
            "ecr-replication-to-their-account": "destinations[0].registryId",
            "backup-copy-to-their-account": "copyActions[0].destinationVaultArn",
            "subscription-to-their-account": "(endpoint)",
            "log-subscription-to-their-account": "(destinationArn)",
            "event-target-to-their-account": "(arn)",
        },
    )


def test_an_account_listed_in_the_pack_config_is_guarded_too(policy_pack, mode):
    """accountIds in the pack config adds to the provider's allowed accounts: their account is ours now."""
    recording = run_fixture("data_copies", preview=mode == "preview")
    config = {"data-copies-stay-in-guarded-accounts": {"accountIds": ["999999999999"]}}
    assert violations(policy_pack.analyze(recording, config), "data-copies-stay-in-guarded-accounts") == {}
