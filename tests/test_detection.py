"""Detective and edge controls: the account baseline, GuardDuty, Security Hub, Access Analyzer, AWS Config and its
rules, the routing of findings to the alert topic, and the web tier's WAF (components/baseline.py,
components/detection.py, components/waf.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from components.detection import (
    BASELINE_RULES,
    GUARDDUTY_FEATURES,
    MANAGED_RULES,
    DetectionArgs,
    finding_routes,
    required_tags_parameters,
    validate_detection_args,
)
from components.waf import MANAGED_RULE_GROUPS
from preflight.record import RecordedResource, Recording, is_unknown
from settings import SettingsError, parse_settings
from tests.conftest import run_stack

ACCOUNT = "123456789012"
BASELINE = "secure-aws:baseline:AccountBaseline"
DETECTION = "secure-aws:detection:Detection"
WEB = "secure-aws:web:WebTier"
DETECTOR = "aws:guardduty/detector:Detector"
FEATURE = "aws:guardduty/detectorFeature:DetectorFeature"
HUB = "aws:securityhub/account:Account"
STANDARD = "aws:securityhub/standardsSubscription:StandardsSubscription"
ANALYZER = "aws:accessanalyzer/analyzer:Analyzer"
RECORDER = "aws:cfg/recorder:Recorder"
CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel"
RECORDER_STATUS = "aws:cfg/recorderStatus:RecorderStatus"
CONFIG_RULE = "aws:cfg/rule:Rule"
LINKED_ROLE = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
EVENT_RULE = "aws:cloudwatch/eventRule:EventRule"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation"
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
LOG_RESOURCE_POLICY = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
# Everything that exists once per account and region: with manageAccountBaseline false, none of it is registered.
ACCOUNT_LEVEL_TYPES = (
    "aws:ebs/encryptionByDefault:EncryptionByDefault",
    "aws:ebs/defaultKmsKey:DefaultKmsKey",
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
    "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess",
    "aws:ec2/serialConsoleAccess:SerialConsoleAccess",
    DETECTOR,
    FEATURE,
    HUB,
    STANDARD,
    ANALYZER,
    RECORDER,
    CHANNEL,
    RECORDER_STATUS,
    LINKED_ROLE,
)
BASE_CONFIG = {
    "aws:region": "us-east-1",
    "environment": "Production",
    "alertEmail": "secops@example.com",
    "corporateCidrs": '["203.0.113.0/24"]',
    "domainName": "app.example.com",
    "hostedZoneId": "Z0123456789ABCDEFGHIJ",
}


@pytest.fixture(scope="module")
def owned_elsewhere() -> Recording:
    """The prod stack in an account whose baseline an organization owns (apply mode)."""
    return run_stack(preview=False, manageAccountBaseline="false")


@pytest.fixture(scope="module")
def owned_elsewhere_preview() -> Recording:
    return run_stack(preview=True, manageAccountBaseline="false")


def only(rec: Recording, type_token: str) -> RecordedResource:
    (resource,) = rec.of_type(type_token)
    return resource


def statements(document: Any) -> dict[str, dict[str, Any]]:
    assert not is_unknown(document)
    return {s.get("Sid", ""): s for s in json.loads(document)["Statement"]}


def parent_component(rec: Recording, resource: RecordedResource) -> RecordedResource:
    return rec.by_urn(resource.parent)


# Section: settings ----------------------------------------------------------------------------------------------


def test_the_stack_owns_the_account_baseline_and_rate_limits_at_2000_by_default():
    detection = parse_settings(BASE_CONFIG, project="secure-aws", stack="prod").detection
    assert (detection.manage_account_baseline, detection.waf_rate_limit) == (True, 2000)


def test_manage_account_baseline_reads_true_and_false_and_refuses_anything_else():
    parse = lambda value: parse_settings({**BASE_CONFIG, "manageAccountBaseline": value}, project="p", stack="s")  # noqa: E731
    assert parse("false").detection.manage_account_baseline is False
    assert parse("True").detection.manage_account_baseline is True
    with pytest.raises(SettingsError, match="manageAccountBaseline.*true or false"):
        parse("maybe")


@pytest.mark.parametrize("limit", ["99", "0", "2000000001", "lots"])
def test_waf_rate_limit_outside_what_waf_accepts_is_refused_with_its_key(limit):
    with pytest.raises(SettingsError, match="wafRateLimit"):
        parse_settings({**BASE_CONFIG, "wafRateLimit": limit}, project="p", stack="s")


# Section: account baseline --------------------------------------------------------------------------------------


def test_ebs_encrypts_by_default_with_our_key(prod_apply):
    assert only(prod_apply, "aws:ebs/encryptionByDefault:EncryptionByDefault").inputs["enabled"] is True
    default_key = only(prod_apply, "aws:ebs/defaultKmsKey:DefaultKmsKey")
    assert default_key.inputs["keyArn"] == prod_apply.stack_outputs["kmsKeyArn"]


def test_ebs_default_key_is_bound_to_our_key_at_preview_too(prod_preview):
    default_key = only(prod_preview, "aws:ebs/defaultKmsKey:DefaultKmsKey")
    assert default_key.property_dependencies["keyArn"] == [prod_preview.named("encryption-key").urn]


def test_account_s3_public_access_block_has_all_four_settings_on(prod):
    block = only(prod, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")
    for setting in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"):
        assert block.inputs[setting] is True, setting


def test_password_policy_meets_cis(prod):
    policy = only(prod, "aws:iam/accountPasswordPolicy:AccountPasswordPolicy").inputs
    assert policy["minimumPasswordLength"] >= 14
    assert policy["passwordReusePrevention"] == 24
    assert 0 < policy["maxPasswordAge"] <= 90
    for rule in (
        "requireUppercaseCharacters",
        "requireLowercaseCharacters",
        "requireNumbers",
        "requireSymbols",
        "allowUsersToChangePassword",
    ):
        assert policy[rule] is True, rule


def test_snapshots_and_amis_cannot_be_shared_publicly_and_the_serial_console_is_off(prod):
    assert only(prod, "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess").inputs["state"] == (
        "block-all-sharing"
    )
    assert only(prod, "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess").inputs["state"] == "block-new-sharing"
    assert only(prod, "aws:ec2/serialConsoleAccess:SerialConsoleAccess").inputs["enabled"] is False


def test_baseline_resources_are_children_of_the_baseline_tier(prod):
    baseline = only(prod, BASELINE)
    assert baseline.parent == prod.stack_urn
    for type_token in ACCOUNT_LEVEL_TYPES[:7]:
        assert only(prod, type_token).parent == baseline.urn, type_token


# Section: the switch --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["preview", "apply"])
def test_with_another_owner_no_account_level_resource_is_registered(mode, owned_elsewhere, owned_elsewhere_preview):
    rec = owned_elsewhere_preview if mode == "preview" else owned_elsewhere
    assert rec.of_type(BASELINE) == []
    assert [r.name for r in rec.resources if r.type in ACCOUNT_LEVEL_TYPES] == []


def test_with_another_owner_the_stack_keeps_its_own_config_rules_routes_and_waf(owned_elsewhere):
    rule_names = {r.inputs["name"] for r in owned_elsewhere.of_type(CONFIG_RULE)}
    assert rule_names == {f"secure-aws-prod-{rule.slug}" for rule in MANAGED_RULES}
    assert len(owned_elsewhere.of_type(EVENT_RULE)) == len(finding_routes("x", "us-east-1")) + 1  # + auditor schedule
    assert len(owned_elsewhere.of_type(WEB_ACL)) == 1
    # No recorder of ours to wait for: the rules run on the owner's recorder.
    for rule in owned_elsewhere.of_type(CONFIG_RULE):
        assert rule.dependencies == [], rule.name


def test_with_another_owner_neither_key_nor_bucket_admits_aws_config(owned_elsewhere):
    key_policy = statements(owned_elsewhere.named("encryption-key").inputs["policy"])
    assert "AllowConfigToEncryptDeliveries" not in key_policy
    bucket_policy = json.loads(owned_elsewhere.named("storage-trail-policy").inputs["policy"])
    assert "config.amazonaws.com" not in json.dumps(bucket_policy)


OWNED_ELSEWHERE_PACK_CONFIG = {
    "guardduty-detector-enabled": {"detectorOwnedElsewhere": True},
    "config-recorder-records-everything-and-is-on": {"recorderOwnedElsewhere": True},
}


def blocking(findings) -> set[str]:
    return {f.policy for f in findings if f.enforcement_level == "mandatory" and not f.exempted and not f.undecided}


def test_with_another_owner_the_pack_fails_the_stack_until_its_config_says_so(owned_elsewhere, policy_pack):
    shipped = json.loads((Path(__file__).parent.parent / "policy" / "config.json").read_text())
    untold = policy_pack.analyze(owned_elsewhere, config=shipped)
    assert blocking(untold) == {"guardduty-detector-enabled", "config-recorder-records-everything-and-is-on"}
    assert blocking(policy_pack.analyze(owned_elsewhere, config={**shipped, **OWNED_ELSEWHERE_PACK_CONFIG})) == set()


def test_readme_lists_what_must_exist_elsewhere_when_another_owner_holds_the_baseline():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## Who owns the account baseline", 1)[1].split("\n## ", 1)[0]
    for needed in (
        "GuardDuty",
        "Security Hub",
        "Access Analyzer",
        "Config recorder",
        "EBS encryption by default",
        "password policy",
        "public access block",
    ):
        assert needed in section, needed
    pack_config = json.loads(section.split("```json", 1)[1].split("```", 1)[0])
    assert pack_config == OWNED_ELSEWHERE_PACK_CONFIG


# Section: GuardDuty, Security Hub, Access Analyzer --------------------------------------------------------------


def test_guardduty_is_enabled_and_publishes_every_15_minutes(prod):
    detector = only(prod, DETECTOR)
    assert detector.inputs["enable"] is True
    assert detector.inputs["findingPublishingFrequency"] == "FIFTEEN_MINUTES"
    assert "datasources" not in detector.inputs  # deprecated in favour of DetectorFeature


def test_guardduty_protects_s3_ebs_rds_and_lambda_on_this_detector(prod):
    detector = only(prod, DETECTOR)
    features = prod.of_type(FEATURE)
    assert (
        sorted(f.inputs["name"] for f in features)
        == sorted(GUARDDUTY_FEATURES)
        == ["EBS_MALWARE_PROTECTION", "LAMBDA_NETWORK_LOGS", "RDS_LOGIN_EVENTS", "S3_DATA_EVENTS"]
    )
    for feature in features:
        assert feature.inputs["status"] == "ENABLED"
        assert feature.property_dependencies["detectorId"] == [detector.urn]


def test_security_hub_subscribes_to_fsbp_and_cis_3_and_nothing_by_default(prod):
    hub = only(prod, HUB)
    assert hub.inputs["enableDefaultStandards"] is False
    assert hub.inputs["controlFindingGenerator"] == "SECURITY_CONTROL"
    subscriptions = prod.of_type(STANDARD)
    assert sorted(s.inputs["standardsArn"] for s in subscriptions) == [
        "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
        "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0",
    ]
    for subscription in subscriptions:
        assert hub.urn in subscription.dependencies


def test_security_hub_is_enabled_after_config_records(prod):
    assert prod.named("detection-config-recorder-status").urn in only(prod, HUB).dependencies


def test_access_analyzer_watches_the_account(prod):
    analyzer = only(prod, ANALYZER)
    assert analyzer.inputs["type"] == "ACCOUNT"
    assert analyzer.inputs["analyzerName"] == "secure-aws-prod-account"


def test_the_stack_exports_the_web_acl_detector_and_recorder(prod_apply):
    outputs = prod_apply.stack_outputs
    assert outputs["webAclArn"].startswith("arn:aws:wafv2:us-east-1:")
    assert outputs["guardDutyDetectorId"]
    assert outputs["configRecorderName"] == "secure-aws-prod"


def test_with_another_owner_the_stack_exports_no_detector_or_recorder(owned_elsewhere):
    assert {"guardDutyDetectorId", "configRecorderName"} & set(owned_elsewhere.stack_outputs) == set()
    assert "webAclArn" in owned_elsewhere.stack_outputs


def test_findings_are_protected_in_production(prod):
    for type_token in (DETECTOR, HUB, ANALYZER):
        assert only(prod, type_token).protect is True, type_token


def test_outside_production_findings_can_be_deleted():
    staging = run_stack(preview=True, environment="Staging")
    for type_token in (DETECTOR, HUB, ANALYZER):
        assert only(staging, type_token).protect is False, type_token


# Section: AWS Config --------------------------------------------------------------------------------------------


def test_config_records_every_supported_type_including_global_ones(prod):
    group = only(prod, RECORDER).inputs["recordingGroup"]
    assert group["allSupported"] is True
    assert group["includeGlobalResourceTypes"] is True
    assert "resourceTypes" not in group and "exclusionByResourceTypes" not in group


def test_config_records_through_its_service_linked_role(prod):
    role = only(prod, LINKED_ROLE)
    assert role.inputs["awsServiceName"] == "config.amazonaws.com"
    assert only(prod, RECORDER).property_dependencies["roleArn"] == [role.urn]


def test_config_delivers_to_the_trail_bucket_under_its_prefix_encrypted_with_our_key(prod_apply):
    channel = only(prod_apply, CHANNEL)
    assert channel.inputs["s3BucketName"] == prod_apply.stack_outputs["trailBucketName"]
    assert channel.inputs["s3KeyPrefix"] == "config"
    assert channel.inputs["s3KmsKeyArn"] == prod_apply.stack_outputs["kmsKeyArn"]


def test_config_delivery_waits_for_the_recorder_and_the_bucket_policy(prod):
    channel = only(prod, CHANNEL)
    assert {only(prod, RECORDER).urn, prod.named("storage-trail-policy").urn} <= set(channel.dependencies)
    assert channel.property_dependencies["s3BucketName"] == [prod.named("storage-trail-bucket").urn]


def test_the_recorder_is_turned_on_once_it_can_deliver(prod):
    status = only(prod, RECORDER_STATUS)
    assert status.inputs["isEnabled"] is True
    assert status.property_dependencies["name"] == [only(prod, RECORDER).urn]
    assert only(prod, CHANNEL).urn in status.dependencies


def test_trail_bucket_policy_admits_this_accounts_config_only_under_the_prefix(prod_apply):
    bucket_arn = f"arn:aws:s3:::{prod_apply.stack_outputs['trailBucketName']}"
    grants = statements(prod_apply.named("storage-trail-policy").inputs["policy"])
    config = {sid: s for sid, s in grants.items() if s.get("Principal") == {"Service": "config.amazonaws.com"}}
    assert {sid: (s["Action"], s["Resource"]) for sid, s in config.items()} == {
        "AWSConfigBucketPermissionsCheck": ("s3:GetBucketAcl", bucket_arn),
        "AWSConfigBucketExistenceCheck": ("s3:ListBucket", bucket_arn),
        "AWSConfigBucketDelivery": ("s3:PutObject", f"{bucket_arn}/config/AWSLogs/{ACCOUNT}/Config/*"),
    }
    for statement in config.values():
        assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == ACCOUNT
    assert config["AWSConfigBucketDelivery"]["Condition"]["StringEquals"]["s3:x-amz-acl"] == (
        "bucket-owner-full-control"
    )


def test_key_policy_lets_this_accounts_config_encrypt_its_deliveries(prod_apply):
    grant = statements(prod_apply.named("encryption-key").inputs["policy"])["AllowConfigToEncryptDeliveries"]
    assert grant["Principal"] == {"Service": "config.amazonaws.com"}
    assert sorted(grant["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert grant["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


def test_at_least_15_managed_rules_mirror_the_policy_pack(prod):
    rules = prod.of_type(CONFIG_RULE)
    assert len(rules) >= 15
    assert len(rules) == len(MANAGED_RULES) + len(BASELINE_RULES)
    identifiers = {r.inputs["source"]["sourceIdentifier"] for r in rules}
    # The list: SSH and common ports, S3 public read/write and TLS-only, CloudTrail on, multi-region and
    # validated, RDS encrypted/Multi-AZ/private/backed up, KMS rotation, flow logs, encrypted volumes, IMDSv2,
    # ALB redirect, required tags.
    assert {
        "INCOMING_SSH_DISABLED",
        "RESTRICTED_INCOMING_TRAFFIC",
        "S3_BUCKET_PUBLIC_READ_PROHIBITED",
        "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
        "S3_BUCKET_SSL_REQUESTS_ONLY",
        "CLOUD_TRAIL_ENABLED",
        "MULTI_REGION_CLOUD_TRAIL_ENABLED",
        "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
        "RDS_STORAGE_ENCRYPTED",
        "RDS_MULTI_AZ_SUPPORT",
        "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
        "DB_INSTANCE_BACKUP_ENABLED",
        "CMK_BACKING_KEY_ROTATION_ENABLED",
        "VPC_FLOW_LOGS_ENABLED",
        "ENCRYPTED_VOLUMES",
        "EC2_IMDSV2_CHECK",
        "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK",
        "REQUIRED_TAGS",
    } <= identifiers
    for rule in rules:
        assert rule.inputs["source"]["owner"] == "AWS"
        assert rule.inputs["name"].startswith("secure-aws-prod-")


def test_every_rule_waits_for_the_recorder_to_be_on(prod):
    recorder, status = only(prod, RECORDER), only(prod, RECORDER_STATUS)
    for rule in prod.of_type(CONFIG_RULE):
        assert {recorder.urn, status.urn} <= set(rule.dependencies), rule.name


def test_required_tags_rule_checks_our_tags_and_values(prod):
    (rule,) = [r for r in prod.of_type(CONFIG_RULE) if r.inputs["source"]["sourceIdentifier"] == "REQUIRED_TAGS"]
    parameters = json.loads(rule.inputs["inputParameters"])
    tags = {parameters[f"tag{i}Key"]: parameters[f"tag{i}Value"] for i in range(1, 4)}
    assert tags == {"Environment": "Production", "ManagedBy": "pulumi", "Project": "secure-aws"}
    assert "AWS::S3::Bucket" in rule.inputs["scope"]["complianceResourceTypes"]


def test_required_tags_rule_follows_the_environment():
    staging = run_stack(preview=True, environment="Staging")
    (rule,) = [r for r in staging.of_type(CONFIG_RULE) if r.inputs["source"]["sourceIdentifier"] == "REQUIRED_TAGS"]
    assert "Staging" in json.loads(rule.inputs["inputParameters"]).values()


def test_rule_parameters_are_valid_json_strings(prod):
    for rule in prod.of_type(CONFIG_RULE):
        if "inputParameters" in rule.inputs:
            assert all(isinstance(v, str) for v in json.loads(rule.inputs["inputParameters"]).values()), rule.name


def test_required_tags_parameters_are_numbered_from_one():
    assert required_tags_parameters({"B": "2", "A": "1"}) == {
        "tag1Key": "A",
        "tag1Value": "1",
        "tag2Key": "B",
        "tag2Value": "2",
    }


def test_detection_refuses_more_tags_than_required_tags_checks():
    args = DetectionArgs(
        name_prefix="p-s",
        manage_account_singletons=False,
        kms_key_arn="k",
        alert_topic_arn="t",
        config_bucket_name="b",
        config_key_prefix="config",
        config_bucket_policy=None,
        required_tags={f"k{i}": "v" for i in range(7)},
        region="us-east-1",
        is_production=True,
    )
    with pytest.raises(ValueError, match="REQUIRED_TAGS"):
        validate_detection_args(args)


# Section: routing findings to people ----------------------------------------------------------------------------


def routes(rec: Recording) -> dict[str, tuple[RecordedResource, RecordedResource]]:
    rules = {r.name: r for r in rec.of_type(EVENT_RULE) if r.name.startswith("detection-route-")}
    targets = {t.name: t for t in rec.of_type(EVENT_TARGET) if t.name.startswith("detection-route-")}
    return {name.removeprefix("detection-route-"): (rule, targets[f"{name}-to-alerts"]) for name, rule in rules.items()}


def test_four_routes_send_findings_to_the_alert_topic(prod_apply):
    topic = prod_apply.stack_outputs["alertTopicArn"]
    found = routes(prod_apply)
    assert sorted(found) == ["access-analyzer", "config", "guardduty", "security-hub"]
    for rule, target in found.values():
        assert rule.inputs["name"].startswith("secure-aws-prod-findings-")
        assert target.inputs["arn"] == topic
        assert target.property_dependencies["rule"] == [rule.urn]


def test_at_preview_routes_and_deliveries_are_bound_to_the_topic_the_key_and_the_bucket(prod_preview):
    topic = prod_preview.named("audit-alerts")
    for slug, (_, target) in routes(prod_preview).items():
        assert target.property_dependencies["arn"] == [topic.urn], slug
        assert is_unknown(target.inputs["arn"]), slug  # the topic does not exist yet
    channel = only(prod_preview, CHANNEL)
    assert channel.property_dependencies["s3KmsKeyArn"] == [prod_preview.named("encryption-key").urn]
    association = only(prod_preview, ASSOCIATION)
    assert is_unknown(association.inputs["resourceArn"]) and is_unknown(association.inputs["webAclArn"])


def pattern(rec: Recording, slug: str) -> dict[str, Any]:
    return json.loads(routes(rec)[slug][0].inputs["eventPattern"])


def test_guardduty_route_matches_high_and_critical_findings_only(prod):
    assert pattern(prod, "guardduty") == {
        "source": ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        "detail": {"severity": [{"numeric": [">=", 7]}]},
    }


def test_security_hub_route_matches_failed_critical_and_high_findings(prod):
    findings = pattern(prod, "security-hub")["detail"]["findings"]
    assert sorted(findings["Severity"]["Label"]) == ["CRITICAL", "HIGH"]
    assert findings["Compliance"]["Status"] == ["FAILED"]
    assert findings["RecordState"] == ["ACTIVE"]


def test_config_route_matches_this_stacks_rules_turning_non_compliant(prod):
    detail = pattern(prod, "config")["detail"]
    assert detail["newEvaluationResult"] == {"complianceType": ["NON_COMPLIANT"]}
    # Only our rules: Security Hub's own Config rules would mail every control twice.
    assert detail["configRuleName"] == [{"prefix": "secure-aws-prod-"}]
    assert pattern(prod, "config")["detail-type"] == ["Config Rules Compliance Change"]


def test_access_analyzer_route_matches_active_findings(prod):
    assert pattern(prod, "access-analyzer")["detail"] == {"status": ["ACTIVE"]}
    assert pattern(prod, "access-analyzer")["source"] == ["aws.access-analyzer"]


def test_messages_say_what_which_resource_how_bad_and_link_the_console(prod):
    for slug, (_, target) in routes(prod).items():
        transformer = target.inputs["inputTransformer"]
        template = json.loads(transformer["inputTemplate"])  # a JSON string: what SNS mails
        assert isinstance(template, str), slug
        placeholders = set(re.findall(r"<([A-Za-z]+)>", template))
        assert placeholders == set(transformer["inputPaths"]), slug
        assert "https://us-east-1.console.aws.amazon.com/" in template, slug
        assert {"resource", "account"} <= placeholders, slug


def test_a_finding_route_that_fails_to_deliver_raises_an_alarm(prod_apply):
    topic = prod_apply.stack_outputs["alertTopicArn"]
    for slug, (rule, _) in routes(prod_apply).items():
        alarm = prod_apply.named(f"detection-route-{slug}-failed")
        assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == ("AWS/Events", "FailedInvocations")
        assert alarm.inputs["dimensions"] == {"RuleName": rule.inputs["name"]}
        assert alarm.inputs["threshold"] == 0 and alarm.inputs["comparisonOperator"] == "GreaterThanThreshold"
        assert alarm.inputs["alarmActions"] == [topic]


def test_alert_topic_admits_only_the_finding_routes_among_eventbridge_rules(prod_apply):
    grants = statements(prod_apply.named("audit-alerts-policy").inputs["policy"])
    assert grants["EventBridgeRulesPublish"]["Condition"]["ArnLike"]["aws:SourceArn"] == (
        f"arn:aws:events:us-east-1:{ACCOUNT}:rule/secure-aws-prod-findings-*"
    )


def test_detection_resources_are_children_of_the_detection_tier(prod):
    detection = only(prod, DETECTION)
    assert detection.parent == prod.stack_urn
    children = [r for r in prod.resources if r.name.startswith("detection-")]
    assert len(children) > 30
    assert {r.parent for r in children} == {detection.urn}


# Section: WAF ---------------------------------------------------------------------------------------------------


def test_web_acl_is_regional_allows_by_default_and_publishes_metrics(prod):
    acl = only(prod, WEB_ACL)
    assert acl.inputs["scope"] == "REGIONAL"
    assert acl.inputs["defaultAction"] == {"allow": {}}
    assert acl.inputs["visibilityConfig"]["cloudwatchMetricsEnabled"] is True
    assert parent_component(prod, acl).type == WEB


def test_web_acl_runs_the_four_aws_managed_rule_groups_with_their_own_actions(prod):
    rules = only(prod, WEB_ACL).inputs["rules"]
    groups = [r for r in rules if "managedRuleGroupStatement" in r["statement"]]
    assert sorted(r["statement"]["managedRuleGroupStatement"]["name"] for r in groups) == sorted(MANAGED_RULE_GROUPS)
    assert set(MANAGED_RULE_GROUPS) == {
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesSQLiRuleSet",
    }
    for rule in groups:
        assert rule["statement"]["managedRuleGroupStatement"]["vendorName"] == "AWS"
        assert rule["overrideAction"] == {"none": {}}  # not "count": the groups block
    for rule in rules:
        assert rule["visibilityConfig"]["cloudwatchMetricsEnabled"] is True
    assert len({r["priority"] for r in rules}) == len(rules)


def rate_rule(rec: Recording) -> dict[str, Any]:
    (rule,) = [r for r in only(rec, WEB_ACL).inputs["rules"] if "rateBasedStatement" in r["statement"]]
    return rule


def test_rate_based_rule_blocks_an_ip_above_the_default_limit(prod):
    rule = rate_rule(prod)
    assert rule["action"] == {"block": {}}
    assert rule["statement"]["rateBasedStatement"] == {
        "limit": 2000,
        "aggregateKeyType": "IP",
        "evaluationWindowSec": 300,
    }


def test_rate_limit_follows_its_config_key():
    assert rate_rule(run_stack(preview=True, wafRateLimit="500"))["statement"]["rateBasedStatement"]["limit"] == 500


def test_web_acl_is_associated_with_the_load_balancer(prod):
    association = only(prod, ASSOCIATION)
    assert association.property_dependencies["resourceArn"] == [prod.named("web-alb").urn]
    assert association.property_dependencies["webAclArn"] == [only(prod, WEB_ACL).urn]


def test_waf_logs_to_an_encrypted_log_group_named_as_waf_requires(prod):
    logging = only(prod, WAF_LOGGING)
    log_group = prod.named("web-waf-logs")
    assert logging.property_dependencies["resourceArn"] == [only(prod, WEB_ACL).urn]
    assert logging.property_dependencies["logDestinationConfigs"] == [log_group.urn]
    assert log_group.inputs["namePrefix"].startswith("aws-waf-logs-")
    assert log_group.property_dependencies["kmsKeyId"] == [prod.named("encryption-key").urn]
    assert log_group.inputs["retentionInDays"] == 365
    assert log_group.protect is True


def test_waf_logs_never_contain_cookies_or_credentials(prod):
    redacted = only(prod, WAF_LOGGING).inputs["redactedFields"]
    assert sorted(field["singleHeader"]["name"] for field in redacted) == ["authorization", "cookie"]


def test_waf_log_delivery_is_admitted_to_that_log_group_only(prod_apply):
    log_group_arn = prod_apply.named("web-waf-logs").outputs["arn"]
    policy = only(prod_apply, LOG_RESOURCE_POLICY)
    (grant,) = json.loads(policy.inputs["policyDocument"])["Statement"]
    assert grant["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert grant["Resource"] == f"{log_group_arn}:*"
    assert grant["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    assert policy.urn in only(prod_apply, WAF_LOGGING).dependencies


def test_blocked_request_spikes_alarm_the_alert_topic(prod_apply):
    alarm = prod_apply.named("web-waf-blocked-requests")
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == ("AWS/WAFV2", "BlockedRequests")
    assert alarm.inputs["dimensions"]["Region"] == "us-east-1"
    assert alarm.inputs["dimensions"]["Rule"] == "ALL"
    assert alarm.inputs["dimensions"]["WebACL"] == only(prod_apply, WEB_ACL).inputs["name"] == "secure-aws-prod-web"
    assert alarm.inputs["alarmActions"] == [prod_apply.stack_outputs["alertTopicArn"]]


def test_waf_alarm_watches_this_web_acl_even_at_preview(prod_preview):
    alarm = prod_preview.named("web-waf-blocked-requests")
    assert alarm.property_dependencies["dimensions"] == [only(prod_preview, WEB_ACL).urn]
