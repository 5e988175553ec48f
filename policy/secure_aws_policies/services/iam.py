"""IAM: least privilege in every policy document the stack writes, no policies on IAM users, trust policies that
name who may assume a role. (Who a resource policy reaches is `resource_policies.py`'s.)

Documents arrive as JSON strings (`aws.iam.get_policy_document_output(...).json`), unknown at a first preview
when they embed an ARN that does not exist yet: such a document is undecided (the SDK's advisory note) and is
judged at `pulumi up`; a known document is always parsed with `json` and judged.

KMS key policies are read as what they are. In a key policy `"Resource": "*"` means "this key", and the standard
first statement gives the account root `kms:*` so that IAM policies can grant access at all (without it the key
becomes unmanageable); so `kms:*` (or `*`) for account-root principals is not a wildcard finding, while `kms:*`
for any other principal is. A statement for `{"AWS": "*"}` limited by `kms:CallerAccount` (usually with
`kms:ViaService`) lets only principals of that account use the key through that service: it is not public.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Sequence
from typing import Any

from pulumi_policy import Severity

from .. import documents
from ..accounts import ACCOUNT_IDS_SCHEMA, guarded_accounts
from ..props import UNKNOWN, attempt, items, peek, value
from ..registry import CDK_NAG, FSBP, PROJECT, Category, resource_policy
from ..types import (
    BUCKET_POLICY,
    GROUP_POLICY,
    GROUP_POLICY_ATTACHMENT,
    GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
    KMS_KEY,
    KMS_KEY_POLICY,
    MANAGED_POLICY,
    POLICY_ATTACHMENT,
    ROLE,
    ROLE_POLICY,
    ROLE_POLICY_ATTACHMENT,
    ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
    S3_BUCKETS,
    SNS_TOPIC,
    SNS_TOPIC_POLICY,
    SQS_QUEUE,
    SQS_QUEUE_POLICY,
    USER_POLICY,
    USER_POLICY_ATTACHMENT,
    USER_POLICY_ATTACHMENTS_EXCLUSIVE,
)

# Where a principal gets a managed policy by ARN: the input that holds the ARN (or ARNs).
POLICY_ARN_INPUTS = {
    ROLE: "managedPolicyArns",
    ROLE_POLICY_ATTACHMENT: "policyArn",
    GROUP_POLICY_ATTACHMENT: "policyArn",
    USER_POLICY_ATTACHMENT: "policyArn",
    POLICY_ATTACHMENT: "policyArn",
    ROLE_POLICY_ATTACHMENTS_EXCLUSIVE: "policyArns",
    GROUP_POLICY_ATTACHMENTS_EXCLUSIVE: "policyArns",
    USER_POLICY_ATTACHMENTS_EXCLUSIVE: "policyArns",
}
# AWS managed policies that allow every action (or every action but a few services) on every resource.
_ADMIN_MANAGED_POLICY = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(?:.*/)?(AdministratorAccess|PowerUserAccess)$")

IDENTITY_POLICIES = frozenset({ROLE, ROLE_POLICY, MANAGED_POLICY, GROUP_POLICY, USER_POLICY})
# Every document is judged on its own: where two resources write one policy (a key's inline policy and an
# aws.kms.KeyPolicy, a bucket's and a BucketPolicy), whichever applies last wins, so the worst must pass too.
RESOURCE_POLICIES = frozenset(
    {BUCKET_POLICY, SNS_TOPIC_POLICY, SQS_QUEUE_POLICY, SNS_TOPIC, SQS_QUEUE, KMS_KEY, KMS_KEY_POLICY, *S3_BUCKETS}
)
ALL_POLICY_HOLDERS = IDENTITY_POLICIES | RESOURCE_POLICIES

DECRYPT_ACTIONS = ("kms:Decrypt", "kms:ReEncryptFrom")

Document = tuple[str, dict[str, Any], str]  # (where, document, "identity" | "resource" | "key")


def policy_documents(args: Any, report: Callable[[str], None] | None = None) -> list[Document]:
    """The documents this resource writes (a role's inline policies, not its trust policy). An unknown document
    raises the SDK's undecided error; an invalid one is reported through `report` when given, else skipped."""
    props, kind = args.props, args.resource_type
    raw: list[tuple[str, Any]] = []
    if kind == ROLE:
        # inline_policies left out: none (no default to judge); policy is required on the policy holders.
        for index, inline in enumerate(items(value(props, "inlinePolicies", []))):
            raw.append((f"inlinePolicies[{index}]", value(inline, "policy")))
    elif kind in ALL_POLICY_HOLDERS:
        raw.append(("policy", value(props, "policy")))
    role = "key" if kind in (KMS_KEY, KMS_KEY_POLICY) else "identity" if kind in IDENTITY_POLICIES else "resource"
    parsed: list[Document] = []
    for where, found in raw:
        try:
            doc = documents.parse(found)
        except documents.InvalidDocument as error:
            if report is not None:
                report(f"{args.name}: {where} {error}; AWS would refuse it.")
            continue
        if doc is not None:
            parsed.append((where, doc, role))
    return parsed


def _allow_statements(args: Any, report: Callable[[str], None] | None = None) -> list[tuple[str, dict, str]]:
    return [
        (f"{where} statement {statement.get('Sid') or index}", statement, role)
        for where, doc, role in policy_documents(args, report)
        for index, statement in enumerate(documents.statements(doc))
        if documents.allows(statement)
    ]


def _managed_policy_arns(args: Any) -> list[str]:
    """The managed policy ARNs this resource attaches. An unknown ARN is a policy the program creates (an AWS
    managed policy's ARN is a literal), judged as its own `aws:iam/policy` resource: it is left out."""
    key = POLICY_ARN_INPUTS.get(args.resource_type)
    found = peek(args.props, key) if key else None
    if found is UNKNOWN:
        return []
    return [str(arn) for arn in _known_items(found) if arn is not UNKNOWN]


def _known_items(found: Any) -> list[Any]:
    """The list's elements, an unknown element as UNKNOWN."""
    if found is None:
        return []
    if isinstance(found, str) or not isinstance(found, Sequence):
        return [found]
    return [attempt(lambda i=i: found[i]) for i in range(len(found))]


def _key_admin(statement: dict, role: str) -> bool:
    """The key policy's standard statement: account root principals get the key's actions."""
    return role == "key" and documents.only_account_roots(statement)


@resource_policy(
    name="iam-no-admin-wildcard",
    description="No policy document (IAM role, inline, managed, group or user policy; bucket, topic, queue or key "
    'policy) allows "Action": "*" (or NotAction) on "Resource": "*" (or NotResource). Key policies are exempt for '
    "account-root principals: that is the key's standard administration statement, and Resource * here means this key. "
    "Nothing attaches the AWS managed AdministratorAccess or PowerUserAccess policy either.",
    types=ALL_POLICY_HOLDERS | set(POLICY_ARN_INPUTS),
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("IAM.1"), CDK_NAG("AwsSolutions-IAM5")],
    remediation="List the actions the principal needs and the ARNs it needs them on (aws.iam.get_policy_document "
    "with specific actions and resources).",
)
def iam_no_admin_wildcard(args: Any, report: Any, config: dict) -> None:
    for arn in _managed_policy_arns(args):
        if match := _ADMIN_MANAGED_POLICY.match(arn):
            report(
                f"{args.name} attaches the AWS managed policy {match.group(1)}, which allows every action "
                f"{'' if match.group(1) == 'AdministratorAccess' else 'but IAM and Organizations '}on every "
                "resource."
            )
    if args.resource_type not in ALL_POLICY_HOLDERS:
        return
    for where, statement, role in _allow_statements(args, report):
        if not documents.covers_all_resources(statement) or _key_admin(statement, role):
            continue
        if documents.grants_every_action(statement):
            report(f"{args.name}: {where} allows every action on every resource.")
        elif statement.get("NotAction") is not None:
            report(f"{args.name}: {where} allows everything but {statement.get('NotAction')} on every resource.")


