"""Unusual but valid input shapes, through the real pack process: a single value where a list belongs, protocols
and ports as numbers or strings (6, -1, "22"), aws:vpc rules without ports, a CIDR wider than the corporate range
that contains it, secrets, IAM NotResource/NotPrincipal and conditions that only look like they narrow "*", an
S3 encryption configuration without rules, a bucket's computed default-encryption output, and a provider whose
default_tags are unknown at a first preview. Program: tests/policy/programs/shapes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, name_of, run_fixture, undecided, violations


@pytest.fixture(scope="module")
def shapes(policy_pack) -> Analyses:
    return Analyses(
        policy_pack, {mode: run_fixture("shapes", preview=mode == "preview") for mode in ("preview", "apply")}
    )


# Security groups and network ACLs ------------------------------------------------------------------------------


def test_a_single_cidr_string_where_a_list_belongs_is_still_judged(shapes, mode):
    findings = shapes(mode)
    assert violations(findings, "security-group-world-ingress-restricted")["single-cidr-ssh-sg"] == [
        "single-cidr-ssh-sg: ingress[0] opens tcp 22 to 0.0.0.0/0; only TCP [80, 443] may be open to the world."
    ]
    assert "single-cidr-ssh-sg" in violations(findings, "security-group-admin-ports-restricted")


def test_protocol_6_and_ports_given_as_strings_open_the_ports_inside_the_range(shapes, mode):
    found = violations(shapes(mode), "security-group-admin-ports-restricted")
    assert found["numeric-tcp-string-ports-rule"] == [
        "numeric-tcp-string-ports-rule: the rule (tcp 20-30) lets 198.51.100.0/24 reach port(s) 22; allowed sources: "
        "['203.0.113.0/24']."
    ]


def test_protocol_minus_one_sent_as_a_number_is_all_traffic(shapes, mode):
    found = violations(shapes(mode), "security-group-world-ingress-restricted")
    assert found["numeric-all-traffic-rule"] == [
        "numeric-all-traffic-rule: the rule opens all traffic to 0.0.0.0/0; only TCP [80, 443] may be open to the "
        "world."
    ]


def test_an_all_traffic_vpc_rule_without_ports_from_ipv6_world_reaches_ssh_and_rdp(shapes, mode):
    findings = shapes(mode)
    assert (
        "(all traffic) lets ::/0 reach port(s) 22, 3389"
        in violations(findings, "security-group-admin-ports-restricted")["vpc-all-traffic-v6-rule"][0]
    )
    assert "vpc-all-traffic-v6-rule" in violations(findings, "security-group-world-ingress-restricted")


def test_ssh_from_a_cidr_containing_the_corporate_range_is_refused_and_from_inside_it_allowed(shapes, mode):
    found = violations(shapes(mode), "security-group-admin-ports-restricted")
    assert "lets 203.0.0.0/16 reach port(s) 22" in found["wider-than-corporate-ssh-rule"][0]
    assert "inside-corporate-ssh-rule" not in found


def test_a_secret_cidr_list_is_judged_like_a_plain_one(shapes, mode):
    findings = shapes(mode)
    assert "secret-world-ssh-rule" in violations(findings, "security-group-world-ingress-restricted")
    assert "secret-world-ssh-rule" in violations(findings, "security-group-admin-ports-restricted")


def test_ports_unknown_at_preview_do_not_matter_when_the_source_is_the_corporate_range(shapes):
    """The rule's ports come from another resource's output; its source alone decides both policies. (Whether a
    public source may reach the port does depend on the port: security-group-database-ports-private waits.)"""
    policies = {"security-group-admin-ports-restricted", "security-group-world-ingress-restricted"}
    assert [f for f in shapes("preview") if name_of(f) == "unknown-port-corporate-rule" and f.policy in policies] == []


def test_a_source_unknown_at_preview_does_not_matter_when_the_port_is_https(shapes):
    """The CIDR comes from another resource's output; port 443 alone decides both policies."""
    policies = {"security-group-admin-ports-restricted", "security-group-world-ingress-restricted"}
    assert [
        f for f in shapes("preview") if name_of(f) == "https-from-unknown-source-rule" and f.policy in policies
    ] == []


