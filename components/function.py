"""The function tier: the compliance auditor, a Lambda function that catches drift at run time.

The policy pack refuses insecure changes at preview time; changes made in the console or by other tools never
go through it. On a schedule, the auditor (code in lambda/compliance_auditor/) checks security groups, S3
buckets, CloudTrail, RDS instances and KMS keys in its region, publishes one message listing the findings to
the alert topic and puts the `ComplianceFindings` metric, which an alarm watches. Other alarms report a run that
failed, a schedule that could not invoke it, a failed event in the dead-letter queue, and an auditor that
stopped running at all.

It runs in the private app subnets of every AZ behind its own security group (HTTPS out only, nothing in),
with KMS-encrypted environment variables, a dedicated KMS-encrypted log group, X-Ray tracing, reserved
concurrency when the stack asks for it, and a KMS-encrypted dead-letter queue for failed invocations. Its role
can read exactly what the checks read and write only to its own topic, metric namespace, log group and queue.
Only its EventBridge schedule may invoke it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws

from components.alarms import metric_alarm
from components.policy_documents import condition
from components.roles import role_policy, service_role
from conventions import HTTPS_PORT, MIN_AZ_COUNT
from schedules import MAX_INTERVAL_SECONDS, schedule_interval_seconds, schedule_problem

RUNTIME = "python3.12"
ARCHITECTURE = "arm64"
HANDLER = "handler.handler"
FINDINGS_METRIC = "ComplianceFindings"
# A run is a few hundred paginated calls even in a busy account; five minutes leaves room for throttling retries.
TIMEOUT_SECONDS = 300
MEMORY_MB = 256
# SQS keeps a message at most 14 days: the longest a failed run's event can wait to be looked at.
DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600

# The read-only calls the checks make (lambda/compliance_auditor/auditor/*.py), as IAM actions. List and
# Describe actions support no resource ARN, so they are granted on "*"; the Get actions are scoped below.
LIST_AND_DESCRIBE_ACTIONS = (
    "cloudtrail:DescribeTrails",
    "ec2:DescribeManagedPrefixLists",
    "ec2:DescribeSecurityGroups",
    "kms:ListKeys",
    "rds:DescribeDBInstances",
    "s3:ListAllMyBuckets",
)
# GetBucketLocation: the S3 check's fallback where the runtime's botocore cannot filter ListBuckets by region.
BUCKET_READ_ACTIONS = ("s3:GetBucketLocation", "s3:GetBucketPublicAccessBlock", "s3:GetEncryptionConfiguration")
KEY_READ_ACTIONS = ("kms:DescribeKey", "kms:GetKeyRotationStatus")
TRAIL_READ_ACTIONS = ("cloudtrail:GetTrailStatus",)
# The entries of the prefix lists security groups reference (resource type prefix-list; a list can be shared
# from another account through RAM, hence any account).
PREFIX_LIST_READ_ACTIONS = ("ec2:GetManagedPrefixListEntries",)
# What Lambda needs to attach a function to a VPC (the actions of AWSLambdaVPCAccessExecutionRole v3, without
# its logs:* on "*"). DescribeNetworkInterfaces and DescribeSubnets work only on "*".
VPC_NETWORK_INTERFACE_ACTIONS = (
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:UnassignPrivateIpAddresses",
)
XRAY_ACTIONS = ("xray:PutTelemetryRecords", "xray:PutTraceSegments")
# The services through which the role uses our key: the encrypted alert topic, the encrypted dead-letter queue,
# and Lambda decrypting the function's environment variables.
KEY_VIA_SERVICES = ("lambda", "sns", "sqs")

_FUNCTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def alarm_period_seconds(schedule: str) -> int:
    """The findings and errors alarms' period: the longest time between two runs, capped at a day.

    Each run puts one data point; a period of one interval keeps the findings alarm in ALARM until the next run
    says otherwise, instead of mailing a false all-clear in the empty periods between runs. Exported for testing.
    """
    return min(max(schedule_interval_seconds(schedule), 60), MAX_INTERVAL_SECONDS)


def not_running_window(schedule: str) -> tuple[int, int]:
    """(period, evaluation periods) of the not-running alarm: two schedule intervals without an invocation.

    Two, not one: EventBridge may start a run a little late, leaving one period empty and the next with two.
    Both stay within what CloudWatch accepts (at most a day in all for periods under an hour, seven days
    otherwise) because a schedule runs at least daily (schedules.py refuses others). Exported for testing.
    """
    return alarm_period_seconds(schedule), 2


@dataclass(kw_only=True)
class ComplianceAuditorNetworkArgs:
    """Where the function runs: a network interface in each private application subnet."""

    vpc_id: pulumi.Input[str]
    app_subnet_ids: Sequence[pulumi.Input[str]]
    """The private application subnets, one per AZ: the function gets a network interface in each."""
    egress_routes: Sequence[pulumi.Resource] = ()
    """The app subnets' NAT routes (the network tier's `app_egress_routes`): the schedule starts invoking the
    function only once they exist, since every audit calls AWS APIs through them."""


@dataclass(kw_only=True)
class ComplianceAuditorRunArgs:
    """When and how the function runs, and where its code and metrics are."""

    schedule: str
    """An EventBridge schedule expression that runs at least daily (schedules.py)."""
    code_path: str = "lambda/compliance_auditor"
    """The function's code, relative to the project directory (the program's working directory)."""
    metric_namespace: str | None = None
    """Defaults to ComplianceAuditor/<function_name>, so two stacks in one account never share a metric."""
    reserved_concurrency: int | None = None
    """Executions reserved for the function (1 keeps two audits from overlapping). None: none reserved, the
    function shares the account's unreserved concurrency. Opt-in, because Lambda refuses a reservation that
    leaves the account fewer than 100 unreserved executions, and new accounts start with a quota of 10."""


@dataclass(kw_only=True)
class ComplianceAuditorArgs:
    """What the auditor needs from the rest of the stack."""

    function_name: str
    """The Lambda function's name; its log group is /aws/lambda/<function_name>."""
    network: ComplianceAuditorNetworkArgs
    run: ComplianceAuditorRunArgs
    kms_key_arn: pulumi.Input[str]
    """Our key: environment variables, log group and dead-letter queue."""
    alert_topic_arn: pulumi.Input[str]
    """Where findings are published and the alarms notify (the audit tier's KMS-encrypted topic)."""
    allowed_ssh_cidrs: Sequence[str]
    """The only ranges SSH/RDP may come from (the stack's corporateCidrs); anything else is a finding."""
    region: str
    log_retention_days: int
    is_production: bool
    """Production protects the log group from deletion."""


