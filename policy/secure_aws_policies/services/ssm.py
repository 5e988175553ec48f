"""Systems Manager: SecureString parameters encrypted with our customer-managed key."""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..keys import report_key
from ..props import UNKNOWN, peek
from ..registry import PROJECT, Category, resource_policy
from ..secret_values import secret_reason
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
# type is required on aws.ssm.Parameter (String, StringList or SecureString; no default to judge); key_id left out
# on a SecureString: the aws/ssm AWS managed key.
def ssm_secure_string_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    kind = peek(args.props, "type")
    if kind is UNKNOWN or kind != "SecureString":
        return
    report_key(args, report, "keyId", "SecureString parameter")


@resource_policy(
    name="ssm-parameter-no-plaintext-secrets",
    description="SSM parameters of type String or StringList hold no secret: one named like a secret, shaped like "
    "a known credential or of high entropy must be a SecureString (with our key). An unknown value at preview is "
    "a reference, not a secret. The message never prints the value.",
    types=[SSM_PARAMETER],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("no-plaintext-secrets")],
    remediation="Make it type='SecureString' with key_id=<our key ARN>, or keep the secret in Secrets Manager.",
)
def ssm_parameter_no_plaintext_secrets(args: Any, report: Any, config: dict) -> None:
    kind = peek(args.props, "type")
    if kind is UNKNOWN or kind == "SecureString":
        return
    name = peek(args.props, "name")
    for key in ("value", "insecureValue"):
        found = peek(args.props, key)
        if found is UNKNOWN:
            continue
        reason = secret_reason(name if isinstance(name, str) else args.name, found)
        if reason:
            report(
                f"SSM parameter {args.name} of type {kind or 'String'}: its value {reason}; make it a "
                "SecureString encrypted with our key."
            )
            return
