"""RDS snapshot copies (instance and cluster) encrypted with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import report_key
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import RDS_CLUSTER_SNAPSHOT_COPY, RDS_SNAPSHOT_COPY


@resource_policy(
    name="rds-snapshot-copy-encrypted-with-cmk",
    description="RDS DB and cluster snapshot copies name our customer-managed KMS key. Left out, `kms_key_id` "
    "keeps the source snapshot's encryption (pulumi-aws 7 rds.SnapshotCopy / ClusterSnapshotCopy: 'KMS key ID'; the "
    "RDS CopyDBSnapshot API copies an unencrypted snapshot unencrypted and an encrypted one under its key, often "
    "aws/rds), which the stack cannot show is ours.",
    types=[RDS_SNAPSHOT_COPY, RDS_CLUSTER_SNAPSHOT_COPY],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("RDS.4"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_id=<our key ARN> on aws.rds.SnapshotCopy and aws.rds.ClusterSnapshotCopy.",
)
def rds_snapshot_copy_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    report_key(args, report, "kmsKeyId", "RDS snapshot copy")
