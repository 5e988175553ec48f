"""The AWS accounts the pack guards: its config `accountIds`, and every AWS provider's `allowedAccountIds` (the
provider refuses to deploy anywhere else). A policy that asks "is this another account?" compares with these."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .props import UNKNOWN, items, peek
from .types import AWS_PROVIDER

# The one schema of the `accountIds` config every account rule takes (kms, resource policies, sharing, network
# paths, trust): the same accounts, said once per policy in the pack config.
ACCOUNT_IDS_SCHEMA = {
    "type": "array",
    "items": {"type": "string", "pattern": "^\\d{12}$"},
    "default": [],
    "description": "The AWS accounts this pack guards (besides the providers' allowedAccountIds): the only "
    "accounts anything here is shared with or gives access to.",
}


def guarded_accounts(resources: Iterable[Any], configured: Iterable[Any]) -> set[str]:
    """Config `accountIds` plus every AWS provider's `allowedAccountIds` (a provider input arrives JSON-encoded or
    as a list; an unknown one adds nothing)."""
    resources = list(resources)
    accounts = {str(a) for a in configured}
    providers = [r for r in resources if r.resource_type == AWS_PROVIDER]
    providers += [r.provider for r in resources if r.provider is not None]
    for provider in providers:
        allowed = peek(provider.props, "allowedAccountIds")
        if isinstance(allowed, str):
            try:
                allowed = json.loads(allowed)
            except json.JSONDecodeError:
                allowed = [allowed]
        if allowed not in (None, UNKNOWN):
            accounts.update(str(a) for a in items(allowed) if a is not UNKNOWN)
    return accounts
