"""Security groups: what the internet and the world outside the corporate ranges can reach.

Two rules, so that each exposure is reported once:
- `security-group-admin-ingress`: SSH (22) or RDP (3389) reachable from a range that is not inside one of the
  allowed CIDRs (the stack's `corporateCidrs`). Covers TCP, UDP and all-protocol (`-1`) rules, IPv4 and IPv6.
- `security-group-world-ingress`: `0.0.0.0/0` or `::/0` reaching anything but the web ports 80 and 443 (SSH and
  RDP excepted: the admin rule reports those). ICMP carries no ports and is not counted.

A rule whose source is a customer-managed prefix list is judged by the list's entries (GetManagedPrefixListEntries,
each list read once per run): a list holding 0.0.0.0/0 opens SSH to the world as surely as the CIDR itself. A list
that cannot be read is an audit-error finding. AWS-managed prefix lists (owner `AWS`: S3, CloudFront, EC2 Instance
Connect ranges) and security-group sources are not CIDR exposures and are skipped.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from auditor.findings import CheckResult, resource_unreadable

CHECK = "security-groups"
WORLD_INGRESS = "security-group-world-ingress"
ADMIN_INGRESS = "security-group-admin-ingress"
RULES = (WORLD_INGRESS, ADMIN_INGRESS)

WEB_PORTS = frozenset({80, 443})
ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
WORLD = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
# EC2 returns everything in one response when MaxResults is absent; a bounded page keeps responses small.
PAGE_SIZE = 1000
PREFIX_LIST_PAGE_SIZE = 100  # the GetManagedPrefixListEntries maximum
# DescribeManagedPrefixLists reports AWS-managed lists with OwnerId "AWS".
AWS_MANAGED_OWNER = "AWS"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "-1": "all"}
_ICMP = frozenset({"icmp", "icmpv6"})


@dataclass(frozen=True)
class PortRange:
    """What one ingress permission opens: a protocol and an inclusive port range (0-65535 for all/other)."""

    protocol: str
    first: int
    last: int

    @classmethod
    def of(cls, permission: dict[str, Any]) -> PortRange:
        raw = str(permission.get("IpProtocol", "-1")).lower()
        protocol = _PROTOCOL_NAMES.get(raw, raw)
        if protocol in ("tcp", "udp"):
            first, last = permission.get("FromPort", 0), permission.get("ToPort", 65535)
            if first is None or first < 0:
                first, last = 0, 65535
            return cls(protocol, int(first), int(last))
        return cls(protocol, 0, 65535)

    @property
    def has_ports(self) -> bool:
        """TCP, UDP and all-traffic rules open ports; other protocols (ESP, GRE, ICMP, ...) have none."""
        return self.protocol in ("tcp", "udp", "all")

    def covers(self, port: int) -> bool:
        return self.has_ports and self.first <= port <= self.last

    def opens_ports_other_than(self, excepted: Iterable[int]) -> bool:
        """True if the rule admits traffic other than to the `excepted` ports.

        ICMP is not counted (it carries no ports and path MTU discovery needs it); any other port-less
        protocol opened to a range is all of that protocol.
        """
        if self.protocol in _ICMP:
            return False
        if not self.has_ports:
            return True
        inside = sum(1 for port in set(excepted) if self.covers(port))
        return self.last - self.first + 1 > inside

    def __str__(self) -> str:
        if self.protocol == "all":
            return "all traffic"
        if self.protocol not in ("tcp", "udp"):
            return f"protocol {self.protocol}"
        ports = str(self.first) if self.first == self.last else f"{self.first}-{self.last}"
        return f"{self.protocol} {ports}"


def parse_allowed_cidrs(cidrs: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def is_within(network: Network, allowed: Sequence[Network]) -> bool:
    """True if every address of `network` is inside one allowed range (an IPv6 range is never inside IPv4)."""
    return any(network.version == a.version and network.subnet_of(a) for a in allowed)  # type: ignore[arg-type]


def _sources(
    permission: dict[str, Any], prefix_lists: Mapping[str, Sequence[Network]]
) -> Iterator[tuple[Network, str]]:
    """Each source range of an ingress permission, with where it came from ("" or " via prefix list pl-...")."""
    for entry in permission.get("IpRanges", []):
        yield ipaddress.ip_network(entry["CidrIp"], strict=False), ""
    for entry in permission.get("Ipv6Ranges", []):
        yield ipaddress.ip_network(entry["CidrIpv6"], strict=False), ""
    for entry in permission.get("PrefixListIds", []):
        for network in prefix_lists.get(entry["PrefixListId"], ()):
            yield network, f" via prefix list {entry['PrefixListId']}"


def evaluate_group(
    group: dict[str, Any],
    allowed_ssh: Sequence[Network],
    prefix_lists: Mapping[str, Sequence[Network]] | None = None,
) -> list[tuple[str, str]]:
    """The (rule, detail) pairs one security group (a DescribeSecurityGroups item) breaks, given the entries of
    the customer-managed prefix lists it references (lists not given are not judged). Pure."""
    violations: list[tuple[str, str]] = []
    label = f"{group.get('GroupName', '?')} in {group.get('VpcId', 'EC2-Classic')}"
    for permission in group.get("IpPermissions", []):
        ports = PortRange.of(permission)
        for source, via in _sources(permission, prefix_lists or {}):
            admin = [f"{name} ({port})" for port, name in ADMIN_PORTS.items() if ports.covers(port)]
            if admin and not is_within(source, allowed_ssh):
                detail = (
                    f"{label}: {' and '.join(admin)} open to {source}{via} ({ports}), "
                    "outside the allowed SSH/RDP ranges"
                )
                violations.append((ADMIN_INGRESS, detail))
            if source in WORLD and ports.opens_ports_other_than(WEB_PORTS | ADMIN_PORTS.keys()):
                detail = f"{label}: {ports} open to {source}{via}; only 80 and 443 may be open to the internet"
                violations.append((WORLD_INGRESS, detail))
    return violations


class PrefixLists:
    """The customer-managed prefix lists the groups reference, each read once per run.

    `entries(ids)` returns the networks of the readable customer-managed lists among `ids`; AWS-managed lists
    are left out (their service ranges are not an exposure), and a list that cannot be read is reported once.
    """

    def __init__(self, ec2: Any, result: CheckResult) -> None:
        self.ec2 = ec2
        self._result = result
        self._networks: dict[str, tuple[Network, ...]] = {}

    def entries(self, ids: Iterable[str]) -> dict[str, tuple[Network, ...]]:
        return {list_id: self._read(list_id) for list_id in ids}

    def _read(self, list_id: str) -> tuple[Network, ...]:
        if list_id not in self._networks:
            try:
                self._networks[list_id] = self._customer_managed_entries(list_id)
            except (ClientError, BotoCoreError, ValueError) as error:
                self._networks[list_id] = ()
                self._result.findings.append(resource_unreadable(CHECK, list_id, error))
        return self._networks[list_id]

    def _customer_managed_entries(self, list_id: str) -> tuple[Network, ...]:
        [prefix_list] = self.ec2.describe_managed_prefix_lists(PrefixListIds=[list_id])["PrefixLists"]
        if prefix_list.get("OwnerId") == AWS_MANAGED_OWNER:
            return ()
        pages = self.ec2.get_paginator("get_managed_prefix_list_entries").paginate(
            PrefixListId=list_id, PaginationConfig={"PageSize": PREFIX_LIST_PAGE_SIZE}
        )
        return tuple(
            ipaddress.ip_network(entry["Cidr"], strict=False) for page in pages for entry in page.get("Entries", [])
        )


def _referenced_prefix_lists(group: dict[str, Any]) -> list[str]:
    return [entry["PrefixListId"] for p in group.get("IpPermissions", []) for entry in p.get("PrefixListIds", [])]


def check_security_groups(ec2: Any, allowed_ssh: Sequence[Network]) -> CheckResult:
    result = CheckResult()
    result.count(*RULES, resources=0)
    prefix_lists = PrefixLists(ec2, result)
    pages = ec2.get_paginator("describe_security_groups").paginate(PaginationConfig={"PageSize": PAGE_SIZE})
    for page in pages:
        for group in page["SecurityGroups"]:
            result.count(*RULES)
            entries = prefix_lists.entries(_referenced_prefix_lists(group))
            for rule, detail in evaluate_group(group, allowed_ssh, entries):
                result.add(rule, group["GroupId"], detail)
    return result
