"""Resource policies of every kind: nothing is granted to everyone, to a service acting for any account, or to an
account the pack does not guard.

Each resource type that carries a resource policy or is a permission is one `Holder` in `HOLDERS`: which inputs
hold its JSON documents, or how its arguments read as the statement AWS writes for it, plus any narrowing that only
that service has. `access.py` reads them all the same way. Every document is judged on its own: where two resources
write one target's policy (a secret's inline `policy` and an `aws.secretsmanager.SecretPolicy`, a key's and an
`aws.kms.KeyPolicy`), whichever AWS applies last wins, so the worst of them must pass too.

A document that is unknown at a first preview (built from ARNs that do not exist yet) is undecided there (the SDK's
"can't run policy" note) and judged at `pulumi up`; a known document is always judged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pulumi_policy import Severity

from .. import access, documents
from ..accounts import ACCOUNT_IDS_SCHEMA, guarded_accounts
from ..props import UNKNOWN, Deferred, is_set, peek, value
from ..registry import FSBP, PROJECT, Category, resource_policy, stack_policy
from ..resource_policy_backlog import NOT_RESOURCE_POLICIES
from ..types import (
    EFS_FILE_SYSTEM_POLICY,
    EVENT_PERMISSION,
    KMS_KEY,
    KMS_KEY_POLICY,
    LAMBDA_LAYER_VERSION_PERMISSION,
    LAMBDA_PERMISSION,
    OPENSEARCH_DOMAIN_POLICIES,
    OPENSEARCH_DOMAINS,
    OPENSEARCH_SERVERLESS_ACCESS_POLICY,
    OPENSEARCH_VPC_ENDPOINT_ACCESS,
    REST_API,
    SSM_DOCUMENT,
)

Statements = list[tuple[str, dict[str, Any]]]  # (where, statement)

# An input computed from another resource of this stack (a rule's ARN at a first preview) names a resource in the
# account the stack deploys to: as a source it names one resource and no other account.
_COMPUTED_ARN = "arn:aws:pulumi:::computed-by-this-stack"


@dataclass(frozen=True)
class Holder:
    """How one resource type grants access: its JSON document inputs, or `grants` reading its arguments as the
    statements AWS writes for them; `narrowing` adds (operator, key, value) tests only this service has; and
    `network_scoped` says when "everyone" can only reach it from inside a VPC."""

    documents: tuple[str, ...] = ("policy",)
    grants: Callable[[Any], Statements] | None = None
    narrowing: tuple[tuple[str, str, str], ...] = ()
    network_scoped: Callable[[Any], bool] | None = None


def _source(props: Any, key: str) -> Any:
    found = peek(props, key)
    return _COMPUTED_ARN if found is UNKNOWN else found


def lambda_permission(props: Any) -> Statements:
    """pulumi-aws 7 `aws.lambda_.Permission`: principal (service, account id, ARN or `*`), source_arn,
    source_account, principal_org_id. A source ARN still unknown at preview is a resource of this stack: enough for
    a service principal, but "*" is narrowed only by an ARN that names an account, so there it stays undecided."""
    # principal and action are required on a Lambda permission (no default to judge); source_arn, source_account
    # and principal_org_id left out: no condition, so a service principal may act for any account's resource.
    principal = str(value(props, "principal", ""))
    source_arn = value(props, "sourceArn") if principal.strip() == "*" else _source(props, "sourceArn")
    conditions = {
        "ArnLike": {"aws:SourceArn": source_arn} if is_set(props, "sourceArn") else {},
        "StringEquals": {
            key: value(props, prop)
            for prop, key in (("sourceAccount", "aws:SourceAccount"), ("principalOrgId", "aws:PrincipalOrgID"))
            if is_set(props, prop)
        },
    }
    action = str(value(props, "action", "lambda:InvokeFunction"))
    return [("principal", access.grant(principal, action, conditions))]


def _layer_permission(props: Any) -> Statements:
    """`aws.lambda_.LayerVersionPermission`: principal is an account id or `*` (every account), narrowed only by
    organization_id."""
    org = value(props, "organizationId")
    conditions = {"StringEquals": {"aws:PrincipalOrgID": org}} if org else None
    # action is required on a layer permission ("`lambda:GetLayerVersion` is the standard value"); no default to judge.
    action = str(value(props, "action", "lambda:GetLayerVersion"))
    return [("principal", access.grant(str(value(props, "principal", "")), action, conditions))]


def _event_permission(props: Any) -> Statements:
    """`aws.cloudwatch.EventPermission`: principal is an account id or `*`, optionally limited by `condition`
    ({key: aws:PrincipalOrgID, type: StringEquals, value})."""
    # condition left out: none, the principal alone decides; its type, key and value are required inside. action:
    # "Defaults to `events:PutEvents`" (cloudwatch/event_permission.py).
    condition = value(props, "condition")
    conditions = None
    if condition:
        conditions = {str(value(condition, "type", "")): {str(value(condition, "key", "")): value(condition, "value")}}
    action = str(value(props, "action", "events:PutEvents"))
    return [("principal", access.grant(str(value(props, "principal", "")), action, conditions))]


def _document_shares(props: Any) -> Statements:
    """`aws.ssm.Document` `permissions`: {type: "Share", account_ids: "<id>,<id>" or "All"} (SSM's
    ModifyDocumentPermission: `All` shares the document publicly)."""
    # permissions left out: the document is not shared (no default to judge); account_ids is required inside.
    permissions = value(props, "permissions") or {}
    shared = value(permissions, "account_ids", value(permissions, "accountIds", ""))
    accounts = [a.strip() for a in str(shared).split(",") if a.strip()]
    return [("permissions", access.grant("*" if a.lower() == "all" else a, "use of the document")) for a in accounts]


def _openapi_policy(props: Any) -> Statements:
    """A REST API's OpenAPI `body` may carry its resource policy as `x-amazon-apigateway-policy` (JSON or YAML):
    another argument form of the same policy."""
    # body left out: no OpenAPI document, so no policy in it (no default to judge).
    body = value(props, "body")
    if not isinstance(body, str) or "x-amazon-apigateway-policy" not in body:
        return []
    try:
        spec = yaml.safe_load(body)  # YAML is a superset of JSON
    except yaml.YAMLError:
        return []  # API Gateway refuses a body it cannot parse
    found = spec.get("x-amazon-apigateway-policy") if isinstance(spec, dict) else None
    return [
        (f"body x-amazon-apigateway-policy statement {statement.get('Sid') or index}", statement)
        for index, statement in enumerate(documents.statements(found if isinstance(found, dict) else None))
    ]


def _serverless_data_access(props: Any) -> Statements:
    """An OpenSearch Serverless data access policy (`aws.opensearch.ServerlessAccessPolicy`, type "data") is a JSON
    list of rule sets, `{"Rules": [{"ResourceType": "collection"|"index", "Resource": [...], "Permission":
    ["aoss:..."]}], "Principal": ["arn:aws:iam::<account>:role/...", "saml/..."]}`: each reads as the Allow
    statement it is, its principals as AWS principals and its permissions as actions. A single rule set given as
    an object, and a Principal given as "*", {"AWS": "*"} or a list, read the same."""
    # `type` is required ("Type of access policy. Must be `data`."): no default to judge.
    if str(value(props, "type", "data")).strip().lower() != "data":
        return []
    try:
        doc = documents.json_document(props, "policy")
    except documents.InvalidDocument:
        return []  # AWS refuses a policy that is not JSON
    found: Statements = []
    for index, entry in enumerate(documents.as_list(doc)):
        if not isinstance(entry, dict):
            continue
        principal = entry.get("Principal")
        rules = [rule for rule in documents.as_list(entry.get("Rules")) if isinstance(rule, dict)]
        statement = {
            "Effect": "Allow",
            "Principal": principal if isinstance(principal, dict) else {"AWS": documents.as_list(principal)},
            "Action": [str(p) for rule in rules for p in documents.as_list(rule.get("Permission"))] or "aoss:*",
        }
        found.append((f"policy rule set {index}", statement))
    return found


def _vpc_endpoint_access(props: Any) -> Statements:
    """`aws.opensearch.AuthorizeVpcEndpointAccess`: lets `account` ("AWS account ID to grant access to"; required,
    no default to judge) create interface VPC endpoints into the domain, a network path from that account's VPCs."""
    account = str(value(props, "account", ""))
    return [("account", access.grant(account, "es:CreateVpcEndpoint"))]


