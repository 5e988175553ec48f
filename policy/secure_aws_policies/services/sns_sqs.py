"""SNS and SQS: topics and queues encrypted with our key, topics that refuse plain-HTTP publishing, and no
subscription delivered over plain HTTP."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .. import documents
from ..keys import report_key
from ..props import UNKNOWN, Deferred, is_set, linked_to, peek, truthy, value
from ..registry import CDK_NAG, PROJECT, SECURITY_HUB, Category, resource_policy, stack_policy
from ..types import (
    SNS_TOPIC,
    SNS_TOPIC_POLICY,
    SNS_TOPIC_SUBSCRIPTION,
    SQS_QUEUE,
)


@resource_policy(
    name="sns-topic-encrypted-with-cmk",
    description="SNS topics encrypt messages at rest with our customer-managed KMS key.",
    types=[SNS_TOPIC],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[SECURITY_HUB("SNS.1"), CDK_NAG("NIST.800.53.R5-SNSEncryptedKMS")],
    remediation="Set kms_master_key_id=<our key ARN> (not alias/aws/sns: CloudWatch alarms and EventBridge "
    "cannot publish to a topic under the AWS managed key).",
)
def sns_topic_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    report_key(args, report, "kmsMasterKeyId", "topic")


@stack_policy(
    name="sns-topic-denies-insecure-transport",
    description="Every SNS topic has a topic policy that denies sns:Publish to everyone when aws:SecureTransport "
    "is false, so nothing publishes to it over plain HTTP.",
    types=[SNS_TOPIC, SNS_TOPIC_POLICY],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[CDK_NAG("AwsSolutions-SNS3"), PROJECT("encryption-in-transit")],
    remediation="Add an aws.sns.TopicPolicy with arn=<topic>.arn and a statement {Effect: Deny, Principal: '*', "
    "Action: 'sns:Publish', Resource: <topic ARN>, Condition: {Bool: {'aws:SecureTransport': 'false'}}}.",
)
def sns_topic_denies_insecure_transport(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    policies = linked_to(args.resources, SNS_TOPIC_POLICY, "arn")
    for topic in (r for r in args.resources if r.resource_type == SNS_TOPIC):
        with deferred.guard():
            holders = [(p.name, p.props) for p in policies.get(topic.urn, [])]
            # A topic's inline policy left out: SNS's default policy (owner account only), judged as no statement at
            # all.
            if peek(topic.props, "policy") not in (None, ""):
                holders.append(("its inline policy", topic.props))
            problem = documents.plain_transport_problem(holders, "sns:Publish", need_objects=False)
            if problem:
                report(
                    f"topic {topic.name} does not refuse plain-HTTP publishing: it needs a policy statement that "
                    f"denies sns:Publish to everyone when aws:SecureTransport is false, and {problem}.",
                    topic.urn,
                )
    deferred.finish()


@resource_policy(
    name="sqs-queue-encrypted-with-cmk",
    description="SQS queues encrypt messages at rest with our customer-managed KMS key, not SSE-SQS.",
    types=[SQS_QUEUE],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_master_key_id=<our key ARN> (and leave sqs_managed_sse_enabled unset).",
    config={
        "allowSqsManagedSse": {
            "type": "boolean",
            "default": False,
            "description": "Accept SSE-SQS (an SQS-owned key) for queues without a KMS key.",
        },
    },
)
def sqs_queue_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    """A queue without a KMS key gets SSE-SQS by default: encrypted, but with a key that is not ours."""
    if is_set(args.props, "kmsMasterKeyId"):
        report_key(args, report, "kmsMasterKeyId", "queue")
        return
    # sqs_managed_sse_enabled left out: SQS creates new queues with SSE-SQS on (SQS developer guide, "Encryption at
    # rest": SSE-SQS is the default for new queues); kms_master_key_id left out: no KMS key of ours.
    if config["allowSqsManagedSse"] and truthy(value(args.props, "sqsManagedSseEnabled", True)):
        return
    report(
        f"queue {args.name} has no kmsMasterKeyId, so it is encrypted (if at all) with SSE-SQS, an SQS-owned "
        "key, not our customer-managed key."
    )


@resource_policy(
    name="sns-subscription-https-only",
    description="SNS subscriptions are not delivered over plain HTTP: protocol `http` sends every message, and the "
    "subscription confirmation token, in plaintext; `https` (and the other protocols, which AWS delivers over "
    "its own TLS endpoints) pass.",
    types=[SNS_TOPIC_SUBSCRIPTION],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[PROJECT("encryption-in-transit")],
    remediation="Use protocol='https' with an https:// endpoint.",
)
def sns_subscription_https_only(args: Any, report: Any, config: dict) -> None:
    # protocol is required on a subscription; no default to judge.
    protocol = peek(args.props, "protocol")
    if protocol is not UNKNOWN and str(protocol).lower() == "http":
        report(f"subscription {args.name} delivers messages over plain HTTP.")
