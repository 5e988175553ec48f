"""IAM policy documents as the engine passes them: JSON strings (or, rarely, objects), possibly unknown at preview.

`document(props, key)` parses one with `json`; an unknown document raises the SDK's `UnknownValueError` (only a
document that is truly unknown is undecided: a known string is always judged). The statement helpers normalise
IAM's "string or list" shapes and compare actions the way IAM does: case-insensitively, with `*` and `?`
wildcards in the statement's action.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .props import has, value


class InvalidDocument(ValueError):
    """A policy document that is not a JSON object: AWS would refuse it."""


def parse(found: Any) -> dict[str, Any] | None:
    """A document from its JSON string (or object); None when absent or empty. Raises InvalidDocument."""
    decoded = parse_json(found)
    if decoded is not None and not isinstance(decoded, dict):
        raise InvalidDocument("is not a JSON object")
    return decoded


def parse_json(found: Any) -> Any:
    """A JSON object or array from its string (or a mapping or list, as a program may pass one); None when absent
    or empty. Raises InvalidDocument. For documents in a service's own format (OpenSearch Serverless policies are
    JSON arrays), which `parse` would refuse."""
    if found in (None, ""):
        return None
    if isinstance(found, str):
        try:
            decoded = json.loads(found)
        except json.JSONDecodeError as error:
            raise InvalidDocument(f"is not valid JSON ({error.msg} at character {error.pos})") from error
    elif isinstance(found, Mapping | Sequence):  # a str was handled above
        decoded = json.loads(json.dumps(_plain(found)))
    else:
        raise InvalidDocument(f"is a {type(found).__name__}, not a JSON policy document")
    if not isinstance(decoded, dict | list):
        raise InvalidDocument("is not a JSON object or array")
    return decoded


def _plain(found: Any) -> Any:
    """A proxied mapping/list as plain values (reading each value: an unknown raises)."""
    if isinstance(found, Mapping):
        return {key: _plain(found[key]) for key in list(found)}
    if isinstance(found, Sequence) and not isinstance(found, str | bytes):
        return [_plain(found[index]) for index in range(len(found))]
    return found


def document(props: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    """The parsed document at `props[key]`; an unknown value raises (the SDK's undecided note)."""
    if not has(props, key):
        return None
    return parse(value(props, key))


def json_document(props: Mapping[str, Any], key: str) -> Any:
    """The parsed JSON object or array at `props[key]` (see `parse_json`); an unknown value raises."""
    if not has(props, key):
        return None
    return parse_json(value(props, key))


def as_list(found: Any) -> list[Any]:
    if found is None:
        return []
    return list(found) if isinstance(found, list | tuple) else [found]


def statements(doc: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The document's statements (a single statement object counts as one)."""
    if not doc:
        return []
    return [s for s in as_list(doc.get("Statement")) if isinstance(s, dict)]


def allows(statement: Mapping[str, Any]) -> bool:
    return str(statement.get("Effect", "")).lower() == "allow"


def denies(statement: Mapping[str, Any]) -> bool:
    return str(statement.get("Effect", "")).lower() == "deny"


def actions(statement: Mapping[str, Any]) -> list[str]:
    return [str(a) for a in as_list(statement.get("Action"))]


def resources(statement: Mapping[str, Any]) -> list[str]:
    return [str(r) for r in as_list(statement.get("Resource"))]


def covers_all_resources(statement: Mapping[str, Any]) -> bool:
    """`Resource` is every resource (`*`, `arn:*`, `arn:aws:*:*:*:*`, ...), or `NotResource` excludes only some."""
    if statement.get("NotResource") is not None:
        return not any(_all_wildcards(r) for r in as_list(statement.get("NotResource")))
    return any(_all_wildcards(r) for r in resources(statement))


def _all_wildcards(resource: Any) -> bool:
    return re.fullmatch(r"(\*|arn(:(aws[a-z-]*|\*)?)?(:\*?)*:?\*)", str(resource).strip().lower()) is not None


def granted(statement: Mapping[str, Any], action: str) -> bool:
    """The statement's Action covers `action`, or its NotAction does not exclude it."""
    if statement.get("NotAction") is not None:
        return not any(grants(str(p), action) for p in as_list(statement.get("NotAction")))
    return any(grants(p, action) for p in actions(statement))


def grants_every_action(statement: Mapping[str, Any]) -> bool:
    """`Action: "*"` (or `*:*`): every action of every service."""
    return any(re.fullmatch(r"\*+(:\*+)?", p.strip()) for p in actions(statement))


def grants(pattern: str, action: str) -> bool:
    """The statement's action `pattern` (`s3:*`, `kms:Decrypt*`, `*`) covers `action` (case-insensitively, as IAM)."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def service_wildcard(pattern: str) -> bool:
    """`s3:*` style: every action of one service."""
    return re.fullmatch(r"[a-z0-9-]+:\*", pattern.strip().lower()) is not None


def principal_values(statement: Mapping[str, Any]) -> dict[str, list[str]]:
    """The statement's principals by kind ("*" is kind "*"): {"AWS": [...], "Service": [...], ...}."""
    principal = statement.get("Principal")
    if principal is None:
        return {}
    if isinstance(principal, str):
        return {"*": [principal]} if principal == "*" else {"AWS": [principal]}
    if isinstance(principal, dict):
        return {str(kind): [str(v) for v in as_list(values)] for kind, values in principal.items()}
    return {}


def names_everyone(statement: Mapping[str, Any]) -> bool:
    """Principal `*`, `{"AWS": "*"}` (alone or in a list), any kind given `*`, or an Allow with NotPrincipal
    (everyone but the named ones): anyone, in any account, unless a condition narrows it."""
    if allows(statement) and statement.get("NotPrincipal") is not None:
        return True
    kinds = principal_values(statement)
    # A wildcard inside an ARN (`arn:aws:iam::*:root`, `arn:aws:iam::*:role/deploy`) matches no account AWS can
    # check: IAM refuses it ("You cannot use a wildcard to match part of a principal name or ARN"), and where it is
    # not refused it could only mean everyone, so it is judged as everyone.
    return any(v.strip() == "*" or ("*" in v or "?" in v) for values in kinds.values() for v in values)


_ROOT = re.compile(r"^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$")


def only_account_roots(statement: Mapping[str, Any]) -> bool:
    """Every principal is an account's root (`arn:aws:iam::<account>:root` or the bare account id)."""
    kinds = principal_values(statement)
    return bool(kinds) and set(kinds) == {"AWS"} and all(_ROOT.match(p) for p in kinds["AWS"])


# Condition keys that tie "everyone" to one account, organization, source or network endpoint. Not keys that
# name a user or client (aws:userid, aws:username, aws:UserAgent, aws:SourceIp): a user of that name, or that
# header, exists in any account.
NARROWING_KEYS = frozenset(
    {
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "kms:calleraccount",
    }
)
MULTI_VALUED_KEYS = frozenset({"aws:sourceorgpaths", "aws:principalorgpaths"})
# Positive matches only: a negated operator (StringNotEquals) admits everyone else, `Null` tests only presence.
NARROWING_OPERATORS = frozenset({"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"})
_ARN_WITH_ACCOUNT = re.compile(r"^arn:[^:*?]+:[^:]*:[^:]*:\d{12}:")
_ORG_PATH = re.compile(r"^o-[a-z0-9]+/")


def _concrete(key: str, found: Any) -> bool:
    """The condition value names something: no wildcard, or one only after a concrete account (in an ARN) or
    organization (in an org path); never `*`, `arn:aws:*:*:*:*` or an empty string."""
    text = str(found).strip()
    if not text:
        return False
    if "*" not in text and "?" not in text:
        return True
    if key in MULTI_VALUED_KEYS:
        return _ORG_PATH.match(text) is not None
    return _ARN_WITH_ACCOUNT.match(text) is not None


def narrowed(statement: Mapping[str, Any]) -> bool:
    """A condition ties the statement to an account, organization, source ARN or VPC endpoint, with a concrete value.

    Not narrowing: `kms:ViaService` alone (any account's principals can call that service) or `aws:SourceIp`; a
    wildcard value; a negated operator or `Null`; `...IfExists` (true when the key is absent); and a set operator on
    a single-valued key (`ForAllValues:` is true when the key is absent, and AWS says not to use either with
    single-valued keys). `ForAnyValue:` on the multi-valued org-path keys is how AWS documents them.
    """
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return False
    for operator, tests in condition.items():
        if not isinstance(tests, dict):
            continue
        qualifier, _, base = str(operator).lower().rpartition(":")
        if base.endswith("ifexists") or base not in NARROWING_OPERATORS or qualifier not in ("", "foranyvalue"):
            continue
        for key, found in tests.items():
            key = str(key).lower()
            if key not in NARROWING_KEYS or (qualifier and key not in MULTI_VALUED_KEYS):
                continue
            values = as_list(found)
            if values and all(_concrete(key, v) for v in values):
                return True
    return False


def condition_keys(statement: Mapping[str, Any]) -> set[str]:
    """The condition keys the statement tests, lower-cased (IAM condition keys are case-insensitive)."""
    found: set[str] = set()
    condition = statement.get("Condition")
    if isinstance(condition, dict):
        for tests in condition.values():
            if isinstance(tests, dict):
                found.update(str(key).lower() for key in tests)
    return found


def tests_false(statement: Mapping[str, Any], key: str) -> bool:
    """The statement has `{"Bool": {key: "false"}}` (or false, or ["false"])."""
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return False
    for operator, tests in condition.items():
        if str(operator).lower() not in ("bool", "boolifexists") or not isinstance(tests, dict):
            continue
        for test_key, test_value in tests.items():
            if str(test_key).lower() == key.lower() and [str(v).lower() for v in as_list(test_value)] == ["false"]:
                return True
    return False


# Section: policies that refuse plain HTTP ###################################################################


def denies_plain_transport(doc: Any, action: str, need_objects: bool) -> bool:
    """A Deny for everyone of `action` (or a wildcard covering it) when aws:SecureTransport is false."""
    for statement in statements(doc):
        if not (denies(statement) and names_everyone(statement)):
            continue
        if not any(grants(pattern, action) for pattern in actions(statement)):
            continue
        if not tests_false(statement, "aws:SecureTransport"):
            continue
        if need_objects:
            targets = resources(statement)
            covers_bucket = any(r == "*" or not r.endswith("/*") for r in targets)
            covers_objects = any(r == "*" or r.endswith("/*") for r in targets)
            if not (covers_bucket and covers_objects):
                continue
        return True
    return False


def plain_transport_problem(holders: list[tuple[str, Any]], action: str, need_objects: bool) -> str | None:
    """Why these (name, props) policies of one resource do not all refuse plain transport, or None when each does.

    A bucket or topic has one policy: when several resources write it, the last one applied wins, so the worst
    of them decides and each must refuse plain transport."""
    if not holders:
        return "it has no policy"
    problems = []
    for where, props in holders:
        try:
            doc = document(props, "policy")
        except InvalidDocument as error:
            problems.append(f"{where} {error}")
            continue
        if not denies_plain_transport(doc, action, need_objects):
            problems.append(f"no statement of {where} does")
    return "; ".join(problems) or None


# Section: accounts ##############################################################################################

_ACCOUNT = re.compile(r"^(?:arn:[^:]+:[^:]*:[^:]*:(\d{12}):.*|(\d{12}))$")
ACCOUNT_KEYS = frozenset({"aws:sourceaccount", "aws:sourceowner", "aws:principalaccount", "kms:calleraccount"})
ACCOUNT_ARN_KEYS = frozenset({"aws:sourcearn", "aws:principalarn"})


def account_of(principal: Any) -> str | None:
    """The 12-digit account an AWS principal (`123456789012`, an IAM ARN) or ARN belongs to, or None."""
    match = _ACCOUNT.match(str(principal).strip())
    return (match.group(1) or match.group(2)) if match else None


def named_accounts(statement: Mapping[str, Any]) -> set[str]:
    """Every account the statement gives to: its AWS principals' accounts, and the accounts its narrowing
    conditions admit (aws:SourceAccount, kms:CallerAccount, ... and the account in aws:SourceArn-style ARNs)."""
    found = {a for p in principal_values(statement).get("AWS", []) if (a := account_of(p))}
    condition = statement.get("Condition")
    for tests in condition.values() if isinstance(condition, dict) else []:
        for key, values in tests.items() if isinstance(tests, dict) else []:
            key = str(key).lower()
            if key in ACCOUNT_KEYS or key in ACCOUNT_ARN_KEYS:
                found.update(a for v in as_list(values) if (a := account_of(v)))
    return found
