"""The detection tier: threat detection, configuration compliance and external-access analysis, routed to people.

What the policy pack refuses at preview time and the compliance auditor re-checks every hour, AWS's own
detective services watch continuously, for the whole account:

- GuardDuty (findings published every 15 minutes, with the protection plans this stack's resources need: S3 data
  events, EBS malware scans, RDS login activity, Lambda network activity);
- Security Hub with the AWS Foundational Security Best Practices and CIS AWS Foundations standards;
- IAM Access Analyzer for the account (anything shared outside it);
- AWS Config recording every resource type (global ones here, in us-east-1), delivering to a KMS-encrypted,
  access-logged bucket prefix, with managed rules that mirror the policy pack at run time (MANAGED_RULES).

Those four are one per account and region, so they are built only when the stack owns the account baseline
(`manageAccountBaseline`). The Config rules and the routing are this stack's own and always built: with the
switch off they run on the organization's recorder. EventBridge rules send what needs a person (GuardDuty
severity 7+, failed CRITICAL/HIGH Security Hub findings, this stack's Config rules turning NON_COMPLIANT, active
Access Analyzer findings) to the alert topic, each rewritten into a readable one-line message with a console link;
an alarm on each route's failed deliveries makes sure a finding EventBridge could not deliver is not lost in silence.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.alarms import metric_alarm

# GuardDuty sends updates of an existing finding at this interval (new findings go out within 5 minutes anyway).
FINDING_PUBLISHING_FREQUENCY = "FIFTEEN_MINUTES"
# The protection plans that watch what this stack runs: its buckets, its instances' volumes, its PostgreSQL
# database and its Lambda function (API_DetectorFeatureConfiguration names). EKS and runtime monitoring are left
# to their defaults: nothing here runs them.
GUARDDUTY_FEATURES = ("S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS")
# GuardDuty's own scale: 7.0-8.9 High, 9.0-10.0 Critical.
GUARDDUTY_MIN_SEVERITY = 7
SECURITY_HUB_SEVERITIES = ("CRITICAL", "HIGH")


def security_hub_standards(region: str) -> dict[str, str]:
    """The standards subscribed to, by short name (ARNs as the provider's StandardsSubscription docs list them)."""
    return {
        "fsbp": f"arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0",
        "cis": f"arn:aws:securityhub:{region}::standards/cis-aws-foundations-benchmark/v/3.0.0",
    }


@dataclass(frozen=True)
class ManagedRule:
    """An AWS Config managed rule and the policy-pack policy it re-checks at run time."""

    slug: str
    identifier: str
    mirrors: str | None
    """The pack policy it re-checks; None for an account-wide setting no program resource shows."""
    parameters: Mapping[str, str] = field(default_factory=dict)
    resource_types: tuple[str, ...] = ()


# AWS Config managed rules (identifiers from the AWS Config Developer Guide's managed-rule list), each mirroring a
# policy of the pack: the pack refuses the insecure change at preview, the rule finds it made any other way.
# REQUIRED_TAGS gets our tag values at construction.
MANAGED_RULES: tuple[ManagedRule, ...] = (
    ManagedRule("restricted-ssh", "INCOMING_SSH_DISABLED", "security-group-admin-ports-restricted"),
    # Common database/admin ports that must never be open to 0.0.0.0/0.
    ManagedRule(
        "restricted-common-ports",
        "RESTRICTED_INCOMING_TRAFFIC",
        "security-group-world-ingress-restricted",
        {
            "blockedPort1": "20",
            "blockedPort2": "21",
            "blockedPort3": "3389",
            "blockedPort4": "3306",
            "blockedPort5": "5432",
        },
    ),
    ManagedRule(
        "vpc-default-security-group-closed", "VPC_DEFAULT_SECURITY_GROUP_CLOSED", "default-security-group-closed"
    ),
    ManagedRule(
        "s3-bucket-public-read-prohibited", "S3_BUCKET_PUBLIC_READ_PROHIBITED", "s3-bucket-public-access-blocked"
    ),
    ManagedRule(
        "s3-bucket-public-write-prohibited", "S3_BUCKET_PUBLIC_WRITE_PROHIBITED", "s3-bucket-public-access-blocked"
    ),
    ManagedRule("s3-bucket-ssl-requests-only", "S3_BUCKET_SSL_REQUESTS_ONLY", "s3-bucket-denies-insecure-transport"),
    ManagedRule("cloudtrail-enabled", "CLOUD_TRAIL_ENABLED", "cloudtrail-multi-region-management-events"),
    ManagedRule(
        "multi-region-cloudtrail-enabled",
        "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        "cloudtrail-multi-region-management-events",
    ),
    ManagedRule(
        "cloudtrail-log-file-validation-enabled",
        "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
        "cloudtrail-log-file-validation",
    ),
    ManagedRule("cloudtrail-encryption-enabled", "CLOUD_TRAIL_ENCRYPTION_ENABLED", "cloudtrail-encrypted-with-cmk"),
    ManagedRule("rds-storage-encrypted", "RDS_STORAGE_ENCRYPTED", "rds-storage-encrypted-with-cmk"),
    ManagedRule("rds-multi-az-support", "RDS_MULTI_AZ_SUPPORT", "rds-multi-az"),
    ManagedRule("rds-instance-public-access-check", "RDS_INSTANCE_PUBLIC_ACCESS_CHECK", "rds-not-publicly-accessible"),
    ManagedRule(
        "db-instance-backup-enabled",
        "DB_INSTANCE_BACKUP_ENABLED",
        "rds-backup-retention",
        {"backupRetentionMinimum": "7"},
    ),
    ManagedRule("cmk-backing-key-rotation-enabled", "CMK_BACKING_KEY_ROTATION_ENABLED", "kms-key-rotation-enabled"),
    ManagedRule("vpc-flow-logs-enabled", "VPC_FLOW_LOGS_ENABLED", "vpc-flow-logs-enabled"),
    ManagedRule("encrypted-volumes", "ENCRYPTED_VOLUMES", "ebs-encrypted-with-cmk"),
    ManagedRule("ec2-ebs-encryption-by-default", "EC2_EBS_ENCRYPTION_BY_DEFAULT", "ebs-encrypted-with-cmk"),
    ManagedRule("ec2-imdsv2-check", "EC2_IMDSV2_CHECK", "imdsv2-required"),
    ManagedRule(
        "alb-http-to-https-redirection-check",
        "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK",
        "alb-http-listener-redirects-to-https",
    ),
    ManagedRule("cloudwatch-log-group-encrypted", "CLOUDWATCH_LOG_GROUP_ENCRYPTED", "log-group-encrypted-with-cmk"),
    ManagedRule("alb-waf-enabled", "ALB_WAF_ENABLED", "waf-protects-internet-facing-alb"),
    ManagedRule("wafv2-logging-enabled", "WAFV2_LOGGING_ENABLED", "waf-web-acl-logging"),
    # The types this stack creates that the rule supports. Scoped by type, not by tag: a resource that lost its tags
    # must still be found (other owners' resources of these types are judged too, and reported).
    ManagedRule(
        "required-tags",
        "REQUIRED_TAGS",
        "required-tags",
        resource_types=(
            "AWS::EC2::Instance",
            "AWS::EC2::Volume",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::VPC",
            "AWS::EC2::Subnet",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::RDS::DBInstance",
            "AWS::S3::Bucket",
        ),
    ),
)
# The rules that check account-wide settings only the baseline sets: with another owner they are that owner's.
BASELINE_RULES = (
    ManagedRule(
        "iam-password-policy",
        "IAM_PASSWORD_POLICY",
        None,
        {
            "RequireUppercaseCharacters": "true",
            "RequireLowercaseCharacters": "true",
            "RequireSymbols": "true",
            "RequireNumbers": "true",
            "MinimumPasswordLength": "14",
            "PasswordReusePrevention": "24",
            "MaxPasswordAge": "90",
        },
    ),
    ManagedRule("s3-account-level-public-access-blocks", "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", None),
    ManagedRule("guardduty-enabled-centralized", "GUARDDUTY_ENABLED_CENTRALIZED", "guardduty-detector-enabled"),
)
MAX_REQUIRED_TAGS = 6  # REQUIRED_TAGS takes tag1Key..tag6Key


@dataclass(kw_only=True)
class DetectionArgs:
    """What the detection tier needs from the rest of the stack."""

    name_prefix: str
    """`<project>-<stack>`: names the recorder, the Config rules and the routing rules (the alert topic's policy
    admits EventBridge rules named `<name_prefix>-findings-*`)."""
    manage_account_singletons: bool
    """Build GuardDuty, Security Hub, Access Analyzer and the Config recorder (one per account and region)."""
    kms_key_arn: pulumi.Input[str]
    """Encrypts what Config delivers to the bucket."""
    alert_topic_arn: pulumi.Input[str]
    config_bucket_name: pulumi.Input[str]
    """The KMS-encrypted, access-logged bucket Config delivers to, whose policy admits Config under the prefix."""
    config_key_prefix: str
    config_bucket_policy: pulumi.Resource | None
    """Config checks its bucket access when the delivery channel is created: the policy must exist first."""
    required_tags: Mapping[str, str]
    """The tags (and values) every resource of the stack carries; REQUIRED_TAGS checks them."""
    region: str
    is_production: bool
    """Protects the detector, the Security Hub account and the analyzer (their findings) in production."""


def validate_detection_args(args: DetectionArgs) -> None:
    """Refuses args AWS would reject at deploy time. Exported for testing."""
    if not 1 <= len(args.required_tags) <= MAX_REQUIRED_TAGS:
        count = len(args.required_tags)
        raise ValueError(f"Detection: REQUIRED_TAGS checks 1 to {MAX_REQUIRED_TAGS} tags, got {count}")
    if args.manage_account_singletons and args.config_bucket_policy is None:
        raise ValueError("Detection: the Config delivery channel needs the bucket policy that admits Config")
    if args.config_key_prefix.startswith("/") or args.config_key_prefix.endswith("/"):
        raise ValueError("Detection: config_key_prefix is a bare prefix such as 'config' (no leading/trailing '/')")


def finding_rule_prefix(name_prefix: str) -> str:
    """The name every finding-routing EventBridge rule starts with (the alert topic's policy admits only these)."""
    return f"{name_prefix}-findings-"


class Detection(pulumi.ComponentResource):
    """GuardDuty, Security Hub, Access Analyzer and AWS Config (when the stack owns the account baseline), Config
    managed rules mirroring the policy pack, and EventBridge routing of findings to the alert topic."""

    detector_id: pulumi.Output[str] | None
    recorder_name: pulumi.Output[str] | None

    def __init__(self, name: str, args: DetectionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_detection_args(args)  # before registering anything
        super().__init__("secure-aws:detection:Detection", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)
        # Findings are evidence: production never deletes them with a stray `pulumi destroy`.
        self._kept = pulumi.ResourceOptions(parent=self, protect=args.is_production)

        self.detector_id = None
        self.recorder_name = None
        recorder_ready: list[pulumi.Resource] = []
        if args.manage_account_singletons:
            self.detector_id = self._create_guardduty().id
            recorder, recorder_status = self._create_config_recorder()
            self.recorder_name = recorder.name
            recorder_ready = [recorder, recorder_status]
            # Security Hub's FSBP and CIS controls are Config rules: Config must record first.
            self._create_security_hub(depends_on=recorder_ready)
            self._create_access_analyzer()
        self._create_config_rules(recorder_ready)
        self._create_finding_routes()

        self.register_outputs({"detector_id": self.detector_id, "recorder_name": self.recorder_name})

    # Section: account singletons ------------------------------------------------------------------------------

    def _create_guardduty(self) -> aws.guardduty.Detector:
        detector = aws.guardduty.Detector(
            f"{self._name}-guardduty",
            enable=True,
            finding_publishing_frequency=FINDING_PUBLISHING_FREQUENCY,
            opts=self._kept,
        )
        for feature in GUARDDUTY_FEATURES:
            aws.guardduty.DetectorFeature(
                f"{self._name}-guardduty-{feature.lower().replace('_', '-')}",
                detector_id=detector.id,
                name=feature,
                status="ENABLED",
                opts=self._child,
            )
        return detector

    def _create_security_hub(self, depends_on: Sequence[pulumi.Resource]) -> None:
        hub = aws.securityhub.Account(
            f"{self._name}-security-hub",
            # The two standards below, explicitly; the defaults include the superseded CIS v1.2.0.
            enable_default_standards=False,
            # One finding per control across standards, not one per standard (no duplicate mails).
            control_finding_generator="SECURITY_CONTROL",
            auto_enable_controls=True,
            opts=pulumi.ResourceOptions(parent=self, protect=self._args.is_production, depends_on=list(depends_on)),
        )
        for short_name, arn in security_hub_standards(self._args.region).items():
            aws.securityhub.StandardsSubscription(
                f"{self._name}-security-hub-{short_name}",
                standards_arn=arn,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[hub]),
            )

    def _create_access_analyzer(self) -> None:
        aws.accessanalyzer.Analyzer(
            f"{self._name}-access-analyzer",
            analyzer_name=f"{self._args.name_prefix}-account",
            type="ACCOUNT",
            opts=self._kept,
        )

    def _create_config_recorder(self) -> tuple[aws.cfg.Recorder, aws.cfg.RecorderStatus]:
        args = self._args
        # Config's service-linked role (AWS's recommended recorder role): its permissions follow every resource type
        # Config learns to record, which an inline policy written today would not.
        role = aws.iam.ServiceLinkedRole(
            f"{self._name}-config-role",
            aws_service_name="config.amazonaws.com",
            description="AWS Config records this account's resource configurations",
            opts=self._child,
        )
        recorder = aws.cfg.Recorder(
            f"{self._name}-config-recorder",
            name=args.name_prefix,
            role_arn=role.arn,
            recording_group=aws.cfg.RecorderRecordingGroupArgs(
                all_supported=True,
                # IAM users, roles, policies are global: record them once, here in the stack's home region.
                include_global_resource_types=True,
            ),
            opts=self._child,
        )
        channel = aws.cfg.DeliveryChannel(
            f"{self._name}-config-delivery",
            name=args.name_prefix,
            s3_bucket_name=args.config_bucket_name,
            s3_key_prefix=args.config_key_prefix,
            s3_kms_key_arn=args.kms_key_arn,
            snapshot_delivery_properties=aws.cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs(
                delivery_frequency="TwentyFour_Hours"
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[recorder, args.config_bucket_policy]),
        )
        status = aws.cfg.RecorderStatus(
            f"{self._name}-config-recorder-status",
            name=recorder.name,
            is_enabled=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[channel]),
        )
        return recorder, status

    # Section: Config rules -------------------------------------------------------------------------------------

    def _create_config_rules(self, recorder_ready: Sequence[pulumi.Resource]) -> None:
        rules = list(MANAGED_RULES) + (list(BASELINE_RULES) if self._args.manage_account_singletons else [])
        for rule in rules:
            parameters = dict(rule.parameters)
            if rule.identifier == "REQUIRED_TAGS":
                parameters = required_tags_parameters(self._args.required_tags)
            aws.cfg.Rule(
                f"{self._name}-rule-{rule.slug}",
                name=f"{self._args.name_prefix}-{rule.slug}",
                description=_rule_description(rule),
                source=aws.cfg.RuleSourceArgs(owner="AWS", source_identifier=rule.identifier),
                input_parameters=json.dumps(parameters, sort_keys=True) if parameters else None,
                scope=aws.cfg.RuleScopeArgs(compliance_resource_types=list(rule.resource_types))
                if rule.resource_types
                else None,
                opts=pulumi.ResourceOptions(parent=self, depends_on=list(recorder_ready) or None),
            )

    # Section: routing to people --------------------------------------------------------------------------------

    def _create_finding_routes(self) -> None:
        for route in finding_routes(self._args.name_prefix, self._args.region):
            rule = aws.cloudwatch.EventRule(
                f"{self._name}-route-{route.slug}",
                name=f"{finding_rule_prefix(self._args.name_prefix)}{route.slug}",
                description=route.description,
                event_pattern=json.dumps(route.pattern, sort_keys=True),
                opts=self._child,
            )
            aws.cloudwatch.EventTarget(
                f"{self._name}-route-{route.slug}-to-alerts",
                rule=rule.name,
                arn=self._args.alert_topic_arn,
                input_transformer=aws.cloudwatch.EventTargetInputTransformerArgs(
                    input_paths=dict(route.input_paths),
                    input_template=json.dumps(route.message),
                ),
                opts=self._child,
            )
            # A finding EventBridge could not deliver (a key or topic policy that no longer admits it) must not
            # pass in silence: CloudWatch alarms reach the topic by their own grant, not EventBridge's.
            metric_alarm(
                self,
                f"{self._name}-route-{route.slug}-failed",
                description=f"EventBridge could not deliver {route.description.lower()} to the alert topic: check "
                "the topic's and the key's policies, and the GuardDuty/Security Hub/Config consoles for what was lost",
                namespace="AWS/Events",
                metric_name="FailedInvocations",
                dimensions={"RuleName": rule.name},
                statistic="Sum",
                comparison_operator="GreaterThanThreshold",
                threshold=0,
                period=300,
                evaluation_periods=1,
                # No datapoint: nothing failed (or nothing matched).
                treat_missing_data="notBreaching",
                topic_arn=self._args.alert_topic_arn,
            )


