"""Credentials the program hands over are not plaintext: database and broker passwords written into the program or
read from plain config, and stack outputs that look secret but are not marked so (issue 13, secrets never in
plaintext).

pulumi-aws marks its password arguments secret itself, so the state is encrypted whatever the program does; what
stays in plaintext is where the value came from: a literal in the source, or a config value stored unencrypted in
`Pulumi.<stack>.yaml` (set without `--secret`). The pack sees where a credential came from: another resource
(a property dependency: a random.RandomPassword, a Secrets Manager secret), a secret config key or a plain one
(the stack config the engine hands the pack, with its secret keys), or none of these (written into the program).
A value built from a config value (a suffix added, base64-encoded) still holds it and is judged by that key.
Exports are not marked secret by the provider, so for stack outputs the mark itself is read
(`decode_once.secret_at`). No message prints a value.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy import Severity

from .. import stack_config
from ..decode_once import secret_at
from ..props import UNKNOWN, Deferred, attempt, peek
from ..registry import PROJECT, Category, stack_policy
from ..secret_values import secret_reason
from ..types import (
    DMS_ENDPOINT,
    DOCDB_CLUSTER,
    DOCDB_ELASTIC_CLUSTER,
    ELASTICACHE_REPLICATION_GROUP,
    ELASTICACHE_USER,
    MQ_BROKER,
    OPENSEARCH_DOMAINS,
    REDSHIFT_CLUSTER,
    REDSHIFT_SERVERLESS_NAMESPACE,
    STACK,
)

# Where each type takes a credential (pulumi-aws 7 argument names in wire form; "*" is every element of a list,
# a nested name a single nested block). The write-only `..Wo` twins stay out of the state, but a plain value is
# still in the program or its config file. What needs the service's own alternative is in the remediation.
CREDENTIAL_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    DOCDB_CLUSTER: (("masterPassword",), ("masterPasswordWo",)),
    DOCDB_ELASTIC_CLUSTER: (("adminUserPassword",),),
    REDSHIFT_CLUSTER: (("masterPassword",), ("masterPasswordWo",)),
    REDSHIFT_SERVERLESS_NAMESPACE: (("adminUserPassword",), ("adminUserPasswordWo",)),
    ELASTICACHE_REPLICATION_GROUP: (("authToken",), ("authTokenWo",)),
    ELASTICACHE_USER: (("passwords", "*"), ("passwordsWo",), ("authenticationMode", "passwords", "*")),
    MQ_BROKER: (("users", "*", "password"),),
    DMS_ENDPOINT: (("password",),),
    **{
        domain: (("advancedSecurityOptions", "masterUserOptions", "masterUserPassword"),)
        for domain in sorted(OPENSEARCH_DOMAINS)
    },
}


def _found(props: Any, pattern: tuple[str, ...], path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """(path, value) for each value at `pattern` ("*": every list element); an unknown container or value is
    skipped: at preview it is computed from another resource (a RandomPassword's result), not a literal."""
    if not pattern:
        yield path, props
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(props, Sequence) and not isinstance(props, str):
            for index in range(len(props)):
                element = attempt(lambda index=index: props[index])
                if element is not UNKNOWN:
                    yield from _found(element, rest, (*path, index))
        return
    found = peek(props, head) if isinstance(props, Mapping) else None
    if isinstance(found, list | tuple) and found and rest and rest[0] != "*":
        found = found[0]  # a nested block sent as a one-element list
    if found not in (None, UNKNOWN, ""):
        yield from _found(found, rest, (*path, head))


def _where(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


def _origin_problem(
    resource: Any, path: tuple[str | int, ...], value: Any, config: tuple[dict[str, str], set[str]]
) -> str | None:
    """Why the credential at `path` is plaintext somewhere, or None when it comes from a resource or a secret."""
    if not isinstance(value, str):
        return None
    if resource.property_dependencies.get(str(path[0])):
        return None  # computed from another resource: a RandomPassword's result, a secret version's string
    plain, secret = config
    forms = _readings(value)
    if any(known in form for form in forms for known in secret):
        return None  # built from a secret config value (a suffix added, base64-encoded): not in the source
    for form in forms:
        for known, key in plain.items():
            if known in form:
                return f"comes from the plain config key `{key}`, stored unencrypted in the stack's config file"
    return "is written into the program (or read from outside Pulumi's config), so it is in plaintext in the source"


def _readings(value: str) -> list[str]:
    """The value and, when it is base64, what it encodes: a credential built from a config value by
    concatenation or encoding still holds that value (config values shorter than six characters are not
    matched, see stack_config.values_by_secrecy)."""
    forms = [value]
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return forms
    return [*forms, decoded]


@stack_policy(
    name="database-credentials-not-plaintext",
    description="Database, cache, broker and search credentials never come from plaintext: DocumentDB and Redshift "
    "master passwords, Redshift Serverless admin passwords, ElastiCache auth tokens and user passwords, Amazon MQ "
    "user passwords, DMS endpoint passwords and OpenSearch master user passwords come from another resource "
    "(random.RandomPassword, a Secrets Manager secret) or a secret config key, never from a literal in the "
    "program or a plain config value. A value unknown at preview comes from another resource and passes.",
    types=sorted(CREDENTIAL_PATHS),
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("no-credentials-in-config"), PROJECT("no-plaintext-secrets")],
    remediation="Let the service keep the credential (manage_master_user_password on DocumentDB, "
    "manage_master_password on Redshift, manage_admin_password on Redshift Serverless, a Secrets Manager "
    "secret_id on DMS endpoints, IAM authentication for ElastiCache users and an IAM master user ARN for "
    "OpenSearch); otherwise generate it (random.RandomPassword) or keep it in secret config "
    "(`pulumi config set --secret`).",
)
def database_credentials_not_plaintext(args: Any, report: Any, config: dict) -> None:
    stack_config_values = stack_config.values_by_secrecy()
    deferred = Deferred()
    for resource in (r for r in args.resources if r.resource_type in CREDENTIAL_PATHS):
        with deferred.guard():
            for pattern in CREDENTIAL_PATHS[resource.resource_type]:
                for path, value in _found(resource.props, pattern):
                    problem = _origin_problem(resource, path, value, stack_config_values)
                    if problem:
                        report(f"{resource.name}: `{_where(path)}` {problem}.", resource.urn)
    deferred.finish()


def _secret_looking(value: Any, key: str, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, why) for each value in a stack output that looks secret (by its key, its format or its entropy)."""
    if isinstance(value, Mapping):
        for child_key in list(value):
            child = peek(value, child_key)
            if child is not UNKNOWN:
                yield from _secret_looking(child, str(child_key), (*path, child_key))
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for index in range(len(value)):
            child = attempt(lambda index=index: value[index])
            if child is not UNKNOWN:
                yield from _secret_looking(child, key, (*path, index))
    else:
        why = secret_reason(key, value)
        if why:
            yield path, why


@stack_policy(
    name="stack-outputs-no-plaintext-secrets",
    description="A stack output that looks like a secret (named like one, shaped like a known credential or a long "
    "high-entropy string) is marked secret: `pulumi stack output` and the Pulumi Cloud console show plain "
    "outputs to anyone who can read the stack, and they are stored as text in the state.",
    types=[STACK],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("no-plaintext-secrets")],
    remediation="Export the value with pulumi.Output.secret(...) (or export a reference to where it lives, such "
    "as a Secrets Manager ARN, instead of the value).",
)
def stack_outputs_no_plaintext_secrets(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    for stack in (r for r in args.resources if r.resource_type == STACK):
        with deferred.guard():
            for name in list(stack.props):
                output = peek(stack.props, name)
                if output is UNKNOWN:
                    continue
                for path, why in _secret_looking(output, str(name), (name,)):
                    if secret_at(stack.props, *path) is False:
                        report(
                            f"stack output `{_where(path)}` is not marked secret and {why}; its value is not shown "
                            "here.",
                            stack.urn,
                        )
    deferred.finish()
