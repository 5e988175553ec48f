"""The CIS AWS Foundations Benchmark's published metric filter patterns (monitoring items 4.1-4.15), and a parser
that compares a filter pattern with them by meaning.

The pack's own copy of the published patterns (CIS AWS Foundations Benchmark v1.4/v3.0 section 4.1-4.15, as
Security Hub's CloudWatch.1-14 remediation and the terraform-aws-secure-baseline alarm module write them). A
pattern is parsed into a tree of terms so that spacing, quoting and the order of `||`/`&&` operands do not matter,
but every term and the boolean structure do. (The program keeps its own copy in components/cis_alarms.py, which
the pack must not import; tests/test_contracts.py asserts the two agree.)
"""

from __future__ import annotations

import re
from typing import Any

# CIS v1.4/v3.0 item -> (what it watches, the published pattern(s) that satisfy it).
CIS_PATTERNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "4.1": (
        "unauthorized API calls",
        (
            '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
            '{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
            '(($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket"))}',
        ),
    ),
    "4.2": (
        "console sign-in without MFA",
        (
            '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
            '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
            '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
        ),
    ),
    "4.3": (
        "root account usage",
        ('{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',),
    ),
    "4.4": (
        "IAM policy changes",
        (
            "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || "
            "($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || "
            "($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || "
            "($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
            "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || "
            "($.eventName=DetachGroupPolicy)}",
        ),
    ),
    "4.5": (
        "CloudTrail configuration changes",
        (
            "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
            "($.eventName=StartLogging) || ($.eventName=StopLogging)}",
        ),
    ),
    "4.6": (
        "console authentication failures",
        ('{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',),
    ),
    "4.7": (
        "disabling or scheduled deletion of customer-managed keys",
        ("{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",),
    ),
    "4.8": (
        "S3 bucket policy changes",
        (
            "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || "
            "($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || "
            "($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || "
            "($.eventName=DeleteBucketLifecycle) || "
            "($.eventName=DeleteBucketReplication))}",
        ),
    ),
    "4.9": (
        "AWS Config configuration changes",
        (
            "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || "
            "($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || "
            "($.eventName=PutConfigurationRecorder))}",
        ),
    ),
    "4.10": (
        "security group changes",
        (
            "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || "
            "($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || "
            "($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
        ),
    ),
    "4.11": (
        "network ACL changes",
        (
            "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || "
            "($.eventName=DeleteNetworkAcl) || "
            "($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || "
            "($.eventName=ReplaceNetworkAclAssociation)}",
        ),
    ),
    "4.12": (
        "network gateway changes",
        (
            "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || "
            "($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || "
            "($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
        ),
    ),
    "4.13": (
        "route table changes",
        (
            "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || "
            "($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || "
            "($.eventName=DeleteRoute) || "
            "($.eventName=DisassociateRouteTable)}",
        ),
    ),
    "4.14": (
        "VPC changes",
        (
            "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || "
            "($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || "
            "($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || "
            "($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || "
            "($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
        ),
    ),
    "4.15": (
        "AWS Organizations changes",
        (
            '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || '
            '($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || '
            '($.eventName = "CreateOrganizationalUnit") || ($.eventName= "CreatePolicy") || '
            '($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || '
            '($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || '
            '($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || '
            '($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || '
            '($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || '
            '($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || '
            '($.eventName ="UpdateOrganizationalUnit")) }',
        ),
    ),
}

_TOKEN = re.compile(r"\s*(\|\||&&|\(|\)|(?:[^()|&]|\|(?!\|)|&(?!&))+)")


class PatternError(ValueError):
    """Not a CloudWatch Logs JSON filter pattern this rule can read."""


def parse_pattern(pattern: str) -> Any:
    """A JSON filter pattern as a canonical tree: ("or"|"and", frozenset(children)) or a term string.

    Terms lose their spacing and quotes (`$.eventName = "X"` == `$.eventName=X`), operands their order, and
    nested operators of the same kind are flattened; anything else (a different term, `&&` for `||`) differs.
    """
    text = pattern.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise PatternError("is not a JSON filter pattern ({ ... })")
    tokens = [t.strip() for t in _TOKEN.findall(text[1:-1]) if t.strip()]
    tree, rest = _parse_or(tokens)
    if rest:
        raise PatternError(f"has unbalanced parentheses near {' '.join(rest[:3])!r}")
    return tree


def _parse_or(tokens: list[str]) -> tuple[Any, list[str]]:
    return _parse_chain(tokens, "||", "or", _parse_and)


def _parse_and(tokens: list[str]) -> tuple[Any, list[str]]:
    return _parse_chain(tokens, "&&", "and", _parse_atom)


def _parse_chain(tokens: list[str], operator: str, kind: str, operand: Any) -> tuple[Any, list[str]]:
    first, tokens = operand(tokens)
    operands = [first]
    while tokens and tokens[0] == operator:
        following, tokens = operand(tokens[1:])
        operands.append(following)
    if len(operands) == 1:
        return first, tokens
    flat: set[Any] = set()
    for item in operands:
        flat.update(item[1] if isinstance(item, tuple) and item[0] == kind else {item})
    return (kind, frozenset(flat)), tokens


def _parse_atom(tokens: list[str]) -> tuple[Any, list[str]]:
    if not tokens:
        raise PatternError("ends where a term was expected")
    if tokens[0] == "(":
        inner, rest = _parse_or(tokens[1:])
        if not rest or rest[0] != ")":
            raise PatternError("has an unclosed parenthesis")
        return inner, rest[1:]
    if tokens[0] in ("||", "&&", ")"):
        raise PatternError(f"has {tokens[0]!r} where a term was expected")
    return re.sub(r"\s+", "", tokens[0].replace('"', "")), tokens[1:]


PUBLISHED = {item: {parse_pattern(p) for p in patterns} for item, (_, patterns) in CIS_PATTERNS.items()}


def cis_item_of(pattern: str) -> str | None:
    """The CIS item whose published pattern this is (in any spacing/quoting/order), or None."""
    try:
        tree = parse_pattern(pattern)
    except PatternError:
        return None
    return next((item for item, trees in PUBLISHED.items() if tree in trees), None)
