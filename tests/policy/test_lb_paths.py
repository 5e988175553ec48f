"""Paths, not single resources (issue 10 item 2, load balancers): an internet-facing load balancer that forwards to
the data tier exposes the database, though each piece passes alone. Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, undecided, violations

POLICY = "lb-internet-facing-no-data-tier-targets"


@pytest.fixture(scope="module")
def lb_paths(policy_pack) -> Analyses:
    return Analyses(policy_pack, {m: run_fixture("lb_paths", preview=m == "preview") for m in ("preview", "apply")})


def test_every_path_from_the_internet_to_the_data_tier_is_a_violation(lb_paths, mode):
    found = violations(lb_paths(mode), POLICY)
    expected = {
        "db-port-target-group",  # internal left out: internet-facing by default
        "weighted-db-target-group",  # forward.target_groups, the weighted form
        "rule-cache-target-group",  # through a listener rule, `alb` module spelling
        "ip-in-data-subnet-target",  # an IP inside a data subnet's block
        "db-port-override-target",  # the attachment's port overrides the group's
        "instance-in-data-subnet-target",  # an instance placed in a data subnet
        "data-subnet-asg",  # an Auto Scaling group launching into data subnets
        "chained-db-target-group",  # internal ALB behind the internet-facing NLB
        "classic-db-elb",  # classic ELB listener to a database port
        "classic-data-host-attachment",  # classic ELB to an instance in a data subnet
    }
    if mode == "apply":
        expected.add("late-db-target-group")
    assert set(found) == expected
    assert "database port 5432" in found["db-port-target-group"][0]
    assert "internet-facing load balancer web-alb" in found["db-port-target-group"][0]
    assert "rule cache-rule" in found["rule-cache-target-group"][0]
    assert "IP target 10.0.2.25 in data subnet data-b" in found["ip-in-data-subnet-target"][0]
    assert "Instance data-host in data subnet data-a" in found["instance-in-data-subnet-target"][0]
    assert "target nlb-to-alb-target" in found["chained-db-target-group"][0]


def test_a_balancer_whose_scheme_is_unknown_at_preview_is_undecided_there_only(lb_paths):
    assert [f for f in undecided(lb_paths("preview")) if f.policy == POLICY]
    assert not [f for f in undecided(lb_paths("apply")) if f.policy == POLICY]


def test_internal_balancers_and_app_targets_pass(lb_paths, mode):
    assert not [name for name in violations(lb_paths(mode), POLICY) if name.startswith("ok-")]
