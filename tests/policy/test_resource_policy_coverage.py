"""Every pulumi-aws resource type that takes a policy document is read by resource-policy-not-public or named in
resource_policy_backlog.py with the reason it is not (issue 13: resource policies of every kind the provider has),
so a type pulumi-aws adds, or one a team starts using, is not missed silently."""

from __future__ import annotations

from pathlib import Path

from tests.policy.conftest import POLICY_DIR

RESOURCE_POLICY_TYPES = POLICY_DIR / "secure_aws_policies" / "resource_policy_types.txt"
REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.txt"


def _listed() -> dict[str, tuple[str, ...]]:
    from secure_aws_policies.services.resource_policies import load_resource_policy_types

    return load_resource_policy_types(RESOURCE_POLICY_TYPES)


def _read() -> set[str]:
    from secure_aws_policies import ALL_POLICIES

    readers = ("resource-policy-not-public", "resource-policy-search-domain-not-public")
    return {t for p in ALL_POLICIES if p.name in readers for t in p.resource_types}


def test_the_generated_list_is_from_the_pinned_pulumi_aws():
    pinned = next(
        line.split("==", 1)[1].strip()
        for line in REQUIREMENTS.read_text().splitlines()
        if line.startswith("pulumi-aws==")
    )
    assert f"from pulumi-aws {pinned};" in RESOURCE_POLICY_TYPES.read_text().splitlines()[0]


def test_the_generated_list_finds_documents_however_the_argument_is_named():
    listed = _listed()
    assert listed["aws:glacier/vault:Vault"] == ("accessPolicy",)
    assert listed["aws:opensearch/domainPolicy:DomainPolicy"] == ("accessPolicies",)
    assert listed["aws:cloudwatch/logResourcePolicy:LogResourcePolicy"] == ("policyDocument",)
    assert listed["aws:s3tables/tableBucketPolicy:TableBucketPolicy"] == ("resourcePolicy",)
    assert listed["aws:secretsmanager/secret:Secret"] == ("policy",)


def test_every_type_with_a_policy_document_is_read_or_on_the_backlog_with_a_reason():
    from secure_aws_policies.resource_policy_backlog import NOT_RESOURCE_POLICIES

    missed = sorted(set(_listed()) - _read() - set(NOT_RESOURCE_POLICIES))
    assert missed == [], f"read these in resource_policies.py or add them to resource_policy_backlog.py: {missed}"
    assert all(len(reason) > 40 for reason in NOT_RESOURCE_POLICIES.values())


def test_the_backlog_names_only_listed_types_that_no_policy_reads():
    from secure_aws_policies.resource_policy_backlog import NOT_RESOURCE_POLICIES

    assert sorted(set(NOT_RESOURCE_POLICIES) & _read()) == [], "read now: remove from resource_policy_backlog.py"
    assert sorted(set(NOT_RESOURCE_POLICIES) - set(_listed())) == [], "no longer listed: remove from the backlog"


def test_the_permission_resources_are_read_too():
    read = _read()
    for token in (
        "aws:lambda/layerVersionPermission:LayerVersionPermission",
        "aws:cloudwatch/eventPermission:EventPermission",
        "aws:ssm/document:Document",
    ):
        assert token in read
