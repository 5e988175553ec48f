"""Account-level guardrails (tests/policy/test_account_baseline.py): every setting managed securely once ("ok-"
resources must pass) and weakened once, by an argument left out to its insecure default, a weaker value or a second
resource for the same setting."""

import pulumi_aws as aws

key = aws.kms.Key("key", enable_key_rotation=True, deletion_window_in_days=30)

aws.ebs.EncryptionByDefault("ok-ebs-default-on")  # `enabled` left out: pulumi-aws defaults it to true
aws.ebs.EncryptionByDefault("ebs-default-off", enabled=False)  # a second resource for the same setting
aws.ebs.DefaultKmsKey("ok-ebs-default-key", key_arn=key.arn)
aws.ebs.DefaultKmsKey("aws-managed-default-key", key_arn="arn:aws:kms:us-east-1:111111111111:alias/aws/ebs")

aws.ebs.SnapshotBlockPublicAccess("ok-snapshot-block", state="block-all-sharing")
aws.ebs.SnapshotBlockPublicAccess("new-sharing-snapshot-block", state="block-new-sharing")
aws.ec2.ImageBlockPublicAccess("ok-ami-block", state="block-new-sharing")
aws.ec2.ImageBlockPublicAccess("unblocked-ami", state="unblocked")

aws.s3.AccountPublicAccessBlock(
    "ok-s3-block",
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
# ignore_public_acls and restrict_public_buckets left out: both default to false.
aws.s3.AccountPublicAccessBlock("partial-s3-block", block_public_acls=True, block_public_policy=True)

aws.ec2.SerialConsoleAccess("ok-serial-console", enabled=False)
aws.ec2.SerialConsoleAccess("default-serial-console")  # `enabled` left out: defaults to true

aws.iam.AccountPasswordPolicy(
    "ok-password-policy",
    minimum_password_length=14,
    password_reuse_prevention=24,
    require_uppercase_characters=True,
    require_lowercase_characters=True,
    require_numbers=True,
    require_symbols=True,
)
aws.iam.AccountPasswordPolicy("weak-password-policy", minimum_password_length=8, require_symbols=True)
