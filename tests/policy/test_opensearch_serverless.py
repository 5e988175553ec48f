"""OpenSearch Serverless (issue 13): a collection's key, its network exposure and who reads its data are separate
policies matched to collections by name, so each policy is judged on its own and each collection with every
encryption policy that covers it (the worst decides). Through the real pack process, both modes. Program:
tests/policy/programs/opensearch_serverless (guarded account 123456789012 from the provider's allowed_account_ids;
999999999999 is someone else's)."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, name_of, run_fixture, undecided, violations

ENCRYPTION_POLICY = "opensearch-serverless-encryption-policy-uses-cmk"
COLLECTION = "opensearch-serverless-collection-encrypted-with-cmk"
NETWORK = "opensearch-serverless-network-not-public"
APPLICATION = "opensearch-application-encrypted-with-cmk"
AWS_OWNED = "AWSOwnedKey is true, so the collections it covers are encrypted with an AWS owned key, not our key"
NOT_COVERED = "no encryption policy of this stack covers its name"


@pytest.fixture(scope="module")
def serverless(policy_pack) -> Analyses:
    runs = {m: run_fixture("opensearch_serverless", preview=m == "preview") for m in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_an_encryption_policy_without_our_key_is_refused_however_it_is_written(serverless, mode):
    found = violations(serverless(mode), ENCRYPTION_POLICY)
    assert found == {
        "aws-owned-encryption": [f"encryption policy aws-owned-encryption: {AWS_OWNED}."],
        "second-aws-owned-encryption": [f"encryption policy second-aws-owned-encryption: {AWS_OWNED}."],
        "no-kms-arn-encryption": [
            "encryption policy no-kms-arn-encryption: it names no KmsARN, so the collections it covers are "
            "encrypted with an AWS owned key, not our key."
        ],
        "aws-managed-key-encryption": [
            "encryption policy aws-managed-key-encryption: `KmsARN` is "
            "arn:aws:kms:us-east-1:123456789012:alias/aws/aoss, an AWS managed key; use our customer-managed key."
        ],
    }


def test_an_encryption_policy_built_from_our_keys_arn_is_judged_at_apply(serverless):
    """Its document embeds the key's ARN: unknown at a first preview (undecided there), our key at apply."""
    notes = [f for f in undecided(serverless("preview")) if f.policy == ENCRYPTION_POLICY]
    assert [name_of(f) for f in notes] == ["ok-computed-encryption"]
    assert not [f for f in undecided(serverless("apply")) if f.policy == ENCRYPTION_POLICY]


def test_a_collection_is_judged_by_every_encryption_policy_that_covers_it_the_worst_deciding(serverless, mode):
    found = violations(serverless(mode), COLLECTION)
    # A wildcard rule covers it; a second policy over a collection a good policy covers too decides.
    assert found["aws-owned-collection"] == [
        f"collection aws-owned-collection: encryption policy aws-owned-encryption covers it (collection/team-*): "
        f"{AWS_OWNED}."
    ]
    assert found["second-policy-collection"] == [
        "collection second-policy-collection: encryption policy second-aws-owned-encryption covers it "
        f"(collection/ok-logs-app): {AWS_OWNED}."
    ]
    assert found["own-aws-owned-collection"] == [
        "collection own-aws-owned-collection: encryption_configs sets aws_owned_key true: an AWS owned key, not "
        "our key."
    ]
    # Our key by the exact name, a wildcard taking a generated name's suffix, or the collection's own key (which
    # takes precedence over the AWS owned policy its name matches) pass.
    assert not {"ok-orders", "ok-generated-name", "ok-own-key"} & set(found)


def test_a_collection_no_encryption_policy_of_the_stack_covers_is_refused_at_apply(serverless):
    found = violations(serverless("apply"), COLLECTION)
    assert set(found) == {
        "aws-owned-collection",
        "second-policy-collection",
        "own-aws-owned-collection",
        "orphan-collection",  # its name matches no rule
        "unmatched-generated-name",  # no wildcard takes its generated suffix
        "computed-name-collection",  # its name, known now, matches the AWS owned team-*
    }
    assert NOT_COVERED in found["orphan-collection"][0]
    assert NOT_COVERED in found["unmatched-generated-name"][0]


def test_an_unknown_policy_or_name_leaves_a_collection_undecided_at_a_first_preview(serverless):
    """ok-computed-encryption's rules are unknown at preview: it may cover orphan-collection, so that is undecided,
    not refused; so is computed-name-collection, whose name is unknown (one note for both). The collections a
    known policy fails are still refused."""
    found = violations(serverless("preview"), COLLECTION)
    assert set(found) == {"aws-owned-collection", "second-policy-collection", "own-aws-owned-collection"}
    assert len([f for f in undecided(serverless("preview")) if f.policy == COLLECTION]) == 1


def test_a_network_policy_that_opens_a_collection_or_dashboard_to_the_internet_is_refused(serverless, mode):
    found = violations(serverless(mode), NETWORK)
    assert set(found) == {"public-network", "public-dashboard-object", "mixed-network"}
    assert "collection collection/team-*" in found["public-network"][0]
    # One entry given as an object, as a JSON string, reads the same as a list.
    assert "dashboard collection/ok-orders" in found["public-dashboard-object"][0]
    # The public entry of a policy whose other entry is VPC-only decides.
    assert "collection collection/finance" in found["mixed-network"][0]
    assert "marketing" not in found["mixed-network"][0]


def test_a_data_access_policy_for_everyone_is_refused_however_the_principal_is_spelled(serverless, mode):
    found = violations(serverless(mode), "resource-policy-not-public")
    assert set(found) == {
        "star-list-data-access",
        "aws-star-data-access",
        "star-string-data-access",
        "wildcard-account-data-access",  # arn:aws:iam::*:root is every account's root
    }
    for name, messages in found.items():
        assert messages == [
            f'{name}: policy rule set 0 allows aoss:ReadDocument to everyone (Principal "*") without a condition '
            "that limits it to an account, organization or network."
        ]


def test_a_data_access_policy_or_vpc_endpoint_authorization_for_another_account_is_refused(serverless, mode):
    found = violations(serverless(mode), "resource-policy-no-other-account")
    assert found == {
        "their-account-data-access": [
            "their-account-data-access: policy rule set 0 gives account(s) 999999999999 aoss:ReadDocument; guarded "
            "accounts: 123456789012."
        ],
        # Another account may create interface endpoints into the domain: a network path from its VPCs.
        "their-account-endpoint-access": [
            "their-account-endpoint-access: account gives account(s) 999999999999 es:CreateVpcEndpoint; guarded "
            "accounts: 123456789012."
        ],
    }


def test_an_application_without_our_key_is_refused(serverless, mode):
    found = violations(serverless(mode), APPLICATION)
    assert set(found) == {"application-default-key"}
    assert "`kmsKeyArn` is not set" in found["application-default-key"][0]
