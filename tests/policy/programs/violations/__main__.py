"""Resources that each break one or more secure-aws policies, named after what they break.

Everything else about them is compliant (allowed region, Environment=Production through the provider's
default_tags, our key), so each resource draws only the findings its name announces. `ssh-from-eip` opens SSH to
an Elastic IP's address: unknown at preview (the policy cannot decide yet), outside the allowed CIDRs at apply.
"""

import pulumi
import pulumi_aws as aws

provider = aws.Provider(
    "violations-aws",
    region="us-east-1",
    default_tags=aws.ProviderDefaultTagsArgs(tags={"Environment": "Production"}),
)
opts = pulumi.ResourceOptions(provider=provider)
key = aws.kms.Key("key", enable_key_rotation=True, opts=opts)


def sse(name: str, bucket: aws.s3.Bucket, algorithm: str, key_id: pulumi.Input[str] | None = None) -> None:
    aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        bucket=bucket.id,
        rules=[
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm=algorithm, kms_master_key_id=key_id
                ),
            )
        ],
        opts=opts,
    )


# Encryption ------------------------------------------------------------------------------------------------
aws.s3.Bucket("unencrypted-bucket", opts=opts)
sse("aes256-bucket-sse", aws.s3.Bucket("aes256-bucket", opts=opts), "AES256")
sse("aws-managed-key-bucket-sse", aws.s3.Bucket("aws-managed-key-bucket", opts=opts), "aws:kms")
aws.s3.Bucket(
    "inline-aes256-bucket",
    server_side_encryption_configuration=aws.s3.BucketServerSideEncryptionConfigurationArgs(
        rule=aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="AES256"
            ),
        )
    ),
    opts=opts,
)
aws.rds.Instance(
    "unencrypted-public-db",
    engine="postgres",
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
    storage_encrypted=False,
    performance_insights_enabled=True,
    publicly_accessible=True,
    skip_final_snapshot=True,
    opts=opts,
)
aws.ec2.LaunchTemplate(
    "unencrypted-public-template",
    image_id="ami-0123456789abcdef0",
    block_device_mappings=[
        aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
            device_name="/dev/xvda", ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(encrypted="false")
        )
    ],
    network_interfaces=[aws.ec2.LaunchTemplateNetworkInterfaceArgs(associate_public_ip_address="true")],
    opts=opts,
)
aws.ec2.Instance(
    "unencrypted-public-instance",
    ami="ami-0123456789abcdef0",
    instance_type="t3.small",
    associate_public_ip_address=True,
    ebs_block_devices=[aws.ec2.InstanceEbsBlockDeviceArgs(device_name="/dev/sdf", encrypted=False, volume_size=10)],
    opts=opts,
)
aws.ebs.Volume("unencrypted-volume", availability_zone="us-east-1a", size=10, encrypted=False, opts=opts)
role = aws.iam.Role(
    "function-role",
    assume_role_policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
    '{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    opts=opts,
)
function = aws.lambda_.Function(
    "plain-env-outside-vpc-function",
    role=role.arn,
    runtime="python3.12",
    handler="index.handler",
    code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(event, context):\n    return {}\n")}),
    environment=aws.lambda_.FunctionEnvironmentArgs(variables={"MODE": "audit"}),
    opts=opts,
)
aws.lambda_.Permission(
    "public-permission", action="lambda:InvokeFunction", function=function.name, principal="*", opts=opts
)
aws.cloudtrail.Trail("unencrypted-trail", s3_bucket_name="audit-trail-bucket", opts=opts)
aws.cloudwatch.LogGroup("unencrypted-log-group", retention_in_days=365, opts=opts)
aws.sns.Topic("aws-managed-key-topic", kms_master_key_id="alias/aws/sns", opts=opts)
aws.sqs.Queue("sqs-managed-sse-queue", sqs_managed_sse_enabled=True, opts=opts)
aws.secretsmanager.Secret("aws-managed-key-secret", opts=opts)
aws.kms.Key("no-rotation-key", enable_key_rotation=False, opts=opts)
aws.kms.Key("ten-day-window-key", enable_key_rotation=True, deletion_window_in_days=10, opts=opts)

