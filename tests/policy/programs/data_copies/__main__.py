"""Copies of our data (tests/policy/test_data_copies.py). The explicit provider may deploy only to account
123456789012, the account the pack guards; 999999999999 is someone else's. Each kind of copy once to their account
and once to ours ("ok-")."""

import pulumi
import pulumi_aws as aws

OURS, THEIRS = "123456789012", "999999999999"
provider = aws.Provider("guarded", region="us-east-1", allowed_account_ids=[OURS])
opts = pulumi.ResourceOptions(provider=provider)


def s3_replication(name: str, account: str) -> None:
    destination = {"bucket": "arn:aws:s3:::replica-bucket", "account": account}
    rule = {"status": "Enabled", "destination": destination}
    aws.s3.BucketReplicationConfig(name, bucket="src", role=f"arn:aws:iam::{OURS}:role/r", rules=[rule], opts=opts)


def ecr_replication(name: str, account: str) -> None:
    destinations = [{"region": "us-east-1", "registry_id": account}]
    aws.ecr.ReplicationConfiguration(
        name, replication_configuration={"rules": [{"destinations": destinations}]}, opts=opts
    )


def backup_copy(name: str, account: str) -> None:
    vault = f"arn:aws:backup:us-east-1:{account}:backup-vault:copies"
    rule = {"rule_name": "daily", "target_vault_name": "main", "copy_actions": [{"destination_vault_arn": vault}]}
    aws.backup.Plan(name, rules=[rule], opts=opts)


def subscription(name: str, account: str) -> None:
    topic = f"arn:aws:sns:us-east-1:{OURS}:alerts"
    queue = f"arn:aws:sqs:us-east-1:{account}:inbox"
    aws.sns.TopicSubscription(name, topic=topic, protocol="sqs", endpoint=queue, opts=opts)


def log_subscription(name: str, account: str) -> None:
    destination = f"arn:aws:logs:us-east-1:{account}:destination:central"
    aws.cloudwatch.LogSubscriptionFilter(
        name, log_group="app", filter_pattern="", destination_arn=destination, opts=opts
    )


def event_target(name: str, account: str) -> None:
    bus = f"arn:aws:events:us-east-1:{account}:event-bus/default"
    aws.cloudwatch.EventTarget(name, rule="orders", arn=bus, opts=opts)


for copy in (s3_replication, ecr_replication, backup_copy, subscription, log_subscription, event_target):
    kind = copy.__name__.replace("_", "-")
    copy(f"{kind}-to-their-account", THEIRS)
    copy(f"ok-{kind}-to-ours", OURS)
