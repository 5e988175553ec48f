"""The encryption tier: the one customer-managed KMS key every other tier encrypts with.

A single symmetric key with automatic rotation and a 30-day deletion window, behind an alias. Its key policy
is the whole access story: the account root administers it (so IAM stays in charge of who may manage it), and
each AWS service this stack uses may use it only under the condition keys AWS documents for that service.
Nobody but the root gets `kms:*`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.policy_documents import condition

# The services whose resources this stack encrypts with the key; principals of this account may use the key
# only through them (kms:ViaService), never directly.
VIA_SERVICES = ("s3", "sns", "ec2", "rds", "lambda", "secretsmanager", "sqs")
DELETION_WINDOW_DAYS = 30


def stack_trail_name(project: str, stack: str) -> str:
    """The CloudTrail trail's name: fixed up front, because the key policy and the trail bucket's policy name the
    trail (`aws:SourceArn`) before the audit tier creates it."""
    return f"{project}-{stack}-trail"


@dataclass(kw_only=True)
class EncryptionArgs:
    """What the key needs to know: whose key it is, where, and the trail it must encrypt for."""

    project: str
    stack: str
    """With `project`, names the alias (alias/<project>-<stack>) and says in the description whose key it is."""
    region: str
    """The region of the services the key serves (CloudWatch Logs' regional principal, kms:ViaService)."""
    trail_name: str
    """The audit tier's trail; `aws:SourceArn` in the key policy names it before the trail exists."""
    is_production: bool
    """Production protects the key (`protect`): losing it loses everything encrypted with it."""
    config_delivery: bool = False
    """AWS Config delivers to the trail bucket encrypted with this key (the detection tier's recorder)."""


class Encryption(pulumi.ComponentResource):
    """A customer-managed KMS key (rotation on, 30-day deletion window), its alias and its key policy."""

    key_arn: pulumi.Output[str]
    key_id: pulumi.Output[str]
    alias_name: pulumi.Output[str]

    def __init__(self, name: str, args: EncryptionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("secure-aws:encryption:Encryption", name, None, opts)
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        policy = _key_policy(self, account_id, args.region, args.trail_name, args.config_delivery)

        key = aws.kms.Key(
            f"{name}-key",
            description=f"{args.project}/{args.stack}: encrypts logs, buckets, topics, volumes, "
            "database, secrets and function settings",
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            enable_key_rotation=True,
            deletion_window_in_days=DELETION_WINDOW_DAYS,
            policy=policy,
            # Losing this key makes every log, object and snapshot encrypted with it unreadable.
            opts=pulumi.ResourceOptions(parent=self, protect=args.is_production),
        )
        alias = aws.kms.Alias(
            f"{name}-alias",
            name=f"alias/{args.project}-{args.stack}",
            target_key_id=key.key_id,
            opts=pulumi.ResourceOptions(parent=self),
        )

        self.key_arn = key.arn
        self.key_id = key.key_id
        self.alias_name = alias.name
        self.register_outputs({"key_arn": self.key_arn, "key_id": self.key_id, "alias_name": self.alias_name})


def _service(principal: str) -> list[aws.iam.GetPolicyDocumentStatementPrincipalArgs]:
    return [aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=[principal])]


def _key_policy(
    parent: pulumi.Resource, account_id: pulumi.Output[str], region: str, trail_name: str, config_delivery: bool
) -> pulumi.Output[str]:
    """The key policy: root administration, then one statement per service use, each scoped by conditions."""
    root = account_id.apply(lambda account: f"arn:aws:iam::{account}:root")
    trail_arn = account_id.apply(lambda account: f"arn:aws:cloudtrail:{region}:{account}:trail/{trail_name}")
    any_trail_of_account = account_id.apply(lambda account: f"arn:aws:cloudtrail:*:{account}:trail/*")
    log_groups_of_account = account_id.apply(lambda account: f"arn:aws:logs:{region}:{account}:log-group:*")
    topics_of_account = account_id.apply(lambda account: f"arn:aws:sns:{region}:{account}:*")
    statements = [
        # The standard first statement of every key policy: without it the key answers to nobody but this
        # policy, and a mistake here would lock the account out of its own key for good. It hands control to
        # IAM: only principals whose IAM policies allow kms:* actions can administer or use the key.
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="EnableRootAccountAdministration",
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="AWS", identifiers=[root])],
            actions=["kms:*"],
            resources=["*"],
        ),
        # CloudTrail encrypts log and digest files with a data key bound to the trail's ARN; aws:SourceArn pins
        # the one trail of this stack (named before it exists, which is why the name is fixed).
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AllowCloudTrailToEncryptLogs",
            principals=_service("cloudtrail.amazonaws.com"),
            actions=["kms:GenerateDataKey*"],
            resources=["*"],
            conditions=[
                condition("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", any_trail_of_account),
                condition("StringEquals", "aws:SourceArn", trail_arn),
            ],
        ),
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AllowCloudTrailToDescribeKey",
            principals=_service("cloudtrail.amazonaws.com"),
            actions=["kms:DescribeKey"],
            resources=["*"],
            conditions=[condition("StringEquals", "aws:SourceArn", trail_arn)],
        ),
        # CloudWatch Logs (the regional principal) encrypts a log group's data bound to the log group's ARN:
        # only log groups of this account and region.
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AllowCloudWatchLogsOfThisAccount",
            principals=_service(f"logs.{region}.amazonaws.com"),
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources=["*"],
            conditions=[condition("ArnLike", "kms:EncryptionContext:aws:logs:arn", log_groups_of_account)],
        ),
        # CloudWatch alarms publish to the KMS-encrypted alert topic: SNS asks KMS for a data key on their
        # behalf, bound to the topic's ARN.
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AllowCloudWatchAlarmsToPublishToEncryptedTopics",
            principals=_service("cloudwatch.amazonaws.com"),
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions=[
                condition("StringEquals", "aws:SourceAccount", account_id),
                condition("ArnLike", "kms:EncryptionContext:aws:sns:topicArn", topics_of_account),
            ],
        ),
        # The same for EventBridge rules, but without aws:SourceAccount/aws:SourceArn: the SNS developer guide
        # says those keys are not supported in a KMS key policy for EventBridge-to-encrypted-topic delivery
        # (the request does not carry them, so every event would be dropped). The topic's ARN (this account's
        # topics only) scopes it instead, and the topic policy decides who may publish at all.
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AllowEventBridgeToPublishToEncryptedTopics",
            principals=_service("events.amazonaws.com"),
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions=[condition("ArnLike", "kms:EncryptionContext:aws:sns:topicArn", topics_of_account)],
        ),
        # Principals of this account may use the key only through the services that store our data. Naming
        # the principals instead is not possible: EBS volumes launched by Auto Scaling are encrypted by its
        # service-linked role, which may not exist yet when the key is created, and KMS rejects a key policy
        # naming a missing role. This ViaService + CallerAccount form is the one AWS's own aws/ebs key uses.
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AllowUseThroughServicesForThisAccount",
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="AWS", identifiers=["*"])],
            actions=["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            resources=["*"],
            conditions=[
                condition("StringEquals", "kms:CallerAccount", account_id),
                condition("StringEquals", "kms:ViaService", *_via_services(region)),
            ],
        ),
        # Services hold their own grants on the key (EBS for an attached volume, RDS for a running instance);
        # only grants for AWS resources, never grants a principal could hand to itself.
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AllowGrantsForAwsResourcesOfThisAccount",
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="AWS", identifiers=["*"])],
            actions=["kms:CreateGrant"],
            resources=["*"],
            conditions=[
                condition("StringEquals", "kms:CallerAccount", account_id),
                condition("StringEquals", "kms:ViaService", *_via_services(region)),
                condition("Bool", "kms:GrantIsForAWSResource", "true"),
            ],
        ),
    ]
    if config_delivery:
        # AWS Config's service-linked role has no KMS permissions, so Config delivers as its service principal;
        # the AWS Config Developer Guide's key policy for that case, for this account's Config only.
        statements.append(
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="AllowConfigToEncryptDeliveries",
                principals=_service("config.amazonaws.com"),
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=["*"],
                conditions=[condition("StringEquals", "aws:SourceAccount", account_id)],
            )
        )
    return aws.iam.get_policy_document_output(
        statements=statements, opts=pulumi.InvokeOutputOptions(parent=parent)
    ).json


def _via_services(region: str) -> list[str]:
    return [f"{service}.{region}.amazonaws.com" for service in VIA_SERVICES]
