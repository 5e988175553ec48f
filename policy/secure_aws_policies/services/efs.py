"""EFS: file systems encrypted at rest with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, falsy, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import EFS_FILE_SYSTEM


@resource_policy(
    name="efs-file-system-encrypted-with-cmk",
    description="EFS file systems are encrypted at rest with our customer-managed KMS key. Left out, `encrypted` "
    "is false (pulumi-aws 7 efs.FileSystem: 'If true, the disk will be encrypted'; the provider's default is "
    "false, and encryption can only be chosen at creation), and `kms_key_id` left out means the AWS managed key "
    "aws/elasticfilesystem.",
    types=[EFS_FILE_SYSTEM],
    severity=Severity.HIGH,
    category=Category.ENCRYPTION,
    controls=[FSBP("EFS.1"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set encrypted=True and kms_key_id=<our key ARN> on aws.efs.FileSystem (a new file system: "
    "encryption cannot be turned on for an existing one).",
)
def efs_file_system_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    encrypted = peek(args.props, "encrypted")
    if encrypted is UNKNOWN:
        return
    if not truthy(encrypted):
        form = "is false" if falsy(encrypted) else "is left out (the default is false)"
        report(f"EFS file system {args.name}: `encrypted` {form}, so its files are stored unencrypted.")
        return
    problem = customer_key_problem(args.props, "kmsKeyId")
    if problem:
        report(f"EFS file system {args.name}: {problem}.")
