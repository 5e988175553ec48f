"""Amazon MQ: brokers encrypted at rest with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, block, peek, truthy
from ..registry import PROJECT, Category, resource_policy
from ..types import MQ_BROKER


@resource_policy(
    name="mq-broker-encrypted-with-cmk",
    description="Amazon MQ brokers encrypt data at rest with our customer-managed KMS key: "
    "`encryption_options.use_aws_owned_key` is false and `kms_key_id` is our key. Left out, use_aws_owned_key "
    "'Defaults to true' (an AWS owned key outside the account), and false without kms_key_id 'creates an "
    "AWS-managed CMK aliased to aws/mq' (pulumi-aws 7 mq.Broker).",
    types=[MQ_BROKER],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set encryption_options={'use_aws_owned_key': False, 'kms_key_id': <our key ARN>} (a new broker: "
    "the key cannot change later).",
)
def mq_broker_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    options = block(args.props, "encryptionOptions")
    if options is UNKNOWN:
        return
    owned = peek(options, "useAwsOwnedKey") if options else None
    if owned is UNKNOWN:
        return
    if owned is None or truthy(owned):
        report(f"broker {args.name}: use_aws_owned_key is not false, so an AWS owned key encrypts it, not ours.")
        return
    problem = customer_key_problem(options, "kmsKeyId")
    if problem:
        report(f"broker {args.name}: {problem}.")