def validate_compliance_auditor_args(args: ComplianceAuditorArgs) -> None:
    """Refuses args that would build a broken or unsafe auditor. Exported for testing."""
    if not _FUNCTION_NAME.match(args.function_name):
        raise ValueError(
            f"ComplianceAuditor: {args.function_name!r} is not a Lambda function name (1-64 of A-Za-z0-9_-)"
        )
    if len(args.network.app_subnet_ids) < MIN_AZ_COUNT:
        raise ValueError(
            f"ComplianceAuditor: give the app subnets of at least {MIN_AZ_COUNT} AZs, so one AZ down is no outage"
        )
    problem = schedule_problem(args.run.schedule)
    if problem:
        raise ValueError(f"ComplianceAuditor: the schedule {args.run.schedule!r} {problem}")
    if not args.allowed_ssh_cidrs:
        raise ValueError("ComplianceAuditor: allowed_ssh_cidrs is empty; every SSH/RDP rule would be a finding")
    if args.run.reserved_concurrency is not None and args.run.reserved_concurrency < 1:
        # Lambda reads 0 as "never run": the auditor would be switched off.
        raise ValueError("ComplianceAuditor: reserved_concurrency must be at least 1, or None for no reservation")
    if not (Path(args.run.code_path) / "handler.py").is_file():
        raise ValueError(
            f"ComplianceAuditor: {args.run.code_path}/handler.py not found (the working directory must be "
            "the project directory)"
        )


