"""The account baseline: the one-per-account (per-region) guardrails AWS's secure baselines set before any workload.

EBS encryption by default with our key as the default EBS key (a volume someone launches by hand is encrypted
too), the account-level S3 public access block (all four settings: no bucket of the account can be made public,
whatever its own settings say), an IAM password policy meeting CIS (length 14, reuse prevention 24, all
character classes, 90-day expiry), block public access for EBS snapshots and AMIs, and EC2 serial console access
off. Each of these exists once per account and region: this tier is built only when `manageAccountBaseline` is
true, so it never fights an organization or Control Tower that owns the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

# CIS AWS Foundations 1.8/1.9 (v1.4+) and FSBP IAM.7, IAM.11-IAM.16 (the CIS v1.2 password controls).
PASSWORD_MINIMUM_LENGTH = 14
PASSWORD_REUSE_PREVENTION = 24
PASSWORD_MAX_AGE_DAYS = 90


@dataclass(kw_only=True)
class AccountBaselineArgs:
    """What the baseline needs from the rest of the stack."""

    kms_key_arn: pulumi.Input[str]
    """Becomes the account's default EBS key: every new volume is encrypted with it unless told otherwise."""


class AccountBaseline(pulumi.ComponentResource):
    """EBS default encryption, S3 account public access block, CIS password policy, snapshot/AMI public access
    blocks and serial console off, for this account in this region."""

    def __init__(self, name: str, args: AccountBaselineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("secure-aws:baseline:AccountBaseline", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        # FSBP EC2.7 / CIS 2.2.1. The default key is only used while default encryption is on: both, together.
        aws.ebs.EncryptionByDefault(f"{name}-ebs-encryption-by-default", enabled=True, opts=child)
        aws.ebs.DefaultKmsKey(f"{name}-ebs-default-key", key_arn=args.kms_key_arn, opts=child)

        # FSBP S3.1 / CIS 2.1.4: overrides any bucket's own, weaker settings.
        aws.s3.AccountPublicAccessBlock(
            f"{name}-s3-public-access-block",
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )

        aws.iam.AccountPasswordPolicy(
            f"{name}-password-policy",
            minimum_password_length=PASSWORD_MINIMUM_LENGTH,
            password_reuse_prevention=PASSWORD_REUSE_PREVENTION,
            max_password_age=PASSWORD_MAX_AGE_DAYS,
            require_uppercase_characters=True,
            require_lowercase_characters=True,
            require_numbers=True,
            require_symbols=True,
            allow_users_to_change_password=True,
            # An expired password is changed by its user at the next sign-in, not reset by an administrator.
            hard_expiry=False,
            opts=child,
        )

        # FSBP EC2.1 enforced at the source: no snapshot of the account can be shared publicly, not even old ones.
        aws.ebs.SnapshotBlockPublicAccess(f"{name}-snapshot-block-public-access", state="block-all-sharing", opts=child)
        # The only blocking state AWS offers for AMIs (existing public AMIs stay public until unshared).
        aws.ec2.ImageBlockPublicAccess(f"{name}-ami-block-public-access", state="block-new-sharing", opts=child)
        # The serial console reaches an instance past its security groups and Session Manager; nothing here needs it.
        aws.ec2.SerialConsoleAccess(f"{name}-serial-console-access", enabled=False, opts=child)

        self.register_outputs({})
