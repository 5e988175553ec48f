"""Verified Access group and endpoint policies: access is decided by a condition on trust data, never granted to
every identity the trust provider knows.

A Verified Access policy is Cedar, not IAM: `permit(principal, action, resource) when { context.<trust provider>...
};`. AWS keeps the scope undefined ("The policy scope must always be kept undefined. You can then specify access
using identity and device trust context in the condition clause", Verified Access user guide, "Policy statement
structure"), so a `permit` whose `when` tests no `context` admits every user the trust provider authenticates: for
an OIDC provider such as a public identity service, anyone with an account there. How a group's and an endpoint's
policies combine ("Policy evaluation"): "If you have defined policy documents for both the Verified Access group and
the Verified Access endpoint, both documents must allow access. If you have not defined a policy document for the
Verified Access endpoint, only the Verified Access group policy needs access"; and without any policy "all access
requests will be blocked".
"""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import Severity

from ..props import Deferred, has, value
from ..registry import PROJECT, Category, stack_policy
from ..types import VERIFIED_ACCESS_ENDPOINT, VERIFIED_ACCESS_GROUP

_STRING = re.compile(r'"(?:\\.|[^"\\])*"')
_COMMENT = re.compile(r"//[^\n]*")
_EFFECT = re.compile(r"^\s*(?:@\w+\s*\([^)]*\)\s*)*(permit|forbid)\s*\(", re.IGNORECASE)
_CONDITION = re.compile(r"\b(when|unless)\s*\{", re.IGNORECASE)


def _clauses(statement: str) -> list[tuple[str, str]]:
    """(`when` or `unless`, its body) of each condition clause of one Cedar statement (strings already blanked)."""
    found = []
    for match in _CONDITION.finditer(statement):
        depth, start = 1, match.end()
        end = start
        while end < len(statement) and depth:
            depth += {"{": 1, "}": -1}.get(statement[end], 0)
            end += 1
        found.append((match.group(1).lower(), statement[start : end - 1]))
    return found


def _tests_trust_data(clauses: list[tuple[str, str]]) -> bool:
    """A `when` clause refers to the trust data (`context`): without one, the statement applies to everyone."""
    return any(kind == "when" and re.search(r"\bcontext\b", body) for kind, body in clauses)


def admits_everyone(document: str) -> bool:
    """The Cedar document has a `permit` that tests no trust data (no `when`, only `unless`, or a `when` without
    `context`, such as `when { true }`) and no `forbid` that applies to every request."""
    text = _COMMENT.sub("", _STRING.sub('""', document))
    open_permit = False
    for statement in text.split(";"):
        effect = _EFFECT.match(statement)
        if effect is None:
            continue
        clauses = _clauses(statement)
        if effect.group(1).lower() == "forbid" and not clauses:
            return False  # forbids every request
        if effect.group(1).lower() == "permit" and not _tests_trust_data(clauses):
            open_permit = True
    return open_permit


def _document(resource: Any) -> str | None:
    """The resource's policy document; None when left out (no policy: see the module docstring). An unknown one
    raises (undecided)."""
    # policy_document left out: "You can create a group or endpoint without defining the Verified Access policy,
    # but all access requests will be blocked until you define a policy."
    if not has(resource.props, "policyDocument"):
        return None
    found = value(resource.props, "policyDocument")
    return str(found) if found not in (None, "") else None


def _open(resource: Any) -> bool:
    document = _document(resource)
    return document is not None and admits_everyone(document)


def _endpoint_problem(endpoint: Any, groups: dict[str, Any]) -> str | None:
    """Why the endpoint admits every identity of its trust provider, or None. Without a policy of its own, its
    group's decides (and is reported on the group)."""
    if not _open(endpoint):
        return None
    # verifiedAccessGroupId is required ("ID of the Verified Access group to associate the endpoint with"): no
    # default to judge; the engine's dependency on the group's URN says which group it is.
    linked = [groups[d.urn] for d in endpoint.property_dependencies.get("verifiedAccessGroupId", []) if d.urn in groups]
    if not linked:
        return "its own policy permits everyone and its group's policy is not in this stack to narrow it"
    # A group without a policy is not taken to narrow an endpoint's own: only "both defined" is documented as AND.
    if all(_document(group) is None or _open(group) for group in linked):
        return "its own policy permits everyone and its group's policy is open too or left out"
    return None


@stack_policy(
    name="verified-access-policy-tests-trust-data",
    description="Verified Access policies (aws.verifiedaccess.Group and aws.verifiedaccess.Endpoint "
    "`policy_document`, Cedar) admit a request only on a condition on the trust provider's data: a `permit` with "
    "no `when` clause, only an `unless`, or a `when` that tests no `context` (such as `when { true }`) admits "
    "every identity the trust provider authenticates, which for an OIDC provider may be anyone with an account "
    "there. A group's policy applies to every endpoint of the group without a policy of its own, so an open group "
    "policy is refused; an endpoint's policy applies together with its group's (both must allow), so an open "
    "endpoint policy is refused only when its group's policy is open too or left out, or its group is not in this "
    "stack. A group's policy left out blocks every request of its endpoints without one. Limits: a `when` that "
    "tests `context` but is always true (`context.x || true`) is not detected.",
    types=[VERIFIED_ACCESS_GROUP, VERIFIED_ACCESS_ENDPOINT],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("least-privilege")],
    remediation="Write each permit as permit(principal, action, resource) when { <a test of the trust data, e.g. "
    'context.<provider>.user.email.address like "*@example.com" or a group membership> };.',
)
def verified_access_policy_tests_trust_data(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    groups = {r.urn: r for r in args.resources if r.resource_type == VERIFIED_ACCESS_GROUP}
    for group in groups.values():
        with deferred.guard():
            if _open(group):
                report(
                    f"verified access group {group.name}: its policy permits every identity the trust provider "
                    "authenticates (no `when` condition on context), on every endpoint without a policy of its own.",
                    group.urn,
                )
    for endpoint in (r for r in args.resources if r.resource_type == VERIFIED_ACCESS_ENDPOINT):
        with deferred.guard():
            problem = _endpoint_problem(endpoint, groups)
            if problem:
                report(
                    f"verified access endpoint {endpoint.name}: {problem}: every identity the trust provider "
                    "authenticates reaches it (a permit with no `when` condition on context).",
                    endpoint.urn,
                )
    deferred.finish()
