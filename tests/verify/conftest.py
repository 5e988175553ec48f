"""A deployed-looking account in moto, built with boto3 the way `pulumi up` leaves it, and ways to break it.

`deployed` is a fresh account per test (moto state is cheap next to importing moto, which happens once): the
trail logging, the flow log delivering, a confirmed alert subscription, alarms on the alert topic, the load
balancer's access logs with AWS's test file behind a logging web ACL, GuardDuty and Config running, a Multi-AZ
encrypted database, the four security groups with exactly the stack's rules, and the auditor function.
`deployed.outputs` is what `pulumi stack output --json` would print for it; `deployed.run()` runs every check
against it.

Where moto cannot hold a state AWS reports (a trail delivery error, a pending email subscription, a parameter
group pending reboot, a failed Lambda run), `deployed.override(operation, change)` edits that one field of
moto's real answer (a botocore after-call hook), and says so at the call site. Moto does not implement
DescribeAlarmHistory at all: that one call is answered from `deployed.alarm_history`.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws
from moto.awslambda_simple.models import lambda_simple_backends

from verify.context import Context
from verify.outputs import StackOutputs
from verify.results import CheckResult, Status
from verify.runner import run_checks

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
CORPORATE_CIDR = "203.0.113.0/24"  # Pulumi.prod.yaml's corporateCidrs
APP_PORT = 8080
DB_PORT = 5432
STACK_TAGS = {"Environment": "Production", "Project": "secure-aws", "ManagedBy": "Pulumi"}
# Every test gets a fresh session; sharing the loader keeps botocore from re-reading service models each time.
_SERVICE_MODELS = botocore.loaders.create_loader()
ALARM_NAMES = ("web-cpu-high-1a2b3c4", "database-storage-low-5d6e7f8", "secure-aws-prod-trail-cis-root-usage")


@dataclass
class Deployed:
    """The moto account after `pulumi up`, its stack outputs, and the handles tests use to change it."""

    session: boto3.Session
    outputs: dict[str, Any]
    alarm_history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        return self.session.client(service)

    def override(self, operation: str, change: Callable[[dict[str, Any]], None]) -> None:
        """Edits moto's parsed answer to `operation` ("cloudtrail.GetTrailStatus") for fields moto cannot hold."""

        def hook(parsed: dict[str, Any], **_: Any) -> None:
            change(parsed)

        self.session.events.register(f"after-call.{operation}", hook)

    def run(self, invoke: bool = False) -> list[CheckResult]:
        context = Context(StackOutputs(self.outputs), self.session, ACCOUNT_ID, invoke_auditor=invoke)
        return run_checks(context)

    def results(self, check: str, invoke: bool = False) -> list[CheckResult]:
        return [result for result in self.run(invoke) if result.check == check]

    def add_auditor_run(self, result: dict[str, Any] | str) -> None:
        """What the auditor's next invocation returns (moto's Lambda backend without Docker takes it queued)."""
        queue = lambda_simple_backends[ACCOUNT_ID][REGION].lambda_simple_results_queue
        queue.append(result if isinstance(result, str) else json.dumps(result))


def only(results: list[CheckResult], status: Status) -> CheckResult:
    """The single result, asserted to have `status` (shows all results when not)."""
    assert len(results) == 1 and results[0].status is status, results
    return results[0]


@pytest.fixture
def deployed() -> Iterator[Deployed]:
    with mock_aws(config={"lambda": {"use_docker": False}}):
        core = botocore.session.get_session()
        core.register_component("data_loader", _SERVICE_MODELS)
        session = boto3.Session(botocore_session=core, region_name=REGION)
        deployed = Deployed(session, {})
        # Moto has no DescribeAlarmHistory: answer it, as AWS would, from the history the test sets.
        # (provide-client-params sees the call's parameters; before-call may answer instead of sending it.)
        session.events.register("provide-client-params.cloudwatch.DescribeAlarmHistory", _keep_params)
        session.events.register("before-call.cloudwatch.DescribeAlarmHistory", _alarm_history(deployed))
        deployed.outputs = _deploy(session)
        yield deployed


