"""RDS read replicas (tests/policy/test_rds_replicas.py): replicas of a source in the stack (by reference, or by
its identifier copied as text) and of a source outside it with our key pass ("ok-"); a replica of an outside
source that names no key, or an AWS managed key, is refused."""

import pulumi_aws as aws

key = aws.kms.Key("db-key", enable_key_rotation=True, deletion_window_in_days=30)
DB = dict(instance_class="db.t4g.medium", skip_final_snapshot=False, final_snapshot_identifier="final")

primary = aws.rds.Instance(
    "primary",
    identifier="primary-db",
    engine="postgres",
    engine_version="16.4",
    allocated_storage=20,
    username="app",
    manage_master_user_password=True,
    storage_encrypted=True,
    kms_key_id=key.arn,
    **DB,
)
aws.rds.Instance("ok-replica-in-stack", replicate_source_db=primary.identifier, **DB)
aws.rds.Instance("ok-replica-copied-identifier", replicate_source_db="primary-db", **DB)
aws.rds.Instance("replica-outside-source", replicate_source_db="arn:aws:rds:us-west-2:123456789012:db:legacy", **DB)
aws.rds.Instance("replica-outside-aws-key", replicate_source_db="legacy-db", kms_key_id="alias/aws/rds", **DB)
aws.rds.Instance("ok-replica-outside-with-key", replicate_source_db="legacy-db", kms_key_id=key.arn, **DB)
