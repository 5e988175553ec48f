"""The web tier: HTTPS-only load balancer, private hardened instances, narrow security groups, alarms."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

import pytest

from components.web import (
    AL2023_AMI_PARAMETERS,
    WebCertificateArgs,
    WebFirewallArgs,
    WebInstanceArgs,
    WebLogArgs,
    WebNetworkArgs,
    WebScalingArgs,
    WebTierArgs,
    ami_parameter,
    validate_web_tier_args,
)
from components.web_instance.user_data import render_user_data
from preflight.record import ProgramError, RecordedResource, Recording, is_unknown
from tests.conftest import run_stack

COMPONENT = "secure-aws:web:WebTier"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
LISTENER = "aws:lb/listener:Listener"
LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer"
CERTIFICATE = "aws:acm/certificate:Certificate"
VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
RECORD = "aws:route53/record:Record"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ANYWHERE = ("0.0.0.0/0", "::/0")
CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


@pytest.fixture(scope="module")
def with_certificate_arn() -> Recording:
    return run_stack(preview=False, certificateArn=CERTIFICATE_ARN, domainName="", hostedZoneId="")


@pytest.fixture(scope="module")
def customised() -> Recording:
    return run_stack(
        preview=False,
        environment="Staging",
        tlsPolicy="ELBSecurityPolicy-TLS13-1-3-2021-06",
        instanceType="t4g.small",
        minSize="3",
        maxSize="6",
        desiredCapacity="4",
        appPort="9000",
        healthCheckPath="/ready",
        corporateCidrs=["203.0.113.0/24", "198.51.100.0/25"],
    )


def sg(rec: Recording, role: str) -> RecordedResource:
    return rec.named(f"web-{role}-sg")


def rules_on(rec: Recording, kind: str, group: RecordedResource) -> list[RecordedResource]:
    """The rules of a kind attached to a group, by the engine's dependency (known in preview too)."""
    return [r for r in rec.of_type(kind) if r.property_dependencies.get("securityGroupId") == [group.urn]]


def referenced(rule: RecordedResource) -> list[str]:
    return rule.property_dependencies.get("referencedSecurityGroupId", [])


def ports(rule: RecordedResource) -> tuple[int, int]:
    return int(rule.inputs["fromPort"]), int(rule.inputs["toPort"])


def policy_document(resource: RecordedResource, key: str) -> dict[str, Any]:
    document = resource.inputs[key]
    assert not is_unknown(document)
    return json.loads(document)


def user_data_script(rec: Recording) -> str:
    encoded = rec.named("web-launch-template").inputs["userData"]
    assert not is_unknown(encoded)
    return base64.b64decode(encoded).decode()


# Section: structure ---------------------------------------------------------------------------------------------


def test_every_web_resource_is_a_child_of_the_web_tier(prod):
    (tier,) = prod.of_type(COMPONENT)
    children = [r for r in prod.resources if r.name.startswith("web-")]
    assert {r.parent for r in children} == {tier.urn}
    assert {"web-alb", "web-asg", "web-launch-template", "web-https", "web-http"} <= {r.name for r in children}


def test_security_groups_have_descriptions_no_inline_rules_and_no_sg_prefix(prod):
    for group in (sg(prod, "lb"), sg(prod, "app")):
        assert group.inputs["description"]
        assert not group.inputs["namePrefix"].startswith("sg-")
        assert "ingress" not in group.inputs or group.inputs["ingress"] == []
        assert "egress" not in group.inputs or group.inputs["egress"] == []
    for rule in prod.of_type(INGRESS) + prod.of_type(EGRESS):
        assert rule.inputs["description"], f"{rule.name} has no description"


# Section: network access ----------------------------------------------------------------------------------------


def test_only_80_and_443_are_open_to_the_world_and_only_on_the_load_balancer(prod):
    open_to_world = [
        r for r in prod.of_type(INGRESS) if r.inputs.get("cidrIpv4") in ANYWHERE or r.inputs.get("cidrIpv6") in ANYWHERE
    ]
    assert sorted(ports(r) for r in open_to_world) == [(80, 80), (443, 443)]
    for rule in open_to_world:
        assert rule.property_dependencies["securityGroupId"] == [sg(prod, "lb").urn]
        assert rule.inputs["ipProtocol"] == "tcp"