# Network ---------------------------------------------------------------------------------------------------
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", opts=opts)
aws.ec2.Subnet("public-ip-subnet", vpc_id=vpc.id, cidr_block="10.0.1.0/24", map_public_ip_on_launch=True, opts=opts)
aws.ec2.DefaultSecurityGroup(
    "open-default-sg",
    vpc_id=vpc.id,
    ingress=[aws.ec2.DefaultSecurityGroupIngressArgs(protocol="-1", from_port=0, to_port=0, self=True)],
    opts=opts,
)
world_sg = aws.ec2.SecurityGroup(
    "world-ssh-all-v6-undescribed-sg",
    vpc_id=vpc.id,
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=22, to_port=22, cidr_blocks=["0.0.0.0/0"]),
        aws.ec2.SecurityGroupIngressArgs(protocol="-1", from_port=0, to_port=0, ipv6_cidr_blocks=["::/0"]),
    ],
    opts=opts,
)
aws.ec2.SecurityGroup(
    "https-without-load-balancer-sg",
    vpc_id=vpc.id,
    description="HTTPS from anywhere, but no load balancer uses this group",
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(
            protocol="tcp", from_port=443, to_port=443, cidr_blocks=["0.0.0.0/0"], description="HTTPS"
        )
    ],
    opts=opts,
)
aws.ec2.SecurityGroup("sg-prefixed-name", name="sg-web", vpc_id=vpc.id, description="Named like an id", opts=opts)
# Auto-named from its Pulumi name, so its AWS name starts with sg- too.
aws.ec2.SecurityGroup("sg-autonamed", vpc_id=vpc.id, description="Auto-named like an id", opts=opts)
aws.ec2.SecurityGroupRule(
    "all-ports-from-partner-rule",
    type="ingress",
    security_group_id=world_sg.id,
    protocol="tcp",
    from_port=0,
    to_port=65535,
    cidr_blocks=["198.51.100.0/24"],
    description="Partner network, every TCP port",
    opts=opts,
)
aws.vpc.SecurityGroupIngressRule(
    "world-rdp-v6-rule",
    security_group_id=world_sg.id,
    ip_protocol="tcp",
    from_port=3389,
    to_port=3389,
    cidr_ipv6="::/0",
    opts=opts,
)
bastion_ip = aws.ec2.Eip("bastion-ip", domain="vpc", opts=opts)
aws.ec2.SecurityGroupRule(
    "ssh-from-eip",
    type="ingress",
    security_group_id=world_sg.id,
    protocol="tcp",
    from_port=22,
    to_port=22,
    cidr_blocks=[bastion_ip.public_ip.apply(lambda ip: f"{ip}/32")],
    description="SSH from the bastion's address",
    opts=opts,
)
acl = aws.ec2.NetworkAcl(
    "world-all-traffic-acl",
    vpc_id=vpc.id,
    ingress=[
        aws.ec2.NetworkAclIngressArgs(
            rule_no=100, action="allow", protocol="-1", from_port=0, to_port=0, cidr_block="0.0.0.0/0"
        )
    ],
    opts=opts,
)
aws.ec2.NetworkAclRule(
    "world-ssh-acl-rule",
    network_acl_id=acl.id,
    rule_number=110,
    egress=False,
    protocol="tcp",
    rule_action="allow",
    cidr_block="0.0.0.0/0",
    from_port=22,
    to_port=22,
    opts=opts,
)

# Tagging ---------------------------------------------------------------------------------------------------
untagged_provider = aws.Provider("untagged-aws", region="us-east-1")
untagged = pulumi.ResourceOptions(provider=untagged_provider)
aws.cloudwatch.LogGroup("untagged-log-group", retention_in_days=365, kms_key_id=key.arn, opts=untagged)
aws.cloudwatch.LogGroup(
    "staging-tagged-log-group", retention_in_days=365, kms_key_id=key.arn, tags={"Environment": "Staging"}, opts=opts
)
aws.autoscaling.Group(
    "untagged-asg",
    min_size=2,
    max_size=4,
    availability_zones=["us-east-1a"],
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(name="app", version="$Latest"),
    opts=opts,
)

# Region ----------------------------------------------------------------------------------------------------
eu_provider = aws.Provider(
    "eu-west-1-aws", region="eu-west-1", default_tags=aws.ProviderDefaultTagsArgs(tags={"Environment": "Production"})
)
aws.sns.Topic("topic-via-eu-provider", kms_master_key_id=key.arn, opts=pulumi.ResourceOptions(provider=eu_provider))
aws.sqs.Queue("eu-west-1-queue", region="eu-west-1", kms_master_key_id=key.arn, opts=opts)
