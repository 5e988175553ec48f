"""Systems Manager: SecureString parameters encrypted with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import report_key
from ..props import UNKNOWN, peek
from ..registry import PROJECT, Category, resource_policy
from ..types import SSM_PARAMETER


@resource_policy(
    name="ssm-secure-string-encrypted-with-cmk",
    description="SSM SecureString parameters are encrypted with our customer-managed KMS key. Left out, `key_id` "
    "means the account's AWS managed key alias/aws/ssm (pulumi-aws 7 ssm.Parameter: 'KMS key ID or ARN for "
    "encrypting a SecureString'), which every principal allowed to use SSM in the account can decrypt with.",
    types=[SSM_PARAMETER],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set key_id=<our key ARN> on aws.ssm.Parameter of type SecureString.",
)
def ssm_secure_string_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    kind = peek(args.props, "type")
    if kind is UNKNOWN or kind != "SecureString":
        return
    report_key(args, report, "keyId", "SecureString parameter")