def code_archive(code_path: str) -> pulumi.AssetArchive:
    """The deployment package: every .py file under `code_path`, at the archive's root (no __pycache__).

    An explicit file list instead of a FileArchive of the directory: bytecode the tests leave behind would
    otherwise change the package hash and redeploy the function for nothing. Exported for testing.
    """
    root = Path(code_path)
    files = sorted(path for path in root.rglob("*.py") if "__pycache__" not in path.parts)
    return pulumi.AssetArchive({path.relative_to(root).as_posix(): pulumi.FileAsset(str(path)) for path in files})


class ComplianceAuditor(pulumi.ComponentResource):
    """The auditor function, its network, role, logs, dead-letter queue, schedule and alarms."""

    security_group_id: pulumi.Output[str]
    function_arn: pulumi.Output[str]
    function_name: pulumi.Output[str]
    log_group_name: pulumi.Output[str]
    dead_letter_queue_arn: pulumi.Output[str]

    def __init__(self, name: str, args: ComplianceAuditorArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_compliance_auditor_args(args)  # before registering anything
        super().__init__("secure-aws:function:ComplianceAuditor", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)
        self._namespace = args.run.metric_namespace or f"ComplianceAuditor/{args.function_name}"
        self._account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        security_group = self._create_security_group()
        dead_letter_queue = self._create_dead_letter_queue()
        log_group = self._create_log_group()
        role, permissions = self._create_role(log_group, dead_letter_queue)
        function = self._create_function(security_group, dead_letter_queue, log_group, role, permissions)
        schedule = self._create_schedule(function)
        self._create_alarms(function, dead_letter_queue, schedule)

        self.security_group_id = security_group.id
        self.function_arn = function.arn
        self.function_name = function.name
        self.log_group_name = log_group.name
        self.dead_letter_queue_arn = dead_letter_queue.arn
        self.register_outputs(
            {
                "security_group_id": self.security_group_id,
                "function_arn": self.function_arn,
                "function_name": self.function_name,
                "log_group_name": self.log_group_name,
                "dead_letter_queue_arn": self.dead_letter_queue_arn,
            }
        )

    # Section: network ------------------------------------------------------------------------------------------

    def _create_security_group(self) -> aws.ec2.SecurityGroup:
        group = aws.ec2.SecurityGroup(
            f"{self._name}-sg",
            name_prefix=f"{self._name}-auditor-",
            description="Compliance auditor function: HTTPS out to AWS APIs, nothing in",
            vpc_id=self._args.network.vpc_id,
            opts=self._child,
        )
        # The AWS APIs the auditor calls are public endpoints reached through the NAT gateways.
        aws.vpc.SecurityGroupEgressRule(
            f"{self._name}-https-out",
            security_group_id=group.id,
            description="HTTPS to the AWS APIs the auditor calls (through NAT)",
            ip_protocol="tcp",
            from_port=HTTPS_PORT,
            to_port=HTTPS_PORT,
            cidr_ipv4="0.0.0.0/0",
            opts=self._child,
        )
        return group

    # Section: dead-letter queue and logs -----------------------------------------------------------------------

    def _create_dead_letter_queue(self) -> aws.sqs.Queue:
        # Scheduled invocations are asynchronous: after Lambda's retries, the event of a failed run lands here.
        return aws.sqs.Queue(
            f"{self._name}-dlq",
            kms_master_key_id=self._args.kms_key_arn,
            message_retention_seconds=DEAD_LETTER_RETENTION_SECONDS,
            opts=self._child,
        )

    def _create_log_group(self) -> aws.cloudwatch.LogGroup:
        # Created here, encrypted and with a retention, before the function: otherwise Lambda creates
        # /aws/lambda/<name> itself on the first run, unencrypted and never expiring.
        return aws.cloudwatch.LogGroup(
            f"{self._name}-logs",
            name=f"/aws/lambda/{self._args.function_name}",
            kms_key_id=self._args.kms_key_arn,
            retention_in_days=self._args.log_retention_days,
            deletion_protection_enabled=self._args.is_production,
            opts=pulumi.ResourceOptions(parent=self, protect=self._args.is_production),
        )

    # Section: role ---------------------------------------------------------------------------------------------

    def _create_role(
        self, log_group: aws.cloudwatch.LogGroup, dead_letter_queue: aws.sqs.Queue
    ) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
        role = service_role(
            self,
            f"{self._name}-role",
            service="lambda.amazonaws.com",
            description="Compliance auditor: read-only checks, findings to the alert topic, its own logs",
            # Only Lambda acting for this account (confused-deputy protection).
            conditions=[condition("StringEquals", "aws:SourceAccount", self._account_id)],
        )
        policy = role_policy(self, f"{self._name}-policy", role, self._permissions(log_group, dead_letter_queue))
        return role, policy

    def _permissions(
        self, log_group: aws.cloudwatch.LogGroup, dead_letter_queue: aws.sqs.Queue
    ) -> list[aws.iam.GetPolicyDocumentStatementArgs]:
        account, region = self._account_id, self._args.region
        key_arns = pulumi.Output.concat("arn:aws:kms:", region, ":", account, ":key/*")
        return [
            _allow("ListAndDescribeForChecks", LIST_AND_DESCRIBE_ACTIONS, ["*"]),
            _allow("ReadBucketSettings", BUCKET_READ_ACTIONS, ["arn:aws:s3:::*"]),
            _allow("ReadKeyRotation", KEY_READ_ACTIONS, [key_arns]),
            # Trails that record this region include organization trails owned by the management account.
            _allow("ReadTrailStatus", TRAIL_READ_ACTIONS, ["arn:aws:cloudtrail:*:*:trail/*"]),
            _allow(
                "ReadPrefixListEntries",
                PREFIX_LIST_READ_ACTIONS,
                [f"arn:aws:ec2:{region}:*:prefix-list/*"],
            ),
            _allow("PublishFindings", ("sns:Publish",), [self._args.alert_topic_arn]),
            # PutMetricData has no resource type; the namespace condition keeps it to the auditor's metric.
            _allow(
                "PutFindingsMetric",
                ("cloudwatch:PutMetricData",),
                ["*"],
                [condition("StringEquals", "cloudwatch:namespace", self._namespace)],
            ),
            _allow("VpcNetworkInterfaces", VPC_NETWORK_INTERFACE_ACTIONS, ["*"]),
            _allow(
                "WriteOwnLogs",
                ("logs:CreateLogStream", "logs:PutLogEvents"),
                [pulumi.Output.concat(log_group.arn, ":*")],
            ),
            _allow("XRayTracing", XRAY_ACTIONS, ["*"]),
            _allow("SendFailedEventsToDeadLetterQueue", ("sqs:SendMessage",), [dead_letter_queue.arn]),
            _allow(
                "UseStackKeyThroughServices",
                ("kms:Decrypt", "kms:GenerateDataKey"),
                [self._args.kms_key_arn],
                [
                    condition(
                        "StringEquals",
                        "kms:ViaService",
                        *[f"{service}.{region}.amazonaws.com" for service in KEY_VIA_SERVICES],
                    )
                ],
            ),
        ]

    # Section: function -----------------------------------------------------------------------------------------

    def _create_function(
        self,
        security_group: aws.ec2.SecurityGroup,
        dead_letter_queue: aws.sqs.Queue,
        log_group: aws.cloudwatch.LogGroup,
        role: aws.iam.Role,
        permissions: aws.iam.RolePolicy,
    ) -> aws.lambda_.Function:
        args = self._args
        return aws.lambda_.Function(
            f"{self._name}-auditor",
            name=args.function_name,
            description="Compliance auditor: reports drift from the stack's security rules to the alert topic",
            runtime=RUNTIME,
            architectures=[ARCHITECTURE],
            handler=HANDLER,
            code=code_archive(args.run.code_path),
            role=role.arn,
            timeout=TIMEOUT_SECONDS,
            memory_size=MEMORY_MB,
            # Unset (None) leaves the provider's default, -1: no reservation. See ComplianceAuditorArgs.
            reserved_concurrent_executions=args.run.reserved_concurrency,
            environment=aws.lambda_.FunctionEnvironmentArgs(
                variables={
                    "FINDINGS_TOPIC_ARN": args.alert_topic_arn,
                    "METRIC_NAMESPACE": self._namespace,
                    "ALLOWED_SSH_CIDRS": ",".join(args.allowed_ssh_cidrs),
                }
            ),
            kms_key_arn=args.kms_key_arn,
            vpc_config=aws.lambda_.FunctionVpcConfigArgs(
                subnet_ids=list(args.network.app_subnet_ids), security_group_ids=[security_group.id]
            ),
            tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
            dead_letter_config=aws.lambda_.FunctionDeadLetterConfigArgs(target_arn=dead_letter_queue.arn),
            # Text: the handler writes its own JSON lines; Lambda's JSON format would wrap them again.
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="Text", log_group=log_group.name),
            # Lambda checks the role's ENI and queue permissions when the function is created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permissions]),
        )

    # Section: schedule -----------------------------------------------------------------------------------------

    def _create_schedule(self, function: aws.lambda_.Function) -> aws.cloudwatch.EventRule:
        rule = aws.cloudwatch.EventRule(
            f"{self._name}-schedule",
            description="Runs the compliance auditor",
            schedule_expression=self._args.run.schedule,
            state="ENABLED",
            opts=self._child,
        )
        # The schedule is the only caller: the permission names this rule, so no other rule, account or
        # principal may invoke the function.
        permission = aws.lambda_.Permission(
            f"{self._name}-invoke-from-schedule",
            action="lambda:InvokeFunction",
            function=function.name,
            principal="events.amazonaws.com",
            source_arn=rule.arn,
            opts=self._child,
        )
        aws.cloudwatch.EventTarget(
            f"{self._name}-schedule-target",
            rule=rule.name,
            arn=function.arn,
            # Invoked before the NAT routes exist, the function would time out on its first AWS call.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission, *self._args.network.egress_routes]),
        )
        return rule

    # Section: alarms -------------------------------------------------------------------------------------------

    def _create_alarms(
        self, function: aws.lambda_.Function, dead_letter_queue: aws.sqs.Queue, schedule: aws.cloudwatch.EventRule
    ) -> None:
        topic = self._args.alert_topic_arn
        period = alarm_period_seconds(self._args.run.schedule)
        metric_alarm(
            self,
            f"{self._name}-errors-alarm",
            description="The compliance auditor failed (see its log group): drift may go unreported",
            namespace="AWS/Lambda",
            metric_name="Errors",
            dimensions={"FunctionName": function.name},
            statistic="Sum",
            period=period,
            evaluation_periods=1,
            threshold=0,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            topic_arn=topic,
        )
        self._create_not_running_alarms(function, schedule)
        metric_alarm(
            self,
            f"{self._name}-findings-alarm",
            description="The compliance auditor found drift; the findings are in its SNS message and log group",
            namespace=self._namespace,
            metric_name=FINDINGS_METRIC,
            statistic="Maximum",
            period=period,
            evaluation_periods=1,
            threshold=0,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            topic_arn=topic,
            notify_ok=True,
        )
        metric_alarm(
            self,
            f"{self._name}-dead-letters-alarm",
            description="A compliance auditor run failed after Lambda's retries; its event is in the queue",
            namespace="AWS/SQS",
            metric_name="ApproximateNumberOfMessagesVisible",
            dimensions={"QueueName": dead_letter_queue.name},
            statistic="Maximum",
            period=300,
            evaluation_periods=1,
            threshold=0,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            topic_arn=topic,
        )

    def _create_not_running_alarms(self, function: aws.lambda_.Function, schedule: aws.cloudwatch.EventRule) -> None:
        """An auditor that stops running is reported; a stack that has not run it yet is not.

        Lambda publishes an Invocations data point only for a period with a run, so silence is the only sign of
        a stopped schedule, and a fresh stack is silent too until the first run. Treating missing data as
        breaching mails ALARM on every new stack: CloudWatch evaluates a new alarm at once, and its first
        transition (INSUFFICIENT_DATA to ALARM) fires the action. Instead the alarm treats missing data as
        missing: "If all data points in the alarm evaluation range are missing, the alarm transitions to
        INSUFFICIENT_DATA" (CloudWatch User Guide, alarms-and-missing-data.html), and its INSUFFICIENT_DATA
        action mails the topic. A new alarm starts in INSUFFICIENT_DATA ("the alarm has just started",
        alarm-evaluation.html) and alarms act only on a change of state, so a fresh stack mails nothing until
        the first run turns it OK (one OK mail: the auditor runs); a schedule that stops afterwards turns it
        from OK to INSUFFICIENT_DATA, which mails. Since every data point is at least 1, ALARM never happens:
        INSUFFICIENT_DATA is this alarm's "not running". Metric math does not help: FILL(m1, 0) turns a fresh
        stack's silence into zeros as surely as "breaching" does.

        A schedule that never manages to invoke the function (a broken permission or target from the start)
        leaves the first alarm silent, so the rule's own FailedInvocations metric is watched as well.
        """
        topic = self._args.alert_topic_arn
        period, periods = not_running_window(self._args.run.schedule)
        metric_alarm(
            self,
            f"{self._name}-not-running-alarm",
            description="INSUFFICIENT_DATA means the compliance auditor has not run for two schedule intervals "
            "(its schedule was disabled, or the function deleted): drift goes unreported until it runs again. "
            "OK: it runs.",
            namespace="AWS/Lambda",
            metric_name="Invocations",
            dimensions={"FunctionName": function.name},
            statistic="Sum",
            period=period,
            evaluation_periods=periods,
            threshold=1,
            comparison_operator="LessThanThreshold",
            treat_missing_data="missing",
            topic_arn=topic,
            notify_ok=True,
            notify_insufficient_data=True,
        )
        # EventBridge counts an invocation of a target that failed for good (no permission, no function) in the
        # rule's FailedInvocations metric (namespace AWS/Events, dimension RuleName; EventBridge User Guide,
        # "Monitoring Amazon EventBridge", eb-monitoring.html). No failure, no data point: silence is healthy.
        metric_alarm(
            self,
            f"{self._name}-schedule-failed-alarm",
            description="The compliance auditor's schedule could not invoke it (its permission or target is "
            "broken): drift goes unreported until it is fixed",
            namespace="AWS/Events",
            metric_name="FailedInvocations",
            dimensions={"RuleName": schedule.name},
            statistic="Sum",
            period=alarm_period_seconds(self._args.run.schedule),
            evaluation_periods=1,
            threshold=0,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            topic_arn=topic,
        )


def _allow(
    sid: str,
    actions: Sequence[str],
    resources: Sequence[pulumi.Input[str]],
    conditions: Sequence[aws.iam.GetPolicyDocumentStatementConditionArgs] = (),
) -> aws.iam.GetPolicyDocumentStatementArgs:
    return aws.iam.GetPolicyDocumentStatementArgs(
        sid=sid, effect="Allow", actions=list(actions), resources=list(resources), conditions=list(conditions) or None
    )
