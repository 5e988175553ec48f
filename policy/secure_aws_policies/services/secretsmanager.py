"""Secrets Manager: secrets, including the RDS-managed master password, encrypted with our key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import report_key
from ..props import truthy, value
from ..registry import PROJECT, Category, resource_policy
from ..types import (
    RDS_CLUSTER,
    RDS_INSTANCE,
    SECRET,
)


@resource_policy(
    name="secret-encrypted-with-cmk",
    description="Secrets Manager secrets, including RDS-managed master passwords, are encrypted with our "
    "customer-managed KMS key.",
    types=[SECRET, RDS_INSTANCE, RDS_CLUSTER],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_id=<our key ARN> on aws.secretsmanager.Secret, and master_user_secret_kms_key_id="
    "<our key ARN> on RDS instances and clusters that set manage_master_user_password=True.",
)
def secret_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == SECRET:
        report_key(args, report, "kmsKeyId", "secret")
    elif truthy(value(args.props, "manageMasterUserPassword", False)):
        report_key(args, report, "masterUserSecretKmsKeyId", "the RDS-managed master password secret of")
