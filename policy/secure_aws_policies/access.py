"""Who can act on a resource: the one reader of resource policies and permission resources.

A resource policy (the JSON document of a bucket, topic, queue, key, secret, repository, event bus, vault, search
domain, API or file system) and a permission resource (a Lambda permission, a layer version permission, an
EventBridge permission, an SSM document share) each grant actions to principals. `exposures` reads every Allow
statement and says whom it reaches beyond the guarded accounts:

- PUBLIC: everyone (`Principal: "*"`, `{"AWS": "*"}`, any principal kind given `*`, or Allow with `NotPrincipal`),
  unless a condition ties the request to an account, an organization or a network (see `NARROWING`);
- UNSOURCED: a service principal (`events.amazonaws.com`) without a source condition: the service acting for any
  account's resource may use the grant (the confused deputy);
- OTHER_ACCOUNT: an account that is not guarded, named as principal or in a narrowing or source condition.

The guarded accounts are `accounts.guarded_accounts` (config `accountIds`, providers' `allowedAccountIds`); without any,
nothing is "another" account and only PUBLIC and UNSOURCED are judged. AWS's own log-delivery accounts
(`AWS_SERVICE_ACCOUNTS`) are not "another account": they are how AWS delivers load balancer logs.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import documents

PUBLIC, UNSOURCED, OTHER_ACCOUNT = "public", "unsourced service", "other account"

# Elastic Load Balancing's log-delivery account per region: in regions opened before August 2022 it (not a service
# principal) writes load balancer access logs, so a log bucket's policy names it (pulumi-aws
# `aws.elb.get_service_account`; the ELB user guide's "Attach a policy to your S3 bucket" table).
AWS_SERVICE_ACCOUNTS = frozenset(
    {
        "127311923021",  # us-east-1
        "033677994240",  # us-east-2
        "027434742980",  # us-west-1
        "797873946194",  # us-west-2
        "098369216593",  # af-south-1
        "754344448648",  # ap-east-1
        "718504428378",  # ap-south-1
        "383597477331",  # ap-northeast-3
        "600734575887",  # ap-northeast-2
        "114774131450",  # ap-southeast-1
        "783225319266",  # ap-southeast-2
        "582318560864",  # ap-northeast-1
        "589379963580",  # ap-southeast-3
        "985666609251",  # ca-central-1
        "054676820928",  # eu-central-1
        "156460612806",  # eu-west-1
        "652711504416",  # eu-west-2
        "635631232127",  # eu-south-1
        "009996457667",  # eu-west-3
        "897822967062",  # eu-north-1
        "076674570225",  # me-south-1
        "507241528517",  # sa-east-1
        "048591011584",  # us-gov-west-1
        "190560391635",  # us-gov-east-1
    }
)

# The condition keys that narrow "everyone" (NARROWING, for the catalog). Account keys hold account ids; ARN keys
# must name an account in the ARN; organization and network keys tie the request to an organization or a VPC.
ACCOUNT_KEYS = frozenset({"aws:sourceaccount", "aws:sourceowner", "aws:principalaccount", "kms:calleraccount"})
ARN_KEYS = frozenset({"aws:sourcearn", "aws:principalarn"})
ORGANIZATION_KEYS = frozenset({"aws:principalorgid", "aws:sourceorgid", "aws:principalorgpaths", "aws:sourceorgpaths"})
NETWORK_KEYS = frozenset({"aws:sourcevpc", "aws:sourcevpce"})
MULTI_VALUED_KEYS = frozenset({"aws:principalorgpaths", "aws:sourceorgpaths"})
NARROWING = (
    "aws:SourceAccount, aws:SourceOwner, aws:PrincipalAccount and kms:CallerAccount (account ids), aws:SourceArn and "
    "aws:PrincipalArn (ARNs that name an account), aws:PrincipalOrgID, aws:SourceOrgID, aws:PrincipalOrgPaths and "
    "aws:SourceOrgPaths (organizations), aws:SourceVpc and aws:SourceVpce (networks), each tested with "
    "StringEquals, StringEqualsIgnoreCase, StringLike, ArnEquals or ArnLike (ForAnyValue: only on the org paths) "
    "and a value without a wildcard before its account or organization. Never: keys that name a user or client "
    "(aws:username, aws:userid, aws:UserAgent, aws:SourceIp, aws:Referer), kms:ViaService alone, negated operators "
    "(StringNotEquals, ArnNotLike), Null, ...IfExists forms (true when the key is absent) or ForAllValues:. A data "
    "perimeter narrows too: a Deny for everyone, of every action and resource the Allow grants, whose only condition "
    "is one negated test (StringNotEquals, with or without IfExists) on one of those keys"
)
# A service principal's source: the resource (aws:SourceArn) or account (aws:SourceAccount, aws:SourceOwner) it
# acts for. In a key policy the encryption context's ARN (kms:EncryptionContext:aws:logs:arn, ...:sns:topicArn,
# ...:cloudtrail:arn) binds the data key to one resource: that is its source where the service sends no
# aws:SourceArn to KMS (SNS encrypting for EventBridge, CloudWatch Logs).
SOURCE_KEYS = frozenset({"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner"})
_ENCRYPTION_CONTEXT_ARN = re.compile(r"^kms:encryptioncontext:aws:[a-z0-9-]+:[a-z]*arn$")
POSITIVE_OPERATORS = frozenset({"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"})
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ARN_WITH_ACCOUNT = re.compile(r"^arn:[^:*?]+:[^:*?]*:[^:*?]*:(\d{12}):")
_ORG_PATH = re.compile(r"^o-[a-z0-9]+/")


@dataclass(frozen=True)
class Exposure:
    """One grant beyond the guarded accounts: its kind, the statement it is in, its actions and whom it reaches."""

    kind: str
    where: str
    actions: str
    who: str

    def message(self, name: str, guarded: Iterable[str]) -> str:
        if self.kind == PUBLIC:
            return (
                f'{name}: {self.where} allows {self.actions} to everyone (Principal "*") without a condition that '
                "limits it to an account, organization or network."
            )
        if self.kind == UNSOURCED:
            return (
                f"{name}: {self.where} allows {self.actions} to {self.who} without aws:SourceArn or aws:SourceAccount, "
                "so that service acting for any account's resource may use it."
            )
        return f"{name}: {self.where} gives {self.who} {self.actions}; guarded accounts: {', '.join(sorted(guarded))}."


@dataclass(frozen=True)
class _Scope:
    """What one condition ties a request to: these accounts (12 digits) or organizations (`o-...`), or (None) a
    network or one resource."""

    accounts: frozenset[str] | None


def _operator(operator: Any) -> tuple[str, str]:
    qualifier, _, base = str(operator).lower().rpartition(":")
    return qualifier, base


def _positive_tests(statement: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(qualifier, key, values) of each test whose operator admits only what its values name: not negated, not
    `Null`, not `...IfExists` (true when the key is absent), not `ForAllValues:` (true when the key is absent)."""
    found = []
    condition = statement.get("Condition")
    for operator, tests in condition.items() if isinstance(condition, dict) else []:
        qualifier, base = _operator(operator)
        if base not in POSITIVE_OPERATORS or qualifier not in ("", "foranyvalue") or not isinstance(tests, dict):
            continue
        for key, values in tests.items():
            key = str(key).lower()
            if qualifier and key not in MULTI_VALUED_KEYS:
                continue  # AWS says not to use set operators on single-valued keys
            found.append((qualifier, key, [str(v).strip() for v in documents.as_list(values)]))
    return found