def _keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    context["api_params"] = dict(params)


def _alarm_history(deployed: Deployed) -> Callable[..., tuple[AWSResponse, dict[str, Any]]]:
    def answer(context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        params = context["api_params"]
        items = deployed.alarm_history.get(params["AlarmName"], [])
        return AWSResponse("https://monitoring.us-east-1.amazonaws.com/", 200, {}, None), {
            "AlarmHistoryItems": items[: params.get("MaxRecords", 100)]
        }

    return answer


def action_history(alarm_name: str, state: str) -> dict[str, Any]:
    """One Action item of an alarm's history as DescribeAlarmHistory returns it."""
    import datetime

    topic = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:alerts"
    summary = f"Successfully executed action {topic}" if state == "Succeeded" else f"Failed to execute action {topic}"
    return {
        "AlarmName": alarm_name,
        "AlarmType": "MetricAlarm",
        "Timestamp": datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC),
        "HistoryItemType": "Action",
        "HistorySummary": summary,
        "HistoryData": json.dumps({"actionState": state, "notificationResource": topic}),
    }


# Section: the deployment -------------------------------------------------------------------------------------


def _deploy(session: boto3.Session) -> dict[str, Any]:
    kms_key_arn = session.client("kms").create_key(Description="stack key")["KeyMetadata"]["Arn"]
    network = _network(session)
    groups = _security_groups(session, network["vpc_id"])
    trail_arn = _trail(session)
    topic_arn = _alert_topic(session)
    _alarms(session, topic_arn)
    log_bucket, target_group_arn, load_balancer_arn = _load_balancer(session, network, groups["loadBalancer"])
    web_acl_arn = _web_acl(session, load_balancer_arn)
    detector_id, recorder_name = _account_baseline(session)
    endpoint = _database(session, network, groups["database"], kms_key_arn)
    function_name = _auditor(session)
    return {
        "region": REGION,
        "kmsKeyArn": kms_key_arn,
        "vpcId": network["vpc_id"],
        "publicSubnetIds": network["public"],
        "dataSubnetIds": network["data"],
        "logBucketName": log_bucket,
        "trailArn": trail_arn,
        "alertTopicArn": topic_arn,
        "targetGroupArn": target_group_arn,
        "webAclArn": web_acl_arn,
        "guardDutyDetectorId": detector_id,
        "configRecorderName": recorder_name,
        "databaseEndpoint": endpoint,
        "databasePort": DB_PORT,
        "databaseMasterSecretArn": "[secret]",
        "auditorFunctionName": function_name,
        "securityGroupIds": groups,
        "appPort": APP_PORT,
        "corporateCidrs": [CORPORATE_CIDR],
    }


def _tags(extra: dict[str, str] | None = None) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in {**STACK_TAGS, **(extra or {})}.items()]


def _network(session: boto3.Session) -> dict[str, Any]:
    ec2 = session.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets: dict[str, Any] = {"vpc_id": vpc_id, "public": [], "data": []}
    for index, zone in enumerate(("us-east-1a", "us-east-1b")):
        for tier, offset in (("public", 0), ("data", 10)):
            subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{offset + index}.0/24", AvailabilityZone=zone)
            subnets[tier].append(subnet["Subnet"]["SubnetId"])
    # The network tier adopts the default group and removes its rules.
    default = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    _revoke_all(ec2, default)
    # Flow logs to an existing log group: moto reports SUCCESS (a missing group is FAILED, "Access error").
    logs = session.client("logs")
    logs.create_log_group(logGroupName="/secure-aws/prod/vpc-flow-logs")
    ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName="/secure-aws/prod/vpc-flow-logs",
        DeliverLogsPermissionArn=f"arn:aws:iam::{ACCOUNT_ID}:role/flow-log-role",
    )
    return subnets