def test_a_network_acl_rule_with_protocol_6_from_the_world_reaches_ssh(shapes, mode):
    assert violations(shapes(mode), "network-acl-admin-ports-closed-to-world")["numeric-tcp-world-acl-rule"] == [
        "network ACL numeric-tcp-world-acl-rule: the rule allows tcp 0-65535 from 0.0.0.0/0, reaching port(s) 22, 3389."
    ]


def test_a_secret_public_ip_flag_is_still_a_public_ip(shapes, mode):
    assert "secret-public-ip-instance" in violations(shapes(mode), "ec2-instance-no-public-ip")


def test_auto_scaling_launch_configurations_assign_no_public_ip(shapes, mode):
    """FSBP Autoscaling.5 is about launch configurations, so the policy that names it judges them."""
    found = violations(shapes(mode), "launch-template-no-public-ip")
    assert found == {
        "public-ip-launch-configuration": [
            "launch configuration public-ip-launch-configuration sets associatePublicIpAddress."
        ]
    }


# IAM -----------------------------------------------------------------------------------------------------------


def test_a_secret_policy_document_is_parsed_and_judged(shapes, mode):
    assert "secret-admin-policy" in violations(shapes(mode), "iam-no-admin-wildcard")


def test_every_action_on_everything_but_one_resource_notresource_is_admin(shapes, mode):
    findings = shapes(mode)
    assert violations(findings, "iam-no-admin-wildcard")["notresource-admin-policy"] == [
        "notresource-admin-policy: policy statement 0 allows every action on every resource."
    ]
    assert "notresource-admin-policy" in violations(findings, "iam-no-decrypt-on-all-keys")
    assert "scoped-policy" not in violations(findings, "iam-no-admin-wildcard")


def test_attaching_the_aws_managed_administrator_or_power_user_policy_is_admin(shapes, mode):
    found = violations(shapes(mode), "iam-no-admin-wildcard")
    assert found["admin-managed-role"] == [
        "admin-managed-role attaches the AWS managed policy AdministratorAccess, which allows every action on every "
        "resource."
    ]
    assert "PowerUserAccess, which allows every action but IAM" in found["poweruser-attachment"][0]
    assert "readonly-attachment" not in found


def test_attaching_a_policy_the_program_creates_is_not_undecided_at_preview(shapes):
    """Its ARN is unknown at preview; the policy itself is judged as its own resource."""
    assert [f for f in shapes("preview") if name_of(f) == "own-policy-attachment"] == []


def test_a_policy_attachment_that_names_only_roles_gives_no_user_a_policy(shapes, mode):
    assert [f for f in shapes(mode) if name_of(f) == "roles-only-policy-attachment"] == []


PUBLIC = {
    "forallvalues-public-policy",
    "ifexists-public-policy",
    "notequals-public-policy",
    "wildcard-arn-public-policy",
    "notprincipal-public-policy",
}


def test_conditions_that_do_not_tie_everyone_to_an_account_leave_a_resource_policy_public(shapes):
    """ForAllValues and ...IfExists pass when the key is absent, StringNotEquals admits every other account, a
    wildcard account in aws:SourceArn is any account, and Allow with NotPrincipal is everyone else."""
    found = violations(shapes("apply"), "resource-policy-not-public")
    assert set(found) == PUBLIC
    assert all('to everyone (Principal "*")' in messages[0] for messages in found.values())


def test_a_source_arn_in_our_account_or_an_org_path_narrows_everyone(shapes):
    found = violations(shapes("apply"), "resource-policy-not-public")
    assert "account-arn-narrowed-policy" not in found and "org-path-narrowed-policy" not in found