def _arn_account(text: str) -> str | None:
    """The account an ARN names, when nothing before it is a wildcard (`arn:aws:events:*:*:rule/*` names none)."""
    match = _ARN_WITH_ACCOUNT.match(text)
    return match.group(1) if match else None


def _scope(key: str, values: list[str]) -> _Scope | None:
    """What the test `key` in `values` ties a request to, or None when it narrows nothing."""
    if not values or not all(values):
        return None
    if key in ACCOUNT_KEYS:
        return _Scope(frozenset(values)) if all(_ACCOUNT_ID.match(v) for v in values) else None
    if key in ARN_KEYS or _ENCRYPTION_CONTEXT_ARN.match(key):
        accounts = [_arn_account(v) for v in values]
        return _Scope(frozenset(a for a in accounts if a)) if all(accounts) else None
    if any("*" in v or "?" in v for v in values) and key not in MULTI_VALUED_KEYS:
        return None
    if key in MULTI_VALUED_KEYS:
        paths = all(_ORG_PATH.match(v) for v in values)
        return _Scope(frozenset(v.split("/", 1)[0] for v in values)) if paths else None
    if key in ORGANIZATION_KEYS:
        return _Scope(frozenset(values))
    if key in NETWORK_KEYS:
        return _Scope(None)
    return None


