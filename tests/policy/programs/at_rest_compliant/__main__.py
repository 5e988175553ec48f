"""EFS, DynamoDB and ECR done right: our key (unknown at preview, a literal ARN at apply for the second of each),
point-in-time recovery, scan on push, immutable tags."""

import pulumi_aws as aws

key = aws.kms.Key("data", enable_key_rotation=True, deletion_window_in_days=30)
literal_key = "arn:aws:kms:us-east-1:123456789012:key/0b7a2c33-2f5e-4c8e-9d31-4a1f7b0e9c11"

aws.efs.FileSystem("files", encrypted=True, kms_key_id=key.arn)
aws.efs.FileSystem("files-literal-key", encrypted=True, kms_key_id=literal_key)

table = aws.dynamodb.Table(
    "table",
    hash_key="id",
    attributes=[aws.dynamodb.TableAttributeArgs(name="id", type="S")],
    billing_mode="PAY_PER_REQUEST",
    server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=key.arn),
    point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
    stream_enabled=True,
    stream_view_type="NEW_AND_OLD_IMAGES",
    replicas=[
        aws.dynamodb.TableReplicaArgs(region_name="us-west-2", kms_key_arn=literal_key.replace("east-1", "west-2"))
    ],
)
aws.dynamodb.TableReplica(
    "table-replica", global_table_arn=table.arn, kms_key_arn=literal_key.replace("east-1", "east-2")
)

aws.ecr.Repository(
    "images",
    encryption_configurations=[aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=key.arn)],
    image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
    image_tag_mutability="IMMUTABLE",
)

# Kinesis, Firehose, Backup, SSM and EBS snapshot copies with our key.
aws.kinesis.Stream("stream", shard_count=1, encryption_type="KMS", kms_key_id=key.arn)
firehose_role = "arn:aws:iam::123456789012:role/firehose"
aws.kinesis.FirehoseDeliveryStream(
    "delivery",
    destination="extended_s3",
    server_side_encryption=aws.kinesis.FirehoseDeliveryStreamServerSideEncryptionArgs(
        enabled=True, key_type="CUSTOMER_MANAGED_CMK", key_arn=key.arn
    ),
    extended_s3_configuration=aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs(
        role_arn=firehose_role, bucket_arn="arn:aws:s3:::delivery-bucket", kms_key_arn=key.arn
    ),
)
# Fed by a Kinesis stream: AWS refuses server-side encryption here, the source stream is judged instead.
aws.kinesis.FirehoseDeliveryStream(
    "delivery-from-stream",
    destination="extended_s3",
    kinesis_source_configuration=aws.kinesis.FirehoseDeliveryStreamKinesisSourceConfigurationArgs(
        kinesis_stream_arn="arn:aws:kinesis:us-east-1:123456789012:stream/source", role_arn=firehose_role
    ),
    extended_s3_configuration=aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs(
        role_arn=firehose_role, bucket_arn="arn:aws:s3:::delivery-bucket", kms_key_arn=key.arn
    ),
)
aws.backup.Vault("vault", kms_key_arn=key.arn)
aws.ssm.Parameter("secure-param", type="SecureString", value="not-a-real-secret", key_id=literal_key)
aws.ssm.Parameter("plain-param", type="String", value="us-east-1")  # not a secret: no key needed
aws.ebs.SnapshotCopy(
    "snapshot-copy",
    source_snapshot_id="snap-0123456789abcdef0",
    source_region="us-east-1",
    encrypted=True,
    kms_key_id=key.arn,
)
