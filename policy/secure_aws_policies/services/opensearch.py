"""OpenSearch (and legacy Elasticsearch) domains: encrypted at rest with our key, node-to-node encryption, HTTPS
only with a TLS 1.2+ policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import Severity

from ..keys import key_problem_at
from ..props import UNKNOWN, block, items, peek, truthy
from ..registry import FSBP, PROJECT, Category, resource_policy
from ..types import OPENSEARCH_DOMAINS

# The TLS policies whose minimum is TLS 1.2 (the other, Policy-Min-TLS-1-0-2019-07, also accepts 1.0 and 1.1).
TLS_1_2_POLICIES = frozenset({"Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"})


@resource_policy(
    name="opensearch-domain-encrypted-with-cmk",
    description="OpenSearch and Elasticsearch domains encrypt data at rest with our customer-managed KMS key and "
    "between nodes. Left out, `encrypt_at_rest.enabled` and `node_to_node_encryption.enabled` are false ('If the "
    "block is not provided then this defaults to false', pulumi-aws 7 opensearch.Domain), and `kms_key_id` left "
    "out is the AWS managed key aws/es.",
    types=sorted(OPENSEARCH_DOMAINS),
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    controls=[FSBP("Opensearch.1"), FSBP("Opensearch.3"), PROJECT("encryption-at-rest-with-cmk")],
    remediation="Set encrypt_at_rest={'enabled': True, 'kms_key_id': <our key ARN>} and "
    "node_to_node_encryption={'enabled': True}.",
)
def opensearch_domain_encrypted_with_cmk(args: Any, report: Any, config: dict) -> None:
    at_rest = block(args.props, "encryptAtRest")
    enabled = peek(at_rest, "enabled") if at_rest not in (None, UNKNOWN) else at_rest
    if enabled is not UNKNOWN:
        if not truthy(enabled):
            report(f"domain {args.name}: encrypt_at_rest is not enabled, so its indices are stored unencrypted.")
        elif problem := key_problem_at(args.props, "encryptAtRest.kmsKeyId"):
            report(f"domain {args.name}: {problem}.")
    node_to_node = block(args.props, "nodeToNodeEncryption")
    enabled = peek(node_to_node, "enabled") if node_to_node not in (None, UNKNOWN) else node_to_node
    if enabled is not UNKNOWN and not truthy(enabled):
        report(f"domain {args.name}: node_to_node_encryption is not enabled: nodes talk in plaintext.")


@resource_policy(
    name="opensearch-domain-https-only",
    description="OpenSearch and Elasticsearch domains take HTTPS only with a TLS 1.2+ policy: "
    "`domain_endpoint_options.enforce_https` is not false (it 'Defaults to true') and `tls_security_policy` is "
    f"one of {', '.join(sorted(TLS_1_2_POLICIES))}: left out, the domain's policy is AWS's choice, and "
    "Policy-Min-TLS-1-0-2019-07 (TLS 1.0 to 1.2) is one it accepts, so the minimum must be stated.",
    types=sorted(OPENSEARCH_DOMAINS),
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[FSBP("Opensearch.8")],
    remediation="Set domain_endpoint_options={'enforce_https': True, 'tls_security_policy': "
    "'Policy-Min-TLS-1-2-PFS-2023-10'}.",
)
def opensearch_domain_https_only(args: Any, report: Any, config: dict) -> None:
    options = block(args.props, "domainEndpointOptions")
    if options is UNKNOWN:
        return
    enforce = peek(options, "enforceHttps") if options else None
    if enforce is not UNKNOWN and enforce is not None and not truthy(enforce):
        report(f"domain {args.name}: enforce_https is false: the endpoint answers plain HTTP.")
    policy = peek(options, "tlsSecurityPolicy") if options else None
    if policy is not UNKNOWN and policy not in TLS_1_2_POLICIES:
        shown = f"is {policy}" if policy else "is left out (AWS's choice, not a stated TLS 1.2 minimum)"
        report(f"domain {args.name}: tls_security_policy {shown}, which accepts TLS older than 1.2.")


def _publishes_error_logs(props: Any) -> Any:
    """Whether a log_publishing_options entry sends ES_APPLICATION_LOGS (error logs) to a log group; UNKNOWN when
    the entries are not known yet. log_publishing_options left out: "All the logs are disabled by default" (OpenSearch
    Service developer guide, "Monitoring OpenSearch logs with Amazon CloudWatch Logs"); an entry's `enabled` left out
    is true (the provider's default for the block; log_type and cloudwatch_log_group_arn are required in it)."""
    entries = peek(props, "logPublishingOptions")
    if entries is UNKNOWN:
        return UNKNOWN
    for entry in items(entries) if entries else []:
        if not isinstance(entry, Mapping):
            continue
        kind, group, enabled = (peek(entry, k) for k in ("logType", "cloudwatchLogGroupArn", "enabled"))
        if UNKNOWN in (kind, group, enabled):
            return UNKNOWN
        if kind == "ES_APPLICATION_LOGS" and group and enabled is not False:
            return True
    return False


@resource_policy(
    name="opensearch-domain-error-logging",
    description="OpenSearch (and Elasticsearch) domains publish their error logs (log type ES_APPLICATION_LOGS) to a "
    "CloudWatch Logs group: every OpenSearch log is off until a log_publishing_options entry turns it on.",
    types=sorted(OPENSEARCH_DOMAINS),
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    controls=[FSBP("Opensearch.4")],
    remediation="Add log_publishing_options=[{log_type: 'ES_APPLICATION_LOGS', cloudwatch_log_group_arn: <log group "
    "ARN>}] with a log group resource policy that lets es.amazonaws.com write to it.",
)
def opensearch_domain_error_logging(args: Any, report: Any, config: dict) -> None:
    if _publishes_error_logs(args.props) is False:
        report(f"domain {args.name} publishes no error logs (ES_APPLICATION_LOGS) to CloudWatch Logs.")
