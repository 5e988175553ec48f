"""OpenSearch Serverless collections and OpenSearch UI applications: encrypted with our key, no public endpoint.

A collection's key and its network exposure are not arguments of the collection (except `encryption_configs`,
which takes precedence) but security policies that AWS matches to collections by name (pulumi-aws 7
opensearch.ServerlessSecurityPolicy; AWS Developer Guide, "Encryption in Amazon OpenSearch Serverless" and
"Network access for Amazon OpenSearch Serverless"):

- an encryption policy, `{"Rules": [{"ResourceType": "collection", "Resource": ["collection/<name or prefix*>"]}],
  "AWSOwnedKey": true|false, "KmsARN": "<key ARN>"}`, assigns its key to every collection created with a matching
  name ("If you include [KmsARN], OpenSearch Serverless ignores the AWSOwnedKey parameter");
- a network policy, a list of `{"Rules": [{"ResourceType": "collection"|"dashboard", "Resource": [...]}],
  "AllowFromPublic": true|false, "SourceVPCEs": [...]}`, opens the collection and Dashboards endpoints to the
  internet or to VPC endpoints; AWS admits a request that any matching policy admits.

So each policy is judged on its own (the worst one decides), and each collection with every encryption policy of
the stack that covers it. Who may read a collection's data (a data access policy) is judged with every resource
policy in resource_policies.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import Severity

from .. import documents
from ..keys import customer_key_problem, report_key
from ..props import UNKNOWN, Deferred, attempt, block, peek, truthy, value
from ..registry import PROJECT, Category, resource_policy, stack_policy
from ..types import OPENSEARCH_APPLICATION, OPENSEARCH_SERVERLESS_COLLECTION, OPENSEARCH_SERVERLESS_SECURITY_POLICY

# The resource types a network policy opens: the collection's endpoint and its OpenSearch Dashboards endpoint.
PUBLIC_ENDPOINT_TYPES = ("collection", "dashboard")

# Left out, the engine names a collection `<resource name>-<random suffix>`. A rule covers such a collection only
# when a wildcard takes the suffix, whatever it turns out to be: each NUL stands for a character no literal matches.
_GENERATED_SUFFIX = "-" + "\0" * 7


def _policy_type(props: Any) -> str:
    """A security policy's `type` ("encryption" or "network"); an unknown one raises (undecided)."""
    # `type` is required ("Type of security policy. One of `encryption` or `network`."): no default to judge.
    return str(value(props, "type", "")).strip().lower()


def _rules(entry: Mapping[str, Any]) -> list[tuple[str, list[Any]]]:
    """(ResourceType, lower-cased; its Resource list) of each rule of a policy document or network policy entry."""
    return [
        (str(rule.get("ResourceType", "")).strip().lower(), documents.as_list(rule.get("Resource")))
        for rule in documents.as_list(entry.get("Rules"))
        if isinstance(rule, dict)
    ]


def _name_pattern(resource: Any) -> re.Pattern[str] | None:
    """`collection/<name or pattern>` as a regular expression over collection names (`*` is the only wildcard;
    names are lower case); None for any other form, which names no collection."""
    text = str(resource).strip().lower()
    if not text.startswith("collection/"):
        return None
    parts = text.removeprefix("collection/").split("*")
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


def encryption_key_problem(doc: Mapping[str, Any]) -> str | None:
    """Why an encryption policy does not encrypt with our key, or None when its KmsARN is (or will be) ours."""
    if doc.get("KmsARN") in (None, ""):
        said = "AWSOwnedKey is true" if truthy(doc.get("AWSOwnedKey")) else "it names no KmsARN"
        return f"{said}, so the collections it covers are encrypted with an AWS owned key, not our key"
    return customer_key_problem(doc, "KmsARN")


@dataclass(frozen=True)
class EncryptionPolicy:
    """An encryption policy of the stack: its resource name, the collection rules it has (the rule's text and its
    pattern), and what is wrong with its key (None when it is ours)."""

    name: str
    rules: tuple[tuple[str, re.Pattern[str]], ...]
    problem: str | None

    def covering(self, collection_name: str) -> list[str]:
        """The rules of this policy that match the collection's name."""
        return [text for text, pattern in self.rules if pattern.fullmatch(collection_name)]