@resource_policy(
    name="iam-no-service-wildcard",
    description='No policy document allows a service-wide wildcard action such as "s3:*" or "kms:*". In key '
    "policies the account root's `kms:*` (the standard administration statement) is allowed; `kms:*` for any "
    "other principal is not.",
    types=ALL_POLICY_HOLDERS,
    severity=Severity.LOW,
    category=Category.ACCESS,
    controls=[FSBP("IAM.21"), CDK_NAG("AwsSolutions-IAM5")],
    remediation="Replace `<service>:*` with the actions needed (prefix wildcards such as `s3:Get*` only where the "
    "whole family is needed).",
)
def iam_no_service_wildcard(args: Any, report: Any, config: dict) -> None:
    for where, statement, role in _allow_statements(args):
        if _key_admin(statement, role):
            continue
        wildcards = [a for a in documents.actions(statement) if documents.service_wildcard(a)]
        if wildcards:
            report(f"{args.name}: {where} allows {', '.join(wildcards)} (every action of the service).")


def _covers_all_keys(resource: str) -> bool:
    text = resource.strip().lower()
    return text.startswith("arn:aws") and (":kms:" in text or ":*:" in text) and text.endswith(("/*", ":*"))


@resource_policy(
    name="iam-no-decrypt-on-all-keys",
    description="No IAM policy (role, inline, managed, group or user) allows kms:Decrypt or kms:ReEncryptFrom on "
    "all KMS keys (Resource * or a key/* wildcard). Key policies are not judged here: their Resource * is the key "
    "itself.",
    types=IDENTITY_POLICIES,
    severity=Severity.MEDIUM,
    category=Category.ACCESS,
    controls=[FSBP("KMS.1"), FSBP("KMS.2")],
    remediation="Name the key ARNs the principal may decrypt with (and, for service use, add a kms:ViaService "
    "condition).",
)
def iam_no_decrypt_on_all_keys(args: Any, report: Any, config: dict) -> None:
    for where, statement, _ in _allow_statements(args):
        granted = [a for a in DECRYPT_ACTIONS if documents.granted(statement, a)]
        all_keys = documents.covers_all_resources(statement) or any(
            _covers_all_keys(r) for r in documents.resources(statement)
        )
        if granted and all_keys:
            report(f"{args.name}: {where} allows {', '.join(granted)} on all KMS keys.")


