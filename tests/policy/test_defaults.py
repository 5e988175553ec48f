"""Defaults as AWS applies them (issue 10 item 3): a property left out is judged by the value AWS then uses.
Through the real pack process, both modes."""

from __future__ import annotations

from tests.policy.conftest import run_fixture, violations


def test_an_instance_without_a_subnet_gets_the_default_subnets_public_ip(policy_pack, mode):
    findings = policy_pack.analyze(run_fixture("defaults", preview=mode == "preview"))
    assert violations(findings, "ec2-instance-no-public-ip") == {
        "no-subnet-instance": [
            "instance no-subnet-instance names no subnet, so EC2 launches it into the default VPC's default subnet, "
            "which gives it a public IP address."
        ]
    }
