"""Audit and alerting tier: the trail, its log group, the CIS filters and alarms, and the alert topic."""

from __future__ import annotations

import json

import pytest

from components.cis_alarms import CIS_MONITORING_CONTROLS
from preflight.record import RecordedResource, Recording, is_unknown
from tests.conftest import run_stack

AUDIT = "secure-aws:audit:Audit"
TRAIL = "aws:cloudtrail/trail:Trail"
TOPIC = "aws:sns/topic:Topic"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ACCOUNT = "123456789012"
TRAIL_NAME = "secure-aws-prod-trail"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{TRAIL_NAME}"

# The published patterns (../shared/reference/controls.md section 3.2): Security Hub's remediation steps for
# CloudWatch.1-14, terraform-aws-secure-baseline for 4.15. Kept here on their own so that an edit of the
# catalogue in components/cis_alarms.py cannot silently change what the tests expect.
PUBLISHED_PATTERNS = {
    "4.1": '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    "4.2": '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && '
    '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    "4.3": '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    "4.4": "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || "
    "($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || "
    "($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || "
    "($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || "
    "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || "
    "($.eventName=DetachGroupPolicy)}",
    "4.5": "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
    "($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    "4.6": '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    "4.7": "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
    "4.8": "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || "
    "($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || "
    "($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || "
    "($.eventName=DeleteBucketReplication))}",
    "4.9": "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || "
    "($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || "
    "($.eventName=PutConfigurationRecorder))}",
    "4.10": "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || "
    "($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || "
    "($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
    "4.11": "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) "
    "|| ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || "
    "($.eventName=ReplaceNetworkAclAssociation)}",
    "4.12": "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || "
    "($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || "
    "($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
    "4.13": "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || "
    "($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || "
    "($.eventName=DisassociateRouteTable)}",
    "4.14": "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || "
    "($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || "
    "($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || "
    "($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) "
    "|| ($.eventName=EnableVpcClassicLink)}",
    "4.15": '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || '
    '($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") '
    '|| ($.eventName= "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") '
    '|| ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") '
    '|| ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || '
    '($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || '
    '($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || '
    '($.eventName = "UpdatePolicy") || ($.eventName ="UpdateOrganizationalUnit")) }',
}
SECURITY_HUB_CONTROLS = {
    "4.1": "CloudWatch.2",
    "4.2": "CloudWatch.3",
    "4.3": "CloudWatch.1",
    **{f"4.{n}": f"CloudWatch.{n}" for n in range(4, 15)},
    "4.15": None,
}


@pytest.fixture(scope="module")
def staging() -> Recording:
    return run_stack(preview=True, environment="Staging", logRetentionDays="30")


def only(rec: Recording, type_token: str) -> RecordedResource:
    (resource,) = rec.of_type(type_token)
    return resource


def the_trail(rec: Recording) -> RecordedResource:
    resource = rec.named("audit-trail")
    assert resource.type == TRAIL
    return resource


def trail_log_group(rec: Recording) -> RecordedResource:
    resource = rec.named("audit-trail-logs")
    assert resource.type == LOG_GROUP
    return resource


def alert_topic(rec: Recording) -> RecordedResource:
    resource = rec.named("audit-alerts")
    assert resource.type == TOPIC
    return resource


def cis_filter(rec: Recording, cis_id: str) -> RecordedResource:
    return rec.named(f"audit-cis-{cis_id.replace('.', '-')}-filter")


def cis_alarm(rec: Recording, cis_id: str) -> RecordedResource:
    return rec.named(f"audit-cis-{cis_id.replace('.', '-')}-alarm")


def statements(document: str) -> dict[str, dict]:
    return {statement.get("Sid", ""): statement for statement in json.loads(document)["Statement"]}


# Structure -----------------------------------------------------------------------------------------------------


def test_every_audit_resource_is_a_child_of_the_audit_component(prod):
    component = only(prod, AUDIT)
    assert component.name == "audit"
    children = [r for r in prod.resources if r.name.startswith("audit-")]
    assert {r.type for r in children} >= {TRAIL, TOPIC, LOG_GROUP, FILTER, ALARM, "aws:iam/role:Role"}
    for child in children:
        assert child.parent == component.urn, child.name


def test_nothing_crashes_at_preview_where_arns_are_unknown(prod_preview):
    assert is_unknown(prod_preview.stack_outputs["trailArn"])
    assert is_unknown(prod_preview.stack_outputs["alertTopicArn"])
    assert is_unknown(prod_preview.named("audit-alerts-policy").inputs["policy"])
    assert is_unknown(the_trail(prod_preview).inputs["cloudWatchLogsGroupArn"])