def _access_point_in_vpc(props: Any) -> bool:
    """An S3 access point with a vpc_configuration takes requests only from that VPC."""
    # vpc_configuration left out: the access point takes requests from the internet (S3's default network origin).
    return is_set(peek(props, "vpcConfiguration") or {}, "vpcId")


def _always(props: Any) -> bool:
    return True


def _in_vpc(props: Any) -> bool:
    """A search domain in a VPC (vpc_options with subnets) is reachable only from inside it: a `*` access policy
    there is the fine-grained access control pattern AWS documents, not a public domain."""
    # vpc_options left out: a public domain endpoint (OpenSearch's default); subnet_ids is required inside.
    return is_set(peek(props, "vpcOptions") or {}, "subnetIds")


# EFS: `elasticfilesystem:AccessedViaMountTarget` true admits only NFS clients that reach a mount target, which
# sits in the file system's VPC behind its security groups (the EFS console's own "everyone" statements use it).
_EFS_MOUNT_TARGET = (("Bool", "elasticfilesystem:AccessedViaMountTarget", "true"),)

RESOURCE_POLICY_TYPES_FILE = Path(__file__).resolve().parents[1] / "resource_policy_types.txt"


def load_resource_policy_types(path: Path = RESOURCE_POLICY_TYPES_FILE) -> dict[str, tuple[str, ...]]:
    """Type token -> its policy document arguments, generated from pulumi-aws (policy/tools)."""
    lines = [line.split() for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return {token: tuple(arguments) for token, *arguments in lines}


# The types whose documents need more than the generic reading (or are not documents at all).
DECLARED: dict[str, Holder] = {
    **{domain: Holder(documents=("accessPolicies",), network_scoped=_in_vpc) for domain in OPENSEARCH_DOMAINS},
    EFS_FILE_SYSTEM_POLICY: Holder(narrowing=_EFS_MOUNT_TARGET),
    LAMBDA_LAYER_VERSION_PERMISSION: Holder(documents=(), grants=_layer_permission),
    EVENT_PERMISSION: Holder(documents=(), grants=_event_permission),
    SSM_DOCUMENT: Holder(documents=(), grants=_document_shares),
    LAMBDA_PERMISSION: Holder(documents=(), grants=lambda_permission),
    "aws:s3/accessPoint:AccessPoint": Holder(network_scoped=_access_point_in_vpc),
    REST_API: Holder(grants=_openapi_policy),
    OPENSEARCH_SERVERLESS_ACCESS_POLICY: Holder(documents=(), grants=_serverless_data_access),
    OPENSEARCH_VPC_ENDPOINT_ACCESS: Holder(documents=(), grants=_vpc_endpoint_access),
    # A VPC Lattice service is reached only from VPCs associated with its service network.
    "aws:vpclattice/authPolicy:AuthPolicy": Holder(network_scoped=_always),
}
# Every other type pulumi-aws gives a policy document is read the generic way, unless the backlog says why not.
HOLDERS: dict[str, Holder] = {
    **{
        token: Holder(documents=arguments)
        for token, arguments in load_resource_policy_types().items()
        if token not in NOT_RESOURCE_POLICIES
    },
    **DECLARED,
}
# lambda-permission-not-public judges who may invoke a function; kms-key-access-this-account, which accounts a
# key serves; resource-policy-search-domain-not-public, a search domain's policy with the domain it is linked to.
NOT_PUBLIC_TYPES = sorted(set(HOLDERS) - {LAMBDA_PERMISSION} - OPENSEARCH_DOMAIN_POLICIES)
NO_OTHER_ACCOUNT_TYPES = sorted(set(HOLDERS) - {KMS_KEY, KMS_KEY_POLICY})

ACCOUNT_CONFIG = {
    "accountIds": ACCOUNT_IDS_SCHEMA,
    "organizationIds": {
        "type": "array",
        "items": {"type": "string", "pattern": "^o-[a-z0-9]{10,32}$"},
        "default": [],
        "description": "Our AWS Organizations ids: when set, a grant narrowed to an organization (aws:PrincipalOrgID, "
        "aws:SourceOrgID, org paths, a layer's organization_id) must name one of them; when empty, any "
        "organization counts as narrowed.",
    },
}


def guarded(args: Any, config: dict) -> set[str]:
    """Config accountIds, the resource's provider's allowedAccountIds, and config organizationIds."""
    return guarded_accounts([args], config.get("accountIds", [])) | set(config.get("organizationIds", []))


def exposures(args: Any, guarded: set[str]) -> list[access.Exposure]:
    """Whom the resource's policies or permission reach beyond the guarded accounts. An unknown document raises
    (undecided); a document that is not JSON is skipped (AWS refuses it at deploy). `args` is a resource's
    validation args or a stack resource (both have `resource_type` and `props`)."""
    holder = HOLDERS[args.resource_type]
    found: list[access.Exposure] = []
    for key in holder.documents:
        try:
            doc = documents.document(args.props, key)
        except documents.InvalidDocument:
            continue
        found += access.document_exposures(doc, key, guarded, holder.narrowing)
    for where, statement in holder.grants(args.props) if holder.grants else []:
        found += access.statement_exposures(statement, where, guarded, holder.narrowing)
    if holder.network_scoped is not None and holder.network_scoped(args.props):
        found = [e for e in found if e.kind != access.PUBLIC]
    return found


@resource_policy(
    name="resource-policy-not-public",
    description="No resource policy or permission grants anything to everyone. It reads every pulumi-aws type that "
    "takes a policy document (generated into resource_policy_types.txt; resource_policy_backlog.py names the few "
    "that are not access policies, with why): bucket, topic, queue and key policies, Secrets Manager secret "
    "policies (inline and SecretPolicy), ECR repository and registry policies, EventBridge bus policies, OpenSearch "
    "and Elasticsearch domain access policies, OpenSearch Serverless data access policies (a list of principals "
    'read as an AWS principal list, "*" included), API Gateway REST API policies, Glacier vault and vault lock '
    "policies, EFS file system policies, Backup vault policies, and DynamoDB, Kinesis, Glue, CodeArtifact, "
    "CloudWatch Logs, S3 access point and the other services' resource policies; and the permission resources: "
    "Lambda layer version permissions, EventBridge permissions, SSM document shares, OpenSearch domain VPC endpoint "
    'authorizations. An Allow for Principal "*" (or {"AWS": "*"}, with NotPrincipal, or an ARN with a wildcard '
    "inside such as arn:aws:iam::*:root) must be narrowed by a condition on "
    + access.NARROWING
    + ". EFS also accepts Bool elasticfilesystem:AccessedViaMountTarget true (clients of the VPC's mount targets); "
    "a search domain or S3 access point in a VPC, and a VPC Lattice auth policy, are reachable only from a VPC. "
    "A service principal needs its source: aws:SourceArn, "
    "aws:SourceAccount or aws:SourceOwner, or in a key policy the encryption context's ARN "
    "(kms:EncryptionContext:aws:logs:arn, ...:sns:topicArn), without which the service acting for any account's "
    "resource may use the grant. Deny statements for everyone (such as the TLS-only deny) are fine. Who may invoke "
    "a Lambda function is lambda-permission-not-public's finding. Maps to FSBP KMS.5, SNS.4, SQS.3, S3.2/S3.3 and "
    "SSM.4; Secrets Manager, ECR, EventBridge, OpenSearch, API Gateway, Glacier, EFS and Backup policies have no "
    "FSBP control of their own.",
    types=NOT_PUBLIC_TYPES,
    severity=Severity.CRITICAL,
    category=Category.ACCESS,
    controls=[FSBP("KMS.5"), FSBP("SNS.4"), FSBP("SQS.3"), FSBP("S3.2"), FSBP("S3.3"), FSBP("SSM.4")],
    remediation="Name the principals (service or account ARNs), or add a condition that ties '*' to our account or "
    "organization (aws:SourceAccount, aws:PrincipalOrgID, kms:CallerAccount); give a service principal "
    "aws:SourceArn=<the calling resource's ARN> or aws:SourceAccount=<our account>; share a layer or bus with "
    "organization_id / condition aws:PrincipalOrgID, and an SSM document with account ids, never All.",
)
def resource_policy_not_public(args: Any, report: Any, config: dict) -> None:
    for exposure in exposures(args, set()):  # who is public does not depend on which accounts are ours
        if exposure.kind in (access.PUBLIC, access.UNSOURCED):
            report(exposure.message(args.name, ()))


@resource_policy(
    name="resource-policy-no-other-account",
    description="No resource policy or permission gives access to an account the pack does not guard (config "
    "accountIds, and the provider's allowedAccountIds): no principal of another account, no narrowing or source "
    "condition (aws:SourceAccount, aws:PrincipalAccount, the account in aws:SourceArn/aws:PrincipalArn) that admits "
    "only other accounts, no layer, bus or Lambda permission and no SSM document share for another account. The "
    "same resource types as resource-policy-not-public plus Lambda permissions (keys: kms-key-access-this-account). "
    "With organizationIds configured, a grant narrowed to another organization is refused too. "
    "Elastic Load Balancing's regional log-delivery accounts (aws.elb.get_service_account) are AWS's, not "
    "another account. Without any guarded account configured it has nothing to compare with and judges nothing. "
    "Maps to FSBP S3.6 for bucket policies; no FSBP control covers the other services' cross-account grants.",
    types=NO_OTHER_ACCOUNT_TYPES,
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("S3.6"), PROJECT("account-identity")],
    remediation="Give access only to principals of the guarded accounts; share with another account through a role "
    "it assumes in ours, or list that account in the pack's accountIds if it is ours.",
    config=ACCOUNT_CONFIG,
)
def resource_policy_no_other_account(args: Any, report: Any, config: dict) -> None:
    accounts = guarded(args, config)
    if not accounts:
        return
    for exposure in exposures(args, accounts):
        if exposure.kind == access.OTHER_ACCOUNT:
            report(exposure.message(args.name, accounts))


