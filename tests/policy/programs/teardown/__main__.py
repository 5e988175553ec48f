"""Retention and teardown (tests/policy/test_teardown.py): log buckets whose lifecycle expires current objects
early or not, buckets and databases that take their data with them when deleted or not, and images and snapshots
shared outside the guarded accounts or not. "ok-" resources must pass; the others are named after their fault."""

import pulumi_aws as aws

s3 = aws.s3
GUARDED = "111111111111"  # the test's pack config lists it in accountIds

# A trail bucket expiring current objects after 90 days through a BucketLifecycleConfiguration.
short_trail_bucket = s3.Bucket("short-trail-bucket")
aws.cloudtrail.Trail("trail", s3_bucket_name=short_trail_bucket.id, is_multi_region_trail=True)
s3.BucketLifecycleConfiguration(
    "short-trail-lifecycle",
    bucket=short_trail_bucket.id,
    rules=[
        s3.BucketLifecycleConfigurationRuleArgs(
            id="expire-90",
            status="Enabled",
            filter=s3.BucketLifecycleConfigurationRuleFilterArgs(prefix="AWSLogs/"),
            expiration=s3.BucketLifecycleConfigurationRuleExpirationArgs(days=90),
        )
    ],
)

# An access-log target with the other token (V2) and a fixed-date expiration.
dated_log_bucket = s3.Bucket("dated-log-bucket")
s3.BucketLifecycleConfigurationV2(
    "dated-log-lifecycle",
    bucket=dated_log_bucket.id,
    rules=[
        s3.BucketLifecycleConfigurationV2RuleArgs(
            id="expire-on-date",
            status="Enabled",
            filter=s3.BucketLifecycleConfigurationV2RuleFilterArgs(),
            expiration=s3.BucketLifecycleConfigurationV2RuleExpirationArgs(date="2027-01-01T00:00:00Z"),
        )
    ],
)
data_bucket = s3.Bucket("ok-data-bucket")
s3.BucketLogging("data-bucket-logging", bucket=data_bucket.id, target_bucket=dated_log_bucket.id, target_prefix="data/")

# A flow-log destination with an inline (deprecated) lifecycle rule expiring after 30 days.
inline_bucket = s3.Bucket(
    "inline-flow-log-bucket",
    lifecycle_rules=[
        s3.BucketLifecycleRuleArgs(enabled=True, expiration=s3.BucketLifecycleRuleExpirationArgs(days=30))
    ],
)
aws.ec2.FlowLog(
    "flow-log",
    vpc_id="vpc-0123456789abcdef0",
    traffic_type="ALL",
    log_destination_type="s3",
    log_destination=inline_bucket.arn,
)

# Compliant: a log bucket keeping current objects 400 days, one whose short rule is disabled, and a data bucket
# (not a log bucket) expiring after 7 days.
ok_log_bucket = s3.Bucket("ok-long-log-bucket")
s3.BucketLogging("ok-logging", bucket=data_bucket.id, target_bucket=ok_log_bucket.id, target_prefix="more/")
s3.BucketLifecycleConfiguration(
    "ok-long-lifecycle",
    bucket=ok_log_bucket.id,
    rules=[
        s3.BucketLifecycleConfigurationRuleArgs(
            id="expire-400",
            status="Enabled",
            filter=s3.BucketLifecycleConfigurationRuleFilterArgs(),
            expiration=s3.BucketLifecycleConfigurationRuleExpirationArgs(days=400),
        ),
        s3.BucketLifecycleConfigurationRuleArgs(
            id="disabled",
            status="Disabled",
            filter=s3.BucketLifecycleConfigurationRuleFilterArgs(),
            expiration=s3.BucketLifecycleConfigurationRuleExpirationArgs(days=1),
        ),
    ],
)
s3.BucketLifecycleConfiguration(
    "ok-data-lifecycle",
    bucket=data_bucket.id,
    rules=[
        s3.BucketLifecycleConfigurationRuleArgs(
            id="expire-7",
            status="Enabled",
            filter=s3.BucketLifecycleConfigurationRuleFilterArgs(),
            expiration=s3.BucketLifecycleConfigurationRuleExpirationArgs(days=7),
        )
    ],
)

# Teardown: force_destroy, and databases that skip the final snapshot or leave delete_automated_backups out.
s3.Bucket("force-destroy-bucket", force_destroy=True)
db = dict(
    engine="postgres",
    instance_class="db.t4g.micro",
    allocated_storage=20,
    username="app",
    manage_master_user_password=True,
)
aws.rds.Instance("skip-snapshot-db", skip_final_snapshot=True, delete_automated_backups=False, **db)
aws.rds.Instance("default-backups-db", final_snapshot_identifier="default-backups-final", **db)
aws.rds.Instance("ok-db", final_snapshot_identifier="ok-final", delete_automated_backups=False, **db)
aws.rds.Cluster(
    "skip-snapshot-cluster",
    engine="aurora-postgresql",
    skip_final_snapshot=True,
    master_username="app",
    manage_master_user_password=True,
)

# Sharing: public AMI, AMI to an organization, snapshot to a foreign account, RDS snapshot public; and the
# same to the guarded account, which passes.
aws.ec2.AmiLaunchPermission("public-ami", image_id="ami-0123456789abcdef0", group="all")
aws.ec2.AmiLaunchPermission(
    "org-ami",
    image_id="ami-0123456789abcdef0",
    organization_arn="arn:aws:organizations::222222222222:organization/o-abc",
)
aws.ec2.AmiLaunchPermission("ok-ami", image_id="ami-0123456789abcdef0", account_id=GUARDED)
aws.ec2.SnapshotCreateVolumePermission(
    "foreign-snapshot", snapshot_id="snap-0123456789abcdef0", account_id="333333333333"
)
aws.ec2.SnapshotCreateVolumePermission("ok-snapshot", snapshot_id="snap-0123456789abcdef0", account_id=GUARDED)
aws.rds.Snapshot(
    "public-db-snapshot", db_instance_identifier="ok-db", db_snapshot_identifier="public-snap", shared_accounts=["all"]
)
aws.rds.ClusterSnapshotCopy(
    "ok-cluster-snapshot-copy",
    source_db_cluster_snapshot_identifier="arn:aws:rds:us-east-1:111111111111:cluster-snapshot:x",
    target_db_cluster_snapshot_identifier="y",
    shared_accounts=[GUARDED],
)
