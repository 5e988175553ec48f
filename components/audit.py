"""Audit and alerting tier: CloudTrail everywhere, CIS alarms on it, and an encrypted alert topic.

One multi-region trail records every management event of the account (global services included) with log
file validation, KMS-encrypted, into the CloudTrail bucket and into a KMS-encrypted CloudWatch log group. On
that log group, one metric filter and one alarm per CIS AWS Foundations monitoring recommendation
(components/cis_alarms.py) notify an SNS topic, encrypted with our key, that only CloudWatch alarms and
EventBridge rules of this account may publish to, and that mails `alertEmail`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.alarms import metric_alarm
from components.cis_alarms import CIS_MONITORING_CONTROLS, METRIC_NAMESPACE, CisMonitoringControl
from components.policy_documents import condition
from components.roles import role_policy, service_role

# CloudWatch evaluates each CIS metric over 5 minutes; one matching event is one too many.
ALARM_PERIOD_SECONDS = 300
ALARM_THRESHOLD = 1


@dataclass(kw_only=True)
class AuditArgs:
    """What the audit tier needs from the rest of the stack."""

    kms_key_arn: pulumi.Input[str]
    """The customer-managed key for the trail's log files, its log group and the alert topic."""
    trail_name: str
    """The trail's name; the key policy and the trail bucket's policy name it before it exists."""
    trail_bucket_name: pulumi.Input[str]
    trail_bucket_policy: pulumi.Resource
    """The policy that lets CloudTrail write to the bucket: CloudTrail checks it when the trail is created."""
    alert_email: str
    """Where security alarms are mailed (the subscription must be confirmed from that mailbox)."""
    log_retention_days: int
    region: str
    is_production: bool
    """Production protects the trail and its log group from deletion."""
    event_rule_name_prefix: str = ""
    """Only EventBridge rules whose names start with this may publish to the alert topic (the detection tier's
    finding routes); empty admits every rule of the account."""


