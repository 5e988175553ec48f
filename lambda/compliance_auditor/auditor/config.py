"""The function's configuration, read from its environment variables and validated before any API call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from auditor.security_groups import Network, parse_allowed_cidrs

ENVIRONMENT_VARIABLES = {
    "FINDINGS_TOPIC_ARN": "the ARN of the SNS topic findings are published to",
    "METRIC_NAMESPACE": "the CloudWatch namespace of the ComplianceFindings metric",
    "ALLOWED_SSH_CIDRS": "comma-separated CIDRs SSH and RDP may come from (empty: none)",
}


class ConfigurationError(RuntimeError):
    """An environment variable is missing or invalid; the message names it and says what it should hold."""


@dataclass(frozen=True)
class AuditConfig:
    findings_topic_arn: str
    metric_namespace: str
    allowed_ssh_cidrs: tuple[Network, ...]

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> AuditConfig:
        # ALLOWED_SSH_CIDRS may be empty (no SSH/RDP source allowed); the other two must hold a value.
        missing = [
            name
            for name in ENVIRONMENT_VARIABLES
            if name not in environ or (name != "ALLOWED_SSH_CIDRS" and not environ[name].strip())
        ]
        if missing:
            raise ConfigurationError(
                "; ".join(
                    f"environment variable {name} is not set: it must hold {ENVIRONMENT_VARIABLES[name]}"
                    for name in missing
                )
            )
        topic = environ["FINDINGS_TOPIC_ARN"].strip()
        if not topic.startswith("arn:") or ":sns:" not in topic:
            raise ConfigurationError(f"environment variable FINDINGS_TOPIC_ARN is {topic!r}, not an SNS topic ARN")
        try:
            allowed = parse_allowed_cidrs(environ["ALLOWED_SSH_CIDRS"].split(","))
        except ValueError as error:
            raise ConfigurationError(
                f"environment variable ALLOWED_SSH_CIDRS must be comma-separated CIDRs such as 203.0.113.0/24: {error}"
            ) from None
        return cls(topic, environ["METRIC_NAMESPACE"].strip(), allowed)