def test_a_topic_policy_built_from_the_topics_arn_is_undecided_at_preview_not_violated(shapes):
    preview = shapes("preview")
    assert violations(preview, "resource-policy-not-public") == {}
    notes = {name_of(f) for f in undecided(preview) if f.policy == "resource-policy-not-public"}
    assert notes == PUBLIC | {"account-arn-narrowed-policy", "org-path-narrowed-policy"}


# Encryption, numbers as strings, tags --------------------------------------------------------------------------


def test_an_encryption_configuration_without_rules_encrypts_nothing(shapes, mode):
    assert violations(shapes(mode), "s3-bucket-encrypted-with-cmk")["ruleless-sse-bucket"] == [
        "bucket ruleless-sse-bucket: ruleless-sse: it has no rule, so it sets no default encryption."
    ]


def test_a_linked_kms_configuration_wins_over_the_buckets_default_sse_s3_output(shapes, mode):
    """After `pulumi up` the bucket's own outputs show S3's default AES256, read before the configuration applied."""
    assert "kms-configured-bucket-with-default-output" not in violations(shapes(mode), "s3-bucket-encrypted-with-cmk")


def test_numbers_given_as_strings_are_compared_as_numbers(shapes, mode):
    findings = shapes(mode)
    assert violations(findings, "log-group-retention")["string-retention-log-group"] == [
        "log group string-retention-log-group keeps events 30 days; at least 365 are required."
    ]
    assert violations(findings, "kms-key-deletion-window") == {
        "five-day-window-key": ["key five-day-window-key: deletionWindowInDays is 5, below the minimum of 7."]
    }


def test_own_tags_decide_even_when_the_providers_default_tags_are_unknown_at_preview(shapes):
    preview = shapes("preview")
    tagging = [f for f in preview if f.policy == "required-tags"]
    assert [name_of(f) for f in tagging if f.undecided] == ["default-tags-on-late-provider-topic"]
    assert violations(tagging, "required-tags") == {
        "overriding-tag-on-late-provider-topic": [
            "overriding-tag-on-late-provider-topic: its tag Environment='Staging', required Environment='Production'."
        ]
    }


def test_unknown_default_tags_are_decided_at_apply(shapes):
    tagging = [f for f in shapes("apply") if f.policy == "required-tags"]
    assert [name_of(f) for f in tagging] == ["overriding-tag-on-late-provider-topic"]


# A bucket's computed outputs at AnalyzeStack ---------------------------------------------------------------------

BUCKET_POLICIES = ["s3-bucket-versioning", "s3-bucket-lifecycle", "s3-bucket-ownership-enforced"]


@pytest.mark.parametrize("policy", BUCKET_POLICIES)
def test_a_buckets_computed_inline_outputs_do_not_override_its_linked_resources(shapes, mode, policy):
    """Versioning off, no lifecycle rules and the owner's own FULL_CONTROL grant in the bucket's outputs (unknown
    at preview) do not matter when linked resources enable versioning, a lifecycle and BucketOwnerEnforced."""
    assert [f for f in shapes(mode) if f.policy == policy and name_of(f) in ("computed-outputs-bucket", "")] == []


def test_a_grant_to_a_group_is_an_acl_even_with_ownership_enforced(shapes, mode):
    found = violations(shapes(mode), "s3-bucket-ownership-enforced")
    assert found["group-grant-bucket"] == [
        "bucket group-grant-bucket sets an ACL or grants inline; use bucket policies."
    ]


def test_unknown_inline_logging_is_undecided_at_preview_not_passed_and_judged_at_apply(shapes):
    preview, apply = shapes("preview"), shapes("apply")
    assert "computed-outputs-bucket" not in violations(preview, "s3-bucket-access-logging")
    assert [f.policy for f in undecided(preview) if f.policy == "s3-bucket-access-logging"] == [
        "s3-bucket-access-logging"
    ]
    assert "computed-outputs-bucket" in violations(apply, "s3-bucket-access-logging")