def test_stack_exports_the_trail_and_topic_arns(prod_apply):
    assert prod_apply.stack_outputs["trailArn"] == TRAIL_ARN
    assert prod_apply.stack_outputs["alertTopicArn"] == alert_topic(prod_apply).outputs["arn"]


# Alert topic -----------------------------------------------------------------------------------------------------


def test_alert_topic_is_encrypted_with_our_key(prod_apply):
    assert alert_topic(prod_apply).inputs["kmsMasterKeyId"] == prod_apply.stack_outputs["kmsKeyArn"]


def test_alert_topic_encryption_depends_on_our_key_even_at_preview(prod_preview):
    key = only(prod_preview, "aws:kms/key:Key")
    assert alert_topic(prod_preview).property_dependencies["kmsMasterKeyId"] == [key.urn]


def test_topic_policy_is_bound_to_the_alert_topic(prod):
    policy = prod.named("audit-alerts-policy")
    assert policy.type == "aws:sns/topicPolicy:TopicPolicy"
    assert policy.property_dependencies["arn"] == [alert_topic(prod).urn]


def test_only_cloudwatch_alarms_and_the_finding_routes_of_this_account_may_publish(prod_apply):
    topic_arn = prod_apply.stack_outputs["alertTopicArn"]
    grants = statements(prod_apply.named("audit-alerts-policy").inputs["policy"])
    allows = {sid: s for sid, s in grants.items() if s["Effect"] == "Allow"}
    assert allows == {
        "CloudWatchAlarmsPublish": {
            "Sid": "CloudWatchAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"},
            },
        },
        "EventBridgeRulesPublish": {
            "Sid": "EventBridgeRulesPublish",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                # Only the detection tier's finding routes among the account's rules.
                "ArnLike": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/secure-aws-prod-findings-*"},
            },
        },
    }


def test_topic_policy_denies_publishing_without_tls(prod_apply):
    grants = statements(prod_apply.named("audit-alerts-policy").inputs["policy"])
    assert grants["DenyInsecureTransport"] == {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sns:Publish",
        "Resource": prod_apply.stack_outputs["alertTopicArn"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_alarms_are_mailed_to_the_configured_alert_email(prod):
    subscription = prod.named("audit-alerts-email")
    assert subscription.type == "aws:sns/topicSubscription:TopicSubscription"
    assert subscription.inputs["protocol"] == "email"
    assert subscription.inputs["endpoint"] == "secops@example.com"
    assert subscription.property_dependencies["topic"] == [alert_topic(prod).urn]


def test_the_subscription_follows_the_alert_email_config():
    rec = run_stack(preview=True, alertEmail="oncall@corp.example")
    assert rec.named("audit-alerts-email").inputs["endpoint"] == "oncall@corp.example"


# Trail ------------------------------------------------------------------------------------------------------------


def test_trail_is_multi_region_with_global_events_and_log_file_validation(prod):
    trail = the_trail(prod).inputs
    assert trail["name"] == TRAIL_NAME
    assert trail["isMultiRegionTrail"] is True
    assert trail["includeGlobalServiceEvents"] is True
    assert trail["enableLogFileValidation"] is True
    assert trail["enableLogging"] is True
    assert trail["eventSelectors"] == [{"readWriteType": "All", "includeManagementEvents": True}]


def test_trail_log_files_are_encrypted_with_our_key(prod_apply):
    assert the_trail(prod_apply).inputs["kmsKeyId"] == prod_apply.stack_outputs["kmsKeyArn"]


def test_trail_writes_to_the_trail_bucket_once_its_policy_exists(prod):
    trail = the_trail(prod)
    trail_bucket = prod.named("storage-trail-bucket")
    assert trail.property_dependencies["s3BucketName"] == [trail_bucket.urn]
    assert prod.named("storage-trail-policy").urn in trail.dependencies


def test_trail_writes_to_the_trail_bucket_by_name(prod_apply):
    assert the_trail(prod_apply).inputs["s3BucketName"] == prod_apply.stack_outputs["trailBucketName"]


def test_trail_delivers_to_its_log_group_through_its_role(prod_apply):
    trail = the_trail(prod_apply)
    log_group = trail_log_group(prod_apply)
    role = prod_apply.named("audit-trail-logs-role")
    assert trail.inputs["cloudWatchLogsGroupArn"] == f"{log_group.outputs['arn']}:*"
    assert trail.inputs["cloudWatchLogsRoleArn"] == role.outputs["arn"]
    assert prod_apply.named("audit-trail-logs-policy").urn in trail.dependencies


def test_trail_logs_role_has_the_trust_policy_aws_documents_for_cloudtrail(prod_apply):
    # No aws:SourceArn/aws:SourceAccount: CloudTrail's CloudWatch Logs delivery does not send them, and with
    # such a condition CreateTrail fails with InvalidCloudWatchLogsRoleArnException.
    trust = json.loads(prod_apply.named("audit-trail-logs-role").inputs["assumeRolePolicy"])
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]


def test_trail_logs_role_may_only_write_the_streams_of_the_trail_log_group(prod_apply):
    role_policy = prod_apply.named("audit-trail-logs-policy")
    log_group_arn = trail_log_group(prod_apply).outputs["arn"]
    assert json.loads(role_policy.inputs["policy"])["Statement"] == [
        {
            "Sid": "WriteTrailLogStreams",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn}:log-stream:*",
        }
    ]
    assert role_policy.property_dependencies["role"] == [prod_apply.named("audit-trail-logs-role").urn]


