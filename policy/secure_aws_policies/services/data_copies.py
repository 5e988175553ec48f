"""Copies of our data go only to the accounts the pack guards: replication, backup copies, log subscriptions and
message deliveries that name another account hand it the data, as a shared snapshot does.

Read the way aws-region-allowed reads regions: every nested input whose key names a destination, in any resource
type (so a service the program does not use yet is judged too): an ARN under a `destination...` key (a Backup copy
action's destination_vault_arn, a log subscription's destination_arn, a Lambda destination), and an account under a
destination block (an S3 replication rule's destination.account, an ECR replication destination's registry_id); and an
SNS subscription's endpoint ARN. Left out, each of these is this account or no copy at all (no default to judge). An
unknown value is computed from a resource of this stack, so ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pulumi_policy import Severity

from ..accounts import ACCOUNT_IDS_SCHEMA, guarded_accounts
from ..documents import account_of
from ..props import nested_strings, peek
from ..registry import PROJECT, Category, resource_policy
from ..types import EVENT_TARGET, SNS_TOPIC_SUBSCRIPTION

# Where a delivery names its target by a top-level ARN whose key says nothing of a destination (both required):
# an SNS subscription's endpoint (sqs, lambda and firehose protocols), an EventBridge target's arn (another
# account's event bus, queue or stream receives every matching event).
_TARGET_ARNS = {SNS_TOPIC_SUBSCRIPTION: "endpoint", EVENT_TARGET: "arn"}

_DESTINATION = re.compile(r"destination", re.IGNORECASE)
_ACCOUNT_KEYS = frozenset({"account", "accountid", "registryid"})


def _accounts_named(found: Any) -> Iterator[tuple[str, str]]:
    """(path, account) for each destination account or ARN nested in `found`."""
    for where, keys, text in nested_strings(found):
        if any(_DESTINATION.search(key) for key in keys):
            account = _account(keys[-1], text)
            if account:
                yield where, account


def _account(key: str, found: str) -> str | None:
    if key.lower() in _ACCOUNT_KEYS:
        return account_of(found)
    return account_of(found) if found.startswith("arn:") else None


@resource_policy(
    name="data-copies-stay-in-guarded-accounts",
    description="No resource copies or delivers our data to an account the pack does not guard (config accountIds "
    "and the providers' allowedAccountIds): S3 replication destinations (destination.account), ECR replication "
    "registries, Backup copy actions, CloudWatch Logs subscriptions, Lambda and other `destination...` ARNs, and SNS "
    "subscriptions and EventBridge targets in another account. Without any guarded account configured it has "
    "nothing to compare with and is not applicable.",
    types=["*"],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("account-identity")],
    remediation="Copy to a vault, bucket, registry or stream in one of the guarded accounts, or list the "
    "destination account in the pack config accountIds if it is ours.",
    config={"accountIds": ACCOUNT_IDS_SCHEMA},
)
def data_copies_stay_in_guarded_accounts(args: Any, report: Any, config: dict) -> None:
    guarded = guarded_accounts([args], config["accountIds"])
    if not guarded:
        return
    named = list(_accounts_named(args.props))
    key = _TARGET_ARNS.get(args.resource_type)
    target = peek(args.props, key) if key else None
    account = account_of(target) if isinstance(target, str) and target.startswith("arn:") else None
    named += [(str(key), account)] if account else []
    for where, account in named:
        if account not in guarded:
            report(f"{args.name} sends data to account {account} ({where}), which is not a guarded account.")