def test_no_ipv6_ingress_anywhere(prod):
    assert [r.name for r in prod.of_type(INGRESS) if r.inputs.get("cidrIpv6")] == []


def test_load_balancer_sends_only_to_the_app_port_of_the_app_group(prod):
    (egress,) = rules_on(prod, EGRESS, sg(prod, "lb"))
    assert ports(egress) == (8080, 8080)
    assert referenced(egress) == [sg(prod, "app").urn]
    assert "cidrIpv4" not in egress.inputs


def test_app_port_is_reachable_only_from_the_load_balancer(prod):
    app_rules = [r for r in rules_on(prod, INGRESS, sg(prod, "app")) if ports(r) != (22, 22)]
    assert len(app_rules) == 1
    assert ports(app_rules[0]) == (8080, 8080)
    assert referenced(app_rules[0]) == [sg(prod, "lb").urn]


def test_ssh_is_open_only_to_corporate_cidrs(prod):
    ssh_anywhere = [r for r in prod.of_type(INGRESS) if ports(r)[0] <= 22 <= ports(r)[1]]
    assert [r.inputs["cidrIpv4"] for r in ssh_anywhere] == ["203.0.113.0/24"]
    assert all(r.property_dependencies["securityGroupId"] == [sg(prod, "app").urn] for r in ssh_anywhere)


def test_ssh_gets_one_rule_per_corporate_range(customised):
    ssh = [r for r in customised.of_type(INGRESS) if ports(r) == (22, 22)]
    assert sorted(r.inputs["cidrIpv4"] for r in ssh) == ["198.51.100.0/25", "203.0.113.0/24"]


def test_app_instances_send_only_https_out_and_postgres_to_the_database(prod):
    egress = rules_on(prod, EGRESS, sg(prod, "app"))
    https = [r for r in egress if r.inputs.get("cidrIpv4") == "0.0.0.0/0"]
    assert [ports(r) for r in https] == [(443, 443)]
    to_database = [r for r in egress if r not in https]
    assert [(ports(r), referenced(r)) for r in to_database] == [((5432, 5432), [prod.named("database-sg").urn])]


def test_app_port_follows_config(customised):
    (from_lb,) = [r for r in rules_on(customised, INGRESS, sg(customised, "app")) if ports(r) != (22, 22)]
    assert ports(from_lb) == (9000, 9000)
    (to_app,) = rules_on(customised, EGRESS, sg(customised, "lb"))
    assert ports(to_app) == (9000, 9000)


# Section: load balancer -----------------------------------------------------------------------------------------


