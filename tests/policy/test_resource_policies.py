"""Resource policies of every kind (issue 13) read by one reader (issue 10 item 6): nothing granted to everyone,
to a service acting for any account, or to an account the pack does not guard. Through the real pack process in
both modes. Program: tests/policy/programs/resource_policies (guarded account 123456789012 from the provider's
allowed_account_ids; 999999999999 is someone else's)."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, name_of, run_fixture, undecided, violations

NOT_PUBLIC = "resource-policy-not-public"
NO_OTHER_ACCOUNT = "resource-policy-no-other-account"

# Principal "*" (or {"AWS": "*"}, or NotPrincipal) with no condition, or one that narrows nothing.
PUBLIC = {
    "public-secret-policy",  # a second policy resource on a secret whose own policy is ours only
    "username-narrowed-secret",  # aws:username exists in every account
    "ifexists-public-repository-policy",  # true when the key is absent
    "public-layer-permission",
    "notequals-public-bus-policy",  # admits every other organization
    "public-event-permission",
    "public-document",  # shared with All
    "sourceip-public-domain",  # aws:SourceIp names no account
    "public-rest-api",
    "notprincipal-public-vault",  # Allow with NotPrincipal is everyone else
    "tls-only-public-file-system-policy",  # aws:SecureTransport says how, not who
    "forallvalues-public-backup-vault-policy",  # true when the key is absent
    "bucket-arn-public-topic-policy",  # an S3 ARN names no account
    "public-table-resource-policy",  # a DynamoDB resource policy, from the generated list
    "partial-perimeter-public-bucket-policy",  # its deny covers s3:PutObject, not the s3:GetObject it allows
    "openapi-body-public-rest-api",  # the policy inside the OpenAPI body (x-amazon-apigateway-policy)
}
# A service principal without its source.
UNSOURCED = {
    "unsourced-lambda-repository-policy",
    "unsourced-service-bucket-policy",
    "wildcard-source-queue-policy",
    "unsourced-log-resource-policy",
}
OTHER_ACCOUNT = {
    "their-account-secret-policy",
    "their-account-registry-policy",
    "their-account-layer-permission",
    "their-account-event-permission",
    "their-account-document",
    "their-account-api-policy",
    "their-account-bucket-policy",
    "their-topic-queue-policy",
    "their-account-permission",
    "their-source-account-permission",
    "their-account-replica-key",  # a multi-Region replica key is not kms-key-access-this-account's
}
COMPUTED = "computed-public-secret-policy"  # embeds the secret's ARN: unknown at a first preview


@pytest.fixture(scope="module")
def policies(policy_pack) -> Analyses:
    runs = {m: run_fixture("resource_policies", preview=m == "preview") for m in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_everyone_and_unsourced_services_are_refused_on_every_kind_of_resource_policy(policies, mode):
    found = violations(policies(mode), NOT_PUBLIC)
    expected = PUBLIC | UNSOURCED | ({COMPUTED} if mode == "apply" else set())
    assert set(found) == expected
    for name in PUBLIC:
        assert 'to everyone (Principal "*") without a condition' in found[name][0], name
    assert (
        "allows ecr:BatchGetImage to lambda.amazonaws.com without aws:SourceArn or aws:SourceAccount"
        in (found["unsourced-lambda-repository-policy"][0])
    )


def test_a_policy_built_from_an_unknown_arn_is_undecided_at_preview_not_passed(policies):
    notes = {name_of(f) for f in undecided(policies("preview")) if f.policy == NOT_PUBLIC}
    assert notes == {COMPUTED}


def test_other_accounts_as_principal_or_source_are_refused(policies, mode):
    found = violations(policies(mode), NO_OTHER_ACCOUNT)
    assert set(found) == OTHER_ACCOUNT
    assert (
        "gives account(s) 999999999999 ecr:ReplicateImage; guarded accounts: 123456789012"
        in (found["their-account-registry-policy"][0])
    )
    assert (
        "gives sns.amazonaws.com acting for account(s) 999999999999 sqs:SendMessage"
        in (found["their-topic-queue-policy"][0])
    )
    assert "gives account(s) 999999999999 use of the document" in found["their-account-document"][0]


def test_narrowing_to_our_account_organization_vpc_or_mount_targets_passes(policies, mode):
    """Org-scoped layers, buses, secrets and backup vaults, a private API by aws:SourceVpce, EFS mount-target
    access, a VPC search domain, sourced services and ELB's log-delivery account are not findings."""
    findings = policies(mode)
    flagged = set(violations(findings, NOT_PUBLIC)) | set(violations(findings, NO_OTHER_ACCOUNT))
    assert not {name for name in flagged if name.startswith("ok-")}


