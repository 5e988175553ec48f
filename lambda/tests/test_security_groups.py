"""Security groups: world ingress beyond 80/443, and SSH/RDP from outside the allowed ranges."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Account

from auditor import security_groups
from auditor.security_groups import ADMIN_INGRESS, WORLD_INGRESS, PortRange, evaluate_group, parse_allowed_cidrs

ALLOWED = parse_allowed_cidrs(["203.0.113.0/24"])


def _tcp(first: int, last: int | None = None, *, v4: str | None = None, v6: str | None = None) -> dict[str, Any]:
    return _permission("tcp", first, last if last is not None else first, v4=v4, v6=v6)


def _permission(
    protocol: str, first: int | None = None, last: int | None = None, *, v4: str | None = None, v6: str | None = None
) -> dict[str, Any]:
    permission: dict[str, Any] = {"IpProtocol": protocol}
    if first is not None:
        permission.update(FromPort=first, ToPort=last)
    if v4:
        permission["IpRanges"] = [{"CidrIp": v4}]
    if v6:
        permission["Ipv6Ranges"] = [{"CidrIpv6": v6}]
    return permission


def _drifted_group(account: Account, permission: dict[str, Any], name: str = "drift") -> str:
    """A security group someone opened by hand, outside the stack."""
    ec2 = account.client("ec2")
    group_id = ec2.create_security_group(GroupName=name, Description="opened by hand", VpcId=account.vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[permission])
    return group_id


@pytest.mark.parametrize(
    ("permission", "expected_rules"),
    [
        pytest.param(_tcp(5432, v4="0.0.0.0/0"), [WORLD_INGRESS], id="postgres-from-anywhere"),
        pytest.param(_tcp(8443, v6="::/0"), [WORLD_INGRESS], id="ipv6-anywhere"),
        pytest.param(_tcp(22, v4="0.0.0.0/0"), [ADMIN_INGRESS], id="ssh-from-anywhere"),
        pytest.param(_tcp(3389, v6="::/0"), [ADMIN_INGRESS], id="rdp-from-ipv6-anywhere"),
        pytest.param(_tcp(22, v4="198.51.100.0/24"), [ADMIN_INGRESS], id="ssh-from-another-network"),
        pytest.param(_tcp(22, v4="203.0.112.0/23"), [ADMIN_INGRESS], id="ssh-from-a-range-wider-than-allowed"),
        pytest.param(_tcp(22, v6="2001:db8::/32"), [ADMIN_INGRESS], id="ssh-from-ipv6-never-in-ipv4-ranges"),
        pytest.param(_tcp(0, 65535, v4="10.0.0.0/8"), [ADMIN_INGRESS], id="all-tcp-ports-from-a-private-range"),
        pytest.param(_permission("-1", v4="0.0.0.0/0"), [ADMIN_INGRESS, WORLD_INGRESS], id="all-traffic"),
        pytest.param(_tcp(20, 25, v4="0.0.0.0/0"), [ADMIN_INGRESS, WORLD_INGRESS], id="range-covering-ssh"),
        pytest.param(_permission("udp", 3389, 3389, v4="0.0.0.0/0"), [ADMIN_INGRESS], id="rdp-over-udp"),
    ],
)
def test_each_exposure_gives_exactly_the_expected_findings(run_audit, clean_account, permission, expected_rules):
    group_id = _drifted_group(clean_account, permission)

    result = run_audit()

    assert [(f["rule"], f["resource"]) for f in result["findings"]] == [(rule, group_id) for rule in expected_rules]


@pytest.mark.parametrize(
    "permission",
    [
        pytest.param(_tcp(443, v4="0.0.0.0/0", v6="::/0"), id="https-from-anywhere"),
        pytest.param(_tcp(80, v4="0.0.0.0/0"), id="http-from-anywhere"),
        pytest.param(_tcp(22, v4="203.0.113.0/24"), id="ssh-from-the-allowed-range"),
        pytest.param(_tcp(3389, v4="203.0.113.128/25"), id="rdp-from-inside-the-allowed-range"),
        pytest.param(_tcp(5432, v4="10.0.0.0/16"), id="postgres-from-the-vpc"),
        pytest.param(_permission("icmp", -1, -1, v4="0.0.0.0/0"), id="icmp-from-anywhere"),
    ],
)
def test_allowed_ingress_gives_no_finding(run_audit, clean_account, permission):
    _drifted_group(clean_account, permission)

    assert run_audit()["findings"] == []


def test_the_finding_says_which_port_is_open_to_which_range(run_audit, clean_account):
    _drifted_group(clean_account, _tcp(22, v4="198.51.100.0/24"), name="bastion")

    [finding] = run_audit()["findings"]

    assert finding["detail"] == (
        f"bastion in {clean_account.vpc_id}: SSH (22) open to 198.51.100.0/24 (tcp 22), "
        "outside the allowed SSH/RDP ranges"
    )


def test_every_page_of_security_groups_is_checked(run_audit, clean_account, paginate_like_aws, monkeypatch):
    monkeypatch.setattr(security_groups, "PAGE_SIZE", 5)  # the smallest page EC2 accepts
    tokens = paginate_like_aws(
        "ec2", "DescribeSecurityGroups", "SecurityGroups", "MaxResults", "NextToken", "NextToken"
    )
    for n in range(8):
        _drifted_group(clean_account, _tcp(443, v4="0.0.0.0/0"), name=f"web-{n}")
    last = _drifted_group(clean_account, _tcp(5432, v4="0.0.0.0/0"), name="last")

    result = run_audit()

    assert tokens == [None, "5", "10"]
    assert result["checked"][WORLD_INGRESS] == 13  # the clean account's 4 groups and these 9
    assert [(f["rule"], f["resource"]) for f in result["findings"]] == [(WORLD_INGRESS, last)]


@pytest.mark.parametrize(
    ("permission", "text"),
    [
        (_permission("-1"), "all traffic"),
        (_permission("6", 22, 22), "tcp 22"),
        (_permission("udp", 1000, 2000), "udp 1000-2000"),
        (_permission("50"), "protocol 50"),
    ],
)
def test_port_ranges_read_as_people_write_them(permission, text):
    assert str(PortRange.of(permission)) == text


def test_a_non_port_protocol_open_to_the_world_is_world_ingress_but_not_ssh():
    group = {"GroupName": "vpn", "VpcId": "vpc-1", "IpPermissions": [_permission("50", v4="0.0.0.0/0")]}

    assert [rule for rule, _ in evaluate_group(group, ALLOWED)] == [WORLD_INGRESS]


def test_group_sources_and_prefix_lists_not_given_are_not_cidr_exposures():
    permission = {
        "IpProtocol": "-1",
        "UserIdGroupPairs": [{"GroupId": "sg-1"}],
        "PrefixListIds": [{"PrefixListId": "pl-1"}],
    }
    group = {"GroupName": "app", "VpcId": "vpc-1", "IpPermissions": [permission]}

    assert evaluate_group(group, ALLOWED) == []


# Prefix lists ---------------------------------------------------------------------------------------------------


def _prefix_list(account: Account, *cidrs: str, name: str = "office") -> str:
    entries = [{"Cidr": cidr, "Description": "added by hand"} for cidr in cidrs]
    response = account.client("ec2").create_managed_prefix_list(
        PrefixListName=name, AddressFamily="IPv4", MaxEntries=10, Entries=entries
    )
    return response["PrefixList"]["PrefixListId"]


def _from_prefix_list(list_id: str, first: int, last: int | None = None) -> dict[str, Any]:
    return {
        "IpProtocol": "tcp",
        "FromPort": first,
        "ToPort": last or first,
        "PrefixListIds": [{"PrefixListId": list_id}],
    }


def test_ssh_open_through_a_customer_managed_prefix_list_holding_the_world_is_a_finding(run_audit, clean_account):
    list_id = _prefix_list(clean_account, "203.0.113.0/24", "0.0.0.0/0")
    group_id = _drifted_group(clean_account, _from_prefix_list(list_id, 22), name="bastion")

    [finding] = run_audit()["findings"]

    assert (finding["rule"], finding["resource"]) == (ADMIN_INGRESS, group_id)
    assert finding["detail"] == (
        f"bastion in {clean_account.vpc_id}: SSH (22) open to 0.0.0.0/0 via prefix list {list_id} (tcp 22), "
        "outside the allowed SSH/RDP ranges"
    )


def test_a_prefix_list_of_allowed_ranges_gives_no_finding(run_audit, clean_account):
    list_id = _prefix_list(clean_account, "203.0.113.0/25", "203.0.113.128/25")
    _drifted_group(clean_account, _from_prefix_list(list_id, 22))

    assert run_audit()["findings"] == []


def test_a_world_prefix_list_on_another_port_is_world_ingress(run_audit, clean_account):
    list_id = _prefix_list(clean_account, "0.0.0.0/0")
    group_id = _drifted_group(clean_account, _from_prefix_list(list_id, 5432))

    assert [(f["rule"], f["resource"]) for f in run_audit()["findings"]] == [(WORLD_INGRESS, group_id)]


def test_an_aws_managed_prefix_list_is_not_an_exposure(run_audit, clean_account):
    # EC2 Instance Connect's ranges (an AWS-managed list) are how the console's SSH reaches instances.
    aws_lists = clean_account.client("ec2").describe_managed_prefix_lists()["PrefixLists"]
    [s3_list] = [p["PrefixListId"] for p in aws_lists if p["PrefixListName"] == "com.amazonaws.us-east-1.s3"]
    _drifted_group(clean_account, _from_prefix_list(s3_list, 22))

    assert run_audit()["findings"] == []


def test_each_prefix_list_is_read_once_per_run(run_audit, clean_account, count_calls):
    list_id = _prefix_list(clean_account, "0.0.0.0/0")
    _drifted_group(clean_account, _from_prefix_list(list_id, 22), name="one")
    _drifted_group(clean_account, _from_prefix_list(list_id, 3389), name="two")
    reads = count_calls("ec2", "GetManagedPrefixListEntries")

    findings = run_audit()["findings"]

    assert [f["rule"] for f in findings] == [ADMIN_INGRESS, ADMIN_INGRESS]
    assert reads == [{"PrefixListId": list_id, "MaxResults": 100}]


def test_a_prefix_list_that_cannot_be_read_is_an_audit_error_and_the_rest_is_still_judged(
    run_audit, clean_account, deny
):
    hidden = _prefix_list(clean_account, "0.0.0.0/0", name="shared")
    _drifted_group(clean_account, _from_prefix_list(hidden, 22), name="uses-shared")
    opened = _drifted_group(clean_account, _tcp(22, v4="0.0.0.0/0"), name="opened")
    deny("ec2", "GetManagedPrefixListEntries", "UnauthorizedOperation", only_for={"PrefixListId": hidden})

    findings = run_audit()["findings"]

    assert [(f["rule"], f["resource"]) for f in findings] == [("audit-error", hidden), (ADMIN_INGRESS, opened)]
    assert "UnauthorizedOperation" in findings[0]["detail"]
