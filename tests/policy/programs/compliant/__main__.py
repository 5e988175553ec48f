"""Every resource type the secure-aws policies judge, configured as they require: the pack must find nothing.

Most resources use an explicit us-east-1 provider with `default_tags` Environment=Production; one topic uses the
default provider (region and default tags from the stack config). Keys and ARNs are other resources' outputs,
so at preview they are unknown, as on a first `pulumi preview`.
"""

import pulumi
import pulumi_aws as aws

CORPORATE_CIDR = "203.0.113.0/24"

provider = aws.Provider(
    "compliant-aws",
    region="us-east-1",
    default_tags=aws.ProviderDefaultTagsArgs(tags={"Environment": "Production", "Project": "policy-tests"}),
)
opts = pulumi.ResourceOptions(provider=provider)

key = aws.kms.Key("key", description="data key", enable_key_rotation=True, deletion_window_in_days=30, opts=opts)

# Encryption ------------------------------------------------------------------------------------------------
bucket = aws.s3.Bucket("data-bucket", opts=opts)
aws.s3.BucketServerSideEncryptionConfiguration(
    "data-bucket-sse",
    bucket=bucket.id,
    rules=[
        aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=key.arn
            ),
            bucket_key_enabled=True,
        )
    ],
    opts=opts,
)
# The deprecated inline form still works in pulumi-aws v7 and is judged the same way.
aws.s3.Bucket(
    "inline-encrypted-bucket",
    server_side_encryption_configuration=aws.s3.BucketServerSideEncryptionConfigurationArgs(
        rule=aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=key.arn
            ),
        )
    ),
    opts=opts,
)
# KMS cannot rotate asymmetric keys: the rotation policy does not apply to this one.
aws.kms.Key("signing-key", customer_master_key_spec="RSA_2048", key_usage="SIGN_VERIFY", opts=opts)
aws.rds.Instance(
    "db",
    engine="postgres",
    engine_version="16",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    username="appadmin",
    manage_master_user_password=True,
    master_user_secret_kms_key_id=key.arn,
    storage_encrypted=True,
    kms_key_id=key.arn,
    performance_insights_enabled=True,
    performance_insights_kms_key_id=key.arn,
    publicly_accessible=False,
    skip_final_snapshot=True,
    opts=opts,
)
aws.ec2.LaunchTemplate(
    "app-template",
    image_id="ami-0123456789abcdef0",
    instance_type="t3.small",
    block_device_mappings=[
        aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
            device_name="/dev/xvda",
            ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                encrypted="true", kms_key_id=key.arn, volume_size=20, volume_type="gp3"
            ),
        )
    ],
    network_interfaces=[aws.ec2.LaunchTemplateNetworkInterfaceArgs(associate_public_ip_address="false")],
    opts=opts,
)
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", opts=opts)
subnet = aws.ec2.Subnet(
    "private-subnet",
    vpc_id=vpc.id,
    cidr_block="10.0.1.0/24",
    map_public_ip_on_launch=False,
    availability_zone="us-east-1a",
    opts=opts,
)
public_subnet = aws.ec2.Subnet(
    "public-subnet", vpc_id=vpc.id, cidr_block="10.0.2.0/24", availability_zone="us-east-1b", opts=opts
)
aws.ec2.Instance(
    "app-instance",
    ami="ami-0123456789abcdef0",
    instance_type="t3.small",
    subnet_id=subnet.id,
    associate_public_ip_address=False,
    root_block_device=aws.ec2.InstanceRootBlockDeviceArgs(encrypted=True, kms_key_id=key.arn, volume_type="gp3"),
    ebs_block_devices=[
        aws.ec2.InstanceEbsBlockDeviceArgs(device_name="/dev/sdf", encrypted=True, kms_key_id=key.arn, volume_size=10)
    ],
    opts=opts,
)
aws.ebs.Volume("data-volume", availability_zone="us-east-1a", size=10, encrypted=True, kms_key_id=key.arn, opts=opts)
role = aws.iam.Role(
    "function-role",
    assume_role_policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
    '{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    opts=opts,
)
function_sg = aws.ec2.SecurityGroup(
    "function-sg",
    vpc_id=vpc.id,
    description="The auditor function: no ingress, HTTPS out",
    egress=[
        aws.ec2.SecurityGroupEgressArgs(
            protocol="tcp", from_port=443, to_port=443, cidr_blocks=["0.0.0.0/0"], description="AWS APIs over HTTPS"
        )
    ],
    opts=opts,
)
function = aws.lambda_.Function(
    "function",
    role=role.arn,
    runtime="python3.12",
    handler="index.handler",
    code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(event, context):\n    return {}\n")}),
    environment=aws.lambda_.FunctionEnvironmentArgs(variables={"BUCKET": bucket.bucket}),
    kms_key_arn=key.arn,
    vpc_config=aws.lambda_.FunctionVpcConfigArgs(subnet_ids=[subnet.id], security_group_ids=[function_sg.id]),
    opts=opts,
)
schedule = aws.cloudwatch.EventRule("schedule", schedule_expression="rate(1 hour)", opts=opts)
aws.lambda_.Permission(
    "function-schedule",
    action="lambda:InvokeFunction",
    function=function.name,
    principal="events.amazonaws.com",
    source_arn=schedule.arn,
    opts=opts,
)
aws.cloudtrail.Trail("trail", s3_bucket_name=bucket.bucket, kms_key_id=key.arn, is_multi_region_trail=True, opts=opts)
aws.cloudwatch.LogGroup("log-group", retention_in_days=365, kms_key_id=key.arn, opts=opts)
aws.sns.Topic("alerts", kms_master_key_id=key.arn, opts=opts)
aws.sqs.Queue("queue", kms_master_key_id=key.arn, opts=opts)
aws.secretsmanager.Secret("secret", kms_key_id=key.arn, opts=opts)

