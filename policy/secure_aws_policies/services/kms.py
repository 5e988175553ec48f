"""KMS: customer-managed keys that rotate, cannot be deleted on the spot, and serve only the guarded accounts.
(Public key policies are judged with the other resource policies in `iam.py`; which key a service encrypts with,
by each service's module.)"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .. import documents
from ..accounts import ACCOUNT_IDS_SCHEMA, guarded_accounts
from ..props import Deferred, as_int, is_set, truthy, value
from ..registry import CDK_NAG, FSBP, PROJECT, SECURITY_HUB, Category, resource_policy, stack_policy
from ..types import AWS_PROVIDER, KMS_GRANT, KMS_KEY, KMS_KEY_POLICY


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


@stack_policy(
    name="kms-key-access-this-account",
    description="KMS keys give use and administration only to the guarded accounts (config accountIds, and every AWS "
    "provider's allowedAccountIds): no statement of a key's inline policy or an aws.kms.KeyPolicy names another "
    "account as principal or in an account condition (kms:CallerAccount, aws:SourceAccount, aws:PrincipalAccount, "
    'aws:SourceArn), and no aws.kms.Grant goes to another account\'s principal. (Principal "*" is '
    "resource-policy-not-public's finding.) Without any guarded account configured it has nothing to compare with "
    "and judges nothing.",
    types=[KMS_KEY, KMS_KEY_POLICY, KMS_GRANT, AWS_PROVIDER],
    severity=Severity.CRITICAL,
    category=Category.ACCESS,
    controls=[FSBP("KMS.5"), PROJECT("account-identity")],
    remediation="Give the key only to principals of the guarded accounts; share data with another account through "
    "a role it assumes in ours, or list that account in the pack's accountIds if it is ours.",
    config={
        "accountIds": ACCOUNT_IDS_SCHEMA,
    },
)
def kms_key_access_this_account(args: Any, report: Any, config: dict) -> None:
    guarded = guarded_accounts(args.resources, config["accountIds"])
    if not guarded:
        return
    deferred = Deferred()
    for resource in (r for r in args.resources if r.resource_type in (KMS_KEY, KMS_KEY_POLICY, KMS_GRANT)):
        with deferred.guard():
            if resource.resource_type == KMS_GRANT:
                for key in ("granteePrincipal", "retiringPrincipal"):
                    account = documents.account_of(value(resource.props, key, ""))
                    if account and account not in guarded:
                        report(
                            f"grant {resource.name} gives account {account} ({key}) use of the key; guarded "
                            f"accounts: {', '.join(sorted(guarded))}.",
                            resource.urn,
                        )
                continue
            for index, statement in enumerate(documents.statements(documents.document(resource.props, "policy"))):
                if not documents.allows(statement):
                    continue
                others = sorted(documents.named_accounts(statement) - guarded)
                if others:
                    where = statement.get("Sid") or index
                    report(
                        f"key policy {resource.name}: statement {where} gives account(s) {', '.join(others)} "
                        f"{', '.join(documents.actions(statement)) or 'access'}; guarded accounts: "
                        f"{', '.join(sorted(guarded))}.",
                        resource.urn,
                    )
    deferred.finish()