def encryption_policy(resource: Any) -> EncryptionPolicy | None:
    """The stack resource as an encryption policy; None for a network policy or a document AWS refuses (not JSON,
    not an object). An unknown type or document raises (undecided)."""
    if _policy_type(resource.props) != "encryption":
        return None
    try:
        doc = documents.json_document(resource.props, "policy")
    except documents.InvalidDocument:
        return None
    if not isinstance(doc, dict):
        return None
    rules = tuple(
        (str(text), pattern)
        for resource_type, texts in _rules(doc)
        if resource_type == "collection"
        for text in texts
        if (pattern := _name_pattern(text)) is not None
    )
    return EncryptionPolicy(resource.name, rules, encryption_key_problem(doc))


@resource_policy(
    name="opensearch-serverless-encryption-policy-uses-cmk",
    description="OpenSearch Serverless encryption policies (aws.opensearch.ServerlessSecurityPolicy, type "
    "'encryption') name our customer-managed KMS key as KmsARN. With AWSOwnedKey true, or no KmsARN, every "
    "collection created with a matching name, in this stack or later, is encrypted with an AWS owned key. Judged "
    "on its own even when no collection of this stack matches it (the worst policy decides). A policy document "
    "given as a JSON string, json.dumps of a dict, or an object is read the same; one unknown at a first preview "
    "(built from our key's ARN) is judged at `pulumi up`.",
    types=[OPENSEARCH_SERVERLESS_SECURITY_POLICY],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation='Set the policy to {"Rules": [...], "AWSOwnedKey": false, "KmsARN": <our key ARN>}.',
)
def opensearch_serverless_encryption_policy_uses_cmk(args: Any, report: Any, config: dict) -> None:
    policy = encryption_policy(args)
    if policy is not None and policy.problem:
        report(f"encryption policy {args.name}: {policy.problem}.")


def own_key_problem(props: Any) -> tuple[bool, str | None]:
    """Whether the collection's own `encryption_configs` names its key (AWS: a key given in the CreateCollection
    request "takes precedence over the security policy configuration"), and what is wrong with it. A block that
    names neither key leaves the choice to the encryption policies."""
    # encryptionConfigs left out: "An `opensearch.ServerlessCollection` must have encryption configured either by
    # an applicable encryption security policy or by setting `encryption_config` directly" (pulumi-aws 7).
    config = block(props, "encryptionConfigs")
    if config is None:
        return False, None
    if not isinstance(config, Mapping):
        return True, None  # computed from another resource at a first preview: a key it sets
    # awsOwnedKey ("Whether to use an AWS owned key for collection encryption") left out is not an AWS owned key
    # stated; the key is then kmsKeyArn, or the policies' when that is left out too.
    if truthy(peek(config, "awsOwnedKey")):
        return True, "encryption_configs sets aws_owned_key true: an AWS owned key, not our key"
    if peek(config, "kmsKeyArn") is None:
        return False, None
    problem = customer_key_problem(config, "kmsKeyArn")
    return True, problem and f"encryption_configs: {problem}"


def collection_name(collection: Any) -> str:
    """The collection's name, lower-cased; left out, the engine's generated one (see `_GENERATED_SUFFIX`). An
    unknown name raises (undecided)."""
    name = value(collection.props, "name")
    return str(name).strip().lower() if name is not None else collection.name.lower() + _GENERATED_SUFFIX


def collection_key_problem(collection: Any, policies: list[EncryptionPolicy], unknown: list[Any]) -> str | None:
    """Why the collection is not encrypted with our key: its own configuration, else every encryption policy of
    the stack that covers its name (the worst decides). A policy still unknown raises (undecided) unless a known
    one already fails."""
    decided, problem = own_key_problem(collection.props)
    if decided:
        return problem
    name = collection_name(collection)
    covering = [(policy, rules) for policy in policies if (rules := policy.covering(name))]
    failing = [
        f"encryption policy {policy.name} covers it ({', '.join(rules)}): {policy.problem}"
        for policy, rules in covering
        if policy.problem
    ]
    if failing:
        return "; ".join(failing)
    for resource in unknown:
        encryption_policy(resource)  # raises: which collections it covers is not known yet
    if not covering:
        return (
            "no encryption policy of this stack covers its name and encryption_configs names no key, so its key is "
            "chosen outside the stack (an AWS owned key unless a policy there names one): our key is not shown"
        )
    return None


