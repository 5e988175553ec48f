"""MSK (Managed Streaming for Kafka): clusters encrypted at rest with our key and in transit, client to broker and
between brokers."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import key_problem_at
from ..props import UNKNOWN, block, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import MSK_CLUSTER


@resource_policy(
    name="msk-cluster-encrypted-with-cmk",
    description="MSK clusters encrypt data at rest with our customer-managed KMS key "
    "(`encryption_info.encryption_at_rest_kms_key_arn`: 'If no key is specified, an AWS managed KMS (aws/msk) key "
    "will be used', pulumi-aws 7 msk.Cluster) and in transit: `client_broker` TLS (default TLS; TLS_PLAINTEXT and "
    "PLAINTEXT accept plaintext clients) and `in_cluster` not false (default true).",
    types=[MSK_CLUSTER],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("MSK.1"), PROJECT("encryption-at-rest-with-cmk"), PROJECT("encryption-in-transit")],
    remediation="Set encryption_info={'encryption_at_rest_kms_key_arn': <our key ARN>, 'encryption_in_transit': "
    "{'client_broker': 'TLS', 'in_cluster': True}}.",
)
def msk_cluster_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    problem = key_problem_at(args.props, "encryptionInfo.encryptionAtRestKmsKeyArn")
    if problem:
        report(f"MSK cluster {args.name}: {problem}.")
    info = block(args.props, "encryptionInfo")
    # encryption_in_transit left out: client_broker "Default value is `TLS`", in_cluster "Default value: `true`"
    # (msk/_inputs.py), so only a value that is set can weaken it.
    transit = block(info, "encryptionInTransit") if info not in (None, UNKNOWN) else info
    if transit is UNKNOWN:
        return
    client_broker = peek(transit, "clientBroker") if transit else None
    if client_broker not in (None, UNKNOWN, "TLS"):
        report(f"MSK cluster {args.name}: client_broker is {client_broker}, so clients may connect in plaintext.")
    in_cluster = peek(transit, "inCluster") if transit else None
    if in_cluster not in (None, UNKNOWN) and not truthy(in_cluster):
        report(f"MSK cluster {args.name}: in_cluster is false, so brokers replicate in plaintext.")
