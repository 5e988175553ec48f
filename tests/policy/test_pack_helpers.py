"""The shared helpers every policy leans on: unknown-safe reads, port ranges and CIDR containment.

Pure functions, tested directly; the policies that use them are tested through the real pack process.
"""

from __future__ import annotations

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy


@pytest.fixture
def common():
    from secure_aws_policies import common

    return common


def test_membership_and_peek_never_read_an_unknown_value(common):
    props = unknown_checking_proxy({"kmsKeyId": UNKNOWN_STRING_VALUE, "name": "logs"})
    with pytest.raises(UnknownValueError):
        _ = "kmsKeyId" in props  # the SDK's own membership test reads the value
    assert common.has(props, "kmsKeyId") and not common.has(props, "missing")
    assert common.peek(props, "kmsKeyId") is common.UNKNOWN
    assert common.peek(props, "name") == "logs"


def test_value_lets_an_unknown_raise_so_the_sdk_can_say_it_cannot_decide(common):
    props = unknown_checking_proxy({"storageEncrypted": UNKNOWN_STRING_VALUE})
    with pytest.raises(UnknownValueError):
        common.value(props, "storageEncrypted")
    assert common.value(props, "absent", False) is False


def test_an_unknown_key_counts_as_our_key_and_an_aws_managed_alias_does_not(common):
    props = unknown_checking_proxy({"a": UNKNOWN_STRING_VALUE, "b": "alias/aws/sns", "c": "arn:aws:kms:k/1"})
    assert common.customer_key_problem(props, "a") is None
    assert "AWS managed key" in common.customer_key_problem(props, "b")
    assert common.customer_key_problem(props, "c") is None
    assert "not set" in common.customer_key_problem(props, "missing")


@pytest.mark.parametrize(
    ("protocol", "low", "high", "port", "included"),
    [
        ("tcp", 22, 22, 22, True),
        ("tcp", 0, 65535, 3389, True),
        ("-1", 0, 0, 22, True),
        ("all", None, None, 3389, True),
        ("6", 20, 23, 22, True),
        ("tcp", 443, 443, 22, False),
        ("icmp", -1, -1, 22, False),
    ],
)
def test_a_port_range_opens_every_port_inside_it(common, protocol, low, high, port, included):
    assert common.PortRange.of(protocol, low, high).includes(port) is included


def test_only_single_allowed_tcp_ports_count_as_allowed(common):
    assert common.PortRange.of("tcp", 443, 443).only_tcp_ports([80, 443])
    assert not common.PortRange.of("tcp", 80, 443).only_tcp_ports([80, 443])
    assert not common.PortRange.of("udp", 443, 443).only_tcp_ports([80, 443])
    assert not common.PortRange.of("-1", 0, 0).only_tcp_ports([80, 443])


def test_cidr_containment_respects_ip_versions(common):
    assert common.within("203.0.113.128/25", ["203.0.113.0/24"])
    assert not common.within("203.0.112.0/23", ["203.0.113.0/24"])
    assert not common.within("::/0", ["203.0.113.0/24"])
    assert common.is_world("0.0.0.0/0") and common.is_world("::/0") and not common.is_world("10.0.0.0/8")
