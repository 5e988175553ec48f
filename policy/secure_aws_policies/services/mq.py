"""Amazon MQ: brokers encrypted at rest with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, block, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
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


@resource_policy(
    name="mq-broker-logs-to-cloudwatch",
    description="Amazon MQ brokers stream their general logs to CloudWatch Logs (logs.general), and ActiveMQ brokers "
    "their audit logs too (logs.audit: user management through JMX or the web console). pulumi-aws 7 mq.Broker "
    "BrokerLogs: audit 'Defaults to `false`' ('Only possible for `engine_type` of `ActiveMQ`'), general 'Defaults to "
    "`false`'.",
    types=[MQ_BROKER],
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[FSBP("MQ.2"), PROJECT("log-retention")],
    remediation="Set logs={general: True} on the broker, and audit: True as well on ActiveMQ brokers.",
)
def mq_broker_logs_to_cloudwatch(args: Any, report: Any, config: dict) -> None:
    # engine_type is required ("Valid values are `ActiveMQ` and `RabbitMQ`"); logs left out: no logs at all.
    engine = peek(args.props, "engineType")
    logs = block(args.props, "logs")
    if UNKNOWN in (engine, logs):
        return
    logs = logs or {}
    missing = [kind for kind in ("general", "audit") if not truthy(peek(logs, kind))]
    if str(engine).lower() != "activemq":
        missing = [kind for kind in missing if kind != "audit"]
    if missing:
        report(f"broker {args.name} does not stream its {' and '.join(missing)} logs to CloudWatch Logs.")
