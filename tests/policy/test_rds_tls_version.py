"""RDS and Aurora parameter groups accept nothing older than TLS 1.2 (issue 13, in transit). Through the real pack
process, both modes: an old version listed beside a current one, in a DB and a DB cluster parameter group; the
parameter left out is the engine default (TLS 1.2 and newer) and passes."""

from __future__ import annotations

import pytest

from tests.policy.conftest import Analyses, assert_refused_exactly, run_fixture, violations


@pytest.fixture(scope="module")
def tls_versions(policy_pack) -> Analyses:
    runs = {mode: run_fixture("rds_tls_version", preview=mode == "preview") for mode in ("preview", "apply")}
    return Analyses(policy_pack, runs)


def test_only_groups_accepting_tls_older_than_1_2_are_refused(tls_versions, mode):
    found = violations(tls_versions(mode), "rds-parameter-group-tls-1-2")
    expected = {
        "mariadb-old-tls": "tls_version=TLSv1.1,TLSv1.2 accepts TLS older than 1.2",
        "postgres-old-tls": "ssl_min_protocol_version=TLSv1.1 accepts TLS older than 1.2",
        "aurora-mysql-old-tls": "tls_version=TLSv1 accepts",
    }
    assert_refused_exactly(found, expected)
