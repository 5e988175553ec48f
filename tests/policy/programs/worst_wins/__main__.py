"""Two resources writing the same setting of one target (issue 10 item 4): a bucket's public access block,
versioning, ownership or policy, a key's policy, an EC2 resource's Environment tag. AWS keeps one value, the one
applied last, so the pack must judge the worst. Each resource is named after what it does; `ok-*` targets have
two resources that agree and must pass."""

import json

import pulumi
import pulumi_aws as aws

ACCOUNT = "123456789012"
FULL_BLOCK = dict(
    block_public_acls=True, block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True
)


def tls_only(bucket: aws.s3.Bucket) -> pulumi.Output:
    return bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DenyPlainHttp",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [arn, f"{arn}/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            }
        )
    )


def account_only(bucket: aws.s3.Bucket) -> pulumi.Output:
    return bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AccountReads",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        "Action": "s3:GetObject",
                        "Resource": f"{arn}/*",
                    }
                ],
            }
        )
    )


for prefix in ("", "ok-"):
    bucket = aws.s3.Bucket(f"{prefix}two-of-each-bucket")
    weak = prefix != "ok-"  # the second resource of each kind is weaker on the first bucket only
    aws.s3.BucketPublicAccessBlock(f"{prefix}full-block", bucket=bucket.id, **FULL_BLOCK)
    aws.s3.BucketPublicAccessBlock(
        f"{prefix}second-block", bucket=bucket.id, **{**FULL_BLOCK, "block_public_policy": not weak}
    )
    aws.s3.BucketVersioning(
        f"{prefix}enabled-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
    )
    aws.s3.BucketVersioning(
        f"{prefix}second-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(
            status="Suspended" if weak else "Enabled"
        ),
    )
    for name, ownership in (
        ("enforced-ownership", "BucketOwnerEnforced"),
        ("second-ownership", "ObjectWriter" if weak else "BucketOwnerEnforced"),
    ):
        aws.s3.BucketOwnershipControls(
            f"{prefix}{name}",
            bucket=bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership=ownership),
        )
    aws.s3.BucketPolicy(f"{prefix}tls-only-policy", bucket=bucket.id, policy=tls_only(bucket))
    aws.s3.BucketPolicy(
        f"{prefix}second-policy", bucket=bucket.id, policy=account_only(bucket) if weak else tls_only(bucket)
    )

# A key whose inline policy is the account's, and a KeyPolicy that replaces it with one open to everyone.
ADMIN = {
    "Sid": "AccountAdmin",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    "Action": "kms:*",
    "Resource": "*",
}
key = aws.kms.Key("key", enable_key_rotation=True, policy=json.dumps({"Version": "2012-10-17", "Statement": [ADMIN]}))
aws.kms.KeyPolicy(
    "public-key-policy",
    key_id=key.id,
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                ADMIN,
                {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
            ],
        }
    ),
)
aws.kms.KeyPolicy("ok-key-policy", key_id=key.id, policy=json.dumps({"Version": "2012-10-17", "Statement": [ADMIN]}))

# A VPC tagged Production by default_tags, and a separate tag that sets its Environment to Staging.
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
aws.ec2.Tag("staging-environment-tag", resource_id=vpc.id, key="Environment", value="Staging")
aws.ec2.Tag("ok-production-environment-tag", resource_id=vpc.id, key="Environment", value="Production")
aws.ec2.Tag("ok-owner-tag", resource_id=vpc.id, key="Owner", value="platform")
group = aws.autoscaling.Group(
    "asg",
    min_size=1,
    max_size=1,
    vpc_zone_identifiers=["subnet-1a", "subnet-1b"],
    tags=[aws.autoscaling.GroupTagArgs(key="Environment", value="Production", propagate_at_launch=True)],
)
aws.autoscaling.Tag(
    "dev-environment-asg-tag",
    autoscaling_group_name=group.name,
    tag=aws.autoscaling.TagTagArgs(key="Environment", value="Dev", propagate_at_launch=True),
)
