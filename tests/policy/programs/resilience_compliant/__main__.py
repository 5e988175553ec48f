"""Resilience and data protection done right: a Multi-AZ, backed-up, deletion-protected PostgreSQL with an RDS
managed password on a custom port; a versioned, public-access-blocked, owner-enforced bucket with a lifecycle;
an Auto Scaling group across two AZs on ELB health checks; IMDSv2 everywhere; a deletion-protected ALB.
"""

import pulumi_aws as aws

aws.rds.Instance(
    "db",
    engine="postgres",
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
    port=5433,
    multi_az=True,
    backup_retention_period=7,
    deletion_protection=True,
    copy_tags_to_snapshot=True,
    iam_database_authentication_enabled=True,
)

bucket = aws.s3.Bucket("data-bucket")
aws.s3.BucketVersioning(
    "data-bucket-versioning",
    bucket=bucket.id,
    versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
)
aws.s3.BucketPublicAccessBlock(
    "data-bucket-public-access-block",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketOwnershipControls(
    "data-bucket-ownership",
    bucket=bucket.id,
    rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
)
aws.s3.BucketLifecycleConfiguration(
    "data-bucket-lifecycle",
    bucket=bucket.id,
    rules=[
        aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="expire-noncurrent-versions",
            status="Enabled",
            filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(),
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=90
            ),
        )
    ],
)

vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [
    aws.ec2.Subnet(f"app-{zone}", vpc_id=vpc.id, cidr_block=cidr, availability_zone=zone)
    for zone, cidr in (("us-east-1a", "10.0.1.0/24"), ("us-east-1b", "10.0.2.0/24"))
]
template = aws.ec2.LaunchTemplate(
    "app-template",
    image_id="ami-0123456789abcdef0",
    instance_type="t3.small",
    metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
        http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=1
    ),
)
target_group = aws.lb.TargetGroup("app", port=8080, protocol="HTTP", vpc_id=vpc.id)
aws.autoscaling.Group(
    "app-asg",
    min_size=2,
    max_size=4,
    vpc_zone_identifiers=[s.id for s in subnets],
    target_group_arns=[target_group.arn],
    health_check_type="ELB",
    health_check_grace_period=300,
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id=template.id, version="$Latest"),
)
aws.ec2.Instance(
    "bastion",
    ami="ami-0123456789abcdef0",
    instance_type="t3.micro",
    subnet_id=subnets[0].id,
    metadata_options=aws.ec2.InstanceMetadataOptionsArgs(http_tokens="required"),
)
# No metadata endpoint at all is as safe as IMDSv2.
aws.ec2.LaunchTemplate(
    "no-metadata-template",
    image_id="ami-0123456789abcdef0",
    metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_endpoint="disabled"),
)
aws.lb.LoadBalancer(
    "alb", load_balancer_type="application", subnets=[s.id for s in subnets], enable_deletion_protection=True
)
# Launched from the template: it takes the template's IMDSv2 settings.
aws.ec2.Instance(
    "from-template",
    launch_template=aws.ec2.InstanceLaunchTemplateArgs(id=template.id, version="$Latest"),
    subnet_id=subnets[1].id,
)
