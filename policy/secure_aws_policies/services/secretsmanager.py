"""Secrets Manager: secrets, their replicas and the RDS-managed master password, encrypted with our key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem, report_key
from ..props import UNKNOWN, attempt, items, peek, truthy, value
from ..registry import PROJECT, Category, resource_policy
from ..types import (
    RDS_CLUSTER,
    RDS_INSTANCE,
    SECRET,
)


@resource_policy(
    name="secret-encrypted-with-cmk",
    description="Secrets Manager secrets, their replicas in other regions, and RDS-managed master passwords are "
    "encrypted with our customer-managed KMS key. A replica's `kms_key_id` left out is the AWS managed "
    "aws/secretsmanager key of its region (pulumi-aws 7 secretsmanager.Secret `replicas`: 'Secrets Manager defaults "
    "to using the AWS account's default KMS key (`aws/secretsmanager`)').",
    types=[SECRET, RDS_INSTANCE, RDS_CLUSTER],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_id=<our key ARN> on aws.secretsmanager.Secret (and on each of its replicas: a replica "
    "key of our multi-Region key in that region), and master_user_secret_kms_key_id="
    "<our key ARN> on RDS instances and clusters that set manage_master_user_password=True.",
)
def secret_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == SECRET:
        report_key(args, report, "kmsKeyId", "secret")
        _report_replica_keys(args, report)
    # manage_master_user_password left out: RDS does not manage the password (no secret to judge);
    # master_user_secret_kms_key_id: "If not specified, the default KMS key for your Amazon Web Services account is
    # used" (rds/instance.py), aws/secretsmanager, not ours.
    elif truthy(value(args.props, "manageMasterUserPassword", False)):
        report_key(args, report, "masterUserSecretKmsKeyId", "the RDS-managed master password secret of")


def _report_replica_keys(args: Any, report: Any) -> None:
    """A replica is the same secret stored in another region: its key is judged like the primary's."""
    found = peek(args.props, "replicas")
    replicas = attempt(lambda: items(found)) if found is not UNKNOWN else UNKNOWN
    if replicas is UNKNOWN:
        return
    for index, replica in enumerate(replicas):
        if not isinstance(replica, Mapping):
            continue
        problem = customer_key_problem(replica, "kmsKeyId")
        if problem:
            region = peek(replica, "region")
            where = f" ({region})" if isinstance(region, str) else ""
            report(f"secret {args.name}: replicas[{index}]{where}: {problem}.")