def _narrowing(statement: Mapping[str, Any], extra: Iterable[tuple[str, str, str]]) -> list[_Scope]:
    scopes = [
        scope
        for _, key, values in _positive_tests(statement)
        if not _ENCRYPTION_CONTEXT_ARN.match(key) and (scope := _scope(key, values)) is not None
    ]
    return scopes + [_Scope(None) for _ in _extra_matches(statement, extra)]


def _extra_matches(statement: Mapping[str, Any], extra: Iterable[tuple[str, str, str]]) -> list[str]:
    """The service-specific narrowing tests (operator, key, value) the statement makes, e.g. EFS's
    `Bool elasticfilesystem:AccessedViaMountTarget true`: only clients that reach a mount target in the VPC."""
    condition = statement.get("Condition")
    matched = []
    for operator, key, wanted in extra:
        for found_operator, tests in condition.items() if isinstance(condition, dict) else []:
            if str(found_operator).lower() != operator.lower() or not isinstance(tests, dict):
                continue
            for found_key, values in tests.items():
                texts = [str(v).lower() for v in documents.as_list(values)]
                if str(found_key).lower() == key.lower() and texts == [wanted.lower()]:
                    matched.append(key)
    return matched


def _sources(statement: Mapping[str, Any]) -> list[_Scope]:
    """The source conditions a service principal's statement makes. aws:SourceArn naming no account (an S3 bucket's
    ARN) is still a source: it names one resource. A wildcard before the account is not."""
    scopes = []
    for _, key, values in _positive_tests(statement):
        if key == "aws:sourcearn" and values and all(values):
            accounts = [_arn_account(v) for v in values]
            if all(accounts):
                scopes.append(_Scope(frozenset(a for a in accounts if a)))
            elif not any("*" in v or "?" in v for v in values):
                scopes.append(_Scope(None))  # an ARN without an account (a bucket's), naming one resource
        elif key in SOURCE_KEYS or _ENCRYPTION_CONTEXT_ARN.match(key):
            scope = _scope(key, values)
            if scope is not None:
                scopes.append(scope)
    return scopes


def _outside(scopes: list[_Scope], guarded: set[str]) -> set[str]:
    """The unguarded accounts or organizations the (ANDed) scopes still admit: none when one of them admits only
    guarded ones, a network or one resource. Accounts are judged only when some account is guarded, organizations
    only when some organization is (`guarded` holds both: 12-digit ids and `o-...` ids)."""
    known = {_kind(g) for g in guarded}

    def ours(scope: _Scope) -> bool:
        if scope.accounts is None:
            return True
        return all(_kind(v) not in known or v in guarded for v in scope.accounts)

    if any(ours(s) for s in scopes):
        return set()
    return {v for s in scopes for v in s.accounts or () if _kind(v) in known and v not in guarded}


def _kind(identifier: str) -> str:
    return "organization" if identifier.startswith("o-") else "account"


NEGATED_OPERATORS = frozenset(
    {"stringnotequals", "stringnotequalsignorecase", "stringnotlike", "arnnotequals", "arnnotlike"}
)


def _perimeter(allow: Mapping[str, Any], denies: Iterable[Mapping[str, Any]]) -> list[_Scope]:
    """What the document's data-perimeter denies tie `allow` to. A Deny for everyone, of every action and resource
    the allow grants, whose only condition is one negated test on a narrowing key (`StringNotEquals
    aws:PrincipalOrgID o-...`, with or without IfExists: a request without the key is denied too) admits only
    what that key names, whatever the allow says."""
    scopes = []
    for deny in denies:
        if deny.get("NotPrincipal") is not None or not documents.names_everyone(deny) or not _covers(deny, allow):
            continue
        condition = deny.get("Condition")
        tests = [
            (operator, key, values)
            for operator, found in (condition.items() if isinstance(condition, dict) else [])
            for key, values in (found.items() if isinstance(found, dict) else [("", "")])
        ]
        if len(tests) != 1:
            continue
        [(operator, key, values)] = tests
        qualifier, base = _operator(operator)
        if qualifier or base.removesuffix("ifexists") not in NEGATED_OPERATORS:
            continue
        scope = _scope(str(key).lower(), [str(v).strip() for v in documents.as_list(values)])
        if scope is not None and not _ENCRYPTION_CONTEXT_ARN.match(str(key).lower()):
            scopes.append(scope)
    return scopes


