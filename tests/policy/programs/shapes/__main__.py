"""Inputs in shapes a typed program rarely writes but the engine and the provider accept, named after what they
must draw (see tests/policy/test_pack_shapes.py): a single value where a list belongs, numbers sent as floats or
strings, protocol 6 or -1 as numbers, secrets, a provider whose default_tags are unknown at preview, and IAM
conditions that look like they narrow Principal "*" but do not."""

import json

import pulumi
import pulumi_aws as aws

ACCOUNT = "123456789012"
provider = aws.Provider(
    "shapes-aws", region="us-east-1", default_tags=aws.ProviderDefaultTagsArgs(tags={"Environment": "Production"})
)
opts = pulumi.ResourceOptions(provider=provider)
key = aws.kms.Key("key", enable_key_rotation=True, opts=opts)
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", opts=opts)


def group(name, **kwargs):
    return aws.ec2.SecurityGroup(name, vpc_id=vpc.id, description=f"{name} group", **kwargs, opts=opts)


def rule(name, **kwargs):
    return aws.ec2.SecurityGroupRule(
        name, type="ingress", security_group_id=target.id, description=name, **kwargs, opts=opts
    )


def vpc_rule(name, **kwargs):
    return aws.vpc.SecurityGroupIngressRule(name, security_group_id=target.id, description=name, **kwargs, opts=opts)


target = group("target-sg")

