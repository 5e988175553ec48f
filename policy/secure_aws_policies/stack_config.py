"""The stack's own config, as the engine hands it to a policy pack.

`pulumi preview --policy-pack` starts the pack through a proxy that waits for `ConfigureStack` and then exports
the stack's config as PULUMI_CONFIG (with PULUMI_PROJECT/STACK/DRY_RUN) to the pack process; the SDK reads it
with `pulumi.runtime.get_config`. A resource on the default provider is configured by exactly these keys
(`aws:region`, `aws:defaultTags`), so that is where a policy looks when the resource names no provider.
"""

from __future__ import annotations

import os
from typing import Any

import pulumi.runtime


def available() -> bool:
    """Whether the engine passed the stack's config at all (an empty stack config is still `{}`)."""
    return "PULUMI_CONFIG" in os.environ


def get(key: str) -> Any:
    """A namespaced stack config value (`aws:region`), or None."""
    return pulumi.runtime.get_config(key)