def _covers(deny: Mapping[str, Any], allow: Mapping[str, Any]) -> bool:
    """The deny applies to every action and resource the allow grants."""
    if deny.get("NotAction") is not None or deny.get("NotResource") is not None:
        return False
    denied = [a.lower() for a in documents.actions(deny)]
    allowed = ["*"] if allow.get("NotAction") is not None else [a.lower() for a in documents.actions(allow)]
    if not all(any(fnmatch.fnmatchcase(a, d) for d in denied) for a in allowed):
        return False
    if documents.covers_all_resources(deny):
        return True
    targets = ["*"] if allow.get("NotResource") is not None else documents.resources(allow) or ["*"]
    return all(any(fnmatch.fnmatchcase(t, r) for r in documents.resources(deny)) for t in targets)


def statement_exposures(
    statement: Mapping[str, Any],
    where: str,
    guarded: set[str],
    extra: Iterable[tuple[str, str, str]] = (),
    denies: Iterable[Mapping[str, Any]] = (),
) -> list[Exposure]:
    """Whom one statement reaches beyond the guarded accounts (nothing for a Deny); `denies` are the other
    statements of its document that deny (see `_perimeter`)."""
    if not documents.allows(statement):
        return []
    extra = tuple(extra)
    actions = ", ".join(documents.actions(statement)) or (
        "every action but " + ", ".join(str(a) for a in documents.as_list(statement.get("NotAction")))
        if statement.get("NotAction") is not None
        else "actions"
    )
    found: list[Exposure] = []
    if documents.names_everyone(statement):
        scopes = _narrowing(statement, extra) + _perimeter(statement, denies)
        if not scopes:
            found.append(Exposure(PUBLIC, where, actions, "everyone"))
        elif others := _outside(scopes, guarded):
            found.append(Exposure(OTHER_ACCOUNT, where, actions, _accounts(others)))
    principals = documents.principal_values(statement)
    for service in sorted({s for s in principals.get("Service", []) if s.strip() != "*"}):
        sources = _sources(statement)
        if not sources:
            found.append(Exposure(UNSOURCED, where, actions, service))
        elif others := _outside(sources, guarded):
            found.append(Exposure(OTHER_ACCOUNT, where, actions, f"{service} acting for {_accounts(others)}"))
    named = {a for p in principals.get("AWS", []) if p.strip() != "*" and (a := documents.account_of(p))}
    others = named - guarded - AWS_SERVICE_ACCOUNTS if "account" in {_kind(g) for g in guarded} else set()
    if others:
        found.append(Exposure(OTHER_ACCOUNT, where, actions, _accounts(others)))
    return found


def _accounts(outside: set[str]) -> str:
    """`account(s) 1, 2` and/or `organization(s) o-...`."""
    parts = []
    for kind in ("account", "organization"):
        named = sorted(i for i in outside if _kind(i) == kind)
        if named:
            parts.append(f"{kind}(s) {', '.join(named)}")
    return " and ".join(parts)


def document_exposures(
    doc: Mapping[str, Any] | None, key: str, guarded: set[str], extra: Iterable[tuple[str, str, str]] = ()
) -> list[Exposure]:
    """Every statement's exposures, each labelled `<key> statement <Sid or index>`."""
    every = documents.statements(doc)
    denies = [statement for statement in every if documents.denies(statement)]
    return [
        exposure
        for index, statement in enumerate(every)
        for exposure in statement_exposures(
            statement, f"{key} statement {statement.get('Sid') or index}", guarded, extra, denies
        )
    ]


def grant(principal: str, action: str, conditions: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """A permission resource as the statement AWS writes for it: an account id or `*` as AWS principal, a service
    principal as Service, with its source or organization conditions, so the same reader judges it."""
    principal = principal.strip()
    kind = "Service" if principal.endswith(".amazonaws.com") or principal.endswith(".amazonaws.com.cn") else "AWS"
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {kind: principal}, "Action": action}
    if conditions:
        statement["Condition"] = {op: dict(tests) for op, tests in conditions.items() if tests}
    return statement
