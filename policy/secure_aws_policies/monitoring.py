"""Logging and monitoring: flow logs, CloudTrail, load balancer and S3 access logs, log retention, RDS logs and
enhanced monitoring, alarms that notify someone, and a metric filter plus alarm for every CIS monitoring item.

The CIS rule compares each metric filter's pattern with the pack's own copy of the published patterns (below;
CIS AWS Foundations Benchmark v1.4/v3.0 section 4.1-4.15, as Security Hub's CloudWatch.1-14 remediation and the
terraform-aws-secure-baseline alarm module write them), parsed into a tree of terms so that spacing, quoting and
the order of `||`/`&&` operands do not matter, but every term and the boolean structure do.
"""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import Severity

from . import documents
from .common import (
    CDK_NAG,
    CIS,
    CLOUDTRAIL,
    FSBP,
    LOAD_BALANCERS,
    LOG_GROUP,
    RDS_INSTANCE,
    S3_BUCKETS,
    SECURITY_HUB,
    Deferred,
    as_int,
    falsy,
    has,
    is_set,
    items,
    linked_to,
    peek,
    resource_policy,
    stack_policy,
    truthy,
    value,
)

VPC = "aws:ec2/vpc:Vpc"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
CLASSIC_LOAD_BALANCER = "aws:elb/loadBalancer:LoadBalancer"
PUBLIC_ACCESS_SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")

# Section: CloudTrail ######################################################################################


@resource_policy(
    name="cloudtrail-multi-region-management-events",
    description="CloudTrail trails log in every region, include global service events, record read and write "
    "management events, and are logging.",
    types=[CLOUDTRAIL],
    severity=Severity.HIGH,
    controls=[FSBP("CloudTrail.1")],
    remediation="Set is_multi_region_trail=True, include_global_service_events=True and enable_logging=True, and "
    "either no event selectors or one with include_management_events=True and read_write_type='All'.",
)
def cloudtrail_multi_region_management_events(args: Any, report: Any, config: dict) -> None:
    props = args.props
    if not truthy(value(props, "isMultiRegionTrail", False)):
        report(f"trail {args.name} is not multi-region, so activity in other regions goes unrecorded.")
    if falsy(value(props, "includeGlobalServiceEvents")):
        report(f"trail {args.name} leaves out global service events (IAM, STS, CloudFront).")
    if falsy(value(props, "enableLogging")):
        report(f"trail {args.name} has enableLogging=false: it records nothing.")
    selectors = items(value(props, "eventSelectors", []))
    if selectors and not any(
        not falsy(value(s, "includeManagementEvents")) and value(s, "readWriteType", "All") == "All" for s in selectors
    ):
        report(f"trail {args.name}: no event selector records both read and write management events.")
    advanced = items(value(props, "advancedEventSelectors", []))
    if advanced and not selectors and not any(_advanced_records_management(s) for s in advanced):
        report(f"trail {args.name}: no advanced event selector records all management events.")


def _advanced_records_management(selector: Any) -> bool:
    fields = {str(value(f, "field", "")): f for f in items(value(selector, "fieldSelectors", []))}
    category = fields.get("eventCategory")
    return (category is not None and [str(v) for v in items(value(category, "equals", []))] == ["Management"]
            and "readOnly" not in fields)  # fmt: skip


@resource_policy(
    name="cloudtrail-log-file-validation",
    description="CloudTrail trails write digest files, so a changed or deleted log file can be detected.",
    types=[CLOUDTRAIL],
    severity=Severity.LOW,
    controls=[FSBP("CloudTrail.4"), CDK_NAG("NIST.800.53.R5-CloudTrailLogFileValidationEnabled")],
    remediation="Set enable_log_file_validation=True on the trail.",
)
def cloudtrail_log_file_validation(args: Any, report: Any, config: dict) -> None:
    if not truthy(value(args.props, "enableLogFileValidation", False)):
        report(f"trail {args.name} does not validate its log files: tampering would go unnoticed.")