@stack_policy(
    name="opensearch-serverless-collection-encrypted-with-cmk",
    description="Every OpenSearch Serverless collection is encrypted with our customer-managed KMS key: its own "
    "`encryption_configs` names our key (it takes precedence), or every encryption policy of the stack whose "
    "rules match its name (`collection/<name>`, `*` wildcards; a generated name is matched only by a wildcard "
    "that takes its random suffix) names our key as KmsARN: where two policies cover one collection, the worst "
    "decides. A collection no encryption policy of the stack covers is refused: AWS creates it only if an "
    "encryption policy outside the stack matches, whose key this stack does not show (AWS owned unless that "
    "policy names one); exempt it (exemptions) when a central policy with our key covers it.",
    types=[OPENSEARCH_SERVERLESS_COLLECTION, OPENSEARCH_SERVERLESS_SECURITY_POLICY],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Give the collection encryption_configs=[{'aws_owned_key': False, 'kms_key_arn': <our key ARN>}], "
    "or an aws.opensearch.ServerlessSecurityPolicy of type 'encryption' in this stack whose rules match its name "
    "with AWSOwnedKey false and KmsARN <our key ARN> (and no other matching policy with an AWS owned key).",
)
def opensearch_serverless_collection_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    policies: list[EncryptionPolicy] = []
    unknown: list[Any] = []
    for resource in (r for r in args.resources if r.resource_type == OPENSEARCH_SERVERLESS_SECURITY_POLICY):
        found = attempt(lambda resource=resource: encryption_policy(resource))
        if found is UNKNOWN:
            unknown.append(resource)
        elif found is not None:
            policies.append(found)
    deferred = Deferred()
    for collection in (r for r in args.resources if r.resource_type == OPENSEARCH_SERVERLESS_COLLECTION):
        with deferred.guard():
            problem = collection_key_problem(collection, policies, unknown)
            if problem:
                report(f"collection {collection.name}: {problem}.", collection.urn)
    deferred.finish()


def public_endpoints(doc: Any) -> list[str]:
    """The `<ResourceType> <Resource>` pairs that a network policy's entries with AllowFromPublic true open to the
    internet (a single entry given as an object counts as one)."""
    opened = []
    for entry in documents.as_list(doc):
        if not isinstance(entry, dict) or not truthy(entry.get("AllowFromPublic")):
            continue
        opened += [
            f"{resource_type} {resource}"
            for resource_type, resources in _rules(entry)
            if resource_type in PUBLIC_ENDPOINT_TYPES
            for resource in resources
        ]
    return opened


@resource_policy(
    name="opensearch-serverless-network-not-public",
    description="No OpenSearch Serverless network policy (aws.opensearch.ServerlessSecurityPolicy, type "
    "'network') sets AllowFromPublic true for a collection or dashboard rule: that opens the collection's "
    "endpoint or its OpenSearch Dashboards to the internet, for every collection whose name matches, in this "
    "stack or later. AWS admits a request that any matching network policy admits, so each policy is judged on "
    "its own. Reach collections through OpenSearch Serverless VPC endpoints (SourceVPCEs) instead.",
    types=[OPENSEARCH_SERVERLESS_SECURITY_POLICY],
    severity=Severity.CRITICAL,
    category=Category.NETWORK,
    controls=[PROJECT("no-public-data-stores")],
    remediation='Set "AllowFromPublic": false with "SourceVPCEs": [<an aws.opensearch.ServerlessVpcEndpoint id>] '
    "in every entry of the network policy.",
)
def opensearch_serverless_network_not_public(args: Any, report: Any, config: dict) -> None:
    if _policy_type(args.props) != "network":
        return
    try:
        doc = documents.json_document(args.props, "policy")
    except documents.InvalidDocument:
        return  # AWS refuses a policy that is not JSON
    opened = public_endpoints(doc)
    if opened:
        report(
            f"network policy {args.name} sets AllowFromPublic true for {', '.join(opened)}: the collection or "
            "dashboard endpoint is reachable from the internet."
        )


@resource_policy(
    name="opensearch-application-encrypted-with-cmk",
    description="OpenSearch UI applications (aws.opensearch.Application) encrypt their data at rest with our "
    "customer-managed KMS key: `kms_key_arn` ('ARN of the KMS key used to encrypt the application's data at "
    "rest', pulumi-aws 7) left out is the service's own key, not ours.",
    types=[OPENSEARCH_APPLICATION],
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set kms_key_arn=<our key ARN> on aws.opensearch.Application.",
)
def opensearch_application_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    report_key(args, report, "kmsKeyArn", "application")
