"""KMS: every enabled, symmetric, customer-managed key with AWS-generated key material rotates automatically.

Keys KMS cannot rotate (imported material, custom key stores, asymmetric and HMAC keys) and AWS-managed keys
(rotated by AWS) are out of scope.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from auditor.findings import CheckResult, resource_unreadable

CHECK = "kms-keys"
ROTATION = "kms-key-rotation"
RULES = (ROTATION,)
PAGE_SIZE = 1000  # the ListKeys maximum


def is_rotatable_customer_key(metadata: dict[str, Any]) -> bool:
    """True for a DescribeKey KeyMetadata the rotation rule applies to. Pure."""
    return (
        metadata.get("KeyManager") == "CUSTOMER"
        and metadata.get("KeyState") == "Enabled"
        and metadata.get("KeySpec", metadata.get("CustomerMasterKeySpec")) == "SYMMETRIC_DEFAULT"
        and metadata.get("Origin", "AWS_KMS") == "AWS_KMS"
    )


def _check_key(kms: Any, key_id: str, result: CheckResult) -> None:
    metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    if not is_rotatable_customer_key(metadata):
        return
    result.count(ROTATION)
    if not kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]:
        description = metadata.get("Description") or "no description"
        result.add(ROTATION, metadata["Arn"], f"customer-managed key ({description}) does not rotate automatically")


def check_kms_keys(kms: Any) -> CheckResult:
    result = CheckResult()
    result.count(ROTATION, resources=0)
    for page in kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": PAGE_SIZE}):
        for key in page["Keys"]:
            try:
                _check_key(kms, key["KeyId"], result)
            except ClientError as error:
                # A key policy that does not delegate to IAM denies the auditor that key only.
                result.findings.append(resource_unreadable(CHECK, key["KeyArn"], error))
    return result
