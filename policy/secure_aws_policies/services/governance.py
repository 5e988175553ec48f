"""Governance: the pack's own exemptions stay exact and current.

An exemption names one resource by its URN, or by its type and exact name (see `exemptions.py`). One that names
no resource of the stack is stale: the resource was renamed or removed, and the exemption now waits to excuse
whatever takes that name next. One that names several (the same type and name under different parents) is
ambiguous. Either is reported, as advice: it exempts nothing wrongly today, so it must not block a deployment.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import Severity

from .. import exemptions
from ..registry import PROJECT, Category, stack_policy


@stack_policy(
    name="exemptions-name-a-resource",
    description="Every exemption in the pack's config names exactly one resource of the stack: a stale exemption "
    "(its resource renamed or removed) or an ambiguous one (several resources share its type and name) is reported. "
    "It reads what every other policy was configured with, so it runs after them all.",
    types=["*"],
    severity=Severity.LOW,
    category=Category.GOVERNANCE,
    controls=[PROJECT("exemptions-exact")],
    remediation="Delete the stale exemption, or correct its type and name (or URN) to the resource it means; name an "
    "ambiguous one by its URN.",
    advisory_reason="A stale or ambiguous exemption excuses nothing it should not today; it is fixed in the config "
    "file, and must not block a deployment.",
)
def exemptions_name_a_resource(args: Any, report: Any, config: dict) -> None:
    identities = [(r.urn, r.name, r.resource_type) for r in args.resources]
    for policy, entries in sorted(exemptions.SEEN.items()):
        for entry in entries:
            count = sum(exemptions.names(entry, *identity) for identity in identities)
            if count == 0:
                report(
                    f"stale exemption: {policy} exempts {exemptions.describe(entry)}, which is not in this "
                    "stack; delete the exemption or correct the name."
                )
            elif count > 1:
                report(
                    f"ambiguous exemption: {policy} exempts {exemptions.describe(entry)}, which names {count} "
                    "resources; name the one you mean by its URN."
                )
    exemptions.SEEN.clear()  # the next analysis records its own
