"""Encryption at rest for snapshot copies and imports, elastic DocumentDB and video streams
(tests/policy/test_at_rest_copies.py): each once with our key ("ok-") and once with the key left out or AWS managed."""

import pulumi_aws as aws

key = aws.kms.Key("data-key", enable_key_rotation=True, deletion_window_in_days=30)
DISK = aws.ebs.SnapshotImportDiskContainerArgs(
    format="VHD", user_bucket=aws.ebs.SnapshotImportDiskContainerUserBucketArgs(s3_bucket="images", s3_key="disk.vhd")
)

aws.ebs.SnapshotImport("ok-import", disk_container=DISK, encrypted=True, kms_key_id=key.arn)
aws.ebs.SnapshotImport("import-unencrypted", disk_container=DISK)
aws.ebs.SnapshotImport("import-aws-key", disk_container=DISK, encrypted=True, kms_key_id="alias/aws/ebs")


def elastic(name: str, kms_key_id: object) -> None:
    aws.docdb.ElasticCluster(
        name,
        admin_user_name="docadmin",
        admin_user_password="arn:aws:secretsmanager:us-east-1:111111111111:secret:docdb-admin-AbCdEf",
        auth_type="SECRET_ARN",
        shard_capacity=2,
        shard_count=1,
        kms_key_id=kms_key_id,
    )


elastic("ok-elastic-docdb", key.arn)
elastic("elastic-docdb-key-left-out", None)

aws.kinesis.VideoStream("ok-video", data_retention_in_hours=24, kms_key_id=key.arn)
aws.kinesis.VideoStream("video-key-left-out", data_retention_in_hours=24)

SOURCE = "arn:aws:rds:us-east-1:111111111111:snapshot:nightly"
CLUSTER_SOURCE = "arn:aws:rds:us-east-1:111111111111:cluster-snapshot:nightly"
aws.rds.SnapshotCopy(
    "ok-snapshot-copy", source_db_snapshot_identifier=SOURCE, target_db_snapshot_identifier="copy-1", kms_key_id=key.arn
)
aws.rds.SnapshotCopy(
    "snapshot-copy-key-left-out", source_db_snapshot_identifier=SOURCE, target_db_snapshot_identifier="copy-2"
)
aws.rds.ClusterSnapshotCopy(
    "cluster-snapshot-copy-aws-key",
    source_db_cluster_snapshot_identifier=CLUSTER_SOURCE,
    target_db_cluster_snapshot_identifier="copy-3",
    kms_key_id="alias/aws/rds",
)
