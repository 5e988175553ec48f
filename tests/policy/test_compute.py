"""Compute hardening and publicly reachable services (issue 13): Lambda function URLs and runtimes, EKS endpoint,
secrets and logs, Redshift, DMS and SageMaker notebooks. Through the real pack process, both modes; the violating
program leaves most insecure defaults out instead of writing them."""

from __future__ import annotations

import datetime
import sys

import pytest

from tests.policy.conftest import POLICY_DIR, Analyses, run_fixture, undecided, violations

if str(POLICY_DIR) not in sys.path:
    sys.path.insert(0, str(POLICY_DIR))

POLICIES = [
    "lambda-function-url-requires-auth",
    "lambda-runtime-supported",
    "eks-endpoint-not-public",
    "eks-secrets-encrypted-with-cmk",
    "eks-control-plane-logging",
    "redshift-cluster-not-public",
    "dms-replication-instance-not-public",
    "sagemaker-notebook-no-direct-internet",
    "sagemaker-notebook-no-root-access",
    "eks-node-group-ssh-not-open",
    "redshift-serverless-workgroup-not-public",
    "sagemaker-domain-vpc-only",
]


@pytest.fixture(scope="module")
def compute(policy_pack) -> Analyses:
    runs = {
        f"{kind}-{mode}": run_fixture(f"compute_{kind}", preview=mode == "preview")
        for kind in ("compliant", "violations")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_compliant_program_violates_no_compute_policy(compute, mode, policy):
    assert violations(compute(f"compliant-{mode}"), policy) == {}


def test_no_compute_policy_is_left_undecided_by_preview_unknowns(compute):
    judged = POLICIES + ECS_AND_API_POLICIES + EC2_POLICIES
    assert [f for f in undecided(compute("compliant-preview")) if f.policy in judged] == []


def test_a_function_url_without_iam_auth_is_public(compute, mode):
    found = violations(compute(f"violations-{mode}"), "lambda-function-url-requires-auth")
    assert found == {
        "open-url": [
            "function URL open-url has authorizationType 'NONE', so anyone on the internet can invoke the function."
        ]
    }


def test_the_public_permission_a_none_url_needs_is_refused_too(compute, mode):
    found = violations(compute(f"violations-{mode}"), "lambda-permission-not-public")
    assert set(found) == {"open-url-permission"}


def test_deprecated_runtimes_are_refused_in_string_and_enum_form(compute, mode):
    found = violations(compute(f"violations-{mode}"), "lambda-runtime-supported")
    assert set(found) == {"old-python-fn", "old-node-enum-fn"}
    assert "runtime python3.8, deprecated by AWS on 2024-10-14" in found["old-python-fn"][0]
    assert "runtime nodejs16.x" in found["old-node-enum-fn"][0]


def test_a_runtime_passes_until_its_deprecation_day():
    from secure_aws_policies.services.lambda_compute import deprecated_since

    assert deprecated_since("python3.12", datetime.date(2028, 10, 30)) is None
    assert deprecated_since("python3.12", datetime.date(2028, 10, 31)) == datetime.date(2028, 10, 31)
    assert deprecated_since("provided", datetime.date(2024, 1, 8)) == datetime.date(2024, 1, 8)
    assert deprecated_since("python3.99", datetime.date(2030, 1, 1)) is None  # not listed: not judged


def test_an_eks_endpoint_is_public_to_the_world_by_default_or_when_the_cidrs_add_up_to_it(compute, mode):
    found = violations(compute(f"violations-{mode}"), "eks-endpoint-not-public")
    assert set(found) == {"default-endpoint-cluster", "split-world-cluster", "explicit-public-cluster"}
    assert "no publicAccessCidrs, so EKS opens it to 0.0.0.0/0" in found["default-endpoint-cluster"][0]
    assert "['0.0.0.0/1', '128.0.0.0/1']" in found["split-world-cluster"][0]


def test_eks_secrets_need_encryption_with_our_key(compute, mode):
    found = violations(compute(f"violations-{mode}"), "eks-secrets-encrypted-with-cmk")
    assert set(found) == {"default-endpoint-cluster", "split-world-cluster", "explicit-public-cluster"}
    assert "sets no encryptionConfig" in found["default-endpoint-cluster"][0]
    assert "alias/aws/eks, an AWS managed key" in found["split-world-cluster"][0]


def test_eks_control_plane_must_log_audit_and_authenticator(compute, mode):
    found = violations(compute(f"violations-{mode}"), "eks-control-plane-logging")
    assert set(found) == {"default-endpoint-cluster", "split-world-cluster"}
    assert "does not log audit, authenticator" in found["split-world-cluster"][0]


def test_the_required_eks_log_types_are_configurable(compute):
    config = {"eks-control-plane-logging": {"requiredLogTypes": ["audit", "api", "scheduler"]}}
    found = violations(compute("violations-apply", config), "eks-control-plane-logging")
    assert "does not log scheduler" in found["explicit-public-cluster"][0]


def test_a_public_redshift_cluster_is_refused(compute, mode):
    found = violations(compute(f"violations-{mode}"), "redshift-cluster-not-public")
    assert set(found) == {"public-warehouse"}


def test_a_dms_instance_is_public_unless_it_says_otherwise(compute, mode):
    found = violations(compute(f"violations-{mode}"), "dms-replication-instance-not-public")
    assert set(found) == {"default-dms", "public-dms"}
    assert "AWS's default is public" in found["default-dms"][0]


def test_a_notebook_has_direct_internet_unless_disabled_and_in_our_vpc(compute, mode):
    found = violations(compute(f"violations-{mode}"), "sagemaker-notebook-no-direct-internet")
    assert set(found) == {"default-notebook", "enabled-notebook"}
    assert len(found["default-notebook"]) == 2  # Enabled by default, and no subnet


def test_a_notebook_gives_root_unless_disabled(compute, mode):
    found = violations(compute(f"violations-{mode}"), "sagemaker-notebook-no-root-access")
    assert set(found) == {"default-notebook", "enabled-notebook"}


ECS_AND_API_POLICIES = [
    "ecs-container-not-privileged",
    "ecs-container-not-root",
    "ecs-container-no-plaintext-secrets",
    "ecs-container-read-only-root-fs",
    "apigateway-routes-require-authorization",
]


@pytest.mark.parametrize("policy", ECS_AND_API_POLICIES)
def test_the_compliant_program_violates_no_ecs_or_api_policy(compute, mode, policy):
    assert violations(compute(f"compliant-{mode}"), policy) == {}


def test_a_privileged_container_is_refused(compute):
    assert set(violations(compute("violations-preview"), "ecs-container-not-privileged")) == {"privileged-task"}
    # At apply the computed document is known, and its privileged container is refused too.
    found = violations(compute("violations-apply"), "ecs-container-not-privileged")
    assert found == {
        "privileged-task": ["task definition privileged-task: container app is privileged."],
        "computed-task": ["task definition computed-task: container app is privileged."],
    }


def test_a_container_document_unknown_at_preview_is_undecided_not_passed(compute):
    notes = {f.policy for f in undecided(compute("violations-preview")) if f.urn.endswith("::computed-task")}
    assert "ecs-container-not-privileged" in notes


def test_a_container_declaring_root_by_uid_or_name_is_refused(compute, mode):
    found = violations(compute(f"violations-{mode}"), "ecs-container-not-root")
    assert found == {
        "privileged-task": ["task definition privileged-task: container app runs as user '0:0', which is root."],
        "root-named-task": ["task definition root-named-task: container sidecar runs as user 'root', which is root."],
    }


def test_secrets_in_plain_environment_are_named_but_never_printed(compute, mode):
    found = violations(compute(f"violations-{mode}"), "ecs-container-no-plaintext-secrets")
    assert set(found) == {"privileged-task"}
    messages = found["privileged-task"]
    assert len(messages) == 2
    assert any("passes DB_PASSWORD as a plain environment variable" in m for m in messages)
    assert any("AWS_SECRET_ACCESS_KEY" in m for m in messages)
    assert not any("not-a-real-one" in m for m in messages)


def test_a_writable_root_file_system_is_advised_against(compute, mode):
    findings = [f for f in compute(f"violations-{mode}") if f.policy == "ecs-container-read-only-root-fs"]
    assert {f.urn.rsplit("::", 1)[-1] for f in findings if not f.undecided} == {"privileged-task"}
    assert all(f.enforcement_level == "advisory" for f in findings)


def test_api_routes_and_methods_without_authorization_are_refused(compute, mode):
    found = violations(compute(f"violations-{mode}"), "apigateway-routes-require-authorization")
    assert set(found) == {"open-route", "open-default-route", "quick-api", "ws-connect-route", "open-method"}
    assert "authorizationType NONE" in found["open-route"][0]  # left out: NONE is the default
    assert "quick-created with `target`" in found["quick-api"][0]


EC2_POLICIES = [
    "ec2-no-elastic-ip-on-instance",
    "ec2-no-default-vpc",
    "ec2-imds-hop-limit",
    "ec2-spot-requests-hardened",
]


@pytest.mark.parametrize("policy", EC2_POLICIES)
def test_the_compliant_program_violates_no_ec2_hardening_policy(compute, mode, policy):
    assert violations(compute(f"compliant-{mode}"), policy) == {}


def test_an_elastic_ip_on_an_instance_or_its_interface_is_refused(compute, mode):
    found = violations(compute(f"violations-{mode}"), "ec2-no-elastic-ip-on-instance")
    assert set(found) == {"instance-eip", "eni-eip-association"}


def test_nothing_is_placed_in_the_default_vpc(compute, mode):
    found = violations(compute(f"violations-{mode}"), "ec2-no-default-vpc")
    assert set(found) == {"default-subnet-instance", "default-vpc-sg", "no-subnet-instance"}
    assert "uses default-subnet-a" in found["default-subnet-instance"][0]
    assert "launches it in the default VPC's default subnet" in found["no-subnet-instance"][0]


def test_the_imds_hop_limit_stays_at_one(compute, mode):
    found = violations(compute(f"violations-{mode}"), "ec2-imds-hop-limit")
    assert set(found) == {"hop2-instance", "hop3-template", "hop2-spot"}


def test_container_hosts_may_be_allowed_a_hop_limit_of_two(compute):
    found = violations(compute("violations-apply", {"ec2-imds-hop-limit": {"maxHopLimit": 2}}), "ec2-imds-hop-limit")
    assert set(found) == {"hop3-template"}


def test_spot_requests_are_held_to_the_instance_rules(compute, mode):
    found = violations(compute(f"violations-{mode}"), "ec2-spot-requests-hardened")
    assert set(found) == {"public-spot", "spec-fleet"}
    assert len(found["public-spot"]) == 3  # public IP, IMDSv1, root volume from the AMI
    assert any("cannot require IMDSv2" in m for m in found["spec-fleet"])
    assert any("declares no rootBlockDevices" in m for m in found["spec-fleet"])


def test_node_group_ssh_without_source_groups_is_open_to_the_world(compute, mode):
    assert set(violations(compute(f"violations-{mode}"), "eks-node-group-ssh-not-open")) == {"ssh-open-nodes"}


def test_a_public_serverless_workgroup_is_refused(compute, mode):
    found = violations(compute(f"violations-{mode}"), "redshift-serverless-workgroup-not-public")
    assert set(found) == {"public-workgroup"}


def test_a_studio_domain_is_on_the_public_internet_unless_vpc_only(compute, mode):
    found = violations(compute(f"violations-{mode}"), "sagemaker-domain-vpc-only")
    assert found == {
        "public-domain": [
            "domain public-domain has appNetworkAccessType PublicInternetOnly (the default when left out)."
        ]
    }
