"""AWS Backup: vaults encrypt recovery points with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import report_key
from ..registry import PROJECT, Category, resource_policy
from ..types import BACKUP_VAULT


@resource_policy(
    name="backup-vault-encrypted-with-cmk",
    description="AWS Backup vaults encrypt recovery points with our customer-managed KMS key. Left out, "
    "`kms_key_arn` means AWS Backup's AWS managed key aws/backup (pulumi-aws 7 backup.Vault: 'Server-side "
    "encryption key that is used to protect your backups'; it cannot be changed after the vault is created).",
    types=[BACKUP_VAULT],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_arn=<our key ARN> on aws.backup.Vault (a new vault: the key cannot change later).",
)
def backup_vault_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    report_key(args, report, "kmsKeyArn", "backup vault")
