"""KMS: customer-managed keys that rotate and cannot be deleted on the spot. (Who may use a key is judged with
the other resource policies in `iam.py`; which key a service encrypts with, by each service's module.)"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from ..props import as_int, is_set, truthy, value
from ..registry import CDK_NAG, FSBP, SECURITY_HUB, Category, resource_policy
from ..types import (
    KMS_KEY,
)


@resource_policy(
    name="kms-key-rotation-enabled",
    description="Symmetric customer-managed KMS keys rotate their key material automatically.",
    types=[KMS_KEY],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[SECURITY_HUB("KMS.4"), CDK_NAG("AwsSolutions-KMS5")],
    remediation="Set enable_key_rotation=True (optionally rotation_period_in_days, 90-2560).",
)
def kms_key_rotation_enabled(args: Any, report: Any, config: dict) -> None:
    spec = value(args.props, "customerMasterKeySpec", "SYMMETRIC_DEFAULT")
    if spec != "SYMMETRIC_DEFAULT" or is_set(args.props, "customKeyStoreId"):
        args.not_applicable("KMS rotates only symmetric keys in the AWS KMS key store")
    if not truthy(value(args.props, "enableKeyRotation", False)):
        report(f"key {args.name}: enableKeyRotation is not true.")


@resource_policy(
    name="kms-key-deletion-window",
    description="KMS keys wait at least the configured number of days (default 7) before deletion, so an "
    "unintended deletion can be cancelled.",
    types=[KMS_KEY],
    severity=Severity.CRITICAL,
    category=Category.ENCRYPTION,
    controls=[FSBP("KMS.3")],
    remediation="Set deletion_window_in_days to at least the configured minimum (30, the AWS default, is best) "
    "and protect the key resource.",
    config={
        "minKeyDeletionWindowDays": {
            "type": "integer",
            "minimum": 7,
            "maximum": 30,
            "default": 7,
            "description": "Shortest allowed deletion window, in days (AWS accepts 7 to 30).",
        },
    },
)
def kms_key_deletion_window(args: Any, report: Any, config: dict) -> None:
    days = as_int(value(args.props, "deletionWindowInDays"), 30)  # AWS waits 30 days when it is not set
    minimum = int(config["minKeyDeletionWindowDays"])
    if days < minimum:
        report(f"key {args.name}: deletionWindowInDays is {days}, below the minimum of {minimum}.")
