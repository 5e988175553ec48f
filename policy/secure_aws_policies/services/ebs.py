"""EBS snapshots: copies and imports encrypted with our customer-managed key (volumes: ec2.py)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import flag_then_key_problem
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import EBS_SNAPSHOT_COPY, EBS_SNAPSHOT_IMPORT


@resource_policy(
    name="ebs-snapshot-copy-encrypted-with-cmk",
    description="EBS snapshot copies and imported snapshots are encrypted with our customer-managed KMS key. Left "
    "out, `encrypted` is false and a copy of an unencrypted snapshot stays unencrypted (pulumi-aws 7 "
    "ebs.SnapshotCopy: 'Whether the snapshot is encrypted'; an import is encrypted only when asked), and "
    "`kms_key_id` left out means the source's key or the AWS managed key aws/ebs (ebs.SnapshotImport: 'if this "
    "parameter is not specified, the default KMS key for EBS is used').",
    types=[EBS_SNAPSHOT_COPY, EBS_SNAPSHOT_IMPORT],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("EC2.3"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set encrypted=True and kms_key_id=<our key ARN> on aws.ebs.SnapshotCopy and aws.ebs.SnapshotImport.",
)
def ebs_snapshot_copy_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    what = "EBS snapshot copy" if args.resource_type == EBS_SNAPSHOT_COPY else "imported EBS snapshot"
    unencrypted = "`encrypted` is not true, so it may be stored unencrypted"
    problem = flag_then_key_problem(args.props, "encrypted", "kmsKeyId", unencrypted)
    if problem:
        report(f"{what} {args.name}: {problem}.")
