"""RDS encryption in transit beyond PostgreSQL (issue 13): MySQL and MariaDB instances and Aurora clusters use a
parameter group of this stack that requires TLS; a default group or one outside the stack cannot be shown to.
Through the real pack process, both modes (the group's name is unknown at a first preview: the link is the
property dependency)."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, run_fixture, violations


@pytest.fixture(scope="module")
def rds_tls(policy_pack) -> Analyses:
    return Analyses(policy_pack, {m: run_fixture("rds_tls", preview=m == "preview") for m in ("preview", "apply")})


def test_databases_require_tls_through_a_group_of_this_stack(rds_tls, mode):
    found = violations(rds_tls(mode), "rds-requires-tls")
    assert set(found) == {
        "mysql-default-group",
        "mysql-plain-group",
        "mariadb-outside-group",
        "aurora-mysql-default-group",
    }
    assert "its default group" in found["mysql-default-group"][0]
    assert "'shared-mariadb-group', which is not in this stack" in found["mariadb-outside-group"][0]
    assert "does not set require_secure_transport=1" in found["mysql-plain-group"][0]