def test_the_guarded_accounts_come_from_the_pack_config_too(policies):
    config = {NO_OTHER_ACCOUNT: {"accountIds": ["999999999999"]}}  # theirs is ours too, now
    assert violations(policies("apply", config), NO_OTHER_ACCOUNT) == {}


def test_the_reader_accepts_only_positive_operators_on_account_keys_with_concrete_values():
    from secure_aws_policies import access

    guarded = {"123456789012"}

    def kinds(condition: dict) -> list[str]:
        statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": condition}
        return [e.kind for e in access.statement_exposures(statement, "s", guarded)]

    assert kinds({"StringEquals": {"aws:SourceAccount": "123456789012"}}) == []
    assert kinds({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/*"}}) == []
    assert kinds({"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}) == []
    assert kinds({"StringEquals": {"aws:SourceAccount": "999999999999"}}) == [access.OTHER_ACCOUNT]
    assert kinds({"StringLike": {"aws:SourceAccount": "*"}}) == [access.PUBLIC]
    assert kinds({"StringNotEqualsIfExists": {"aws:SourceAccount": "123456789012"}}) == [access.PUBLIC]
    assert kinds({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}) == [access.PUBLIC]
    assert kinds({"Null": {"aws:PrincipalOrgID": "false"}}) == [access.PUBLIC]
    assert kinds({"StringEquals": {"aws:userid": "AIDAEXAMPLE"}}) == [access.PUBLIC]


def test_images_and_snapshots_may_be_shared_with_the_providers_guarded_account(policies, mode):
    findings = policies(mode)
    assert set(violations(findings, "ec2-image-and-snapshot-not-shared")) == {"their-account-ami"}
    assert violations(findings, "rds-snapshot-not-shared") == {}


ORG_NARROWED = {
    "ok-org-secret-policy",
    "ok-org-layer-permission",
    "ok-org-bus-policy",
    "ok-org-event-permission",
    "ok-org-backup-vault-policy",
    "ok-perimeter-bucket-policy",
}


def test_with_our_organization_configured_another_organization_is_another_account(policies, mode):
    theirs = violations(policies(mode, {NO_OTHER_ACCOUNT: {"organizationIds": ["o-zzzzzzzzzz"]}}), NO_OTHER_ACCOUNT)
    assert set(theirs) == OTHER_ACCOUNT | ORG_NARROWED
    assert "gives organization(s) o-a1b2c3d4e5 lambda:GetLayerVersion" in theirs["ok-org-layer-permission"][0]
    ours = violations(policies(mode, {NO_OTHER_ACCOUNT: {"organizationIds": ["o-a1b2c3d4e5"]}}), NO_OTHER_ACCOUNT)
    assert set(ours) == OTHER_ACCOUNT


def test_a_lambda_permission_for_everyone_needs_a_source_that_names_an_account(policies, mode):
    found = violations(policies(mode), "lambda-permission-not-public")
    assert found == {
        "wildcard-source-public-permission": [
            "permission wildcard-source-public-permission lets any principal invoke the function (principal '*', "
            "no sourceArn naming an account, sourceAccount or principalOrgId)."
        ]
    }


def test_a_search_domain_policy_is_judged_with_the_domain_it_is_linked_to(policies, mode):
    """Open inside a VPC domain is fine; on a public domain, or with an unlinked domain name, it is public. The
    aws:UserAgent condition narrows nothing."""
    found = violations(policies(mode), "resource-policy-search-domain-not-public")
    assert set(found) == {"useragent-public-domain-policy", "public-domain-policy"}
    assert 'allows es:ESHttp* to everyone (Principal "*")' in found["public-domain-policy"][0]
