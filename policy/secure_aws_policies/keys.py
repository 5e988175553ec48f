"""Our customer-managed KMS key, as every encryption-at-rest policy asks for it.

An AWS managed key (`alias/aws/s3`, `aws/rds`, ...) encrypts too, but its key policy cannot be restricted, it
cannot be disabled to cut access in an incident, and CloudTrail shows its use under the service, not us: so
"encrypted" here means "encrypted with a key we manage". An unknown key ARN at preview (our key, not created
yet) counts as set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .props import UNKNOWN, attempt, items, peek, truthy


def customer_key_problem(props: Mapping[str, Any], key: str) -> str | None:
    """Why `props[key]` is not one of our customer-managed KMS keys, or None when it is (or will be).

    An unknown value passes: at preview it is our key's ARN, not yet created. An `alias/aws/...` is an AWS managed
    key, which anyone with service access in the account can use and whose policy we cannot restrict.
    """
    found = peek(props, key)
    if found is UNKNOWN:
        return None
    if found in (None, ""):
        return f"`{key}` is not set, so the service encrypts with its AWS managed key, not our customer-managed key"
    if isinstance(found, str) and (found.startswith("alias/aws/") or ":alias/aws/" in found):
        return f"`{key}` is {found}, an AWS managed key; use our customer-managed key"
    return None


def flag_then_key_problem(props: Mapping[str, Any], flag: str, key: str, unencrypted: str) -> str | None:
    """Why a resource whose encryption is a boolean `flag` (false when left out) and a `key` argument is not encrypted
    with our key: `unencrypted` when the flag is not true, else customer_key_problem; None when it is or may be (an
    unknown flag is computed, not judged)."""
    enabled = peek(props, flag)
    if enabled is UNKNOWN:
        return None
    if not truthy(enabled):
        return unencrypted
    return customer_key_problem(props, key)


def report_key(args: Any, report: Any, key: str, what: str) -> None:
    """Reports `<what> <name>: <problem>.` when the resource's `key` input is not our customer-managed key."""
    problem = customer_key_problem(args.props, key)
    if problem:
        report(f"{what} {args.name}: {problem}.")


def key_at(props: Mapping[str, Any], path: str) -> Any:
    """The mapping holding the last key of a dotted `path` ("serverSideEncryption.keyArn") and that key, following
    one-element block lists to their first element; None when a block on the way is absent, UNKNOWN when it is
    not known yet (an unknown block is a value computed from another resource: treat it as set)."""
    *blocks, key = path.split(".")
    holder: Any = props
    for block in blocks:
        found = peek(holder, block)
        if found is UNKNOWN:
            return UNKNOWN
        first = attempt(lambda found=found: items(found)[:1])
        if first is UNKNOWN:
            return UNKNOWN
        found = first[0] if first else None
        if not isinstance(found, Mapping):
            return None
        holder = found
    return holder, key


def key_problem_at(props: Mapping[str, Any], path: str) -> str | None:
    """`customer_key_problem` for a key argument at a dotted path (see `key_at`); an absent block has no key."""
    found = key_at(props, path)
    if found is UNKNOWN:
        return None
    if found is None:
        return f"`{path}` is not set, so the service uses its AWS managed or AWS owned key, not our key"
    holder, key = found
    problem = customer_key_problem(holder, key)
    return problem.replace(f"`{key}`", f"`{path}`", 1) if problem else None
