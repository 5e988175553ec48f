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


def test_a_single_value_where_a_list_belongs_reads_as_a_list_of_one(common):
    props = unknown_checking_proxy({"cidrBlocks": "0.0.0.0/0", "rules": {"a": 1}, "list": ["x", "y"]})
    assert common.items(common.value(props, "cidrBlocks")) == ["0.0.0.0/0"]
    assert [dict(r) for r in common.items(common.value(props, "rules"))] == [{"a": 1}]
    assert common.items(common.value(props, "list")) == ["x", "y"]
    assert common.items(None) == []


@pytest.mark.parametrize(
    ("protocol", "name"),
    [(6, "tcp"), (6.0, "tcp"), ("6", "tcp"), ("TCP", "tcp"), (17.0, "udp"), (-1, "-1"), (-1.0, "-1"), ("all", "all")],
)
def test_protocols_sent_as_numbers_floats_or_strings_have_one_name(common, protocol, name):
    assert common.protocol_name(protocol) == name


def test_numbers_arrive_as_floats_or_strings(common):
    assert [common.as_int(v) for v in (22, 22.0, "22", " 22 ", "22.0")] == [22] * 5
    assert common.as_int(None, 7) == 7 and common.as_int("", 7) == 7
    assert common.PortRange.of(6.0, "20", 30.0).includes(22)


def test_an_encryption_configuration_given_one_rule_object_is_judged_like_a_list_of_one():
    """The provider takes a single object for a list; its outputs come back as a list, so this is not a program."""
    from secure_aws_policies.encryption import _sse_rule_problems

    rule = unknown_checking_proxy({"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}})
    [problem] = _sse_rule_problems(rule, aes256_allowed=False)
    assert problem.startswith("it uses AES256")
    assert _sse_rule_problems([], aes256_allowed=False) == ["it has no rule, so it sets no default encryption"]


def test_a_value_that_is_not_a_number_never_crashes_a_policy_and_a_port_range_fails_closed(common):
    assert common.as_int("x", 5) == 5 and common.as_int({"a": 1}, 5) == 5 and common.as_int(True, 5) == 5
    assert common.PortRange.of("tcp", "x", "y").includes(22)
