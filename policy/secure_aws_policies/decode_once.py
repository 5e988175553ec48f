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

The decoding also remembers which values arrived as secrets: the SDK unwraps them (a policy reads a secret
password as a plain string), but whether a credential is a secret is the difference between "encrypted in the
state, hidden in diffs" and "in plaintext". `secret_at(props, path)` answers it for the props a policy was given.

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


# The engine's wrapping of a secret value in wire form (pulumi/sdk/go/common/resource/properties.go).
_SIG_KEY = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"

Path = tuple[str | int, ...]


def secret_paths(raw: Any, path: Path = ()) -> frozenset[Path]:
    """Where in a resource's wire-form properties (MessageToDict's output) a secret was sent."""
    if isinstance(raw, dict):
        if raw.get(_SIG_KEY) == _SECRET_SIG:
            return frozenset({path})
        return frozenset().union(*(secret_paths(v, (*path, k)) for k, v in raw.items()))
    if isinstance(raw, list):
        return frozenset().union(*(secret_paths(v, (*path, i)) for i, v in enumerate(raw)))
    return frozenset()


class _Secrets:
    """The secret paths of each decoded properties object (and of its proxy), by identity, bounded like a memo."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self.entries: OrderedDict[int, tuple[Any, frozenset[Path]]] = OrderedDict()

    def remember(self, props: Any, paths: frozenset[Path]) -> None:
        self.entries[id(props)] = (props, paths)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def of(self, props: Any) -> frozenset[Path] | None:
        entry = self.entries.get(id(props))
        return entry[1] if entry is not None and entry[0] is props else None


_SECRETS = _Secrets()


class _DeserializeRemembering(IdentityMemo):
    """The SDK's `deserialize_properties`, memoized, remembering where the wire form had secrets."""

    def __call__(self, value: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().__call__(value, *args, **kwargs)
        if not args and not kwargs and _SECRETS.of(result) is None:
            _SECRETS.remember(result, secret_paths(value))
        return result


class _ProxyRemembering(IdentityMemo):
    """The SDK's `unknown_checking_proxy`, memoized; the proxy has the secret paths of what it wraps."""

    def __call__(self, value: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().__call__(value, *args, **kwargs)
        paths = _SECRETS.of(value)
        if paths is not None and _SECRETS.of(result) is None:
            _SECRETS.remember(result, paths)
        return result


def secret_at(props: Any, *path: str | int) -> bool | None:
    """Whether the value at `path` of a policy's `args.props` (or a stack resource's `props`) arrived as a secret,
    or is inside one; None when it cannot be told (props this module did not decode: another pulumi-policy
    version, where `install()` leaves the SDK alone)."""
    paths = _SECRETS.of(props)
    if paths is None:
        return None
    return any(path[: len(secret)] == secret for secret in paths)


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
    sdk_policy.deserialize_properties = _DeserializeRemembering(sdk_policy.deserialize_properties)  # type: ignore[assignment]
    sdk_policy.unknown_checking_proxy = _ProxyRemembering(sdk_policy.unknown_checking_proxy)  # type: ignore[assignment]
    return True
