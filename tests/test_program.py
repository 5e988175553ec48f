"""The whole program: one provider, one tag set, one naming scheme, and the same plan on every run."""

from __future__ import annotations

import json

import pytest
from google.protobuf import json_format

from preflight.record import Recording, is_unknown
from tests.conftest import run_stack

COMPONENT_PREFIX = "secure-aws:"
TIERS = {
    "secure-aws:encryption:Encryption": "encryption",
    "secure-aws:network:Network": "network",
    "secure-aws:storage:Storage": "storage",
    "secure-aws:audit:Audit": "audit",
    "secure-aws:web:WebTier": "web",
    "secure-aws:database:Database": "database",
    "secure-aws:function:ComplianceAuditor": "function",
    "secure-aws:baseline:AccountBaseline": "baseline",
    "secure-aws:detection:Detection": "detection",
}


def _provider(recording: Recording):
    providers = [r for r in recording.resources if r.type == "pulumi:providers:aws"]
    assert len(providers) == 1, [p.name for p in providers]
    return providers[0]


def _components(recording: Recording) -> dict[str, str]:
    return {r.type: r.name for r in recording.resources if r.type.startswith(COMPONENT_PREFIX)}


def _owning_component(recording: Recording, resource) -> str | None:
    """The name of the tier component a resource sits under, however deep."""
    urn = resource.parent
    while urn:
        parent = recording.by_urn(urn) if urn != recording.stack_urn else None
        if parent is None:
            return None
        if parent.type.startswith(COMPONENT_PREFIX):
            return parent.name
        urn = parent.parent
    return None


def test_every_tier_is_one_component_under_the_stack(prod: Recording):
    components = _components(prod)
    for token, name in TIERS.items():
        assert components.get(token) == name
    for resource in prod.resources:
        if resource.type in TIERS:
            assert resource.parent == prod.stack_urn


def test_one_explicit_provider_pinned_to_us_east_1_with_the_stack_tags(prod: Recording):
    provider = _provider(prod)
    assert provider.inputs["region"] == "us-east-1"
    default_tags = json.loads(provider.inputs["defaultTags"])["tags"]
    assert default_tags == {"Environment": "Production", "Project": "secure-aws", "ManagedBy": "pulumi"}


def test_every_aws_resource_uses_the_explicit_provider(prod: Recording):
    """No resource falls back to the default provider (and ambient AWS config for its region)."""
    provider = _provider(prod)
    aws_resources = [r for r in prod.resources if r.custom and r.type.startswith("aws:")]
    assert len(aws_resources) > 100
    for resource in aws_resources:
        assert resource.provider.startswith(provider.urn + "::"), resource.urn


def test_every_aws_resource_belongs_to_a_tier_and_is_named_after_it(prod: Recording):
    for resource in prod.resources:
        if not resource.custom or resource.is_provider:
            continue
        owner = _owning_component(prod, resource)
        assert owner is not None, f"{resource.urn} is not inside a tier component"
        assert resource.name.startswith(f"{owner}-"), resource.urn


def test_extra_tags_reach_the_provider_default_tags():
    recording = run_stack(preview=True, extraTags={"CostCenter": "security"})
    default_tags = json.loads(_provider(recording).inputs["defaultTags"])["tags"]
    assert default_tags["CostCenter"] == "security"
    assert default_tags["Environment"] == "Production"


def test_stack_outputs_are_the_documented_contract(prod_apply: Recording):
    expected = {
        "region",
        "kmsKeyArn",
        "vpcId",
        "publicSubnetIds",
        "appSubnetIds",
        "dataSubnetIds",
        "logBucketName",
        "trailBucketName",
        "dataBucketName",
        "trailArn",
        "alertTopicArn",
        "loadBalancerDnsName",
        "siteUrl",
        "targetGroupArn",
        "databaseEndpoint",
        "databasePort",
        "databaseMasterSecretArn",
        "auditorFunctionName",
    }
    assert expected <= set(prod_apply.stack_outputs)
    assert prod_apply.stack_outputs["kmsKeyArn"].startswith("arn:aws:kms:us-east-1:")
    assert len(prod_apply.stack_outputs["appSubnetIds"]) == 2
    assert "password" not in json.dumps(prod_apply.stack_outputs, default=str).lower()


def test_at_preview_computed_outputs_are_unknown_but_the_plan_is_complete(
    prod_preview: Recording, prod_apply: Recording
):
    assert is_unknown(prod_preview.stack_outputs["kmsKeyArn"])
    # Registration order is asynchronous; the set of resources is what must match.
    assert sorted((r.type, r.name) for r in prod_preview.resources) == sorted(
        (r.type, r.name) for r in prod_apply.resources
    )


def _fingerprint(recording: Recording) -> list[tuple[str, str, str, dict]]:
    return [
        (r.urn, r.parent, r.provider.split("::")[-2] if r.provider else "", json_format.MessageToDict(r.wire_inputs))
        for r in recording.resources
    ]


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "apply"])
def test_two_runs_register_identical_resources_and_inputs(preview: bool):
    first, second = run_stack(preview=preview), run_stack(preview=preview)
    assert sorted(_fingerprint(first), key=str) == sorted(_fingerprint(second), key=str)


def test_every_alarm_notifies_the_alert_topic_and_says_what_silence_means(prod_apply: Recording):
    alarms = prod_apply.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    topic = prod_apply.stack_outputs["alertTopicArn"]
    assert {"function-not-running-alarm", "database-cpu-high", "web-alb-5xx"} <= {a.name for a in alarms}
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == [topic], alarm.name
        assert alarm.inputs.get("okActions", [topic]) == [topic], alarm.name
        assert alarm.inputs["treatMissingData"] in ("breaching", "notBreaching", "missing"), alarm.name
        assert alarm.inputs["alarmDescription"], alarm.name


def test_every_role_trusts_one_service_and_carries_exactly_one_inline_policy(prod_apply: Recording):
    roles = prod_apply.of_type("aws:iam/role:Role")
    policies = prod_apply.of_type("aws:iam/rolePolicy:RolePolicy")
    assert prod_apply.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment") == []
    services = {}
    for role in roles:
        assert "managedPolicyArns" not in role.inputs, role.name
        (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
        assert (statement["Effect"], statement["Action"]) == ("Allow", "sts:AssumeRole"), role.name
        services[role.name] = statement["Principal"]["Service"]
        assert len([p for p in policies if p.property_dependencies.get("role") == [role.urn]]) == 1, role.name
    assert services == {
        "network-flow-log-role": "vpc-flow-logs.amazonaws.com",
        "audit-trail-logs-role": "cloudtrail.amazonaws.com",
        "web-instance-role": "ec2.amazonaws.com",
        "function-role": "lambda.amazonaws.com",
        "database-monitoring-role": "monitoring.rds.amazonaws.com",
    }
