"""Compliance auditor: catches drift at run time that the policy pack cannot see at preview time.

Each run checks the account in the function's region (security groups, S3 buckets, CloudTrail, RDS instances,
KMS keys), returns `{"findings": [...], "checked": {rule: count}}`, publishes one SNS message when there are
findings (most severe first) and puts the `ComplianceFindings` metric every run. A check that fails (an AWS
error, an answer it did not expect) becomes an `audit-error` finding and the other checks still run; a metric
that cannot be put becomes one too, and the findings are still mailed.

Configuration (environment variables): FINDINGS_TOPIC_ARN, METRIC_NAMESPACE, ALLOWED_SSH_CIDRS.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from auditor import cloudtrail, kms_keys, rds_instances, s3_buckets, security_groups
from auditor.alerts import metric_failed, publish_findings, put_findings_metric
from auditor.config import AuditConfig, ConfigurationError
from auditor.findings import CheckResult, Finding, check_failed
from auditor.logs import get_logger, log

# Throttling is retried with backoff before it can become an audit-error finding.
_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=20)


@dataclass(frozen=True)
class Clients:
    ec2: Any
    s3: Any
    cloudtrail: Any
    rds: Any
    kms: Any
    sns: Any
    cloudwatch: Any

    @property
    def region(self) -> str:
        return self.ec2.meta.region_name

    @classmethod
    def create(cls) -> Clients:
        """Clients in the function's own region (AWS_REGION in Lambda)."""
        names = ("ec2", "s3", "cloudtrail", "rds", "kms", "sns", "cloudwatch")
        return cls(*(boto3.client(name, config=_CLIENT_CONFIG) for name in names))


Check = Callable[[Clients, AuditConfig], CheckResult]

# The check areas in run order: (name used in audit-error findings, how to run it).
CHECKS: tuple[tuple[str, Check], ...] = (
    (security_groups.CHECK, lambda c, cfg: security_groups.check_security_groups(c.ec2, cfg.allowed_ssh_cidrs)),
    (s3_buckets.CHECK, lambda c, cfg: s3_buckets.check_s3_buckets(c.s3, c.region)),
    (cloudtrail.CHECK, lambda c, cfg: cloudtrail.check_cloudtrail(c.cloudtrail, c.region)),
    (rds_instances.CHECK, lambda c, cfg: rds_instances.check_rds_instances(c.rds)),
    (kms_keys.CHECK, lambda c, cfg: kms_keys.check_kms_keys(c.kms)),
)


def run_checks(clients: Clients, config: AuditConfig, logger: logging.Logger) -> CheckResult:
    """Runs every check. Any failure in one (an AWS error, an answer it did not expect) is recorded as an
    audit-error finding and the next one runs: one broken check never costs the others' findings or the mail."""
    report = CheckResult()
    for name, check in CHECKS:
        try:
            result = check(clients, config)
        except Exception as error:  # any failure: isolating it is the point, it becomes a finding
            failure = check_failed(name, error)
            report.findings.append(failure)
            log(logger, logging.ERROR, "check failed", check=name, exception=error, **failure)
            continue
        report.findings.extend(result.findings)
        report.checked.update(result.checked)
        log(logger, logging.INFO, "check finished", check=name, findings=len(result.findings), checked=result.checked)
    return report


def _put_metric(clients: Clients, config: AuditConfig, count: int, logger: logging.Logger) -> Finding | None:
    """Puts the ComplianceFindings metric; a failure is returned as an audit-error finding, never raised, so the
    findings are still mailed."""
    try:
        put_findings_metric(clients.cloudwatch, config.metric_namespace, count)
    except Exception as error:  # any failure: the mail must still go out
        failure = metric_failed(config.metric_namespace, error)
        log(logger, logging.ERROR, "metric not put", exception=error, **failure)
        return failure
    return None


def _account_id(context: Any) -> str | None:
    """The account from the invoked function's ARN (arn:aws:lambda:region:account:function:name), if any."""
    arn = getattr(context, "invoked_function_arn", "") or ""
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 and parts[4] else None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    logger = get_logger(os.environ.get("LOG_LEVEL", "INFO"))
    try:
        config = AuditConfig.from_environment(os.environ)
    except ConfigurationError as error:
        log(logger, logging.ERROR, "configuration error", error=str(error))
        raise
    clients = Clients.create()
    account = _account_id(context)
    log(
        logger,
        logging.INFO,
        "audit started",
        region=clients.region,
        account=account,
        request_id=getattr(context, "aws_request_id", None),
        trigger=(event or {}).get("source"),
    )

    report = run_checks(clients, config, logger)
    findings: list[Finding] = report.findings
    for finding in findings:
        log(logger, logging.WARNING, "finding", **finding)

    metric_failure = _put_metric(clients, config, len(findings), logger)
    if metric_failure:
        # The mail says so: the metric's alarm gets no data point from this run.
        findings.append(metric_failure)
    if findings:
        message_id = publish_findings(
            clients.sns, config.findings_topic_arn, findings, report.checked, clients.region, account
        )
        log(logger, logging.INFO, "findings published", message_id=message_id, topic=config.findings_topic_arn)
    log(logger, logging.INFO, "audit finished", findings=len(findings), checked=report.checked)
    return {"findings": findings, "checked": report.checked}