@resource_policy(
    name="cloudtrail-cloudwatch-logs",
    description="CloudTrail trails deliver to a CloudWatch Logs group (with a role to write it), where the CIS "
    "metric filters and alarms watch them.",
    types=[CLOUDTRAIL],
    severity=Severity.LOW,
    controls=[FSBP("CloudTrail.5"), CDK_NAG("NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled")],
    remediation="Set cloud_watch_logs_group_arn=f'{<log group>.arn}:*' and cloud_watch_logs_role_arn=<a role "
    "CloudTrail may assume that can only CreateLogStream/PutLogEvents on that group>.",
)
def cloudtrail_cloudwatch_logs(args: Any, report: Any, config: dict) -> None:
    for key in ("cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"):
        if not is_set(args.props, key):
            report(f"trail {args.name} sets no {key}, so its events never reach CloudWatch Logs and no alarm can "
                   "fire on them.")  # fmt: skip


def _grants_everyone(doc: Any) -> bool:
    """An Allow for everyone that no condition ties to an account, organization or source."""
    return any(documents.allows(s) and documents.names_everyone(s) and not documents.narrowed(s)
               for s in documents.statements(doc))  # fmt: skip


@stack_policy(
    name="cloudtrail-bucket-protected",
    description="The S3 bucket a trail writes to (when it is in this stack) blocks all public access, grants "
    "nothing to everyone in its bucket policy, and has server access logging.",
    types=[CLOUDTRAIL, *sorted(S3_BUCKETS), BUCKET_PUBLIC_ACCESS_BLOCK, BUCKET_POLICY, BUCKET_LOGGING],
    severity=Severity.CRITICAL,
    controls=[CIS("CloudTrail.6"), CIS("CloudTrail.7")],
    remediation="Give the trail bucket an aws.s3.BucketPublicAccessBlock with all four settings true, a bucket "
    "policy without public Allow statements, and an aws.s3.BucketLogging to the access-log bucket.",
)
def cloudtrail_bucket_protected(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    buckets = {r.urn: r for r in args.resources if r.resource_type in S3_BUCKETS}
    blocks = linked_to(args.resources, BUCKET_PUBLIC_ACCESS_BLOCK, "bucket")
    policies = linked_to(args.resources, BUCKET_POLICY, "bucket")
    loggings = linked_to(args.resources, BUCKET_LOGGING, "bucket")
    for trail in (r for r in args.resources if r.resource_type == CLOUDTRAIL):
        for dependency in trail.property_dependencies.get("s3BucketName", []):
            bucket = buckets.get(dependency.urn)
            if bucket is None:
                continue
            with deferred.guard():
                if not any(all(truthy(value(b.props, k)) for k in PUBLIC_ACCESS_SETTINGS)
                           for b in blocks.get(bucket.urn, [])):  # fmt: skip
                    report(f"bucket {bucket.name} holds trail {trail.name}'s logs but does not block all public "
                           "access (a BucketPublicAccessBlock with all four settings true).", bucket.urn)  # fmt: skip
                for policy in policies.get(bucket.urn, []):
                    if _grants_everyone(documents.document(policy.props, "policy")):
                        report(f"bucket {bucket.name} holds trail {trail.name}'s logs and its policy "
                               f"{policy.name} allows everyone.", bucket.urn)  # fmt: skip
                if not loggings.get(bucket.urn) and not _logs_inline(bucket):
                    report(f"bucket {bucket.name} holds trail {trail.name}'s logs but has no server access "
                           "logging, so reads of the audit trail are not recorded.", bucket.urn)  # fmt: skip
    deferred.finish()


# Section: VPC flow logs ###################################################################################


@stack_policy(
    name="vpc-flow-logs-enabled",
    description="Every VPC has a flow log (linked through its vpcId) that records ALL or at least REJECT traffic.",
    types=[VPC, FLOW_LOG],
    severity=Severity.MEDIUM,
    controls=[FSBP("EC2.6"), CDK_NAG("AwsSolutions-VPC7")],
    remediation="Add an aws.ec2.FlowLog with vpc_id=<vpc>.id, traffic_type='ALL' and a CloudWatch Logs or S3 "
    "destination.",
)
def vpc_flow_logs_enabled(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    flow_logs = linked_to(args.resources, FLOW_LOG, "vpcId")
    for vpc in (r for r in args.resources if r.resource_type == VPC):
        linked = flow_logs.get(vpc.urn, [])
        if not linked:
            report(f"VPC {vpc.name} has no flow log, so rejected and accepted connections leave no trace.", vpc.urn)
            continue
        with deferred.guard():
            kinds = {str(value(f.props, "trafficType", "")).upper() for f in linked}
            if not kinds & {"ALL", "REJECT"}:
                report(f"VPC {vpc.name}: its flow logs record only {', '.join(sorted(kinds))} traffic.", vpc.urn)
    deferred.finish()


# Section: load balancers ##################################################################################


def _balancer_kind(args: Any) -> str:
    if args.resource_type == CLASSIC_LOAD_BALANCER:
        return "classic"
    return str(value(args.props, "loadBalancerType", "application"))


@resource_policy(
    name="lb-access-logging",
    description="Application and classic load balancers write access logs to S3 (FSBP ELB.5 covers those two; "
    "network load balancers log only their TLS listeners and gateway load balancers not at all).",
    types=LOAD_BALANCERS,
    severity=Severity.MEDIUM,
    controls=[FSBP("ELB.5"), CDK_NAG("AwsSolutions-ELB2")],
    remediation="Set access_logs={bucket: <log bucket>, prefix: 'alb', enabled: True}; the bucket must use SSE-S3 "
    "and allow the region's ELB account to PutObject under the prefix.",
)
def lb_access_logging(args: Any, report: Any, config: dict) -> None:
    kind = _balancer_kind(args)
    if kind not in ("application", "classic"):
        args.not_applicable(f"ELB.5 covers application and classic load balancers, not {kind} ones")
    access_logs = value(args.props, "accessLogs")
    # The classic ELB's block is enabled unless it says otherwise; the v2 one only when it says so.
    enabled = truthy(value(access_logs, "enabled", kind == "classic")) if access_logs else False
    if not enabled or not is_set(access_logs, "bucket"):
        report(f"load balancer {args.name} does not write access logs.")


@resource_policy(
    name="alb-drops-invalid-headers",
    description="Application load balancers drop HTTP headers with invalid names instead of passing them on.",
    types=LOAD_BALANCERS - {CLASSIC_LOAD_BALANCER},
    severity=Severity.MEDIUM,
    controls=[FSBP("ELB.4")],
    remediation="Set drop_invalid_header_fields=True on the load balancer.",
)
def alb_drops_invalid_headers(args: Any, report: Any, config: dict) -> None:
    if _balancer_kind(args) != "application":
        args.not_applicable("only application load balancers parse HTTP headers")
    if not truthy(value(args.props, "dropInvalidHeaderFields", False)):
        report(f"load balancer {args.name} forwards HTTP headers with invalid names (request smuggling risk).")


@resource_policy(
    name="lb-desync-mitigation",
    description="Application and classic load balancers use desync mitigation mode defensive (the AWS default) or "
    "strictest, never monitor.",
    types=LOAD_BALANCERS,
    severity=Severity.MEDIUM,
    controls=[FSBP("ELB.12"), FSBP("ELB.14")],
    remediation="Leave desync_mitigation_mode unset or set it to 'defensive' or 'strictest'.",
)
def lb_desync_mitigation(args: Any, report: Any, config: dict) -> None:
    if _balancer_kind(args) not in ("application", "classic"):
        args.not_applicable("only application and classic load balancers have a desync mitigation mode")
    mode = value(args.props, "desyncMitigationMode", "defensive")
    if mode not in ("defensive", "strictest"):
        report(f"load balancer {args.name} uses desync mitigation mode {mode!r}, which lets ambiguous HTTP "
               "requests through.")  # fmt: skip


# Section: S3 server access logs ###########################################################################


@stack_policy(
    name="s3-bucket-access-logging",
    description="Every S3 bucket has server access logging (a BucketLogging linked to it, or the inline form), "
    "except a log bucket: one that receives S3 or load balancer access logs from this stack (its own access logs "
    "would log themselves).",
    types=[*sorted(S3_BUCKETS), BUCKET_LOGGING, *sorted(LOAD_BALANCERS)],
    severity=Severity.MEDIUM,
    controls=[FSBP("S3.9"), CDK_NAG("AwsSolutions-S1")],
    remediation="Add an aws.s3.BucketLogging with bucket=<bucket>.id, target_bucket=<log bucket>.id and a "
    "target_prefix per bucket.",
)
def s3_bucket_access_logging(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    logged = linked_to(args.resources, BUCKET_LOGGING, "bucket")
    log_buckets: set[str] = set()
    for resource in args.resources:
        if resource.resource_type == BUCKET_LOGGING:
            log_buckets.update(d.urn for d in resource.property_dependencies.get("targetBucket", []))
        elif resource.resource_type in LOAD_BALANCERS:
            log_buckets.update(d.urn for d in resource.property_dependencies.get("accessLogs", []))
        elif resource.resource_type in S3_BUCKETS:
            log_buckets.update(d.urn for d in resource.property_dependencies.get("logging", []))
    for bucket in (r for r in args.resources if r.resource_type in S3_BUCKETS):
        if bucket.urn in log_buckets or logged.get(bucket.urn):
            continue
        with deferred.guard():
            if not _logs_inline(bucket):
                report(f"bucket {bucket.name} has no server access logging, so who read or changed its objects is "
                       "not recorded.", bucket.urn)  # fmt: skip
    deferred.finish()


def _logs_inline(bucket: Any) -> bool:
    """The bucket's own `logging` names a target bucket. At AnalyzeStack that is a computed output (the deprecated
    inline form), unknown at a first preview: it raises then, so an unlogged bucket is undecided, not passed."""
    return is_set(value(bucket.props, "logging") or {}, "targetBucket")


# Section: CloudWatch Logs and alarms ######################################################################


@resource_policy(
    name="log-group-retention",
    description="CloudWatch log groups keep their events at least the configured number of days (never-expiring "
    "groups keep them longer and pass).",
    types=[LOG_GROUP],
    severity=Severity.MEDIUM,
    controls=[SECURITY_HUB("CloudWatch.16"), CDK_NAG("NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod")],
    remediation="Set retention_in_days to at least the minimum (365 for production audit and flow logs).",
    config={
        "minRetentionDays": {
            "type": "integer",
            "minimum": 1,
            "default": 365,
            "description": "The fewest days a log group may keep its events.",
        },
    },
)
def log_group_retention(args: Any, report: Any, config: dict) -> None:
    days, minimum = as_int(value(args.props, "retentionInDays")), int(config["minRetentionDays"])
    if days and days < minimum:
        report(f"log group {args.name} keeps events {days} days; at least {minimum} are required.")


@resource_policy(
    name="alarm-has-action",
    description="Every CloudWatch metric alarm notifies or acts: it has alarm actions and they are enabled.",
    types=[METRIC_ALARM],
    severity=Severity.HIGH,
    controls=[
        SECURITY_HUB("CloudWatch.15"),
        SECURITY_HUB("CloudWatch.17"),
        CDK_NAG("NIST.800.53.R5-CloudWatchAlarmAction"),
    ],  # fmt: skip
    remediation="Set alarm_actions=[<SNS topic ARN>] (and leave actions_enabled unset or True).",
)
def alarm_has_action(args: Any, report: Any, config: dict) -> None:
    if not is_set(args.props, "alarmActions"):
        report(f"alarm {args.name} has no alarm action: it changes state and tells no one.")
    if falsy(value(args.props, "actionsEnabled")):
        report(f"alarm {args.name} has actionsEnabled=false, so its actions never run.")


# Section: RDS logs and monitoring #########################################################################

RDS_LOG_EXPORTS = {
    "postgres": ["postgresql", "upgrade"],
    "mysql": ["audit", "error", "general", "slowquery"],
    "mariadb": ["audit", "error", "general", "slowquery"],
}


@resource_policy(
    name="rds-logs-exported",
    description="RDS DB instances publish their engine's logs to CloudWatch Logs (for PostgreSQL: postgresql and "
    "upgrade; engines not configured: at least one log type).",
    types=[RDS_INSTANCE],
    severity=Severity.MEDIUM,
    controls=[FSBP("RDS.9"), FSBP("RDS.36")],
    remediation="Set enabled_cloudwatch_logs_exports to the engine's log types, e.g. ['postgresql', 'upgrade'], "
    "and create the /aws/rds/instance/<id>/<type> log groups with KMS and retention first.",
    config={
        "requiredLogExports": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "default": RDS_LOG_EXPORTS,
            "description": "Engine -> the log types its instances must export.",
        },
    },
)
def rds_logs_exported(args: Any, report: Any, config: dict) -> None:
    if is_set(args.props, "replicateSourceDb"):
        args.not_applicable("a read replica's logs follow its own settings only for some engines")
    engine = str(value(args.props, "engine", ""))
    exported = {str(t) for t in items(value(args.props, "enabledCloudwatchLogsExports", []))}
    required = config["requiredLogExports"].get(engine)
    if required is None:
        if not exported:
            report(f"database {args.name} exports no logs to CloudWatch Logs.")
        return
    missing = [t for t in required if t not in exported]
    if missing:
        report(f"database {args.name} does not export {', '.join(missing)} logs to CloudWatch Logs.")


@resource_policy(
    name="rds-enhanced-monitoring",
    description="RDS DB instances have enhanced monitoring (an interval of at most the configured seconds, and a "
    "monitoring role).",
    types=[RDS_INSTANCE],
    severity=Severity.LOW,
    controls=[FSBP("RDS.6")],
    remediation="Set monitoring_interval=60 (or less) and monitoring_role_arn=<a role trusted by "
    "monitoring.rds.amazonaws.com>.",
    config={
        "maxMonitoringIntervalSeconds": {
            "type": "integer",
            "enum": [1, 5, 10, 15, 30, 60],
            "default": 60,
            "description": "The longest enhanced monitoring interval allowed.",
        },
    },
)
def rds_enhanced_monitoring(args: Any, report: Any, config: dict) -> None:
    interval = as_int(value(args.props, "monitoringInterval"))
    maximum = int(config["maxMonitoringIntervalSeconds"])
    if interval <= 0:
        report(f"database {args.name} has no enhanced monitoring (monitoringInterval is 0).")
    elif interval > maximum:
        report(f"database {args.name} samples OS metrics every {interval} s; at most {maximum} s is allowed.")
    if interval > 0 and not is_set(args.props, "monitoringRoleArn"):
        report(f"database {args.name} has a monitoring interval but no monitoringRoleArn.")


# Section: CIS metric filters and alarms ###################################################################

# CIS v1.4/v3.0 item -> (what it watches, the published pattern(s) that satisfy it).
CIS_PATTERNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "4.1": ("unauthorized API calls", (
        '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
        '{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && '
        '(($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket"))}',
    )),
    "4.2": ("console sign-in without MFA", (
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
        '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    )),
    "4.3": ("root account usage", (
        '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    )),
    "4.4": ("IAM policy changes", (
        "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || "
        "($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || "
        "($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || "
        "($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
        "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || "
        "($.eventName=DetachGroupPolicy)}",
    )),
    "4.5": ("CloudTrail configuration changes", (
        "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
        "($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    )),
    "4.6": ("console authentication failures", (
        '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    )),
    "4.7": ("disabling or scheduled deletion of customer-managed keys", (
        "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
    )),
    "4.8": ("S3 bucket policy changes", (
        "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || "
        "($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || "
        "($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || "
        "($.eventName=DeleteBucketReplication))}",
    )),
    "4.9": ("AWS Config configuration changes", (
        "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || "
        "($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || "
        "($.eventName=PutConfigurationRecorder))}",
    )),
    "4.10": ("security group changes", (
        "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || "
        "($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || "
        "($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
    )),
    "4.11": ("network ACL changes", (
        "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || "
        "($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || "
        "($.eventName=ReplaceNetworkAclAssociation)}",
    )),
    "4.12": ("network gateway changes", (
        "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || "
        "($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || "
        "($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
    )),
    "4.13": ("route table changes", (
        "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || "
        "($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || "
        "($.eventName=DisassociateRouteTable)}",
    )),
    "4.14": ("VPC changes", (
        "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || "
        "($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || "
        "($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || "
        "($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || "
        "($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
    )),
    "4.15": ("AWS Organizations changes", (
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
    )),
}  # fmt: skip

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


def _alarm_acts(alarm: Any) -> bool:
    return is_set(alarm.props, "alarmActions") and not falsy(value(alarm.props, "actionsEnabled"))


@stack_policy(
    name="cis-monitoring-metric-filters",
    description="A stack with a CloudTrail trail delivering to CloudWatch Logs has, on that log group, a metric "
    "filter whose pattern is the published CIS pattern for each monitoring recommendation (4.1-4.15), and each "
    "filter's metric has an alarm with an action. (A stack without such a trail is not judged: the account's "
    "trail and its alarms live elsewhere.)",
    types=[CLOUDTRAIL, METRIC_FILTER, METRIC_ALARM, LOG_GROUP],
    severity=Severity.LOW,
    controls=[*(CIS(f"4.{n}") for n in range(1, 16)), *(SECURITY_HUB(f"CloudWatch.{n}") for n in range(1, 15))],
    remediation="For each missing item add an aws.cloudwatch.LogMetricFilter on the trail's log group with the "
    "published pattern (see the policy pack's monitoring.py) and a metric_transformation {name, namespace, value: "
    "'1'}, and an aws.cloudwatch.MetricAlarm on that metric (Sum >= 1 over 300 s) with alarm_actions=[<SNS topic>].",
    config={
        "recommendations": {
            "type": "array",
            "items": {"type": "string", "enum": list(CIS_PATTERNS)},
            "default": list(CIS_PATTERNS),
            "description": "The CIS monitoring items (4.1-4.15) that must each have a filter and an alarm.",
        },
    },
)
def cis_monitoring_metric_filters(args: Any, report: Any, config: dict) -> None:
    deferred = Deferred()
    trails = [r for r in args.resources if r.resource_type == CLOUDTRAIL and is_set(r.props, "cloudWatchLogsGroupArn")]
    if not trails:
        return
    trail_groups = {d.urn for t in trails for d in t.property_dependencies.get("cloudWatchLogsGroupArn", [])}
    alarms = [r for r in args.resources if r.resource_type == METRIC_ALARM]
    found: dict[str, list[Any]] = {}
    for metric_filter in (r for r in args.resources if r.resource_type == METRIC_FILTER):
        with deferred.guard():
            groups = {d.urn for d in metric_filter.property_dependencies.get("logGroupName", [])}
            if trail_groups and not groups & trail_groups:
                continue  # a filter on some other log group watches something else
            item = cis_item_of(str(value(metric_filter.props, "pattern", "")))
            if item is not None:
                found.setdefault(item, []).append(metric_filter)
    where = trails[0].urn
    for item in config["recommendations"]:
        title = CIS_PATTERNS[item][0]
        filters = found.get(item, [])
        if not filters:
            report(f"no metric filter on the trail's log group has the CIS {item} pattern ({title}): "
                   f"{CIS_PATTERNS[item][1][0]}", where)  # fmt: skip
            continue
        with deferred.guard():
            if not any(_has_acting_alarm(f, alarms) for f in filters):
                names = ", ".join(f.name for f in filters)
                report(f"CIS {item} ({title}): no alarm with an action watches the metric of filter {names}.",
                       filters[0].urn)  # fmt: skip
    deferred.finish()


def _has_acting_alarm(metric_filter: Any, alarms: list[Any]) -> bool:
    # pulumi-aws takes one transformation (an object); a list, as older schemas had, reads the same.
    candidates = items(value(metric_filter.props, "metricTransformation"))
    metrics = {(value(t, "namespace"), value(t, "name")) for t in candidates}
    for alarm in alarms:
        metric = (peek(alarm.props, "namespace"), peek(alarm.props, "metricName"))
        if has(alarm.props, "metricName") and metric in metrics and _alarm_acts(alarm):
            return True
    return False


POLICIES = [
    cloudtrail_multi_region_management_events,
    cloudtrail_log_file_validation,
    cloudtrail_cloudwatch_logs,
    cloudtrail_bucket_protected,
    vpc_flow_logs_enabled,
    lb_access_logging,
    alb_drops_invalid_headers,
    lb_desync_mitigation,
    s3_bucket_access_logging,
    log_group_retention,
    alarm_has_action,
    rds_logs_exported,
    rds_enhanced_monitoring,
    cis_monitoring_metric_filters,
]
