"""IAM: no admin or service-wide wildcards, no decrypt on all keys, no user policies, trust policies that name a
principal, resource policies that are not public; key policies read as key policies. Through the real pack."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, undecided, violations

POLICIES = [
    "iam-no-admin-wildcard",
    "iam-no-service-wildcard",
    "iam-no-decrypt-on-all-keys",
    "iam-no-user-policies",
    "iam-trust-policy-names-principal",
    "resource-policy-not-public",
]


@pytest.fixture(scope="module")
def iam(policy_pack) -> Analyses:
    runs = {
        f"{kind}-{mode}": run_fixture(f"iam_{kind}", preview=mode == "preview")
        for kind in ("compliant", "violations")
        for mode in ("preview", "apply")
    }
    return Analyses(policy_pack, runs)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_compliant_program_violates_no_iam_policy(iam, mode, policy):
    """Includes the standard key policy: root `kms:*` on `*`, and `{"AWS": "*"}` bound by kms:CallerAccount."""
    assert violations(iam(f"compliant-{mode}"), policy) == {}


def test_a_document_unknown_at_preview_is_undecided_only_there_and_only_for_its_resource(iam):
    notes = [f for f in undecided(iam("compliant-preview")) if f.policy in POLICIES]
    assert {f.urn.rsplit("::", 1)[-1] for f in notes} == {"app-data-access"}
    assert {f.enforcement_level for f in notes} == {"advisory"}
    assert [f for f in undecided(iam("compliant-apply")) if f.policy in POLICIES] == []


def test_no_policy_allows_every_action_on_every_resource(iam, mode):
    found = violations(iam(f"violations-{mode}"), "iam-no-admin-wildcard")
    assert set(found) == {"admin-policy", "notaction-role-policy", "broken-json-policy"}
    assert "allows every action on every resource" in found["admin-policy"][0]
    assert "allows everything but iam:* on every resource" in found["notaction-role-policy"][0]


def test_a_document_that_is_not_json_is_reported_not_crashed_on(iam, mode):
    [message] = violations(iam(f"violations-{mode}"), "iam-no-admin-wildcard")["broken-json-policy"]
    assert "policy is not valid JSON" in message


def test_service_wide_wildcards_are_refused_but_the_key_roots_kms_star_is_not(iam, mode):
    found = violations(iam(f"violations-{mode}"), "iam-no-service-wildcard")
    assert set(found) == {"s3-wildcard-role-policy", "loose-key"}
    assert found["loose-key"] == ["loose-key: policy statement AppAdmin allows kms:* (every action of the service)."]


def test_no_identity_policy_decrypts_with_every_key(iam, mode):
    """NotAction iam:* on every resource grants kms:Decrypt too."""
    found = violations(iam(f"violations-{mode}"), "iam-no-decrypt-on-all-keys")
    assert set(found) == {"admin-policy", "decrypt-everything-policy", "decrypt-all-keys-role", "notaction-role-policy"}
    assert "inlinePolicies[0] statement 0 allows kms:Decrypt on all KMS keys" in found["decrypt-all-keys-role"][0]


def test_iam_users_get_no_policies(iam, mode):
    found = violations(iam(f"violations-{mode}"), "iam-no-user-policies")
    assert set(found) == {"user-policy", "user-attachment", "users-attachment"}


def test_trust_policies_never_let_everyone_assume_a_role(iam, mode):
    found = violations(iam(f"violations-{mode}"), "iam-trust-policy-names-principal")
    assert set(found) == {"open-trust-role", "open-aws-trust-role"}


def test_resource_policies_grant_everyone_only_within_an_account_or_organization(iam, mode):
    """kms:ViaService alone and aws:SourceIp do not bind "*" to an account; aws:PrincipalOrgID (compliant topic)
    and kms:CallerAccount (compliant key) do."""
    found = violations(iam(f"violations-{mode}"), "resource-policy-not-public")
    assert set(found) == {"public-bucket-policy", "public-topic", "loose-key"}
    assert "statement AnyoneViaS3 allows kms:Decrypt to everyone" in found["loose-key"][0]


def test_policy_documents_are_read_in_every_shape_iam_accepts():
    from secure_aws_policies import documents

    doc = documents.parse(
        '{"Statement": {"Effect": "Allow", "Action": "S3:*", "Resource": "*", "Principal": "123456789012"}}'
    )
    [statement] = documents.statements(doc)
    assert documents.allows(statement) and documents.actions(statement) == ["S3:*"]
    assert documents.service_wildcard("S3:*") and not documents.service_wildcard("s3:Get*")
    assert documents.grants("kms:Decrypt*", "kms:Decrypt") and documents.grants("KMS:*", "kms:ReEncryptFrom")
    assert not documents.grants("kms:Describe*", "kms:Decrypt")
    assert documents.only_account_roots(statement)  # a bare account id means that account's root
    assert documents.parse("") is None
    with pytest.raises(documents.InvalidDocument, match="is not a JSON object"):
        documents.parse("[]")


def test_an_account_or_organization_condition_narrows_everyone_but_a_service_or_ip_condition_does_not():
    from secure_aws_policies import documents

    def statement(condition):
        return {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Condition": condition}

    assert documents.narrowed(statement({"StringEquals": {"kms:CallerAccount": "123456789012"}}))
    assert documents.narrowed(statement({"StringEquals": {"AWS:PrincipalOrgID": ["o-a1b2c3d4e5"]}}))
    assert not documents.narrowed(statement({"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}))
    assert not documents.narrowed(statement({"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}}))
    assert not documents.narrowed(statement({"StringLike": {"aws:SourceAccount": "*"}}))


@pytest.mark.parametrize(
    ("condition", "narrows"),
    [
        ({"StringEquals": {"aws:SourceAccount": "123456789012"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:*:*:alarm:*"}}, False),
        ({"StringLike": {"aws:SourceAccount": "1234*"}}, False),
        ({"StringEquals": {"aws:SourceAccount": ["123456789012", "*"]}}, False),
        ({"StringEquals": {"aws:SourceAccount": ""}}, False),
        ({"StringNotEquals": {"aws:SourceAccount": "123456789012"}}, False),
        ({"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}}, False),
        ({"Null": {"aws:SourceArn": "false"}}, False),
        ({"ForAllValues:StringEquals": {"aws:SourceAccount": "123456789012"}}, False),
        ({"ForAnyValue:StringEquals": {"aws:SourceAccount": "123456789012"}}, False),
        ({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-*"}}, True),
        ({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "*"}}, False),
        ({"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}}, False),
    ],
)
def test_only_a_positive_match_on_a_concrete_account_org_or_source_narrows_everyone(condition, narrows):
    from secure_aws_policies import documents

    statement = {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Condition": condition}
    assert documents.narrowed(statement) is narrows


def test_notprincipal_allow_and_any_star_principal_mean_everyone():
    from secure_aws_policies import documents

    assert documents.names_everyone({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}})
    assert documents.names_everyone({"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}})
    assert not documents.names_everyone({"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}})


@pytest.mark.parametrize(
    ("statement", "everything"),
    [
        ({"Resource": "*"}, True),
        ({"Resource": ["arn:aws:s3:::b", "arn:*"]}, True),
        ({"Resource": "arn:aws:*:*:*:*"}, True),
        ({"NotResource": "arn:aws:s3:::audit/*"}, True),
        ({"NotResource": "*"}, False),
        ({"Resource": "arn:aws:s3:::*"}, False),
    ],
)
def test_resource_star_and_notresource_cover_every_resource(statement, everything):
    from secure_aws_policies import documents

    assert documents.covers_all_resources(statement) is everything


def test_notaction_grants_every_action_it_does_not_name():
    from secure_aws_policies import documents

    assert documents.granted({"NotAction": "iam:*"}, "kms:Decrypt")
    assert not documents.granted({"NotAction": ["kms:*"]}, "kms:Decrypt")
    assert documents.grants_every_action({"Action": "*"}) and not documents.grants_every_action({"Action": "s3:*"})
