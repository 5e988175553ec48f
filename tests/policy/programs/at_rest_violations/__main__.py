"""EFS, DynamoDB and ECR resources, each named after what it gets wrong (defaults left out included)."""

import pulumi_aws as aws

key = aws.kms.Key("data", enable_key_rotation=True, deletion_window_in_days=30)
attributes = [aws.dynamodb.TableAttributeArgs(name="id", type="S")]
pitr = aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True)
our_sse = aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=key.arn)

# EFS
aws.efs.FileSystem("efs-default-unencrypted")
aws.efs.FileSystem("efs-unencrypted", encrypted=False)
aws.efs.FileSystem("efs-aws-managed-key", encrypted=True)
aws.efs.FileSystem("efs-aws-alias", encrypted=True, kms_key_id="alias/aws/elasticfilesystem")

# DynamoDB
aws.dynamodb.Table("table-default-encryption", hash_key="id", attributes=attributes, point_in_time_recovery=pitr)
aws.dynamodb.Table(
    "table-aws-managed-key",
    hash_key="id",
    attributes=attributes,
    point_in_time_recovery=pitr,
    server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True),
)
aws.dynamodb.Table(
    "table-sse-disabled",
    hash_key="id",
    attributes=attributes,
    point_in_time_recovery=pitr,
    server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=False, kms_key_arn=key.arn),
)
table = aws.dynamodb.Table(
    "table-replica-default-key",
    hash_key="id",
    attributes=attributes,
    point_in_time_recovery=pitr,
    server_side_encryption=our_sse,
    stream_enabled=True,
    stream_view_type="NEW_AND_OLD_IMAGES",
    replicas=[aws.dynamodb.TableReplicaArgs(region_name="us-west-2")],
)
aws.dynamodb.TableReplica("replica-default-key", global_table_arn=table.arn)
aws.dynamodb.Table("table-no-pitr", hash_key="id", attributes=attributes, server_side_encryption=our_sse)
aws.dynamodb.Table(
    "table-pitr-disabled",
    hash_key="id",
    attributes=attributes,
    server_side_encryption=our_sse,
    point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=False),
)

# ECR: each repository breaks exactly one rule, the others are set right.
scan = aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True)
ours = [aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=key.arn)]
aws.ecr.Repository("ecr-default-encryption", image_scanning_configuration=scan, image_tag_mutability="IMMUTABLE")
aws.ecr.Repository(
    "ecr-aws-managed-key",
    image_scanning_configuration=scan,
    image_tag_mutability="IMMUTABLE",
    encryption_configurations=[aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS")],
)
aws.ecr.Repository("ecr-no-scanning", encryption_configurations=ours, image_tag_mutability="IMMUTABLE")
aws.ecr.Repository(
    "ecr-scan-off",
    encryption_configurations=ours,
    image_tag_mutability="IMMUTABLE",
    image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=False),
)
aws.ecr.Repository("ecr-default-mutable", encryption_configurations=ours, image_scanning_configuration=scan)
aws.ecr.Repository(
    "ecr-mutable-with-exclusion",
    encryption_configurations=ours,
    image_scanning_configuration=scan,
    image_tag_mutability="IMMUTABLE_WITH_EXCLUSION",
    image_tag_mutability_exclusion_filters=[
        aws.ecr.RepositoryImageTagMutabilityExclusionFilterArgs(filter="latest*", filter_type="WILDCARD")
    ],
)

# Kinesis
aws.kinesis.Stream("stream-default-unencrypted", shard_count=1)
aws.kinesis.Stream("stream-aws-alias", shard_count=1, encryption_type="KMS", kms_key_id="alias/aws/kinesis")
firehose_s3 = aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs(
    role_arn="arn:aws:iam::123456789012:role/firehose", bucket_arn="arn:aws:s3:::delivery-bucket", kms_key_arn=key.arn
)
aws.kinesis.FirehoseDeliveryStream(
    "firehose-default-sse", destination="extended_s3", extended_s3_configuration=firehose_s3
)
aws.kinesis.FirehoseDeliveryStream(
    "firehose-aws-owned-key",
    destination="extended_s3",
    extended_s3_configuration=firehose_s3,
    server_side_encryption=aws.kinesis.FirehoseDeliveryStreamServerSideEncryptionArgs(enabled=True),
)

# Backup, SSM, EBS snapshot copies
aws.backup.Vault("vault-default-key")
aws.ssm.Parameter("secure-param-default-key", type="SecureString", value="not-a-real-secret")
aws.ssm.Parameter("secure-param-aws-alias", type="SecureString", value="not-a-real-secret", key_id="alias/aws/ssm")
aws.ebs.SnapshotCopy("snapshot-copy-default", source_snapshot_id="snap-0123456789abcdef0", source_region="us-east-1")
aws.ebs.SnapshotCopy(
    "snapshot-copy-aws-managed-key",
    source_snapshot_id="snap-0123456789abcdef0",
    source_region="us-east-1",
    encrypted=True,
)