def _rule_description(rule: ManagedRule) -> str:
    if rule.mirrors:
        return f"AWS managed rule {rule.identifier}: re-checks the policy pack's {rule.mirrors} at run time"
    return f"AWS managed rule {rule.identifier}: checks the account baseline this stack sets"


def required_tags_parameters(tags: Mapping[str, str]) -> dict[str, str]:
    """REQUIRED_TAGS' parameters: tag1Key/tag1Value ... in a stable order. Exported for testing."""
    parameters: dict[str, str] = {}
    for index, (key, value) in enumerate(sorted(tags.items()), start=1):
        parameters[f"tag{index}Key"] = key
        parameters[f"tag{index}Value"] = value
    return parameters


@dataclass(frozen=True)
class FindingRoute:
    """One EventBridge rule to the alert topic: what it matches, and the message a person reads."""

    slug: str
    description: str
    pattern: Mapping[str, object]
    input_paths: Mapping[str, str]
    message: str
    """An input template string; `<name>` placeholders are filled from input_paths."""


def finding_routes(name_prefix: str, region: str) -> tuple[FindingRoute, ...]:
    """The four routes. Exported for testing (the patterns are the contract with the services' event shapes)."""
    console = f"https://{region}.console.aws.amazon.com"
    return (
        FindingRoute(
            "guardduty",
            f"GuardDuty findings of severity {GUARDDUTY_MIN_SEVERITY} (High) and above",
            {
                "source": ["aws.guardduty"],
                "detail-type": ["GuardDuty Finding"],
                "detail": {"severity": [{"numeric": [">=", GUARDDUTY_MIN_SEVERITY]}]},
            },
            {
                "title": "$.detail.title",
                "type": "$.detail.type",
                "severity": "$.detail.severity",
                "resource": "$.detail.resource.resourceType",
                "account": "$.detail.accountId",
                "id": "$.detail.id",
            },
            "GuardDuty finding, severity <severity>: <title> (<type>) on a <resource> resource in account "
            f"<account>. Console: {console}/guardduty/home?region={region}#/findings?macros=current&fId=<id>",
        ),
        FindingRoute(
            "security-hub",
            "Security Hub control findings that failed with CRITICAL or HIGH severity",
            {
                "source": ["aws.securityhub"],
                "detail-type": ["Security Hub Findings - Imported"],
                "detail": {
                    "findings": {
                        "Severity": {"Label": list(SECURITY_HUB_SEVERITIES)},
                        "Compliance": {"Status": ["FAILED"]},
                        "RecordState": ["ACTIVE"],
                        "Workflow": {"Status": ["NEW"]},
                    }
                },
            },
            {
                "title": "$.detail.findings[0].Title",
                "severity": "$.detail.findings[0].Severity.Label",
                "resource": "$.detail.findings[0].Resources[0].Id",
                "account": "$.detail.findings[0].AwsAccountId",
                "control": "$.detail.findings[0].Compliance.SecurityControlId",
            },
            "Security Hub <severity>: control <control> failed: <title>. Resource <resource> in account <account>. "
            f"Console: {console}/securityhub/home?region={region}#/controls/<control>",
        ),
        FindingRoute(
            "config",
            "This stack's AWS Config rules turning NON_COMPLIANT",
            {
                "source": ["aws.config"],
                "detail-type": ["Config Rules Compliance Change"],
                "detail": {
                    "messageType": ["ComplianceChangeNotification"],
                    "configRuleName": [{"prefix": f"{name_prefix}-"}],
                    "newEvaluationResult": {"complianceType": ["NON_COMPLIANT"]},
                },
            },
            {
                "rule": "$.detail.configRuleName",
                "type": "$.detail.resourceType",
                "resource": "$.detail.resourceId",
                "account": "$.detail.awsAccountId",
            },
            "AWS Config: <type> <resource> in account <account> is NON_COMPLIANT with rule <rule>. "
            f"Console: {console}/config/home?region={region}#/rules/details?configRuleName=<rule>",
        ),
        FindingRoute(
            "access-analyzer",
            "IAM Access Analyzer findings that are active (access from outside the account)",
            {
                "source": ["aws.access-analyzer"],
                "detail-type": ["Access Analyzer Finding"],
                "detail": {"status": ["ACTIVE"]},
            },
            {
                "type": "$.detail.resourceType",
                "resource": "$.detail.resource",
                "public": "$.detail.isPublic",
                "account": "$.detail.accountId",
            },
            "IAM Access Analyzer: <type> <resource> in account <account> is reachable from outside it "
            f"(public: <public>). Console: {console}/access-analyzer/home?region={region}#/findings",
        ),
    )
