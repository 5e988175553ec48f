"""Reading resource properties the way the engine sends them, at preview (unknowns) and at update.

The SDK wraps props in a proxy that raises `UnknownValueError` when an unknown value is read; the analyzer then
turns the whole policy run for that resource into one advisory "can't run policy ... during preview" note. That is
right when the decision truly depends on the value, and wrong when it does not (an unknown `kmsKeyId` is still a
key that was set). So:

- membership only through `has(props, key)` (`key in list(props)`: `key in props` and `props.get` read the value
  and raise on an unknown);
- `value(props, key)` reads and lets an unknown raise: use it when the decision needs the value;
- `peek(props, key)` never raises and returns `UNKNOWN` instead: use it when an unknown is already an answer.

Values also arrive in shapes a typed program would not write but the engine and provider accept: a list may be
given as its single element (`items` wraps it), and numbers are floats, or strings (`as_int`; `net.PortRange.of`
and `net.protocol_name` for ports and protocols). Secrets arrive as plain values: the SDK's own deserializer
unwraps them before a policy runs.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError


class _Unknown:
    """A value the engine does not know yet (a preview's computed id or ARN)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


def has(props: Mapping[str, Any] | None, key: str) -> bool:
    """The key is present (its value may be unknown or None). Never reads the value."""
    return props is not None and isinstance(props, Mapping) and key in list(props)


def value(props: Mapping[str, Any] | None, key: str, default: Any = None) -> Any:
    """The value, or `default` when absent or None. An unknown value raises (the SDK's advisory note)."""
    if not has(props, key):
        return default
    found = props[key]
    return default if found is None else found


def peek(props: Mapping[str, Any] | None, key: str, default: Any = None) -> Any:
    """The value, `UNKNOWN` when it is not known yet, or `default` when absent or None. Never raises."""
    try:
        return value(props, key, default)
    except UnknownValueError:
        return UNKNOWN


def attempt(read: Callable[[], Any]) -> Any:
    """What `read()` returns, or `UNKNOWN` when it reads an unknown value (for a decision either of two reads can
    settle: try one, and let the other raise only if the first did not decide)."""
    try:
        return read()
    except UnknownValueError:
        return UNKNOWN


def nested_strings(
    found: Any, path: str = "", keys: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(path, the keys leading to it, value) for every string nested in `found` (mappings and lists, proxied or
    not); unknown values are skipped: computed from another resource. For rules that read a meaning from a key
    anywhere in any resource (a region, a destination account)."""
    if isinstance(found, Mapping):
        for key in list(found):
            child = peek(found, key)
            if child is UNKNOWN:
                continue
            where = f"{path}.{key}" if path else str(key)
            if isinstance(child, str):
                yield where, (*keys, str(key)), child
            else:
                yield from nested_strings(child, where, (*keys, str(key)))
    elif isinstance(found, Sequence) and not isinstance(found, str | bytes):
        for index in range(len(found)):
            child = attempt(lambda index=index: found[index])
            if child is not UNKNOWN:
                yield from nested_strings(child, f"{path}[{index}]", keys)


def items(sequence: Any) -> list[Any]:
    """The elements of a (proxied) list; an unknown element raises. None gives [], and a single value given where a
    list belongs (the provider accepts `cidr_blocks="0.0.0.0/0"`) is a list of that one."""
    if sequence is None:
        return []
    if isinstance(sequence, str | bytes | Mapping) or not isinstance(sequence, Sequence):
        return [sequence]
    return [sequence[i] for i in range(len(sequence))]


def block(props: Any, key: str) -> Any:
    """A single nested block (`encrypt_at_rest`, `viewer_certificate`), sent as an object or a one-element list;
    None when absent (or `props` is not a mapping), UNKNOWN when not known yet."""
    found = peek(props, key) if isinstance(props, Mapping) else None
    # The engine's lists reach a policy as the SDK's proxied Sequence, not a list.
    if isinstance(found, Sequence) and not isinstance(found, str | bytes):
        found = attempt(lambda: found[0] if len(found) else None)
    return found


def as_int(found: Any, default: int = 0) -> int:
    """A number as the engine sends it (a float, or a string such as "22" where the schema types it so); `default`
    when absent or not a number at all (the provider refuses such a value before it is deployed)."""
    if isinstance(found, int | float) and not isinstance(found, bool):
        return int(found)
    try:
        return int(float(str(found).strip()))
    except (TypeError, ValueError, OverflowError):
        return default


def linked_to(resources: Iterable[Any], types: str | Iterable[str], key: str) -> dict[str, list[Any]]:
    """Target URN -> the resources of `types` whose `key` input depends on it (the engine's property dependencies:
    at a first preview the input is an unknown id, but the dependency on the target's URN is known)."""
    wanted = {types} if isinstance(types, str) else set(types)
    found: dict[str, list[Any]] = {}
    for resource in resources:
        if resource.resource_type in wanted:
            for target in resource.property_dependencies.get(key, []):
                found.setdefault(target.urn, []).append(resource)
    return found


def is_set(props: Mapping[str, Any] | None, key: str) -> bool:
    """Present and not empty. An unknown counts as set: it is a value computed from another resource."""
    found = peek(props, key)
    if found is UNKNOWN:
        return True
    if isinstance(found, Mapping):
        return len(found) > 0
    if isinstance(found, Sequence) and not isinstance(found, str):
        return len(found) > 0
    return found not in (None, "", False)


def truthy(found: Any) -> bool:
    """A boolean as pulumi-aws sends it: True, or "true" where the schema types it as a string."""
    if isinstance(found, str):
        return found.strip().lower() == "true"
    return found is True


def falsy(found: Any) -> bool:
    """Explicitly false: False, or "false" where the schema types it as a string (None is not false)."""
    if isinstance(found, str):
        return found.strip().lower() == "false"
    return found is False


def json_object(found: Any) -> Mapping[str, Any]:
    """A provider input that the SDK JSON-encodes (`defaultTags`), or an object; {} when neither."""
    if isinstance(found, str):
        try:
            decoded = json.loads(found)
        except json.JSONDecodeError:
            return {}
        return decoded if isinstance(decoded, Mapping) else {}
    return found if isinstance(found, Mapping) else {}


class Deferred:
    """Lets a stack policy decide every resource it can and still say, once, that it could not decide some.

    `with deferred.guard(): ...` per resource swallows the first unknown read; `deferred.finish()` re-raises it
    after the decided violations were reported, so the SDK adds its advisory "can't run during preview" note.
    """

    def __init__(self) -> None:
        self.first: UnknownValueError | None = None

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        try:
            yield
        except UnknownValueError as error:
            self.first = self.first or error

    def finish(self) -> None:
        if self.first is not None:
            raise self.first