@resource_policy(
    name="iam-no-user-policies",
    description="No IAM policy is attached to or written inline on an IAM user: permissions go to roles (or "
    "groups), which people assume.",
    types=[USER_POLICY, USER_POLICY_ATTACHMENT, POLICY_ATTACHMENT],
    severity=Severity.LOW,
    category=Category.ACCESS,
    controls=[FSBP("IAM.2")],
    remediation="Grant the permissions to a role the user assumes (or to a group), not to the user.",
)
def iam_no_user_policies(args: Any, report: Any, config: dict) -> None:
    if args.resource_type == POLICY_ATTACHMENT:
        # users left out: the attachment names no user (no default to judge).
        if items(value(args.props, "users", [])):
            report(f"{args.name} attaches a policy to IAM users.")
        return
    report(f"{args.name} gives an IAM user its own policy.")


@resource_policy(
    name="iam-trust-policy-names-principal",
    description="Role trust policies let only named principals assume the role: a service, an account or role "
    'ARN, or a federated identity provider, never "*" (or {"AWS": "*"}).',
    types=[ROLE],
    severity=Severity.CRITICAL,
    category=Category.ACCESS,
    controls=[PROJECT("least-privilege"), CDK_NAG("AwsSolutions-IAM5")],
    remediation="Set Principal to the service (e.g. {Service: 'ec2.amazonaws.com'}) or the account/role ARN that "
    "assumes the role, with aws:SourceAccount/aws:SourceArn conditions for services.",
)
def iam_trust_policy_names_principal(args: Any, report: Any, config: dict) -> None:
    try:
        doc = documents.document(args.props, "assumeRolePolicy")
    except documents.InvalidDocument as error:
        report(f"role {args.name}: assumeRolePolicy {error}.")
        return
    for index, statement in enumerate(documents.statements(doc)):
        if not documents.allows(statement):
            continue
        where = statement.get("Sid") or index
        if documents.names_everyone(statement):
            report(f'role {args.name}: trust statement {where} lets any principal ("*") assume the role.')
        elif not documents.principal_values(statement):
            report(f"role {args.name}: trust statement {where} names no principal.")


# Trust, scoped ##################################################################################################

# What a federated identity provider puts in front of the subject it asserts: a subject pinned to nothing more
# than one of these is anyone of the provider (every GitHub repository, every Kubernetes service account).
_SUBJECT_PREFIXES = ("repo:", "system:serviceaccount:", "project_path:", "organization:")
# Cognito identity pools assert identities of one pool: the pool id in `:aud` is the pin, not the subject.
_AUDIENCE_PINNED_PROVIDERS = frozenset({"cognito-identity.amazonaws.com"})


