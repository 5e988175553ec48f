"""Regions named inside resources (tests/policy/test_regions_inside.py): every resource is on the stack's
us-east-1 provider; "ok-" resources keep their data there (or only read from elsewhere), the others send a replica
or a copy to another region."""

import pulumi_aws as aws

EU = "eu-west-1"

aws.secretsmanager.Secret("eu-replica-secret", replicas=[aws.secretsmanager.SecretReplicaArgs(region=EU)])
aws.secretsmanager.Secret("ok-replica-secret", replicas=[aws.secretsmanager.SecretReplicaArgs(region="us-east-1")])
aws.dynamodb.Table(
    "eu-replica-table",
    hash_key="id",
    billing_mode="PAY_PER_REQUEST",
    stream_enabled=True,
    stream_view_type="NEW_AND_OLD_IMAGES",
    replicas=[aws.dynamodb.TableReplicaArgs(region_name=EU)],
    attributes=[aws.dynamodb.TableAttributeArgs(name="id", type="S")],
)
aws.rds.SnapshotCopy(
    "eu-snapshot-copy",
    source_db_snapshot_identifier="arn:aws:rds:us-east-1:111111111111:snapshot:a",
    target_db_snapshot_identifier="b",
    destination_region="eu-central-1",
)
aws.ecr.ReplicationConfiguration(
    "eu-ecr-replication",
    replication_configuration={"rules": [{"destinations": [{"region": EU, "registry_id": "111111111111"}]}]},
)
aws.backup.Plan(
    "eu-copy-plan",
    rules=[
        aws.backup.PlanRuleArgs(
            rule_name="daily",
            target_vault_name="vault",
            schedule="cron(0 5 * * ? *)",
            copy_actions=[
                aws.backup.PlanRuleCopyActionArgs(
                    destination_vault_arn=f"arn:aws:backup:{EU}:111111111111:backup-vault:dr"
                )
            ],
        )
    ],
)
# Reading from another region brings nothing out of the allowed one: a source region is not judged.
aws.ec2.AmiCopy("ok-ami-copy-from-eu", source_ami_id="ami-0123456789abcdef0", source_ami_region=EU)