@stack_policy(
    name="resource-policy-search-domain-not-public",
    description="An aws.opensearch.DomainPolicy or aws.elasticsearch.DomainPolicy grants nothing to everyone, read "
    "as resource-policy-not-public reads every resource policy, except when the domain it is linked to "
    "(domain_name=<domain>.domain_name) sits in a VPC (vpc_options with subnets): such a domain is reachable only "
    "from that VPC, and an open access policy there is the fine-grained access control pattern AWS documents. A "
    "policy whose domain is not in this stack is judged on its own.",
    types=sorted(OPENSEARCH_DOMAIN_POLICIES | OPENSEARCH_DOMAINS),
    severity=Severity.CRITICAL,
    category=Category.ACCESS,
    controls=[PROJECT("account-identity")],
    remediation="Name the principals (roles of our account), or tie '*' to our account or organization "
    "(aws:PrincipalAccount, aws:PrincipalOrgID); or put the domain in a VPC with vpc_options.",
)
def resource_policy_search_domain_not_public(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    domains = {r.urn: r for r in args.resources if r.resource_type in OPENSEARCH_DOMAINS}
    for policy in (r for r in args.resources if r.resource_type in OPENSEARCH_DOMAIN_POLICIES):
        with deferred.guard():
            linked = [domains[d.urn] for d in policy.property_dependencies.get("domainName", []) if d.urn in domains]
            in_vpc = any(_in_vpc(domain.props) for domain in linked)
            for exposure in exposures(policy, set()):
                if exposure.kind == access.UNSOURCED or (exposure.kind == access.PUBLIC and not in_vpc):
                    report(exposure.message(policy.name, ()), policy.urn)
    deferred.finish()