def test_trail_log_group_is_encrypted_and_kept_for_the_configured_retention(prod_apply):
    log_group = trail_log_group(prod_apply).inputs
    assert log_group["name"] == f"/aws/cloudtrail/{TRAIL_NAME}"
    assert log_group["kmsKeyId"] == prod_apply.stack_outputs["kmsKeyArn"]
    assert log_group["retentionInDays"] == 365


def test_trail_and_its_log_group_are_protected_in_production(prod):
    assert trail_log_group(prod).protect
    assert trail_log_group(prod).inputs["deletionProtectionEnabled"] is True
    assert the_trail(prod).protect


def test_outside_production_the_trail_and_log_group_can_be_deleted(staging):
    assert not trail_log_group(staging).protect
    assert trail_log_group(staging).inputs["deletionProtectionEnabled"] is False
    assert trail_log_group(staging).inputs["retentionInDays"] == 30
    assert not the_trail(staging).protect


# CIS metric filters and alarms -----------------------------------------------------------------------------------


def test_the_catalogue_covers_cis_4_1_to_4_15_with_their_security_hub_controls():
    assert {c.cis_id: c.security_hub_id for c in CIS_MONITORING_CONTROLS} == SECURITY_HUB_CONTROLS
    assert len({c.metric_name for c in CIS_MONITORING_CONTROLS}) == len(CIS_MONITORING_CONTROLS)


@pytest.mark.parametrize("cis_id", list(PUBLISHED_PATTERNS))
def test_each_cis_recommendation_has_a_filter_with_the_published_pattern(prod, cis_id):
    assert cis_filter(prod, cis_id).inputs["pattern"] == PUBLISHED_PATTERNS[cis_id]


def test_there_is_one_filter_and_one_alarm_per_cis_recommendation(prod):
    expected = {
        f"audit-cis-{cis_id.replace('.', '-')}-{kind}" for cis_id in PUBLISHED_PATTERNS for kind in ("filter", "alarm")
    }
    audit = only(prod, AUDIT)
    assert {r.name for r in prod.of_type(FILTER) + prod.of_type(ALARM) if r.parent == audit.urn} == expected


@pytest.mark.parametrize("cis_id", list(PUBLISHED_PATTERNS))
def test_each_cis_filter_counts_matches_on_the_trail_log_group(prod, cis_id):
    metric_filter = cis_filter(prod, cis_id)
    assert metric_filter.property_dependencies["logGroupName"] == [trail_log_group(prod).urn]
    assert metric_filter.inputs["metricTransformation"]["namespace"] == "CISBenchmark"
    assert metric_filter.inputs["metricTransformation"]["value"] == "1"


def test_cis_filters_read_the_trail_log_group_by_name(prod_apply):
    for cis_id in PUBLISHED_PATTERNS:
        assert cis_filter(prod_apply, cis_id).inputs["logGroupName"] == f"/aws/cloudtrail/{TRAIL_NAME}"


@pytest.mark.parametrize("cis_id", list(PUBLISHED_PATTERNS))
def test_each_cis_alarm_fires_on_a_single_event_within_five_minutes(prod, cis_id):
    alarm = cis_alarm(prod, cis_id).inputs
    transformation = cis_filter(prod, cis_id).inputs["metricTransformation"]
    assert alarm["metricName"] == transformation["name"]
    assert alarm["namespace"] == transformation["namespace"]
    assert alarm["statistic"] == "Sum"
    assert alarm["period"] == 300
    assert alarm["evaluationPeriods"] == 1
    assert alarm["threshold"] == 1
    assert alarm["comparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["treatMissingData"] == "notBreaching"


@pytest.mark.parametrize("cis_id", list(PUBLISHED_PATTERNS))
def test_each_cis_alarm_notifies_the_alert_topic(prod, cis_id):
    assert cis_alarm(prod, cis_id).property_dependencies["alarmActions"] == [alert_topic(prod).urn]


def test_cis_alarms_publish_to_the_alert_topic_by_arn(prod_apply):
    for cis_id in PUBLISHED_PATTERNS:
        assert cis_alarm(prod_apply, cis_id).inputs["alarmActions"] == [prod_apply.stack_outputs["alertTopicArn"]]