# Network ---------------------------------------------------------------------------------------------------
aws.ec2.DefaultSecurityGroup("default-sg", vpc_id=vpc.id, opts=opts)
lb_sg = aws.ec2.SecurityGroup(
    "lb-sg",
    vpc_id=vpc.id,
    description="The public load balancer: HTTPS and the HTTP redirect from anywhere",
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(
            protocol="tcp",
            from_port=443,
            to_port=443,
            cidr_blocks=["0.0.0.0/0"],
            ipv6_cidr_blocks=["::/0"],
            description="HTTPS from the internet",
        ),
        aws.ec2.SecurityGroupIngressArgs(
            protocol="tcp", from_port=80, to_port=80, cidr_blocks=["0.0.0.0/0"], description="HTTP, redirected to HTTPS"
        ),
    ],
    opts=opts,
)
aws.lb.LoadBalancer(
    "lb", load_balancer_type="application", security_groups=[lb_sg.id], subnets=[subnet.id, public_subnet.id], opts=opts
)
aws.vpc.SecurityGroupIngressRule(
    "lb-sg-https-v6",
    security_group_id=lb_sg.id,
    ip_protocol="tcp",
    from_port=443,
    to_port=443,
    cidr_ipv6="::/0",
    description="HTTPS from the IPv6 internet",
    opts=opts,
)
app_sg = aws.ec2.SecurityGroup(
    "app-sg",
    vpc_id=vpc.id,
    description="The app instances: traffic from the load balancer, SSH from the office",
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(
            protocol="tcp",
            from_port=8080,
            to_port=8080,
            security_groups=[lb_sg.id],
            description="App port from the load balancer",
        ),
        aws.ec2.SecurityGroupIngressArgs(
            protocol="tcp", from_port=22, to_port=22, cidr_blocks=[CORPORATE_CIDR], description="SSH from the office"
        ),
    ],
    opts=opts,
)
aws.ec2.SecurityGroupRule(
    "app-sg-rdp",
    type="ingress",
    security_group_id=app_sg.id,
    protocol="tcp",
    from_port=3389,
    to_port=3389,
    cidr_blocks=["203.0.113.128/25"],
    description="RDP from the office",
    opts=opts,
)
aws.vpc.SecurityGroupIngressRule(
    "app-sg-all-from-self",
    security_group_id=app_sg.id,
    ip_protocol="-1",
    referenced_security_group_id=app_sg.id,
    description="Cluster traffic",
    opts=opts,
)
aws.ec2.NetworkAcl(
    "acl",
    vpc_id=vpc.id,
    ingress=[
        aws.ec2.NetworkAclIngressArgs(
            rule_no=100, action="allow", protocol="tcp", from_port=443, to_port=443, cidr_block="0.0.0.0/0"
        ),
        aws.ec2.NetworkAclIngressArgs(
            rule_no=110, action="allow", protocol="tcp", from_port=22, to_port=22, cidr_block=CORPORATE_CIDR
        ),
        aws.ec2.NetworkAclIngressArgs(
            rule_no=120, action="deny", protocol="-1", from_port=0, to_port=0, cidr_block="0.0.0.0/0"
        ),
    ],
    opts=opts,
)
aws.ec2.NetworkAclRule(
    "acl-ssh-out",
    network_acl_id=vpc.default_network_acl_id,
    rule_number=200,
    egress=True,
    protocol="tcp",
    rule_action="allow",
    cidr_block="0.0.0.0/0",
    from_port=22,
    to_port=22,
    opts=opts,
)
aws.autoscaling.Group(
    "asg",
    min_size=2,
    max_size=4,
    vpc_zone_identifiers=[subnet.id],
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(name="app-template", version="$Latest"),
    tags=[aws.autoscaling.GroupTagArgs(key="Environment", value="Production", propagate_at_launch=True)],
    opts=opts,
)

# Region ----------------------------------------------------------------------------------------------------
# The default provider: judged by the stack config aws:region, tagged by aws:defaultTags.
aws.sns.Topic("default-provider-topic", kms_master_key_id=key.arn)