def test_http_listener_does_nothing_but_redirect_to_https_with_301(prod):
    http = prod.named("web-http")
    assert http.inputs["port"] == 80 and http.inputs["protocol"] == "HTTP"
    assert http.inputs["defaultActions"] == [
        {"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}
    ]
    assert "certificateArn" not in http.inputs


def test_every_listener_but_the_redirect_is_https(prod):
    listeners = {r.name: (r.inputs["port"], r.inputs["protocol"]) for r in prod.of_type(LISTENER)}
    assert listeners == {"web-http": (80, "HTTP"), "web-https": (443, "HTTPS")}


def test_https_listener_uses_the_tls13_policy_and_forwards_to_the_target_group(prod):
    https = prod.named("web-https")
    assert https.inputs["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
    (action,) = https.inputs["defaultActions"]
    assert action["type"] == "forward"
    assert https.property_dependencies["defaultActions"] == [prod.named("web-tg").urn]
    assert https.inputs["routingHttpResponseStrictTransportSecurityHeaderValue"].startswith("max-age=")


def test_tls_policy_follows_config(customised):
    assert customised.named("web-https").inputs["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-3-2021-06"


def test_load_balancer_is_public_hardened_and_logs_to_the_log_bucket(prod):
    alb = prod.named("web-alb")
    assert alb.inputs["internal"] is False
    assert alb.inputs["loadBalancerType"] == "application"
    assert alb.inputs["ipAddressType"] == "ipv4"
    assert alb.inputs["dropInvalidHeaderFields"] is True
    assert alb.inputs["desyncMitigationMode"] in ("defensive", "strictest")
    assert alb.inputs["enableDeletionProtection"] is True
    assert alb.inputs["accessLogs"]["enabled"] is True
    assert alb.inputs["accessLogs"]["prefix"] == "alb"
    assert alb.property_dependencies["securityGroups"] == [sg(prod, "lb").urn]


def test_load_balancer_waits_for_the_log_bucket_policy(prod):
    alb = prod.named("web-alb")
    bucket_policies = [r.urn for r in prod.of_type("aws:s3/bucketPolicy:BucketPolicy")]
    assert bucket_policies and set(bucket_policies) <= set(alb.dependencies)


def test_load_balancer_lives_in_the_public_subnets_and_logs_into_the_log_bucket(prod_apply):
    alb = prod_apply.named("web-alb")
    assert alb.inputs["subnets"] == prod_apply.stack_outputs["publicSubnetIds"]
    assert alb.inputs["accessLogs"]["bucket"] == prod_apply.stack_outputs["logBucketName"]


def test_access_logs_go_under_the_prefix_the_log_bucket_lets_elb_write(prod_apply):
    prefix = prod_apply.named("web-alb").inputs["accessLogs"]["prefix"]
    statements = policy_document(prod_apply.named("storage-logs-policy"), "policy")["Statement"]
    (elb,) = [s for s in statements if s.get("Sid") == "ElbAccessLogsDelivery"]
    log_bucket_arn = f"arn:aws:s3:::{prod_apply.stack_outputs['logBucketName']}"
    assert elb["Resource"] == f"{log_bucket_arn}/{prefix}/AWSLogs/123456789012/*"


def test_deletion_protection_is_off_outside_production(customised):
    assert customised.named("web-alb").inputs["enableDeletionProtection"] is False
    assert customised.named("web-app-logs").inputs["deletionProtectionEnabled"] is False
    assert customised.named("web-app-logs").protect is False


def test_target_group_health_checks_the_health_path_over_http(prod):
    target_group = prod.named("web-tg")
    assert target_group.inputs["protocol"] == "HTTP"
    assert target_group.inputs["port"] == 8080
    check = target_group.inputs["healthCheck"]
    assert check["enabled"] is True
    assert (check["protocol"], check["path"], check["matcher"]) == ("HTTP", "/health", "200")


def test_health_check_path_and_port_follow_config(customised):
    target_group = customised.named("web-tg")
    assert target_group.inputs["port"] == 9000
    assert target_group.inputs["healthCheck"]["path"] == "/ready"


# Section: certificate -------------------------------------------------------------------------------------------


def test_domain_config_creates_a_dns_validated_certificate(prod):
    (certificate,) = prod.of_type(CERTIFICATE)
    assert certificate.inputs["domainName"] == "app.example.com"
    assert certificate.inputs["validationMethod"] == "DNS"
    (validation,) = prod.of_type(VALIDATION)
    record = prod.named("web-certificate-validation-record")
    assert validation.property_dependencies["validationRecordFqdns"] == [record.urn]
    assert record.inputs["zoneId"] == "Z0123456789ABCDEFGHIJ"
    # The listener only uses the certificate once it is validated.
    assert prod.named("web-https").property_dependencies["certificateArn"] == [validation.urn]


def test_validation_record_is_the_one_acm_asks_for(prod_apply):
    record = prod_apply.named("web-certificate-validation-record")
    (option,) = prod_apply.named("web-certificate").outputs["domainValidationOptions"]
    assert record.inputs["name"] == option["resourceRecordName"]
    assert record.inputs["type"] == option["resourceRecordType"]
    assert record.inputs["records"] == [option["resourceRecordValue"]]


def test_domain_points_at_the_load_balancer(prod_apply):
    alias = prod_apply.named("web-alias")
    alb = prod_apply.named("web-alb")
    assert (alias.inputs["name"], alias.inputs["type"]) == ("app.example.com", "A")
    (target,) = alias.inputs["aliases"]
    assert (target["name"], target["zoneId"]) == (alb.outputs["dnsName"], alb.outputs["zoneId"])
    assert prod_apply.stack_outputs["siteUrl"] == "https://app.example.com"
    assert prod_apply.stack_outputs["loadBalancerDnsName"] == alb.outputs["dnsName"]


def test_certificate_arn_config_is_used_as_is(with_certificate_arn):
    assert with_certificate_arn.named("web-https").inputs["certificateArn"] == CERTIFICATE_ARN
    assert with_certificate_arn.of_type(CERTIFICATE) == []
    assert with_certificate_arn.of_type(VALIDATION) == []
    assert with_certificate_arn.of_type(RECORD) == []
    assert "siteUrl" not in with_certificate_arn.stack_outputs
    assert with_certificate_arn.stack_outputs["loadBalancerDnsName"].endswith(".elb.amazonaws.com")


@pytest.mark.parametrize(
    ("overrides", "key", "fragment"),
    [
        ({"domainName": "", "hostedZoneId": ""}, "certificateArn", "domainName plus hostedZoneId"),
        ({"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/x"}, "certificateArn", "not both"),
        (
            {
                "certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/x",
                "domainName": "",
                "hostedZoneId": "",
            },
            "certificateArn",
            "not an ACM certificate ARN in us-east-1",
        ),
        ({"hostedZoneId": ""}, "hostedZoneId", "is required with domainName"),
        ({"tlsPolicy": "ELBSecurityPolicy-2016-08"}, "tlsPolicy", "TLS 1.2+"),
        ({"minSize": "1"}, "minSize", "between 2 and 100"),
        ({"desiredCapacity": "9"}, "desiredCapacity", "between minSize"),
        ({"maxSize": "1"}, "maxSize", "between 2 and 100"),
        ({"instanceType": "huge"}, "instanceType", "instance type"),
        ({"appPort": "80"}, "appPort", "between 1024 and 65535"),
        ({"healthCheckPath": "health"}, "healthCheckPath", "not a URL path"),
    ],
)
def test_bad_web_config_names_the_key_and_registers_nothing(overrides, key, fragment):
    with pytest.raises(ProgramError) as caught:
        run_stack(preview=True, **overrides)
    message = str(caught.value)
    assert f"config key '{key}'" in message
    assert fragment in message
    assert caught.value.recording is not None
    assert caught.value.recording.resources == []


def test_missing_certificate_error_explains_both_options():
    with pytest.raises(ProgramError) as caught:
        run_stack(preview=True, domainName="", hostedZoneId="")
    assert "certificateArn" in str(caught.value)
    assert "domainName plus hostedZoneId" in str(caught.value)


# Section: instances ---------------------------------------------------------------------------------------------


def test_launch_template_requires_imdsv2_with_a_single_hop(prod):
    options = prod.named("web-launch-template").inputs["metadataOptions"]
    assert options == {
        "httpEndpoint": "enabled",
        "httpTokens": "required",
        "httpPutResponseHopLimit": 1,
        "instanceMetadataTags": "disabled",
    }


def test_root_volume_is_encrypted_gp3_with_our_kms_key(prod):
    template = prod.named("web-launch-template")
    (mapping,) = template.inputs["blockDeviceMappings"]
    assert mapping["deviceName"] == "/dev/xvda"
    ebs = mapping["ebs"]
    assert (ebs["volumeType"], ebs["encrypted"], ebs["deleteOnTermination"]) == ("gp3", "true", "true")
    assert prod.named("encryption-key").urn in template.property_dependencies["blockDeviceMappings"]


def test_root_volume_key_is_the_stack_key(prod_apply):
    (mapping,) = prod_apply.named("web-launch-template").inputs["blockDeviceMappings"]
    assert mapping["ebs"]["kmsKeyId"] == prod_apply.stack_outputs["kmsKeyArn"]


def test_instances_get_no_public_ip_only_the_app_group_and_detailed_monitoring(prod):
    template = prod.named("web-launch-template")
    (interface,) = template.inputs["networkInterfaces"]
    assert interface["associatePublicIpAddress"] == "false"
    assert template.property_dependencies["networkInterfaces"] == [sg(prod, "app").urn]
    assert "vpcSecurityGroupIds" not in template.inputs
    assert template.inputs["monitoring"] == {"enabled": True}


def test_instances_run_the_latest_al2023_from_the_public_parameter(prod_apply):
    image = prod_apply.named("web-launch-template").inputs["imageId"]
    assert re.fullmatch(r"ami-[0-9a-f]{17}", image)


def test_the_image_follows_the_architectures_ec2_reports_for_the_instance_type():
    # DescribeInstanceTypes' SupportedArchitectures, not the name: arm64 wherever the type supports it.
    assert ami_parameter(["x86_64"]) == AL2023_AMI_PARAMETERS["x86_64"]
    assert ami_parameter(["i386", "x86_64"]) == AL2023_AMI_PARAMETERS["x86_64"]
    assert ami_parameter(["arm64"]) == AL2023_AMI_PARAMETERS["arm64"]
    with pytest.raises(ValueError, match="no image for the architectures"):
        ami_parameter(["x86_64_mac"])


def test_graviton_instance_types_get_the_arm64_image(prod_apply, customised):
    arm_image = customised.named("web-launch-template").inputs["imageId"]
    assert arm_image != prod_apply.named("web-launch-template").inputs["imageId"]
    assert customised.named("web-launch-template").inputs["instanceType"] == "t4g.small"


def test_a_graviton_type_the_old_name_pattern_missed_gets_the_arm64_image(customised):
    # a1 (the first Graviton) has no "g" after its generation digit; only EC2's answer says it is arm64.
    a1 = run_stack(preview=False, instanceType="a1.large", environment="Staging")
    arm_image = customised.named("web-launch-template").inputs["imageId"]  # t4g.small's
    assert a1.named("web-launch-template").inputs["imageId"] == arm_image


def test_instances_launch_only_after_the_app_subnets_nat_routes_exist(prod):
    # The user data installs packages from the internet at first boot; the group names only the subnets.
    routes = [r for r in prod.of_type("aws:ec2/route:Route") if r.name.startswith("network-app-nat-route-")]
    assert len(routes) == 2
    assert {route.urn for route in routes} <= set(prod.named("web-asg").dependencies)


def test_launched_instances_and_volumes_carry_the_stack_tags(prod_apply):
    specs = prod_apply.named("web-launch-template").inputs["tagSpecifications"]
    assert {s["resourceType"] for s in specs} == {"instance", "volume", "network-interface"}
    for spec in specs:
        assert spec["tags"]["Environment"] == "Production"
        assert spec["tags"]["Project"] == "secure-aws"


def test_auto_scaling_group_itself_carries_the_stack_tags(prod):
    tags = {t["key"]: (t["value"], t["propagateAtLaunch"]) for t in prod.named("web-asg").inputs["tags"]}
    assert tags["Environment"] == ("Production", False)
    assert tags["Project"] == ("secure-aws", False)


def test_instance_role_is_for_ec2_and_grants_only_session_manager_and_the_cloudwatch_agent(prod_apply):
    trust = policy_document(prod_apply.named("web-instance-role"), "assumeRolePolicy")
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    policy = policy_document(prod_apply.named("web-instance-policy"), "policy")
    actions = set()
    for statement in policy["Statement"]:
        statement_actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        actions |= set(statement_actions)
        assert "*" not in statement_actions
        assert statement["Effect"] == "Allow"
    assert actions == {
        "ssm:UpdateInstanceInformation",
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
        "cloudwatch:PutMetricData",
        "ec2:DescribeTags",
        "ec2:DescribeVolumes",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogStreams",
    }
    (logs,) = [s for s in policy["Statement"] if s["Sid"] == "CloudWatchAgentLogs"]
    log_group_arn = prod_apply.named("web-app-logs").outputs["arn"]
    assert sorted(logs["Resource"]) == [log_group_arn, f"{log_group_arn}:*"]
    (metrics,) = [s for s in policy["Statement"] if s["Sid"] == "CloudWatchAgentMetrics"]
    assert metrics["Condition"] == {"StringEquals": {"cloudwatch:namespace": "CWAgent"}}


def test_instance_role_has_no_managed_policies(prod):
    role = prod.named("web-instance-role")
    attachments = prod.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert [a.name for a in attachments if a.property_dependencies.get("role") == [role.urn]] == []
    assert "managedPolicyArns" not in role.inputs


def test_app_log_group_is_encrypted_with_our_key_and_kept_for_the_retention(prod_apply):
    group = prod_apply.named("web-app-logs")
    assert group.inputs["kmsKeyId"] == prod_apply.stack_outputs["kmsKeyArn"]
    assert group.inputs["retentionInDays"] == 365
    assert group.protect is True
    assert group.inputs["deletionProtectionEnabled"] is True


def test_user_data_starts_the_app_on_the_app_port_and_ships_its_log(prod_apply):
    script = user_data_script(prod_apply)
    assert script.startswith("#!/bin/bash\nset -euo pipefail\n")
    assert "Environment=APP_PORT=8080 HEALTH_PATH=/health" in script
    assert "systemctl enable --now app.service" in script
    assert f'"log_group_name": "{prod_apply.named("web-app-logs").outputs["name"]}"' in script


def test_the_launch_template_carries_the_web_instance_files_as_rendered(prod_apply):
    """Byte for byte what tests/test_web_instance.py runs and verifies, for this stack's port, path and log group."""
    log_group = prod_apply.named("web-app-logs").outputs["name"]
    user_data = prod_apply.named("web-launch-template").inputs["userData"]
    assert user_data == render_user_data(8080, "/health", log_group)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status, response.read()


def test_the_app_in_the_user_data_answers_200_on_the_health_path(prod_apply, tmp_path):
    """Runs the very server script the instances get, and asks it what the load balancer asks."""
    script = user_data_script(prod_apply)
    server = script.split("cat > /opt/app/server.py <<'PY'\n", 1)[1].split("\nPY\n", 1)[0]
    (tmp_path / "server.py").write_text(server)
    port = _free_port()
    env = {"APP_PORT": str(port), "HEALTH_PATH": "/health", "PATH": "/usr/bin:/bin"}
    process = subprocess.Popen([sys.executable, str(tmp_path / "server.py")], env=env, stdout=subprocess.DEVNULL)
    try:
        for _ in range(50):
            try:
                status, body = _get(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the app never started listening")
        assert (status, body) == (200, b"ok\n")
        status, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b"secure-aws" in body
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_auto_scaling_group_spans_the_app_subnets_with_elb_health_checks(prod_apply):
    group = prod_apply.named("web-asg")
    assert group.inputs["vpcZoneIdentifiers"] == prod_apply.stack_outputs["appSubnetIds"]
    assert group.inputs["targetGroupArns"] == [prod_apply.stack_outputs["targetGroupArn"]]
    assert group.inputs["healthCheckType"] == "ELB"
    assert group.inputs["healthCheckGracePeriod"] > 0
    assert (group.inputs["minSize"], group.inputs["maxSize"], group.inputs["desiredCapacity"]) == (2, 4, 2)
    assert group.inputs["instanceRefresh"]["strategy"] == "Rolling"


def test_a_new_template_version_rolls_out_through_an_instance_refresh(prod_apply):
    """The group names the template's version number: "$Latest" would never change, so never refresh."""
    template = prod_apply.named("web-launch-template")
    group = prod_apply.named("web-asg")
    assert group.inputs["launchTemplate"] == {"id": template.id, "version": str(int(template.outputs["latestVersion"]))}
    assert group.inputs["instanceRefresh"]["strategy"] == "Rolling"
    assert group.property_dependencies["launchTemplate"] == [template.urn]


def test_auto_scaling_group_uses_the_app_subnets_in_preview_too(prod_preview):
    group = prod_preview.named("web-asg")
    app_subnets = {r.urn for r in prod_preview.resources if r.name.startswith("network-app-subnet-")}
    assert len(app_subnets) == 2
    assert set(group.property_dependencies["vpcZoneIdentifiers"]) == app_subnets


def test_auto_scaling_sizes_follow_config(customised):
    group = customised.named("web-asg")
    assert (group.inputs["minSize"], group.inputs["maxSize"], group.inputs["desiredCapacity"]) == (3, 6, 4)


# Section: alarms and outputs ------------------------------------------------------------------------------------


def test_cpu_alarm_fires_above_80_percent_for_two_5_minute_periods(prod_apply):
    alarm = prod_apply.named("web-cpu-high")
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"], alarm.inputs["statistic"]) == (
        "AWS/EC2",
        "CPUUtilization",
        "Average",
    )
    assert alarm.inputs["dimensions"] == {"AutoScalingGroupName": prod_apply.named("web-asg").outputs["name"]}
    assert alarm.inputs["comparisonOperator"] == "GreaterThanThreshold"
    assert (alarm.inputs["threshold"], alarm.inputs["period"], alarm.inputs["evaluationPeriods"]) == (80, 300, 2)


def test_load_balancer_5xx_and_unhealthy_host_alarms_exist(prod_apply):
    errors = prod_apply.named("web-alb-5xx")
    assert errors.inputs["metricName"] == "HTTPCode_ELB_5XX_Count"
    assert errors.inputs["dimensions"] == {"LoadBalancer": prod_apply.named("web-alb").outputs["arnSuffix"]}
    unhealthy = prod_apply.named("web-unhealthy-hosts")
    assert unhealthy.inputs["metricName"] == "UnHealthyHostCount"
    assert (unhealthy.inputs["comparisonOperator"], unhealthy.inputs["threshold"]) == ("GreaterThanThreshold", 0)
    assert unhealthy.inputs["dimensions"]["TargetGroup"] == prod_apply.named("web-tg").outputs["arnSuffix"]


def test_web_alarms_notify_the_alert_topic(prod_apply):
    topic = prod_apply.stack_outputs["alertTopicArn"]
    web_alarms = [r for r in prod_apply.of_type(ALARM) if r.name.startswith("web-")]
    assert {r.name for r in web_alarms} == {
        "web-cpu-high",
        "web-alb-5xx",
        "web-unhealthy-hosts",
        "web-waf-blocked-requests",
    }
    for alarm in web_alarms:
        assert alarm.inputs["alarmActions"] == [topic]


def test_web_outputs_are_exported(prod_apply):
    outputs = prod_apply.stack_outputs
    assert outputs["targetGroupArn"].startswith("arn:aws:elasticloadbalancing:us-east-1:")
    assert outputs["loadBalancerDnsName"].endswith(".us-east-1.elb.amazonaws.com")


def test_preview_exports_unknown_dns_name_but_a_known_site_url(prod_preview):
    assert is_unknown(prod_preview.stack_outputs["loadBalancerDnsName"])
    assert prod_preview.stack_outputs["siteUrl"] == "https://app.example.com"


# Section: component args ----------------------------------------------------------------------------------------


def _args(**changes: dict[str, Any]) -> WebTierArgs:
    """Good args, with `changes` per group: _args(scaling={"min_size": 1})."""
    groups: dict[str, Any] = {
        "network": WebNetworkArgs(
            vpc_id="vpc-1",
            public_subnet_ids=["subnet-a", "subnet-b"],
            app_subnet_ids=["subnet-c", "subnet-d"],
            corporate_cidrs=["203.0.113.0/24"],
        ),
        "certificate": WebCertificateArgs(
            certificate_arn=CERTIFICATE_ARN, tls_policy="ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
        ),
        "instances": WebInstanceArgs(instance_type="t3.small", app_port=8080, health_check_path="/health", tags={}),
        "scaling": WebScalingArgs(min_size=2, max_size=4, desired_capacity=2),
        "logs": WebLogArgs(access_log_bucket_name="logs", access_log_prefix="alb", app_log_retention_days=365),
        "firewall": WebFirewallArgs(web_acl_name="secure-aws-prod-web", rate_limit=2000, region="us-east-1"),
    }
    for group, fields in changes.items():
        groups[group] = dataclasses.replace(groups[group], **fields)
    return WebTierArgs(
        **groups,
        kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/k",
        alert_topic_arn="arn:aws:sns:us-east-1:123456789012:alerts",
        is_production=True,
    )


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"certificate": {"certificate_arn": None}}, "needs a certificate"),
        ({"certificate": {"domain_name": "app.example.com"}}, "not both"),
        ({"network": {"app_subnet_ids": ["subnet-c"]}}, "at least 2 AZs"),
        ({"certificate": {"tls_policy": "ELBSecurityPolicy-FS-1-2-Res-2020-10"}}, "not an allowed TLS policy"),
        ({"network": {"corporate_cidrs": ["0.0.0.0/0"]}}, "never the whole internet"),
        ({"scaling": {"min_size": 1, "desired_capacity": 1}}, "2 <= min_size"),
        ({"instances": {"health_check_path": "health"}}, "URL path"),
    ],
)
def test_component_refuses_unsafe_args(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        validate_web_tier_args(_args(**changes))


def test_good_args_pass_validation():
    validate_web_tier_args(_args())
