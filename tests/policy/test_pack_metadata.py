"""The pack as the engine sees it: its policies' metadata, levels and config, and how it loads.

Asked over gRPC from the real pack process (GetAnalyzerInfo), except where the Python objects are the point.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2

from tests.policy.conftest import POLICY_DIR, ROOT, part_one_policies, undecided

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_the_pack_is_named_secure_aws_and_versioned_in_pulumipolicy_yaml(policy_pack):
    assert policy_pack.name == "secure-aws"
    assert policy_pack.version == "0.1.0"


def test_every_policy_has_the_metadata_a_security_team_needs(policy_pack):
    assert len(policy_pack.info.policies) >= 25
    for policy in policy_pack.info.policies:
        assert KEBAB.match(policy.name), policy.name
        assert len(policy.description) > 20, policy.name
        assert policy.severity != analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED, policy.name
        assert policy.framework.name and policy.framework.reference, policy.name
        assert policy.tags and all(":" in tag for tag in policy.tags), policy.name
        assert len(policy.remediation_steps) > 30, policy.name


def test_every_policy_a_service_module_defines_is_in_the_pack_once_and_served(policy_pack):
    """Policies register where they are defined and every module of services/ is loaded: none can be left out."""
    import importlib
    import pkgutil

    from pulumi_policy import ResourceValidationPolicy, StackValidationPolicy
    from secure_aws_policies import ALL_POLICIES, services

    defined = []
    for module_info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"{services.__name__}.{module_info.name}")
        policies = [v for v in vars(module).values() if isinstance(v, ResourceValidationPolicy | StackValidationPolicy)]
        assert all(p.module == module_info.name for p in policies), module_info.name
        defined += policies
    names = [p.name for p in ALL_POLICIES]
    assert len(names) == len(set(names)), "policy names must be unique"
    assert {id(p) for p in defined} == {id(p) for p in ALL_POLICIES}
    assert [p.name for p in policy_pack.info.policies] == names


def test_a_second_policy_with_a_name_already_taken_is_refused():
    from pulumi_policy import Severity
    from secure_aws_policies import ALL_POLICIES
    from secure_aws_policies.registry import PROJECT, Category, resource_policy

    with pytest.raises(ValueError, match="required-tags is defined twice"):

        @resource_policy(
            name="required-tags",
            description="A copy of the tagging policy.",
            types=["*"],
            severity=Severity.LOW,
            category=Category.TAGGING,
            controls=[PROJECT("tagging")],
            remediation="Rename it.",
        )
        def required_tags_again(args, report, config):
            pass

    assert [p.name for p in ALL_POLICIES].count("required-tags") == 1


def test_every_policy_is_named_after_its_service_and_has_a_category():
    from secure_aws_policies import ALL_POLICIES
    from secure_aws_policies.registry import Category

    # Each service module's policies are named after what they judge in that service.
    prefixes = {
        "account_baseline": ("ebs-", "ec2-", "s3-", "iam-"),  # account-level settings of those services
        "apigateway_logging": ("apigateway-",),
        "apigateway": ("apigateway-",),
        "autoscaling": ("autoscaling-",),
        "awsconfig": ("config-",),
        "cloudtrail": ("cloudtrail-",),
        "credentials": ("database-", "stack-"),
        "codebuild": ("codebuild-",),
        "codebuild_hardening": ("codebuild-",),
        "docdb": ("docdb-",),
        "elasticache": ("elasticache-",),
        "mq": ("mq-",),
        "msk": ("msk-",),
        "opensearch": ("opensearch-",),
        "public_endpoints": ("ecs-", "opensearch-"),
        "opensearch_serverless": ("opensearch-serverless-", "opensearch-application-"),
        "verified_access": ("verified-access-",),
        "cloudfront": ("cloudfront-",),
        "provider": ("aws-provider-",),
        "cloudwatch": ("log-group-", "alarm-", "cis-monitoring-"),
        "backup": ("backup-",),
        "dms": ("dms-",),
        "dynamodb": ("dynamodb-",),
        "ebs": ("ebs-",),
        "ec2": ("ec2-", "ebs-", "launch-template-", "imdsv2-"),
        "ec2_hardening": ("ec2-",),
        "ecr": ("ecr-",),
        "ecs": ("ecs-",),
        "plaintext_secrets": ("ec2-", "codebuild-", "database-", "stack-"),
        "efs": ("efs-",),
        "eks": ("eks-",),
        "elb": ("lb-", "alb-"),
        "governance": ("exemptions-",),
        "glue": ("glue-",),
        "guardduty": ("guardduty-",),
        "iam_access_keys": ("iam-",),
        "iam": ("iam-", "resource-policy-"),
        "kinesis": ("kinesis-", "firehose-"),
        "kms": ("kms-",),
        "lambda_": ("lambda-",),
        "lambda_compute": ("lambda-",),
        "lambda_secrets": ("lambda-",),
        "rds": ("rds-",),
        "rds_copies": ("rds-",),
        "derived_data": ("derived-",),
        "data_copies": ("data-copies-",),
        "rds_replicas": ("rds-",),
        "rds_tls_version": ("rds-",),
        "redshift": ("redshift-",),
        "region": ("aws-region-",),
        "resource_policies": ("resource-policy-",),
        "s3": ("s3-",),
        "sagemaker_outputs": ("sagemaker-",),
        "sagemaker": ("sagemaker-",),
        "secretsmanager": ("secret-",),
        "security_groups": ("security-group-", "default-security-group-"),
        "sns_sqs": ("sns-", "sqs-"),
        "ssm": ("ssm-",),
        "tagging": ("required-tags",),
        "vpc": ("vpc-", "network-acl-", "subnet-"),
        "waf": ("waf-",),
    }
    for policy in ALL_POLICIES:
        assert policy.name.startswith(prefixes[policy.module]), (policy.module, policy.name)
        assert isinstance(policy.category, Category), policy.name
    assert {p.category for p in ALL_POLICIES} == set(Category)


def test_policies_are_mandatory_unless_they_say_in_code_why_they_only_advise(policy_pack):
    from secure_aws_policies import ALL_POLICIES

    levels = {p.name: p.enforcementLevel for p in policy_pack.info.policies}
    advisory = {name for name, level in levels.items() if level == analyzer_pb2.ADVISORY}
    assert advisory & part_one_policies() == {"security-group-rules-described"}
    assert set(levels.values()) == {analyzer_pb2.MANDATORY, analyzer_pb2.ADVISORY}
    reasons = {p.name: p.advisory_reason for p in ALL_POLICIES if p.advisory_reason}
    assert set(reasons) == advisory


def test_config_defaults_are_the_production_requirements(policy_pack):
    schemas = {
        p.name: json_format.MessageToDict(p.configSchema.properties)
        for p in policy_pack.info.policies
        if p.HasField("configSchema")
    }

    def default(policy, key):
        return schemas[policy][key]["default"]

    assert default("aws-region-allowed", "allowedRegions") == ["us-east-1"]
    assert default("required-tags", "requiredTags") == {"Environment": "Production"}
    assert default("security-group-admin-ports-restricted", "allowedSshCidrs") == ["203.0.113.0/24"]
    assert default("security-group-world-ingress-restricted", "worldOpenPorts") == [80, 443]
    assert default("kms-key-deletion-window", "minKeyDeletionWindowDays") == 7
    assert default("s3-bucket-encrypted-with-cmk", "aes256Buckets") == []
    assert default("sqs-queue-encrypted-with-cmk", "allowSqsManagedSse") is False


def test_findings_carry_the_policy_severity(analyze):
    severities = {f.policy: f.severity for f in analyze("violations-apply")}
    assert severities["lambda-permission-not-public"] == "critical"
    assert severities["required-tags"] == "low"
    assert severities["aws-region-allowed"] == "high"


def test_the_compliant_program_draws_nothing_at_all(analyze, mode):
    """No violation and no "can't run during preview" note: unknown key ARNs are not a reason to hesitate."""
    assert [f for f in analyze(f"compliant-{mode}") if f.policy in part_one_policies()] == []


def test_all_can_lower_every_policy_to_advisory(analyze):
    findings = analyze("violations-apply", {"all": "advisory"})
    assert len(findings) > 30
    assert {f.enforcement_level for f in findings} == {"advisory"}


def test_one_policy_can_be_raised_or_disabled(analyze):
    findings = analyze(
        "violations-apply", {"security-group-rules-described": "mandatory", "kms-key-rotation-enabled": "disabled"}
    )
    levels = {f.enforcement_level for f in findings if f.policy == "security-group-rules-described"}
    assert levels == {"mandatory"}
    assert not [f for f in findings if f.policy == "kms-key-rotation-enabled"]
    assert [f for f in analyze("violations-apply") if f.policy == "kms-key-rotation-enabled"]


def test_preview_and_apply_differ_only_where_a_value_was_unknown(analyze):
    mine = part_one_policies()
    preview = {f.key for f in analyze("violations-preview") if not f.undecided and f.policy in mine}
    apply = {f.key for f in analyze("violations-apply") if not f.undecided and f.policy in mine}
    assert preview <= apply
    assert {key[1].rsplit("::", 1)[-1] for key in apply - preview} == {"ssh-from-eip"}
    notes = [f for f in undecided(analyze("violations-preview")) if f.policy in mine]
    assert {f.urn.rsplit("::", 1)[-1] for f in notes} <= {"ssh-from-eip", ""}


def test_importing_the_policies_starts_no_server_prints_nothing_and_loads_no_program_code():
    code = (
        "import sys, secure_aws_policies; "
        "assert not [m for m in sys.modules if m.startswith(('pulumi_aws', 'components', 'settings'))], 'leak'; "
        "print(len(secure_aws_policies.ALL_POLICIES), file=sys.stderr)"
    )
    result = subprocess.run(
        [str(POLICY_DIR / ".venv" / "bin" / "python"), "-c", code],
        cwd=POLICY_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert int(result.stderr.strip()) >= 25


def test_the_policy_readme_is_generated_from_the_policies_metadata():
    from secure_aws_policies import ALL_POLICIES, docs

    text = (POLICY_DIR / "README.md").read_text()
    assert text == docs.render(), "policy/README.md is out of date: run `make generate`"
    for policy in ALL_POLICIES:
        assert f"### {policy.name}" in text


def test_the_project_readme_points_to_the_policy_readme():
    assert "policy/README.md" in (ROOT / "README.md").read_text()
