"""The stack's own config, as the engine hands it to a policy pack.

`pulumi preview --policy-pack` starts the pack through a proxy that waits for `ConfigureStack` and then exports
the stack's config as PULUMI_CONFIG (with PULUMI_PROJECT/STACK/DRY_RUN) to the pack process; the SDK reads it
with `pulumi.runtime.get_config`. A resource on the default provider is configured by exactly these keys
(`aws:region`, `aws:defaultTags`), so that is where a policy looks when the resource names no provider.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pulumi.runtime


def available() -> bool:
    """Whether the engine passed the stack's config at all (an empty stack config is still `{}`)."""
    return "PULUMI_CONFIG" in os.environ


def get(key: str) -> Any:
    """A namespaced stack config value (`aws:region`), or None."""
    return pulumi.runtime.get_config(key)


# Shorter values (a count, "true", a region) say nothing about where a credential came from.
_MIN_MATCHED_LENGTH = 6


def values_by_secrecy() -> tuple[dict[str, str], set[str]]:
    """(value -> key for the plain config values, the secret config values): which config key a credential was
    read from, and whether that key is a secret (PULUMI_CONFIG_SECRET_KEYS, which the engine's policy proxy sets
    from ConfigureStack's config_secret_keys: the `secure:` keys of the stack file)."""
    try:
        config = json.loads(os.environ.get("PULUMI_CONFIG") or "{}")
        secret_keys = set(json.loads(os.environ.get("PULUMI_CONFIG_SECRET_KEYS") or "[]"))
    except json.JSONDecodeError:
        return {}, set()
    plain: dict[str, str] = {}
    secret: set[str] = set()
    for key, value in config.items():
        if not isinstance(value, str) or len(value) < _MIN_MATCHED_LENGTH:
            continue
        if key in secret_keys:
            secret.add(value)
        else:
            plain.setdefault(value, key)
    return plain, secret
