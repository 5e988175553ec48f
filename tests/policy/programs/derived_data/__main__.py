"""Data that leaves a data service (tests/policy/test_derived_data.py): each kind once with our key ("ok-", the key
unknown at preview) and once with the key left out or an AWS managed one."""

import pulumi_aws as aws

key = aws.kms.Key("data-key", enable_key_rotation=True, deletion_window_in_days=30)
DB = "arn:aws:rds:us-east-1:123456789012:db:app"
CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:app"
WAREHOUSE = "arn:aws:redshift-serverless:us-east-1:123456789012:namespace/abc"
ROLE = "arn:aws:iam::123456789012:role/export"


def export(name: str, kms_key_id: object) -> None:
    aws.rds.ExportTask(
        name,
        export_task_identifier=name,
        iam_role_arn=ROLE,
        kms_key_id=kms_key_id,
        s3_bucket_name="exports",
        source_arn=f"{DB}:snapshot:nightly",
    )


export("ok-export", key.arn)
export("export-aws-key", "alias/aws/rds")
aws.rds.ClusterActivityStream("ok-activity-stream", kms_key_id=key.arn, mode="async", resource_arn=CLUSTER)
aws.rds.InstanceAutomatedBackupsReplication("backups-replication-no-key", source_db_instance_arn=DB)
aws.rds.InstanceAutomatedBackupsReplication("ok-backups-replication", source_db_instance_arn=DB, kms_key_id=key.arn)
aws.rds.Integration("rds-integration-no-key", integration_name="a", source_arn=CLUSTER, target_arn=WAREHOUSE)
aws.rds.Integration(
    "ok-rds-integration", integration_name="b", source_arn=CLUSTER, target_arn=WAREHOUSE, kms_key_id=key.arn
)
aws.redshift.Integration("redshift-integration-no-key", integration_name="c", source_arn=CLUSTER, target_arn=WAREHOUSE)
aws.redshift.SnapshotCopyGrant("copy-grant-default-key", snapshot_copy_grant_name="grant-a")
aws.redshift.SnapshotCopyGrant("ok-copy-grant", snapshot_copy_grant_name="grant-b", kms_key_id=key.arn)
aws.rds.CustomDbEngineVersion(
    "oracle-engine-no-key",
    engine="custom-oracle-ee",
    engine_version="19.cdb_cev1",
    database_installation_files_s3_bucket_name="media",
)
aws.rds.CustomDbEngineVersion(
    "ok-sqlserver-engine",
    engine="custom-sqlserver-ee",
    engine_version="15.00.4249.2.cev-1",
    source_image_id="ami-0123456789abcdef0",
)
aws.docdb.ClusterInstance(
    "docdb-insights-default-key",
    cluster_identifier="docs",
    instance_class="db.r6g.large",
    enable_performance_insights=True,
)
aws.docdb.ClusterInstance("ok-docdb-instance-no-insights", cluster_identifier="docs", instance_class="db.r6g.large")
aws.backup.LogicallyAirGappedVault("air-gapped-no-key", max_retention_days=365, min_retention_days=30)
aws.backup.LogicallyAirGappedVault(
    "ok-air-gapped", max_retention_days=365, min_retention_days=30, encryption_key_arn=key.arn
)
TOPIC = aws.msk.ChannelTopicConfigurationArgs(
    topic_arn="arn:aws:kafka:us-east-1:123456789012:topic/app/abc/events",
    record_converter=aws.msk.ChannelTopicConfigurationRecordConverterArgs(value_converter="JSON"),
)
MSK = "arn:aws:kafka:us-east-1:123456789012:cluster/app/abc"
aws.msk.Channel("channel-no-key", channel_name="events", cluster_arn=MSK, topic_configuration=TOPIC)
aws.msk.Channel(
    "ok-channel",
    channel_name="events2",
    cluster_arn=MSK,
    topic_configuration=TOPIC,
    encryption_configuration=aws.msk.ChannelEncryptionConfigurationArgs(kms_key_arn=key.arn),
)
