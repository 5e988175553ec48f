"""Decode each resource once per analysis, not once per policy.

pulumi-policy's analyzer (`_PolicyAnalyzerServicer.Analyze` and `AnalyzeStack` in pulumi_policy/policy.py, 1.21.0)
turns a resource's protobuf properties into Python values inside its loop over the policies: for every policy it
calls `json_format.MessageToDict(request.properties)`, `deserialize_properties(...)` and `unknown_checking_proxy(...)`
again on the same message. With a hundred policies that decoding is about half of the pack's analysis time, in
the real CLI as under preflight (benchmarks/preview_benchmark.py: Analyze 3.3 ms per resource before, 1.6 after).

`install()` wraps those three names, as the SDK module sees them, with a memo keyed on the identity of the object
they are given. The memo holds a reference to that object, so its identity cannot be reused by another while the
entry lives. The proxies the policies read are then shared between policies: a policy only reads its resource
(see "Adding a policy" in policy/README.md), never writes into it.

Only the pulumi-policy version this was written against is patched; with any other version `install()` leaves the
SDK alone (the pack is then correct and slower) and tests/policy/test_decode_once.py fails, so a version bump is
looked at.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from pulumi_policy import policy as sdk_policy
from pulumi_policy.version import VERSION

WRITTEN_FOR_VERSION = "1.21.0"

# Enough for every resource of a large stack: AnalyzeStack decodes all of them once per stack policy.
MEMO_SIZE = 8192


class IdentityMemo:
    """`fn(value)` computed once per value object (by identity), for the `MEMO_SIZE` most recent values."""

    def __init__(self, fn: Callable[..., Any], size: int = MEMO_SIZE) -> None:
        self.fn = fn
        self.size = size
        self.entries: OrderedDict[int, tuple[Any, Any]] = OrderedDict()

    def __call__(self, value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:  # another calling form than the analyzer's: not memoized
            return self.fn(value, *args, **kwargs)
        entry = self.entries.get(id(value))
        if entry is not None and entry[0] is value:
            return entry[1]
        result = self.fn(value)
        self.entries[id(value)] = (value, result)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return result


class _JsonFormat:
    """The SDK's `json_format` module with a memoized `MessageToDict`; every other name passes through."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self.MessageToDict = IdentityMemo(module.MessageToDict)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


def install() -> bool:
    """Memoizes the analyzer's per-policy decoding; True when installed (idempotent)."""
    if VERSION != WRITTEN_FOR_VERSION:
        return False
    if isinstance(sdk_policy.json_format, _JsonFormat):
        return True
    sdk_policy.json_format = _JsonFormat(sdk_policy.json_format)  # type: ignore[assignment]
    sdk_policy.deserialize_properties = IdentityMemo(sdk_policy.deserialize_properties)  # type: ignore[assignment]
    sdk_policy.unknown_checking_proxy = IdentityMemo(sdk_policy.unknown_checking_proxy)  # type: ignore[assignment]
    return True