# Security groups ---------------------------------------------------------------------------------------------
# A single CIDR string where the schema wants a list: the provider takes it as a one-element list.
group(
    "single-cidr-ssh-sg",
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(
            protocol="tcp", from_port=22, to_port=22, cidr_blocks="0.0.0.0/0", description="ssh"
        )
    ],
)
# Protocol 6 (TCP by number, sent as 6.0) and ports given as strings.
rule("numeric-tcp-string-ports-rule", protocol=6, from_port="20", to_port="30", cidr_blocks=["198.51.100.0/24"])
# Protocol -1 as a number (-1.0 on the wire), from the world.
rule("numeric-all-traffic-rule", protocol=-1, from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"])
# aws:vpc rule: protocol -1 has no ports at all; IPv6 world.
vpc_rule("vpc-all-traffic-v6-rule", ip_protocol="-1", cidr_ipv6="::/0")
# 203.0.0.0/16 contains the allowed 203.0.113.0/24 but is far wider; 203.0.113.0/25 lies inside it.
vpc_rule("wider-than-corporate-ssh-rule", ip_protocol="tcp", from_port=22, to_port=22, cidr_ipv4="203.0.0.0/16")
vpc_rule("inside-corporate-ssh-rule", ip_protocol="tcp", from_port=22, to_port=22, cidr_ipv4="203.0.113.0/25")
# A secret CIDR list is still a CIDR list.
rule("secret-world-ssh-rule", protocol="tcp", from_port=22, to_port=22, cidr_blocks=pulumi.Output.secret(["0.0.0.0/0"]))
# Port 22 from an unknown port range (an output) but only from the corporate range: decidable at preview.
rule(
    "unknown-port-corporate-rule",
    protocol="tcp",
    from_port=key.id.apply(lambda _: 22),
    to_port=key.id.apply(lambda _: 22),
    cidr_blocks=["203.0.113.0/24"],
)
# HTTPS from a source unknown at preview (an address another resource gets): the port alone decides.
rule(
    "https-from-unknown-source-rule",
    protocol="tcp",
    from_port=443,
    to_port=443,
    cidr_blocks=[key.id.apply(lambda _: "198.51.100.7/32")],
)
acl = aws.ec2.NetworkAcl("acl", vpc_id=vpc.id, opts=opts)
aws.ec2.NetworkAclRule(
    "numeric-tcp-world-acl-rule",
    network_acl_id=acl.id,
    rule_number=100,
    egress=False,
    protocol="6",
    rule_action="allow",
    cidr_block="0.0.0.0/0",
    from_port=0,
    to_port=65535,
    opts=opts,
)

# Secrets -------------------------------------------------------------------------------------------------------
aws.ec2.Instance(
    "secret-public-ip-instance",
    ami="ami-0123456789abcdef0",
    instance_type="t3.micro",
    associate_public_ip_address=pulumi.Output.secret(True),
    root_block_device=aws.ec2.InstanceRootBlockDeviceArgs(encrypted=True, kms_key_id=key.arn),
    opts=opts,
)


aws.ec2.LaunchConfiguration(
    "public-ip-launch-configuration",
    image_id="ami-0123456789abcdef0",
    instance_type="t3.micro",
    associate_public_ip_address=True,
    opts=opts,
)


def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


aws.iam.Policy(
    "secret-admin-policy",
    policy=pulumi.Output.secret(document({"Effect": "Allow", "Action": "*", "Resource": "*"})),
    opts=opts,
)

# IAM shapes ----------------------------------------------------------------------------------------------------
aws.iam.Policy(
    "notresource-admin-policy",
    opts=opts,
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::audit-bucket/*"},
        }
    ),
)
scoped = aws.iam.Policy(
    "scoped-policy",
    opts=opts,
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::data-bucket/*"},
        }
    ),
)
# AWS managed policies attached by ARN: AdministratorAccess is "*" on "*", PowerUserAccess all but IAM.
EC2_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}],
    }
)
aws.iam.Role(
    "admin-managed-role",
    assume_role_policy=EC2_TRUST,
    opts=opts,
    managed_policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"],
)
app_role = aws.iam.Role("app-role", assume_role_policy=EC2_TRUST, opts=opts)
aws.iam.RolePolicyAttachment(
    "poweruser-attachment", role=app_role.name, opts=opts, policy_arn="arn:aws:iam::aws:policy/PowerUserAccess"
)
aws.iam.RolePolicyAttachment(
    "readonly-attachment", role=app_role.name, opts=opts, policy_arn="arn:aws:iam::aws:policy/ReadOnlyAccess"
)
aws.iam.RolePolicyAttachment("own-policy-attachment", role=app_role.name, policy_arn=scoped.arn, opts=opts)
# A PolicyAttachment that names only roles gives no IAM user a policy.
aws.iam.PolicyAttachment("roles-only-policy-attachment", policy_arn=scoped.arn, roles=[app_role.name], opts=opts)


def topic_policy(name, statement):
    topic = aws.sns.Topic(f"{name}-topic", kms_master_key_id=key.arn, opts=opts)
    aws.sns.TopicPolicy(
        name,
        arn=topic.arn,
        opts=opts,
        policy=topic.arn.apply(
            lambda arn: document({"Effect": "Allow", "Action": "sns:Publish", "Resource": arn, **statement})
        ),
    )


EVERYONE = {"Principal": {"AWS": "*"}}
topic_policy(
    "forallvalues-public-policy",
    {**EVERYONE, "Condition": {"ForAllValues:StringEquals": {"aws:SourceAccount": ACCOUNT}}},
)  # true when the key is absent
topic_policy(
    "ifexists-public-policy", {**EVERYONE, "Condition": {"StringEqualsIfExists": {"aws:SourceAccount": ACCOUNT}}}
)  # true when the key is absent
topic_policy(
    "notequals-public-policy", {**EVERYONE, "Condition": {"StringNotEquals": {"aws:SourceAccount": ACCOUNT}}}
)  # every other account
topic_policy(
    "wildcard-arn-public-policy",
    {"Principal": "*", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:*:*:alarm:*"}}},
)  # any account's alarms
topic_policy("notprincipal-public-policy", {"NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/blocked"}})
topic_policy(
    "account-arn-narrowed-policy",
    {"Principal": "*", "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"}}},
)
topic_policy(
    "org-path-narrowed-policy",
    {"Principal": "*", "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-*"}}},
)

# S3 encryption shapes ------------------------------------------------------------------------------------------


def bucket(name):
    return aws.s3.Bucket(name, opts=opts)


ruleless = bucket("ruleless-sse-bucket")
aws.s3.BucketServerSideEncryptionConfiguration("ruleless-sse", bucket=ruleless.id, rules=[], opts=opts)
# After `pulumi up` a bucket's outputs show S3's default SSE-S3 (read when the bucket was created); the linked
# KMS configuration is what encrypts it.
kms_bucket = aws.s3.Bucket(
    "kms-configured-bucket-with-default-output",
    opts=opts,
    server_side_encryption_configuration=aws.s3.BucketServerSideEncryptionConfigurationArgs(
        rule=aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="AES256"
            )
        )
    ),
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "kms-configured-sse",
    bucket=kms_bucket.id,
    opts=opts,
    rules=[
        aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=key.arn
            )
        )
    ],
)

# The deprecated inline properties are computed outputs of a bucket at AnalyzeStack: unknown at a first preview,
# and after `pulumi up` what S3 reported at creation (versioning off, no lifecycle rules, the owner's own
# FULL_CONTROL grant, no logging). Here they are inputs that come out the same way.
later = key.id.apply
computed = aws.s3.Bucket(
    "computed-outputs-bucket",
    opts=opts,
    versioning=later(lambda _: {"enabled": False, "mfaDelete": False}),
    lifecycle_rules=later(lambda _: []),
    logging=later(lambda _: {"targetBucket": ""}),
    grants=[aws.s3.BucketGrantArgs(type="CanonicalUser", id=later(lambda _: "0123abcd"), permissions=["FULL_CONTROL"])],
)
aws.s3.BucketVersioning(
    "computed-outputs-versioning",
    bucket=computed.id,
    opts=opts,
    versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
)
aws.s3.BucketOwnershipControls(
    "computed-outputs-ownership",
    bucket=computed.id,
    opts=opts,
    rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
)
aws.s3.BucketLifecycleConfiguration(
    "computed-outputs-lifecycle",
    bucket=computed.id,
    opts=opts,
    rules=[
        aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="expire",
            status="Enabled",
            abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                days_after_initiation=7
            ),
        )
    ],
)
public_acl = aws.s3.Bucket(
    "group-grant-bucket",
    opts=opts,
    grants=[
        aws.s3.BucketGrantArgs(
            type="Group", uri="http://acs.amazonaws.com/groups/global/AllUsers", permissions=["READ"]
        )
    ],
)
aws.s3.BucketOwnershipControls(
    "group-grant-ownership",
    bucket=public_acl.id,
    opts=opts,
    rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
)

# Numbers as strings --------------------------------------------------------------------------------------------
aws.cloudwatch.LogGroup("string-retention-log-group", retention_in_days="30", kms_key_id=key.arn, opts=opts)
aws.kms.Key("string-window-key", enable_key_rotation=True, deletion_window_in_days="7", opts=opts)
# Below AWS's own minimum: the policy stops it at preview, before the API would refuse it mid-deployment.
aws.kms.Key("five-day-window-key", enable_key_rotation=True, deletion_window_in_days=5.0, opts=opts)

# Tags through a provider whose default_tags are unknown at a first preview -------------------------------------
late = aws.Provider(
    "late-tags-aws",
    region="us-east-1",
    default_tags=aws.ProviderDefaultTagsArgs(tags={"Environment": key.id.apply(lambda _: "Production")}),
)
late_opts = pulumi.ResourceOptions(provider=late)
aws.sns.Topic(
    "own-tags-on-late-provider-topic", kms_master_key_id=key.arn, tags={"Environment": "Production"}, opts=late_opts
)
aws.sns.Topic("default-tags-on-late-provider-topic", kms_master_key_id=key.arn, opts=late_opts)
aws.sns.Topic(
    "overriding-tag-on-late-provider-topic", kms_master_key_id=key.arn, tags={"Environment": "Staging"}, opts=late_opts
)