def _revoke_all(ec2: Any, group: dict[str, Any]) -> None:
    if group.get("IpPermissions"):
        ec2.revoke_security_group_ingress(GroupId=group["GroupId"], IpPermissions=group["IpPermissions"])
    if group.get("IpPermissionsEgress"):
        ec2.revoke_security_group_egress(GroupId=group["GroupId"], IpPermissions=group["IpPermissionsEgress"])


def _security_groups(session: boto3.Session, vpc_id: str) -> dict[str, str]:
    ec2 = session.client("ec2")
    ids = {}
    for key in ("loadBalancer", "app", "database", "auditor"):
        group_id = ec2.create_security_group(GroupName=f"web-{key}", Description=key, VpcId=vpc_id)["GroupId"]
        # pulumi-aws removes the allow-all egress rule AWS adds to every new group.
        _revoke_all(ec2, ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0])
        ids[key] = group_id
    lb, app, db, auditor = ids["loadBalancer"], ids["app"], ids["database"], ids["auditor"]
    for group, direction, port, peer in (
        (lb, "ingress", 443, "0.0.0.0/0"),
        (lb, "ingress", 80, "0.0.0.0/0"),
        (lb, "egress", APP_PORT, app),
        (app, "ingress", APP_PORT, lb),
        (app, "ingress", 22, CORPORATE_CIDR),
        (app, "egress", 443, "0.0.0.0/0"),
        (app, "egress", DB_PORT, db),
        (db, "ingress", DB_PORT, app),
        (db, "ingress", DB_PORT, auditor),
        (auditor, "egress", 443, "0.0.0.0/0"),
    ):
        add_rule(ec2, group, direction, port, peer)
    return ids


def add_rule(ec2: Any, group_id: str, direction: str, port: int, peer: str) -> None:
    """One tcp rule, as pulumi-aws's SecurityGroupIngressRule/EgressRule create it."""
    permission: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
    if peer.startswith("sg-"):
        permission["UserIdGroupPairs"] = [{"GroupId": peer}]
    else:
        permission["IpRanges"] = [{"CidrIp": peer}]
    authorize = ec2.authorize_security_group_ingress if direction == "ingress" else ec2.authorize_security_group_egress
    authorize(GroupId=group_id, IpPermissions=[permission])


def _trail(session: boto3.Session) -> str:
    bucket = "secure-aws-prod-trail-0a1b2c3d"
    session.client("s3").create_bucket(Bucket=bucket)
    cloudtrail = session.client("cloudtrail")
    trail = cloudtrail.create_trail(
        Name="secure-aws-prod-trail", S3BucketName=bucket, IsMultiRegionTrail=True, EnableLogFileValidation=True
    )
    cloudtrail.start_logging(Name=trail["TrailARN"])
    return trail["TrailARN"]


def _alert_topic(session: boto3.Session) -> str:
    sns = session.client("sns")
    topic_arn = sns.create_topic(Name="audit-alerts-9f8e7d6", Tags=_tags())["TopicArn"]
    # Moto confirms every subscription at once; a pending one is an override in the tests that need it.
    sns.subscribe(TopicArn=topic_arn, Protocol="email", Endpoint="secops@example.com")
    return topic_arn


def _alarms(session: boto3.Session, topic_arn: str) -> None:
    cloudwatch = session.client("cloudwatch")
    for name in ALARM_NAMES:
        put_alarm(cloudwatch, name, alarm_actions=[topic_arn], ok_actions=[topic_arn])


def put_alarm(cloudwatch: Any, name: str, alarm_actions: list[str], ok_actions: list[str] | None = None) -> None:
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/EC2",
        MetricName="CPUUtilization",
        Statistic="Average",
        Period=300,
        EvaluationPeriods=3,
        Threshold=80,
        ComparisonOperator="GreaterThanThreshold",
        AlarmActions=alarm_actions,
        OKActions=ok_actions or [],
        Tags=_tags(),
    )


