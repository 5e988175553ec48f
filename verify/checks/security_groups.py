"""The security groups hold exactly the rules the stack declares: nothing added, nothing removed.

The declared rules below are the ones components/web.py, database.py and function.py create (tests/verify
checks them against the program run under Pulumi's mock engine, so the two cannot drift apart), filled in from
the stack's outputs: the groups' ids, the app and database ports, the corporate ranges. The VPC's default group
must stay empty (the network tier adopts and empties it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from verify.context import Context
from verify.outputs import StackOutputs
from verify.results import CheckResult, failed, passed

CHECK = "security-groups"
ANYWHERE = "0.0.0.0/0"
HTTPS, HTTP, SSH = 443, 80, 22
# The keys of the securityGroupIds output, in checklist order.
GROUPS = ("loadBalancer", "app", "database", "auditor")


@dataclass(frozen=True, order=True)
class Rule:
    """One rule as AWS holds it: direction, protocol, port range and the one peer (a CIDR or a group id)."""

    group_id: str
    direction: str  # "ingress" or "egress"
    protocol: str
    from_port: int
    to_port: int
    peer: str


def declared_rules(outputs: StackOutputs) -> set[Rule]:
    """Every rule the stack declares on its four groups. Exported for testing."""
    ids = outputs.require("securityGroupIds")
    lb, app, db, auditor = (ids[key] for key in GROUPS)
    app_port, db_port = int(outputs.require("appPort")), int(outputs.require("databasePort"))

    def tcp(group: str, direction: str, port: int, peer: str) -> Rule:
        return Rule(group, direction, "tcp", port, port, peer)

    return {
        tcp(lb, "ingress", HTTPS, ANYWHERE),
        tcp(lb, "ingress", HTTP, ANYWHERE),
        tcp(lb, "egress", app_port, app),
        tcp(app, "ingress", app_port, lb),
        *(tcp(app, "ingress", SSH, cidr) for cidr in outputs.require("corporateCidrs")),
        tcp(app, "egress", HTTPS, ANYWHERE),
        tcp(app, "egress", db_port, db),
        tcp(db, "ingress", db_port, app),
        tcp(db, "ingress", db_port, auditor),
        tcp(auditor, "egress", HTTPS, ANYWHERE),
    }


def live_rules(ec2: Any, group_ids: list[str]) -> set[Rule]:
    pages = ec2.get_paginator("describe_security_group_rules").paginate(
        Filters=[{"Name": "group-id", "Values": group_ids}]
    )
    return {_rule(rule) for page in pages for rule in page.get("SecurityGroupRules", [])}


def check_security_groups(context: Context) -> list[CheckResult]:
    outputs = context.outputs
    ids = outputs.require("securityGroupIds")
    names = {ids[key]: f"{key} group {ids[key]}" for key in GROUPS}
    declared = declared_rules(outputs)
    ec2 = context.client("ec2")
    live = live_rules(ec2, list(names))
    results = []
    for rule in sorted(live - declared):
        results.append(
            failed(
                CHECK,
                f"{names.get(rule.group_id, rule.group_id)} has a rule the stack does not declare: "
                f"{_describe(rule, names)}",
                f"remove it (aws ec2 revoke-security-group-{rule.direction} --group-id {rule.group_id} "
                "--security-group-rule-ids ...) or declare it in the component, then `pulumi up`",
            )
        )
    for rule in sorted(declared - live):
        results.append(
            failed(
                CHECK,
                f"{names[rule.group_id]} lacks a declared rule: {_describe(rule, names)}",
                "run `pulumi refresh` then `pulumi up`: the stack recreates the rule",
            )
        )
    results.extend(_default_group_results(ec2, outputs.require("vpcId")))
    return results or [
        passed(
            CHECK,
            f"{len(GROUPS)} security groups hold exactly their {len(declared)} declared rules; "
            "the VPC's default group is empty",
        )
    ]


def _default_group_results(ec2: Any, vpc_id: str) -> list[CheckResult]:
    groups = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"]
    if not groups:
        return []
    default_id = groups[0]["GroupId"]
    rules = sorted(live_rules(ec2, [default_id]))
    if not rules:
        return []
    listed = "; ".join(_describe(rule, {}) for rule in rules)
    return [
        failed(
            CHECK,
            f"the VPC's default security group {default_id} has rules: {listed}",
            "run `pulumi up`: the network tier empties it (anything launched without a group lands in it)",
        )
    ]


def _rule(rule: dict[str, Any]) -> Rule:
    peer = (
        rule.get("CidrIpv4")
        or rule.get("CidrIpv6")
        or rule.get("PrefixListId")
        or rule.get("ReferencedGroupInfo", {}).get("GroupId", "?")
    )
    return Rule(
        group_id=rule["GroupId"],
        direction="egress" if rule.get("IsEgress") else "ingress",
        protocol=str(rule.get("IpProtocol", "-1")),
        from_port=int(rule.get("FromPort", -1)),
        to_port=int(rule.get("ToPort", -1)),
        peer=peer,
    )


def _describe(rule: Rule, names: dict[str, str]) -> str:
    ports = (
        "all ports"
        if rule.protocol == "-1"
        else (f"port {rule.from_port}" if rule.from_port == rule.to_port else f"ports {rule.from_port}-{rule.to_port}")
    )
    protocol = "all traffic" if rule.protocol == "-1" else rule.protocol
    direction = "from" if rule.direction == "ingress" else "to"
    return f"{rule.direction} {protocol} {ports} {direction} {names.get(rule.peer, rule.peer)}"