def _provider_host(federated: str) -> str | None:
    """The condition-key prefix of an OIDC provider (`token.actions.githubusercontent.com`,
    `oidc.eks.<region>.amazonaws.com/id/<id>`), or None for a SAML provider (which asserts its own users)."""
    if ":saml-provider/" in federated:
        return None
    return federated.split(":oidc-provider/", 1)[1] if ":oidc-provider/" in federated else federated


def _positive_string_tests(statement: dict) -> dict[str, list[str]]:
    """Condition key (lower case) -> the values of the tests that admit only matching values (StringEquals,
    StringLike and their IgnoreCase/ForAnyValue forms; a negated or ForAllValues test pins nothing)."""
    found: dict[str, list[str]] = {}
    condition = statement.get("Condition")
    for operator, tests in condition.items() if isinstance(condition, dict) else []:
        bare = str(operator).removeprefix("ForAnyValue:")
        if not bare.startswith("String") or bare.startswith("StringNot") or not isinstance(tests, dict):
            continue
        for key, values in tests.items():
            found.setdefault(str(key).lower(), []).extend(str(v) for v in documents.as_list(values))
    return found


def _too_broad(subject: str) -> bool:
    """A subject pattern that names no one in particular: `*`, or a wildcard right after a provider prefix."""
    first_wildcard = min((i for i, c in enumerate(subject) if c in "*?"), default=len(subject))
    head = subject[:first_wildcard]
    for prefix in _SUBJECT_PREFIXES:
        if head.startswith(prefix):
            head = head[len(prefix) :]
            break
    return first_wildcard < len(subject) and not head.strip(":/")


def _federated_problems(statement: dict, where: str) -> list[str]:
    problems = []
    tests = _positive_string_tests(statement)
    for federated in documents.principal_values(statement).get("Federated", []):
        host = _provider_host(federated)
        if host is None:
            continue
        pin = "aud" if host in _AUDIENCE_PINNED_PROVIDERS else "sub"
        values = tests.get(f"{host.lower()}:{pin}")
        if not values:
            problems.append(
                f"{where} trusts {host} with no condition on {host}:{pin}: any of its identities can assume the role"
            )
        elif any(_too_broad(v) for v in values):
            problems.append(f"{where} pins {host}:{pin} to a pattern that admits any of its identities")
    return problems


def _cross_account_problems(statement: dict, where: str, trusted: set[str]) -> list[str]:
    others = sorted(
        account
        for principal in documents.principal_values(statement).get("AWS", [])
        if (account := documents.account_of(principal)) and account not in trusted
    )
    if not others or "sts:externalid" in _positive_string_tests(statement):
        return []
    return [
        f"{where} lets account {', '.join(others)} assume the role without an sts:ExternalId condition (the "
        "confused-deputy guard); list the account in accountIds or trustedAccountIds if it is one of ours"
    ]


@resource_policy(
    name="iam-trust-policy-scoped",
    description="Role trust policies name who exactly may assume the role. A federated OIDC provider "
    "(sts:AssumeRoleWithWebIdentity: GitHub Actions, EKS service accounts, ...) is pinned by a positive string "
    "condition on `<provider>:sub` that names a subject (`*`, `repo:*` or `system:serviceaccount:*` admit "
    "anyone of the provider; Cognito identity pools are pinned by `:aud`). An AWS principal of another account "
    "(not in the pack's accountIds, the providers' allowedAccountIds or trustedAccountIds) needs an "
    "sts:ExternalId condition. A principal unknown at preview (a role this stack creates) is judged once known.",
    types=[ROLE],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("least-privilege"), PROJECT("account-identity")],
    remediation="Add Condition StringEquals {'<provider>:sub': 'repo:<org>/<repo>:ref:refs/heads/main'} (and "
    "'<provider>:aud': 'sts.amazonaws.com') to a federated trust; add Condition StringEquals {'sts:ExternalId': "
    "<the id the other party gave you>} to another account's trust, or list the account in the pack config.",
    config={
        "accountIds": ACCOUNT_IDS_SCHEMA,
        "trustedAccountIds": {
            "type": "array",
            "items": {"type": "string", "pattern": "^\\d{12}$"},
            "default": [],
            "description": "Other accounts whose principals may assume roles here without an sts:ExternalId "
            "(e.g. the organization's security tooling account).",
        },
    },
)
def iam_trust_policy_scoped(args: Any, report: Any, config: dict) -> None:
    try:
        doc = documents.document(args.props, "assumeRolePolicy")
    except documents.InvalidDocument:
        return  # iam-trust-policy-names-principal reports it
    trusted = guarded_accounts([args], config["accountIds"]) | {str(a) for a in config["trustedAccountIds"]}
    for index, statement in enumerate(documents.statements(doc)):
        if not documents.allows(statement) or documents.names_everyone(statement):
            continue  # "*" is iam-trust-policy-names-principal's finding
        where = f"trust statement {statement.get('Sid') or index}"
        for problem in _federated_problems(statement, where) + _cross_account_problems(statement, where, trusted):
            report(f"role {args.name}: {problem}.")