class Audit(pulumi.ComponentResource):
    """The CloudTrail trail, its CloudWatch log group, the CIS metric filters and alarms, and the alert topic."""

    alert_topic_arn: pulumi.Output[str]
    trail_arn: pulumi.Output[str]
    trail_log_group_name: pulumi.Output[str]

    def __init__(self, name: str, args: AuditArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not args.trail_name:  # before registering anything
            raise ValueError("trail_name is required: the key and bucket policies name the trail")
        super().__init__("secure-aws:audit:Audit", name, None, opts)
        self._name = name
        self._args = args
        self._account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        self._topic = self._create_alert_topic()
        self._log_group = self._create_trail_log_group()
        self._trail = self._create_trail()
        self._create_cis_alarms()

        self.alert_topic_arn = self._topic.arn
        self.trail_arn = self._trail.arn
        self.trail_log_group_name = self._log_group.name
        self.register_outputs(
            {
                "alertTopicArn": self.alert_topic_arn,
                "trailArn": self.trail_arn,
                "trailLogGroupName": self.trail_log_group_name,
            }
        )

    # Alert topic --------------------------------------------------------------------------------------------

    def _create_alert_topic(self) -> aws.sns.Topic:
        child = pulumi.ResourceOptions(parent=self)
        topic = aws.sns.Topic(f"{self._name}-alerts", kms_master_key_id=self._args.kms_key_arn, opts=child)
        region, account = self._args.region, self._account_id
        publishers = [
            # Alarms and rules of this account only (aws:SourceAccount, and their ARNs), so no other account's
            # alarm or rule can use this topic (confused-deputy protection).
            (
                "CloudWatchAlarmsPublish",
                "cloudwatch.amazonaws.com",
                pulumi.Output.concat("arn:aws:cloudwatch:", region, ":", account, ":alarm:*"),
            ),
            (
                "EventBridgeRulesPublish",
                "events.amazonaws.com",
                pulumi.Output.concat(
                    "arn:aws:events:", region, ":", account, ":rule/", self._args.event_rule_name_prefix, "*"
                ),
            ),
        ]
        statements = [
            aws.iam.GetPolicyDocumentStatementArgs(
                sid=sid,
                effect="Allow",
                principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=[service])],
                actions=["sns:Publish"],
                resources=[topic.arn],
                conditions=[
                    condition("StringEquals", "aws:SourceAccount", account),
                    condition("ArnLike", "aws:SourceArn", source_arn),
                ],
            )
            for sid, service, source_arn in publishers
        ]
        statements.append(
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="DenyInsecureTransport",
                effect="Deny",
                principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="*", identifiers=["*"])],
                actions=["sns:Publish"],
                resources=[topic.arn],
                conditions=[condition("Bool", "aws:SecureTransport", "false")],
            )
        )
        document = aws.iam.get_policy_document_output(
            statements=statements, opts=pulumi.InvokeOutputOptions(parent=self)
        )
        aws.sns.TopicPolicy(f"{self._name}-alerts-policy", arn=topic.arn, policy=document.json, opts=child)
        aws.sns.TopicSubscription(
            f"{self._name}-alerts-email",
            topic=topic.arn,
            protocol="email",
            endpoint=self._args.alert_email,
            opts=child,
        )
        return topic

    # Trail ----------------------------------------------------------------------------------------------------

    def _create_trail_log_group(self) -> aws.cloudwatch.LogGroup:
        # The audit record of the account: never deleted by accident in production.
        return aws.cloudwatch.LogGroup(
            f"{self._name}-trail-logs",
            name=f"/aws/cloudtrail/{self._args.trail_name}",
            kms_key_id=self._args.kms_key_arn,
            retention_in_days=self._args.log_retention_days,
            deletion_protection_enabled=self._args.is_production,
            opts=pulumi.ResourceOptions(parent=self, protect=self._args.is_production),
        )

    def _create_trail(self) -> aws.cloudtrail.Trail:
        args = self._args
        # The trust policy AWS documents for this role: CloudTrail, without aws:SourceArn/aws:SourceAccount.
        # CloudTrail User Guide, "Role policy document for CloudTrail to use CloudWatch Logs for monitoring"
        # (cloudtrail-required-policy-for-cloudwatch-logs.html): "Confused deputy prevention is not applicable
        # to the role policy for CloudWatch Logs monitoring. The role policy doesn't support the use of
        # aws:SourceArn and aws:SourceAccount." CloudTrail's delivery does not send them, so a condition on
        # them makes CreateTrail fail with InvalidCloudWatchLogsRoleArnException ("Check the trust relationships
        # for your role"). The role's only permission, on this one log group's streams, is the real limit.
        role = service_role(
            self,
            f"{self._name}-trail-logs-role",
            service="cloudtrail.amazonaws.com",
            description=f"Lets CloudTrail trail {args.trail_name} write to its CloudWatch log group",
        )
        # Only the two calls CloudTrail makes, only on this log group's streams.
        policy = role_policy(
            self,
            f"{self._name}-trail-logs-policy",
            role,
            [
                aws.iam.GetPolicyDocumentStatementArgs(
                    sid="WriteTrailLogStreams",
                    effect="Allow",
                    actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources=[pulumi.Output.concat(self._log_group.arn, ":log-stream:*")],
                )
            ],
        )
        return aws.cloudtrail.Trail(
            f"{self._name}-trail",
            name=args.trail_name,
            s3_bucket_name=args.trail_bucket_name,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            kms_key_id=args.kms_key_arn,
            # CloudTrail wants the log group ARN with the log-stream wildcard.
            cloud_watch_logs_group_arn=pulumi.Output.concat(self._log_group.arn, ":*"),
            cloud_watch_logs_role_arn=role.arn,
            # Read and write management events (FSBP CloudTrail.1), which the CIS filters look at.
            event_selectors=[
                aws.cloudtrail.TrailEventSelectorArgs(read_write_type="All", include_management_events=True)
            ],
            # CloudTrail validates bucket access and the role's permissions when the trail is created.
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[args.trail_bucket_policy, policy],
                protect=args.is_production,
            ),
        )

    # CIS alarms -----------------------------------------------------------------------------------------------

    def _create_cis_alarms(self) -> None:
        for control in CIS_MONITORING_CONTROLS:
            self._create_cis_alarm(control)

    def _create_cis_alarm(self, control: CisMonitoringControl) -> None:
        metric_filter = aws.cloudwatch.LogMetricFilter(
            f"{self._name}-cis-{control.slug}-filter",
            name=control.metric_name,
            log_group_name=self._log_group.name,
            pattern=control.pattern,
            metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
                name=control.metric_name, namespace=METRIC_NAMESPACE, value="1"
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        control_ids = f"CIS {control.cis_id}" + (f", {control.security_hub_id}" if control.security_hub_id else "")
        metric_alarm(
            self,
            f"{self._name}-cis-{control.slug}-alarm",
            alarm_name=f"{self._args.trail_name}-cis-{control.slug}-{control.metric_name}",
            description=f"{control.title} ({control_ids}): see the CloudTrail log group for the events.",
            namespace=METRIC_NAMESPACE,
            metric_name=control.metric_name,
            statistic="Sum",
            period=ALARM_PERIOD_SECONDS,
            evaluation_periods=1,
            threshold=ALARM_THRESHOLD,
            comparison_operator="GreaterThanOrEqualToThreshold",
            # No matching event means no data point: that is the healthy state, not an unknown one.
            treat_missing_data="notBreaching",
            topic_arn=self._topic.arn,
            depends_on=[metric_filter],
        )
