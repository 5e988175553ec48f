"""Each resource breaks the resilience policies its name says (see tests/policy/test_resilience.py)."""

import pulumi
import pulumi_aws as aws

# Single-AZ, 1 day of backups (the API default), deletable, untagged snapshots, no minor upgrades, no IAM auth,
# a password in the program, the default port.
aws.rds.Instance(
    "fragile-db",
    engine="postgres",
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    password="correct-horse-battery",
    auto_minor_version_upgrade=False,
)
# A secret is still a password the program handles (and at preview its value is not needed to decide).
aws.rds.Instance(
    "secret-password-db",
    engine="postgres",
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    password=pulumi.Output.secret("correct-horse-battery"),
    port=5432,
    multi_az=True,
    backup_retention_period=3,
    deletion_protection=True,
    copy_tags_to_snapshot=True,
    iam_database_authentication_enabled=True,
)
aws.rds.Cluster(
    "password-cluster", engine="aurora-postgresql", master_username="appadmin", master_password="correct-horse-battery"
)

aws.s3.Bucket("bare-bucket")
half = aws.s3.Bucket("half-bucket")
aws.s3.BucketVersioning(
    "half-bucket-versioning",
    bucket=half.id,
    versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Suspended"),
)
aws.s3.BucketPublicAccessBlock(
    "half-bucket-public-access-block", bucket=half.id, block_public_acls=True, ignore_public_acls=True
)
aws.s3.BucketOwnershipControls(
    "half-bucket-ownership",
    bucket=half.id,
    rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="ObjectWriter"),
)
aws.s3.BucketAcl("half-bucket-acl", bucket=half.id, acl="log-delivery-write")
aws.s3.BucketLifecycleConfiguration(
    "half-bucket-lifecycle",
    bucket=half.id,
    rules=[
        aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="disabled",
            status="Disabled",
            filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(),
            expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=30),
        )
    ],
)

vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
same_zone = [
    aws.ec2.Subnet(f"app-{n}", vpc_id=vpc.id, cidr_block=f"10.0.{n}.0/24", availability_zone="us-east-1a")
    for n in (1, 2)
]
imdsv1_template = aws.ec2.LaunchTemplate("imdsv1-template", image_id="ami-0123456789abcdef0")
target_group = aws.lb.TargetGroup("app", port=8080, protocol="HTTP", vpc_id=vpc.id)
aws.autoscaling.Group(
    "single-az-asg",
    min_size=2,
    max_size=4,
    vpc_zone_identifiers=[s.id for s in same_zone],
    target_group_arns=[target_group.arn],
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id=imdsv1_template.id, version="$Latest"),
)
aws.autoscaling.Group(
    "one-subnet-asg",
    min_size=1,
    max_size=1,
    vpc_zone_identifiers=["subnet-0123456789abcdef0"],
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id=imdsv1_template.id, version="$Latest"),
)
aws.ec2.Instance(
    "optional-tokens-instance",
    ami="ami-0123456789abcdef0",
    instance_type="t3.micro",
    metadata_options=aws.ec2.InstanceMetadataOptionsArgs(http_tokens="optional"),
)
aws.lb.LoadBalancer("unprotected-alb", load_balancer_type="application", subnets=[s.id for s in same_zone])
