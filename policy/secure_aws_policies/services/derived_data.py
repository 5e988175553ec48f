"""What the data services copy, stream or replicate out of a database is encrypted with our customer-managed key:
RDS snapshot exports to S3, database activity streams, cross-region automated backup replications, zero-ETL
integrations (RDS and Redshift), RDS Custom for Oracle engine versions, Redshift snapshot copy grants, DocumentDB
Performance Insights, logically air-gapped Backup vaults and MSK channels.

Each is a few lines of declaration: the argument that names the key, and what AWS uses when it is left out (quoted
from pulumi-aws 7 or the service's API reference).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pulumi_policy import Severity

from ..keys import key_problem_at
from ..props import UNKNOWN, peek, truthy, value
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import (
    BACKUP_AIR_GAPPED_VAULT,
    DOCDB_CLUSTER_INSTANCE,
    MSK_CHANNEL,
    RDS_AUTOMATED_BACKUPS_REPLICATION,
    RDS_CLUSTER_ACTIVITY_STREAM,
    RDS_CUSTOM_ENGINE_VERSION,
    RDS_EXPORT_TASK,
    RDS_INTEGRATION,
    REDSHIFT_INTEGRATION,
    REDSHIFT_SNAPSHOT_COPY_GRANT,
)


class KeyArgument(NamedTuple):
    path: str  # the key argument, dotted when it sits in a block
    what: str  # what the resource is, for the message
    left_out: str  # what AWS uses when the argument is left out


KEY_ARGUMENTS: dict[str, KeyArgument] = {
    # rds/export_task.py kms_key_id: "ID of the Amazon Web Services KMS key to use to encrypt the snapshot"
    # (required by the StartExportTask API).
    RDS_EXPORT_TASK: KeyArgument("kmsKeyId", "snapshot export", "required; no default"),
    # rds/cluster_activity_stream.py kms_key_id: "AWS KMS key identifier for encrypting messages in the database
    # activity stream" (required by StartActivityStream).
    RDS_CLUSTER_ACTIVITY_STREAM: KeyArgument("kmsKeyId", "activity stream", "required; no default"),
    # rds/instance_automated_backups_replication.py kms_key_id: "AWS KMS key identifier for encryption of the
    # replicated automated backups ... in the destination AWS Region"; left out, an unencrypted source's backups
    # are replicated unencrypted.
    RDS_AUTOMATED_BACKUPS_REPLICATION: KeyArgument(
        "kmsKeyId", "automated backups replication", "the replica is unencrypted unless the source is"
    ),
    # rds/integration.py kms_key_id: "If you don't specify an encryption key, RDS uses a default AWS owned key."
    RDS_INTEGRATION: KeyArgument("kmsKeyId", "zero-ETL integration", "an AWS owned key"),
    # redshift/integration.py kms_key_id: "KMS key identifier for the key to use to encrypt the integration"; left
    # out, an AWS owned key (Redshift CreateIntegration: "If you don't specify an encryption key, the default AWS
    # owned key is used").
    REDSHIFT_INTEGRATION: KeyArgument("kmsKeyId", "zero-ETL integration", "an AWS owned key"),
    # redshift/snapshot_copy_grant.py kms_key_id: "If not specified, the default key is used" (aws/redshift).
    REDSHIFT_SNAPSHOT_COPY_GRANT: KeyArgument("kmsKeyId", "snapshot copy grant", "the AWS managed aws/redshift key"),
    # backup/logically_air_gapped_vault.py encryption_key_arn: "AWS KMS key identifier (ARN) used to encrypt the
    # backups in the logically air-gapped vault"; left out, AWS Backup uses an AWS owned key.
    BACKUP_AIR_GAPPED_VAULT: KeyArgument("encryptionKeyArn", "logically air-gapped vault", "an AWS owned key"),
    # msk/channel.py encryption_configuration: "AWS KMS encryption configuration applied to data at rest"; its
    # kms_key_arn is required inside; left out, MSK encrypts the channel's data with an AWS owned key.
    MSK_CHANNEL: KeyArgument("encryptionConfiguration.kmsKeyArn", "MSK channel", "an AWS owned key"),
}


def _judged(args: Any) -> bool:
    """Whether the resource takes a key at all in the form it is declared."""
    if args.resource_type == RDS_CUSTOM_ENGINE_VERSION:
        # rds/custom_db_engine_version.py kms_key_id: "Required for RDS Custom for Oracle"; a SQL Server engine
        # version is built from an AMI and takes no key (engine "custom-oracle*" or "custom-sqlserver*", required).
        engine = peek(args.props, "engine")
        return engine is not UNKNOWN and str(engine or "").startswith("custom-oracle")
    if args.resource_type == DOCDB_CLUSTER_INSTANCE:
        # docdb/cluster_instance.py enable_performance_insights: "Default `false`"; its storage is the cluster's
        # (docdb-cluster-encrypted-with-cmk), so only Performance Insights, when on, takes a key here.
        return truthy(value(args.props, "enablePerformanceInsights", False))
    return True


_SPECIAL = {
    RDS_CUSTOM_ENGINE_VERSION: KeyArgument("kmsKeyId", "custom engine version", "required for Oracle; no default"),
    # docdb/cluster_instance.py performance_insights_kms_key_id: left out, "the default KMS key" (aws/rds).
    DOCDB_CLUSTER_INSTANCE: KeyArgument(
        "performanceInsightsKmsKeyId", "DocumentDB instance Performance Insights", "the AWS managed aws/rds key"
    ),
}


@resource_policy(
    name="derived-data-encrypted-with-cmk",
    description="What leaves a data service is encrypted with our customer-managed KMS key: RDS snapshot exports "
    "(`kms_key_id`), database activity streams, cross-region automated backup replications, RDS and Redshift "
    "zero-ETL integrations (left out: an AWS owned key), RDS Custom for Oracle engine versions, Redshift snapshot "
    "copy grants (left out: aws/redshift), DocumentDB instances' Performance Insights when enabled, logically "
    "air-gapped Backup vaults (`encryption_key_arn`; left out: an AWS owned key) and MSK channels "
    "(`encryption_configuration.kms_key_arn`).",
    types=sorted({*KEY_ARGUMENTS, *_SPECIAL}),
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("RDS.4"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set the key argument named in the finding to our key's ARN (kms_key_id, encryption_key_arn, "
    "performance_insights_kms_key_id, or encryption_configuration={kms_key_arn: ...}).",
)
def derived_data_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    if not _judged(args):
        return
    argument = KEY_ARGUMENTS.get(args.resource_type) or _SPECIAL[args.resource_type]
    problem = key_problem_at(args.props, argument.path)
    if problem:
        report(f"{argument.what} {args.name}: {problem} (left out: {argument.left_out}).")
