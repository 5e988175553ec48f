"""The shared helpers every policy leans on: unknown-safe reads, port ranges and CIDR containment.

Pure functions, tested directly; the policies that use them are tested through the real pack process.
"""

from __future__ import annotations

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy


@pytest.fixture
def reads():
    """The unknown-safe property access helpers (secure_aws_policies/props.py)."""
    from secure_aws_policies import props

    return props


@pytest.fixture
def net():
    from secure_aws_policies import net

    return net


@pytest.fixture
def keys():
    from secure_aws_policies import keys

    return keys


def test_membership_and_peek_never_read_an_unknown_value(reads):
    props = unknown_checking_proxy({"kmsKeyId": UNKNOWN_STRING_VALUE, "name": "logs"})
    with pytest.raises(UnknownValueError):
        _ = "kmsKeyId" in props  # the SDK's own membership test reads the value
    assert reads.has(props, "kmsKeyId") and not reads.has(props, "missing")
    assert reads.peek(props, "kmsKeyId") is reads.UNKNOWN
    assert reads.peek(props, "name") == "logs"


def test_value_lets_an_unknown_raise_so_the_sdk_can_say_it_cannot_decide(reads):
    props = unknown_checking_proxy({"storageEncrypted": UNKNOWN_STRING_VALUE})
    with pytest.raises(UnknownValueError):
        reads.value(props, "storageEncrypted")
    assert reads.value(props, "absent", False) is False


def test_an_unknown_key_counts_as_our_key_and_an_aws_managed_alias_does_not(keys):
    props = unknown_checking_proxy({"a": UNKNOWN_STRING_VALUE, "b": "alias/aws/sns", "c": "arn:aws:kms:k/1"})
    assert keys.customer_key_problem(props, "a") is None
    assert "AWS managed key" in keys.customer_key_problem(props, "b")
    assert keys.customer_key_problem(props, "c") is None
    assert "not set" in keys.customer_key_problem(props, "missing")


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
def test_a_port_range_opens_every_port_inside_it(net, protocol, low, high, port, included):
    assert net.PortRange.of(protocol, low, high).includes(port) is included


def test_only_single_allowed_tcp_ports_count_as_allowed(net):
    assert net.PortRange.of("tcp", 443, 443).only_tcp_ports([80, 443])
    assert not net.PortRange.of("tcp", 80, 443).only_tcp_ports([80, 443])
    assert not net.PortRange.of("udp", 443, 443).only_tcp_ports([80, 443])
    assert not net.PortRange.of("-1", 0, 0).only_tcp_ports([80, 443])


def test_cidr_containment_respects_ip_versions(net):
    assert net.within("203.0.113.128/25", ["203.0.113.0/24"])
    assert not net.within("203.0.112.0/23", ["203.0.113.0/24"])
    assert not net.within("::/0", ["203.0.113.0/24"])
    assert net.is_world("0.0.0.0/0") and net.is_world("::/0") and not net.is_world("10.0.0.0/8")


def test_a_single_value_where_a_list_belongs_reads_as_a_list_of_one(reads):
    props = unknown_checking_proxy({"cidrBlocks": "0.0.0.0/0", "rules": {"a": 1}, "list": ["x", "y"]})
    assert reads.items(reads.value(props, "cidrBlocks")) == ["0.0.0.0/0"]
    assert [dict(r) for r in reads.items(reads.value(props, "rules"))] == [{"a": 1}]
    assert reads.items(reads.value(props, "list")) == ["x", "y"]
    assert reads.items(None) == []


def test_a_block_sent_as_a_one_element_list_reads_as_its_element(reads):
    """The engine's lists reach a policy as the SDK's proxy (a Sequence, not a list): `block` still opens them."""
    props = unknown_checking_proxy(
        {
            "asList": [{"awsOwnedKey": True}],
            "asObject": {"enabled": True},
            "empty": [],
            "unknown": [UNKNOWN_STRING_VALUE],
        }
    )
    assert dict(reads.block(props, "asList")) == {"awsOwnedKey": True}
    assert dict(reads.block(props, "asObject")) == {"enabled": True}
    assert reads.block(props, "empty") is None
    assert reads.block(props, "unknown") is reads.UNKNOWN
    assert reads.block(props, "absent") is None


@pytest.mark.parametrize(
    ("protocol", "name"),
    [(6, "tcp"), (6.0, "tcp"), ("6", "tcp"), ("TCP", "tcp"), (17.0, "udp"), (-1, "-1"), (-1.0, "-1"), ("all", "all")],
)
def test_protocols_sent_as_numbers_floats_or_strings_have_one_name(net, protocol, name):
    assert net.protocol_name(protocol) == name


def test_numbers_arrive_as_floats_or_strings(reads, net):
    assert [reads.as_int(v) for v in (22, 22.0, "22", " 22 ", "22.0")] == [22] * 5
    assert reads.as_int(None, 7) == 7 and reads.as_int("", 7) == 7
    assert net.PortRange.of(6.0, "20", 30.0).includes(22)


def test_an_encryption_configuration_given_one_rule_object_is_judged_like_a_list_of_one():
    """The provider takes a single object for a list; its outputs come back as a list, so this is not a program."""
    from secure_aws_policies.services.s3 import _sse_rule_problems

    rule = unknown_checking_proxy({"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}})
    [problem] = _sse_rule_problems(rule, aes256_allowed=False)
    assert problem.startswith("it uses AES256")
    assert _sse_rule_problems([], aes256_allowed=False) == ["it has no rule, so it sets no default encryption"]


def test_a_value_that_is_not_a_number_never_crashes_a_policy_and_a_port_range_fails_closed(reads, net):
    assert reads.as_int("x", 5) == 5 and reads.as_int({"a": 1}, 5) == 5 and reads.as_int(True, 5) == 5
    assert net.PortRange.of("tcp", "x", "y").includes(22)


@pytest.mark.parametrize(
    ("policy", "accepted"),
    [
        ("TLS_1_2", True),
        ("TLS_1_0", False),
        ("SecurityPolicy_TLS13_1_3_2025_09", True),
        ("SecurityPolicy_TLS13_1_2_2021_06", True),
        ("SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09", True),
        ("SecurityPolicy_TLS12_2018_EDGE", True),
        ("SecurityPolicy_TLS12_PFS_2025_EDGE", True),
        ("SecurityPolicy_TLS13_1_0_2025_09", False),
        ("SecurityPolicy_TLS13_1_1_2025_09", False),
        ("SecurityPolicy_TLS11_2019_EDGE", False),
        ("TLS_1_2_BUT_NOT_REALLY", False),
    ],
)
def test_api_gateway_security_policies_are_read_by_the_tls_minimum_their_name_carries(policy, accepted):
    from secure_aws_policies.services.apigateway import accepts_only_tls_1_2_or_later

    assert accepts_only_tls_1_2_or_later(policy) is accepted


def test_nested_strings_walks_blocks_and_lists_and_skips_unknowns(reads):
    props = unknown_checking_proxy(
        {
            "rules": [{"destination": {"account": "999999999999", "bucket": UNKNOWN_STRING_VALUE}}],
            "region": "us-east-1",
            "count": 3,
        }
    )
    assert list(reads.nested_strings(props)) == [
        ("rules[0].destination.account", ("rules", "destination", "account"), "999999999999"),
        ("region", ("region",), "us-east-1"),
    ]