# Privilege, not spelling ########################################################################################

# Services where a wildcard action on every resource reaches data or identity: reading every secret or object,
# using every key, changing identities, launching compute. Describe*/List* read only metadata and are left out.
SENSITIVE_SERVICES = ("iam", "sts", "kms", "s3", "secretsmanager", "ec2", "lambda", "organizations")
METADATA_READS = re.compile(r"^[a-z0-9-]+:(describe|list)[a-z0-9]*\*$")
# Actions that run code under a role passed to them: with iam:PassRole on every role, the caller gets the
# permissions of any role in the account (the classic PassRole escalation paths).
COMPUTE_CREATING_ACTIONS = (
    "ec2:RunInstances",
    "ec2:CreateLaunchTemplate",
    "ec2:CreateLaunchTemplateVersion",
    "autoscaling:CreateLaunchConfiguration",
    "autoscaling:CreateAutoScalingGroup",
    "lambda:CreateFunction",
    "lambda:UpdateFunctionConfiguration",
    "ecs:RunTask",
    "ecs:StartTask",
    "ecs:RegisterTaskDefinition",
    "ecs:CreateService",
    "glue:CreateDevEndpoint",
    "glue:CreateJob",
    "cloudformation:CreateStack",
    "cloudformation:UpdateStack",
    "codebuild:CreateProject",
    "sagemaker:CreateNotebookInstance",
    "sagemaker:CreateTrainingJob",
    "datapipeline:CreatePipeline",
    "states:CreateStateMachine",
)
# IAM writes that change what a role, user or policy may do, or who may act as them.
IAM_PERMISSION_WRITES = (
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreateRole",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AddUserToGroup",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
)
# Actions that, on every resource, let the holder act with other principals' permissions without any IAM write:
# assume any role that trusts the account, replace the code of any function (it runs as the function's role), run
# commands or open sessions on any instance (as its instance profile), push an SSH key to any instance, replace a
# Glue dev endpoint's key, or read every secret (every database and API credential).
TAKE_OVER_ACTIONS = (
    "sts:AssumeRole",
    "lambda:UpdateFunctionCode",
    "ssm:SendCommand",
    "ssm:StartSession",
    "ec2-instance-connect:SendSSHPublicKey",
    "glue:UpdateDevEndpoint",
    "secretsmanager:GetSecretValue",
)
# AWS managed policies that are admin-equivalent or give full access to a service's data, derived from their
# names (AWS names them so): AdministratorAccess, PowerUserAccess, every <service>FullAccess (and its _v2), and
# SecretsManagerReadWrite, which reads every secret. IAMFullAccess alone lets its holder grant itself anything.
_FULL_ACCESS_MANAGED_POLICY = re.compile(
    r"^arn:aws[a-z-]*:iam::aws:policy/(?:.*/)?((?:AdministratorAccess|PowerUserAccess|SecretsManagerReadWrite)"
    r"|[A-Za-z0-9_-]*FullAccess(?:_v2)?)$"
)


def _wildcard_resource(statement: dict) -> bool:
    """The statement applies to every resource, or to every role/user/policy by a wildcard ARN."""
    if documents.covers_all_resources(statement):
        return True
    return any(
        re.search(r":(role|user|policy|group)/(.*/)?\*$", r) or r.endswith(":*") for r in documents.resources(statement)
    )


