"""Account-level guardrails, where the stack manages them: EBS encryption by default with our key, the S3 account
public access block, snapshot and AMI public-sharing blocks, the serial console, the IAM password policy.

Each is one setting per account and region, so a stack may leave it to the organization (Control Tower, an
account-vending pipeline): a stack without the resource passes. A stack that does manage one must set it securely,
and a second resource for the same setting is judged too (the last one applied wins on AWS, so the weakest decides).
The defaults quoted are pulumi-aws 7's (its docstrings, from the Terraform provider) and IAM's
UpdateAccountPasswordPolicy API reference.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import customer_key_problem
from ..props import UNKNOWN, Deferred, as_int, falsy, peek, truthy, value
from ..registry import CIS, FSBP, PROJECT, Category, resource_policy, stack_policy
from ..types import (
    AMI_BLOCK_PUBLIC_ACCESS,
    EBS_DEFAULT_KMS_KEY,
    EBS_ENCRYPTION_BY_DEFAULT,
    EBS_SNAPSHOT_BLOCK_PUBLIC_ACCESS,
    IAM_ACCOUNT_PASSWORD_POLICY,
    S3_ACCOUNT_PUBLIC_ACCESS_BLOCK,
    SERIAL_CONSOLE_ACCESS,
)


def _ebs_default_encryption_problems(resources: list[Any], report: Any) -> bool:
    """Reports every EncryptionByDefault that turns it off; True when the stack turns it on somewhere."""
    turned_on = False
    deferred = Deferred()
    for setting in (r for r in resources if r.resource_type == EBS_ENCRYPTION_BY_DEFAULT):
        with deferred.guard():
            # pulumi-aws 7 ebs.EncryptionByDefault `enabled`: "Defaults to `true`".
            if falsy(value(setting.props, "enabled", True)):
                report(
                    f"ebs encryption-by-default {setting.name} turns EBS encryption by default off (enabled=false): "
                    "a volume created without its own key is stored unencrypted.",
                    setting.urn,
                )
            else:
                turned_on = True
    deferred.finish()
    return turned_on


@stack_policy(
    name="ebs-encryption-by-default-with-cmk",
    description="Where the stack manages the account's EBS encryption by default (aws.ebs.EncryptionByDefault, "
    "`enabled` defaults to true), it is on, and the default key is our customer-managed key: an "
    "aws.ebs.DefaultKmsKey with our key beside it (without one, AWS uses the AWS managed key aws/ebs). Every "
    "DefaultKmsKey in the stack names our key.",
    types=[EBS_ENCRYPTION_BY_DEFAULT, EBS_DEFAULT_KMS_KEY],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("EC2.7"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Declare aws.ebs.EncryptionByDefault(enabled=True) together with "
    "aws.ebs.DefaultKmsKey(key_arn=<our key ARN>), and no second EncryptionByDefault that turns it off.",
)
def ebs_encryption_by_default_with_cmk(args: Any, report: Any, config: dict) -> None:
    resources = list(args.resources)
    turned_on = _ebs_default_encryption_problems(resources, report)
    default_keys = [r for r in resources if r.resource_type == EBS_DEFAULT_KMS_KEY]
    for default_key in default_keys:
        problem = customer_key_problem(default_key.props, "keyArn")
        if problem:
            report(f"ebs default KMS key {default_key.name}: {problem}.", default_key.urn)
    if turned_on and not default_keys:
        report(
            "the stack turns EBS encryption by default on but declares no aws.ebs.DefaultKmsKey: new volumes are "
            "encrypted with the AWS managed key aws/ebs, not our customer-managed key."
        )


# pulumi-aws 7 ebs.SnapshotBlockPublicAccess `state` (required): block-all-sharing, block-new-sharing, unblocked.
# Only block-all-sharing also hides snapshots that are already public (AWS Config ebs-snapshot-block-public-access).
# ec2.ImageBlockPublicAccess `state` (required): block-new-sharing or unblocked, the only blocking state AWS offers.
_BLOCKING_STATE = {EBS_SNAPSHOT_BLOCK_PUBLIC_ACCESS: "block-all-sharing", AMI_BLOCK_PUBLIC_ACCESS: "block-new-sharing"}


@resource_policy(
    name="ec2-snapshot-and-ami-public-sharing-blocked",
    description="Where the stack manages the account's block public access for EBS snapshots or AMIs, it blocks: "
    "snapshots `block-all-sharing` (`block-new-sharing` leaves snapshots that are already public public), AMIs "
    "`block-new-sharing` (the only blocking state AWS offers for images).",
    types=list(_BLOCKING_STATE),
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("EC2.1")],
    remediation="Set state='block-all-sharing' on aws.ebs.SnapshotBlockPublicAccess and state='block-new-sharing' "
    "on aws.ec2.ImageBlockPublicAccess.",
)
def ec2_snapshot_and_ami_public_sharing_blocked(args: Any, report: Any, config: dict) -> None:
    wanted = _BLOCKING_STATE[args.resource_type]
    state = value(args.props, "state")
    if state != wanted:
        what = "snapshot" if args.resource_type == EBS_SNAPSHOT_BLOCK_PUBLIC_ACCESS else "AMI"
        report(f"{what} block public access {args.name} is {state!r}, not {wanted!r}: {what}s can be made public.")


_S3_ACCOUNT_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


@resource_policy(
    name="s3-account-public-access-block-all-on",
    description="Where the stack manages the account's S3 public access block, all four settings are on: "
    "block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets (pulumi-aws 7 "
    "s3.AccountPublicAccessBlock: each 'Defaults to `false`', so one left out is off).",
    types=[S3_ACCOUNT_PUBLIC_ACCESS_BLOCK],
    severity=Severity.MEDIUM,
    category=Category.ACCESS,
    controls=[FSBP("S3.1")],
    remediation="Set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to True "
    "on aws.s3.AccountPublicAccessBlock.",
)
def s3_account_public_access_block_all_on(args: Any, report: Any, config: dict) -> None:
    off = [flag for flag in _S3_ACCOUNT_FLAGS if not truthy(value(args.props, flag, False))]
    if off:
        report(
            f"s3 account public access block {args.name} leaves {', '.join(off)} off: a bucket's own weaker "
            "settings decide whether it can be public."
        )


@resource_policy(
    name="ec2-serial-console-access-disabled",
    description="Where the stack manages EC2 serial console access for the account, it is off (pulumi-aws 7 "
    "ec2.SerialConsoleAccess `enabled`: 'Defaults to `true`', so a resource without it turns the console on). "
    "The serial console reaches an instance past its security groups and Session Manager.",
    types=[SERIAL_CONSOLE_ACCESS],
    severity=Severity.MEDIUM,
    category=Category.COMPUTE,
    controls=[PROJECT("no-serial-console")],
    remediation="Set enabled=False on aws.ec2.SerialConsoleAccess (or leave the setting to the organization).",
)
def ec2_serial_console_access_disabled(args: Any, report: Any, config: dict) -> None:
    if not falsy(value(args.props, "enabled", True)):
        report(f"ec2 serial console access {args.name} turns the serial console on for every instance.")


# CIS AWS Foundations v3.0.0 1.8 and 1.9 (Security Hub IAM.15, IAM.16); FSBP IAM.7, whose default parameters
# ask for all four character classes.
PASSWORD_MINIMUM_LENGTH = 14
PASSWORD_REUSE_PREVENTION = 24
_CHARACTER_CLASSES = (
    "requireUppercaseCharacters",
    "requireLowercaseCharacters",
    "requireNumbers",
    "requireSymbols",
)


def _password_policy_problems(props: Any) -> list[str]:
    problems = []
    # IAM UpdateAccountPasswordPolicy: MinimumPasswordLength "If you do not specify a value ... the default value
    # of 6"; PasswordReusePrevention "the default value of 0" (reuse allowed); each Require* defaults to false.
    length = peek(props, "minimumPasswordLength")
    if length is not UNKNOWN and as_int(length, 6) < PASSWORD_MINIMUM_LENGTH:
        problems.append(f"minimum_password_length is {as_int(length, 6)} (at least {PASSWORD_MINIMUM_LENGTH})")
    reuse = peek(props, "passwordReusePrevention")
    if reuse is not UNKNOWN and as_int(reuse, 0) < PASSWORD_REUSE_PREVENTION:
        problems.append(f"password_reuse_prevention is {as_int(reuse, 0)} (at least {PASSWORD_REUSE_PREVENTION})")
    for flag in _CHARACTER_CLASSES:
        found = peek(props, flag)
        if found is not UNKNOWN and not truthy(found):
            problems.append(f"{flag} is off")
    return problems


@resource_policy(
    name="iam-password-policy-strong",
    description=f"Where the stack manages the account's IAM password policy, passwords are at least "
    f"{PASSWORD_MINIMUM_LENGTH} characters, the last {PASSWORD_REUSE_PREVENTION} cannot be reused, and upper case, "
    "lower case, numbers and symbols are required. Left out, IAM applies a length of 6, allows reuse and requires "
    "no character class, so an argument left out is a violation.",
    types=[IAM_ACCOUNT_PASSWORD_POLICY],
    severity=Severity.MEDIUM,
    category=Category.ACCESS,
    controls=[FSBP("IAM.7"), CIS("IAM.15"), CIS("IAM.16")],
    remediation=f"Set minimum_password_length={PASSWORD_MINIMUM_LENGTH}, "
    f"password_reuse_prevention={PASSWORD_REUSE_PREVENTION} and require_uppercase_characters, "
    "require_lowercase_characters, require_numbers and require_symbols to True on aws.iam.AccountPasswordPolicy.",
)
def iam_password_policy_strong(args: Any, report: Any, config: dict) -> None:
    problems = _password_policy_problems(args.props)
    if problems:
        report(f"iam account password policy {args.name}: {'; '.join(problems)}.")