def _load_balancer(session: boto3.Session, network: dict[str, Any], group_id: str) -> tuple[str, str, str]:
    log_bucket = "secure-aws-prod-logs-4e5f6a7b"
    session.client("s3").create_bucket(Bucket=log_bucket)
    elbv2 = session.client("elbv2")
    load_balancer_arn = elbv2.create_load_balancer(
        Name="web-alb-1234567", Subnets=network["public"], SecurityGroups=[group_id], Scheme="internet-facing"
    )["LoadBalancers"][0]["LoadBalancerArn"]
    target_group_arn = elbv2.create_target_group(
        Name="web-tg-1234567", Protocol="HTTP", Port=APP_PORT, VpcId=network["vpc_id"], TargetType="instance"
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=load_balancer_arn,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group_arn}],
    )
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=load_balancer_arn,
        Attributes=[
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": log_bucket},
            {"Key": "access_logs.s3.prefix", "Value": "alb"},
        ],
    )
    # What Elastic Load Balancing writes when access logging is turned on and the bucket policy lets it.
    session.client("s3").put_object(Bucket=log_bucket, Key=f"alb/AWSLogs/{ACCOUNT_ID}/ELBAccessLogTestFile", Body=b"")
    return log_bucket, target_group_arn, load_balancer_arn


def _web_acl(session: boto3.Session, load_balancer_arn: str) -> str:
    wafv2 = session.client("wafv2")
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "web-waf"}
    web_acl_arn = wafv2.create_web_acl(
        Name="web-waf", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=visibility, Rules=[]
    )["Summary"]["ARN"]
    wafv2.associate_web_acl(WebACLArn=web_acl_arn, ResourceArn=load_balancer_arn)
    log_group = "aws-waf-logs-web-waf-1234567"
    session.client("logs").create_log_group(logGroupName=log_group)
    wafv2.put_logging_configuration(
        LoggingConfiguration={
            "ResourceArn": web_acl_arn,
            "LogDestinationConfigs": [f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:{log_group}"],
        }
    )
    return web_acl_arn


def _account_baseline(session: boto3.Session) -> tuple[str, str]:
    """GuardDuty and AWS Config, as the detection tier builds them with manageAccountBaseline on."""
    detector_id = session.client("guardduty").create_detector(Enable=True)["DetectorId"]
    config = session.client("config")
    recorder = "secure-aws-prod-recorder"
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": recorder,
            "roleARN": f"arn:aws:iam::{ACCOUNT_ID}:role/config-role",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "secure-aws-prod-trail-0a1b2c3d"})
    config.start_configuration_recorder(ConfigurationRecorderName=recorder)
    return detector_id, recorder


def _database(session: boto3.Session, network: dict[str, Any], group_id: str, kms_key_arn: str) -> str:
    rds = session.client("rds")
    rds.create_db_subnet_group(
        DBSubnetGroupName="database-subnet-group", DBSubnetGroupDescription="data", SubnetIds=network["data"]
    )
    rds.create_db_parameter_group(
        DBParameterGroupName="database-params", DBParameterGroupFamily="postgres16", Description="TLS only"
    )
    instance = rds.create_db_instance(
        DBInstanceIdentifier="secure-aws-prod-db",
        Engine="postgres",
        EngineVersion="16.4",
        DBInstanceClass="db.t4g.medium",
        AllocatedStorage=20,
        MasterUsername="appadmin",
        ManageMasterUserPassword=True,
        MultiAZ=True,
        StorageEncrypted=True,
        KmsKeyId=kms_key_arn,
        DBSubnetGroupName="database-subnet-group",
        DBParameterGroupName="database-params",
        VpcSecurityGroupIds=[group_id],
        Port=DB_PORT,
    )["DBInstance"]
    return instance["Endpoint"]["Address"]


def _auditor(session: boto3.Session) -> str:
    role_arn = session.client("iam").create_role(
        RoleName="function-role",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )["Role"]["Arn"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return {'findings': [], 'checked': {}}\n")
    name = "secure-aws-prod-compliance-auditor"
    session.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role_arn,
        Handler="handler.handler",
        Code={"ZipFile": package.getvalue()},
    )
    return name