def _reaches_sensitive_service(pattern: str) -> bool:
    """The action pattern's service part matches a sensitive service however it is spelled: `iam:*`, `i*:*`,
    `*:Get*` (every service), `se?retsmanager:*`."""
    service = pattern.strip().lower().split(":", 1)[0]
    return any(fnmatch.fnmatchcase(sensitive, service) for sensitive in SENSITIVE_SERVICES)


def _escalations(statements: list[tuple[str, dict, str]]) -> list[str]:
    problems = []
    for where, statement, _ in statements:
        if documents.covers_all_resources(statement):
            wild = [
                a
                for a in documents.actions(statement)
                if ("*" in a or "?" in a)
                and not METADATA_READS.match(a.strip().lower())
                and _reaches_sensitive_service(a)
            ]
            if wild:
                problems.append(f"{where} allows {', '.join(wild)} on every resource")
        if _wildcard_resource(statement):
            takeovers = [a for a in TAKE_OVER_ACTIONS if documents.granted(statement, a)]
            if takeovers:
                problems.append(
                    f"{where} allows {', '.join(takeovers)} on every resource: whoever holds it acts as other "
                    "roles or reads every secret"
                )
            writes = [a for a in IAM_PERMISSION_WRITES if documents.granted(statement, a)]
            if writes:
                problems.append(
                    f"{where} allows IAM permission writes ({', '.join(writes[:4])}"
                    f"{', ...' if len(writes) > 4 else ''}) on every role, user or policy"
                )
    pass_role = [w for w, s, _ in statements if documents.granted(s, "iam:PassRole") and _wildcard_resource(s)]
    compute = sorted({a for _, s, _ in statements for a in COMPUTE_CREATING_ACTIONS if documents.granted(s, a)})
    if pass_role and compute:
        problems.append(
            f"{pass_role[0]} allows iam:PassRole on every role, and the document allows "
            f"{', '.join(compute[:3])}{', ...' if len(compute) > 3 else ''}: whoever holds it can run "
            "code as any role"
        )
    return problems


@resource_policy(
    name="iam-no-privilege-escalation",
    description="No identity policy (role inline, role, managed, group or user policy) allows what amounts to admin: "
    "a wildcard action of a sensitive service (iam, sts, kms, s3, secretsmanager, ec2, lambda, organizations; "
    "Describe*/List* excepted) on every resource; IAM writes that change permissions (Put/Attach*Policy, "
    "CreatePolicyVersion, UpdateAssumeRolePolicy, CreateAccessKey, ...) on every role, user or policy; taking over "
    "other principals on every resource (sts:AssumeRole, lambda:UpdateFunctionCode, ssm:SendCommand/StartSession, "
    "ec2-instance-connect:SendSSHPublicKey, glue:UpdateDevEndpoint, secretsmanager:GetSecretValue); or "
    "iam:PassRole on every role together with an action that runs code under a passed role (ec2:RunInstances, "
    "lambda:CreateFunction, ecs:RunTask, ...). Nothing attaches an AWS managed policy that is admin-equivalent or "
    "gives full access to a service's data (AdministratorAccess, PowerUserAccess, *FullAccess, "
    "SecretsManagerReadWrite). Judged on what the statements allow, however the actions are spelled.",
    types=IDENTITY_POLICIES | set(POLICY_ARN_INPUTS),
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[FSBP("IAM.1"), FSBP("IAM.21"), CDK_NAG("AwsSolutions-IAM4"), CDK_NAG("AwsSolutions-IAM5")],
    remediation="Name the actions and the resource ARNs the principal needs; pass only the role it must pass "
    "(Resource: <role ARN>, Condition iam:PassedToService); replace an AWS managed full-access policy with a "
    "customer-managed least-privilege one.",
)
def iam_no_privilege_escalation(args: Any, report: Any, config: dict) -> None:
    for arn in _managed_policy_arns(args):
        if match := _FULL_ACCESS_MANAGED_POLICY.match(arn):
            report(
                f"{args.name} attaches the AWS managed policy {match.group(1)}, which is admin-equivalent or "
                "gives full access to a service's data."
            )
    if args.resource_type not in IDENTITY_POLICIES:
        return
    statements = _allow_statements(args)
    documents_of = {where.split(" statement ")[0] for where, _, _ in statements}
    for document in sorted(documents_of):
        for problem in _escalations([s for s in statements if s[0].split(" statement ")[0] == document]):
            report(f"{args.name}: {problem}.")
