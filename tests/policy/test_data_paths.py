"""Paths, not single resources (issue 10 item 2, route tables): a data subnet's route table has no route out of
the VPC, whichever form the route takes. Through the real pack process, both modes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations

POLICY = "vpc-data-route-table-isolated"


@pytest.fixture(scope="module")
def paths(policy_pack) -> Analyses:
    runs = {mode: run_fixture("data_paths", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_data_route_tables_with_a_way_out_are_violations(paths, mode):
    found = violations(paths(mode), POLICY)
    assert set(found) == {"igw-inline-table", "nat-route-table", "peering-route-table"}
    assert "routes to an internet gateway" in found["igw-inline-table"][0]
    assert "routes to a NAT gateway" in found["nat-route-table"][0]
    assert "routes to a VPC peering connection" in found["peering-route-table"][0]
