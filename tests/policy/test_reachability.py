"""Reachability, not prefix shape (issue 10 item 1): sources that together cover the whole public IPv4 or IPv6
space are the world, however they are split across CIDRs, rules and rule resources of one security group; database
ports take no public source of any size. Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, undecided, violations

COMBINED = "security-group-world-ingress-combined"
SINGLE_RULE = "security-group-world-ingress-restricted"
ONLY_ON_LOAD_BALANCERS = "security-group-world-ingress-only-on-load-balancers"
DATABASE_PORTS = "security-group-database-ports-private"


@pytest.fixture(scope="module")
def reachability(policy_pack) -> Analyses:
    return Analyses(policy_pack, {m: run_fixture("reachability", preview=m == "preview") for m in ("preview", "apply")})


def test_rules_that_split_the_internet_between_them_open_the_port_they_share_to_the_world(reachability, mode):
    found = violations(reachability(mode), COMBINED)
    assert set(found) == {
        "halves-inline-sg",
        "halves-split-sg",
        "all-traffic-half-sg",
        "ipv6-split-sg",
        "prefix-lists-sg",
    }
    assert (
        "open tcp 8080 through halves-inline-sg ingress[0], halves-inline-sg ingress[1] (0.0.0.0/1, "
        "128.0.0.0/1)" in found["halves-inline-sg"][0]
    )
    assert "open tcp 9050 through halves-split-sg ingress[0], other-half-rule" in found["halves-split-sg"][0]
    assert (
        "open tcp 3000 through ipv6-split-sg ingress[0], ipv6-split-sg ingress[1] (2000::/4, 3000::/4)"
        in (found["ipv6-split-sg"][0])
    )


def test_protocol_minus_one_from_one_half_and_ssh_from_the_other_open_ssh_to_the_world(reachability, mode):
    [message] = violations(reachability(mode), COMBINED)["all-traffic-half-sg"]
    assert "open tcp 22 through all-traffic-half-rule, ssh-other-half-rule (0.0.0.0/1, 128.0.0.0/1)" in message
    assert "tcp 23" not in message and "all traffic" not in message  # the half alone reaches the other ports


def test_halves_on_different_ports_open_no_port_to_the_world_but_take_the_world_off_a_load_balancer(reachability, mode):
    findings = reachability(mode)
    assert "halves-on-different-ports-sg" not in violations(findings, COMBINED)
    assert "halves-on-different-ports-sg" in violations(findings, ONLY_ON_LOAD_BALANCERS)


def test_one_rule_covering_the_public_space_in_pieces_is_the_world(reachability, mode):
    found = violations(reachability(mode), SINGLE_RULE)
    assert set(found) == {"ipv6-halves-one-rule-sg", "slash8-blocks-one-rule-sg"}
    # ::/1 alone holds every public IPv6 address (2000::/3); 8000::/1 holds none, so it is not named.
    assert "opens tcp 53 to ::/1;" in found["ipv6-halves-one-rule-sg"][0]
    combined = violations(reachability(mode), COMBINED)
    assert not {"ipv6-halves-one-rule-sg", "slash8-blocks-one-rule-sg"} & set(combined)  # reported once


def test_only_load_balancer_groups_take_the_world_by_one_rule_or_several(reachability, mode):
    found = violations(reachability(mode), ONLY_ON_LOAD_BALANCERS)
    assert set(found) == {
        "ipv6-halves-one-rule-sg",
        "slash8-blocks-one-rule-sg",
        "halves-inline-sg",
        "halves-split-sg",
        "all-traffic-half-sg",
        "halves-on-different-ports-sg",
        "ipv6-split-sg",
    }
    assert (
        "its rules halves-split-sg ingress[0], other-half-rule together take the whole public IPv4 space"
        in (found["halves-split-sg"][0])
    )


def test_database_ports_take_no_public_source_of_any_size_and_no_prefix_list(reachability, mode):
    found = violations(reachability(mode), DATABASE_PORTS)
    assert set(found) == {
        "postgres-from-partner-rule",
        "mysql-from-prefix-list-rule",
        "all-traffic-from-public-rule",
        "all-traffic-half-rule",
    }
    assert "lets 198.51.100.7/32 reach database port(s) 5432" in found["postgres-from-partner-rule"][0]
    assert "opens database port(s) 3306 to a prefix list" in found["mysql-from-prefix-list-rule"][0]
    assert "(all traffic) lets 11.0.0.0/8 reach database port(s) 5432, 3306" in found["all-traffic-from-public-rule"][0]


@pytest.mark.parametrize(
    "policy",
    [
        COMBINED,
        SINGLE_RULE,
        ONLY_ON_LOAD_BALANCERS,
        DATABASE_PORTS,
        "network-acl-admin-ports-combined",
        "network-acl-admin-ports-closed-to-world",
    ],
)
def test_private_sources_group_references_and_the_load_balancers_world_draw_nothing(reachability, mode, policy):
    found = violations(reachability(mode), policy)
    assert not [name for name in found if name.startswith("ok-")]


def test_a_source_unknown_at_preview_leaves_the_combination_undecided_until_apply(reachability):
    notes = [f for f in undecided(reachability("preview")) if f.policy == COMBINED]
    assert len(notes) == 1 and notes[0].enforcement_level == "advisory"
    assert "unknown-other-half-sg" not in violations(reachability("preview"), COMBINED)
    assert [f for f in undecided(reachability("apply")) if f.policy == COMBINED] == []
    assert "unknown-other-half-sg" not in violations(reachability("apply"), COMBINED)  # the EIP is a /32


def test_network_acl_entries_that_split_the_internet_let_it_reach_ssh_unless_an_earlier_deny_cuts_it(
    reachability, mode
):
    found = violations(reachability(mode), "network-acl-admin-ports-combined")
    assert found == {
        "halves-acl": [
            "network ACL halves-acl: its entries halves-acl ingress[0], other-half-acl-rule together let the whole "
            "public IPv4 space reach port 22."
        ]
    }


def test_managed_prefix_lists_of_the_stack_count_with_their_entries(reachability, mode):
    """Inline entries and a separate ManagedPrefixListEntry, each list half the internet, referenced by two rules."""
    [message] = violations(reachability(mode), COMBINED)["prefix-lists-sg"]
    assert "open tcp 8888 through half-list-rule, other-half-list-rule (0.0.0.0/1, 128.0.0.0/1)" in message
    assert "ok-prefix-list-sg" not in violations(reachability(mode), COMBINED)
