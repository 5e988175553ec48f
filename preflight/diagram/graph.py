"""The diagram's graph, and what it is read from: the resources a program registered.

`Graph` is what gets drawn: clusters (nested), nodes (each of a kind that sets its shape) and edges (each of a
kind: traffic, data, egress). `Resources` answers the questions the layout asks of a `Recording`: the resources
of a type, what a resource's inputs were built from (the property dependencies the SDK sends with each
registration), the component holding a resource, where services are placed, and the security group rules as
(target, source, CIDRs, ports). Nothing here decides what the diagram shows: see `preflight.diagram.layout`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from preflight.record import RecordedResource, Recording, is_unknown

# Node kinds: how each is drawn.
EXTERNAL, SERVICE, DATABASE, STORAGE, SUBNET, GATEWAY, FLOW, KEY = (
    "external",
    "service",
    "database",
    "storage",
    "subnet",
    "gateway",
    "flow",
    "key",
)
# Edge kinds: traffic into the stack, the audit and alerting flow, egress to the internet.
TRAFFIC, DATA, EGRESS = "traffic", "data", "egress"

SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SUBNET_KEYS = ("subnets", "subnetIds", "vpcZoneIdentifiers", "vpcConfig", "subnetMappings", "subnetId")
ANYWHERE = ("0.0.0.0/0", "::/0")
_SECURITY_GROUP_KEYS = ("securityGroups", "vpcSecurityGroupIds", "networkInterfaces", "vpcConfig", "securityGroupIds")


@dataclass
class Cluster:
    id: str
    label: str
    parent: str = ""


@dataclass
class Node:
    id: str
    label: str
    kind: str
    cluster: str = ""


@dataclass
class Edge:
    source: str
    target: str
    label: str
    kind: str


@dataclass
class Graph:
    """Clusters (nested by `parent`), nodes (in a cluster or at top level) and edges, in drawing order."""

    title: str
    clusters: list[Cluster] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    # Resource URN -> the node that shows it (a cluster's resources, like the VPC, are not in it).
    shows: dict[str, str] = field(default_factory=dict)

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def cluster(self, cluster_id: str) -> Cluster:
        for cluster in self.clusters:
            if cluster.id == cluster_id:
                return cluster
        raise KeyError(cluster_id)

    def edge(self, source: str, target: str) -> Edge:
        for edge in self.edges:
            if edge.source == source and edge.target == target:
                return edge
        raise KeyError((source, target))


def ident(text: str) -> str:
    """A Mermaid/DOT-safe identifier (Mermaid reserves `end`, hence the prefix)."""
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", text)


def known(value: object) -> bool:
    return value is not None and not is_unknown(value)


def short_type(token: str) -> str:
    return token.rsplit(":", 1)[-1]


class Resources:
    """A recording, indexed for the questions a diagram asks of it."""

    def __init__(self, recording: Recording) -> None:
        self.recording = recording
        self.resources = {r.urn: r for r in recording.resources}

    def of_type(self, *tokens: str) -> list[RecordedResource]:
        return sorted((r for r in self.recording.resources if r.type in tokens), key=lambda r: r.name)

    def deps(self, resource: RecordedResource, *keys: str) -> list[RecordedResource]:
        """The resources that the given inputs of `resource` (all inputs when none given) were built from."""
        urns: list[str] = []
        for key, values in resource.property_dependencies.items():
            if not keys or key in keys:
                urns.extend(u for u in values if u not in urns)
        return [self.resources[u] for u in urns if u in self.resources]

    def component_of(self, resource: RecordedResource) -> RecordedResource | None:
        parent = self.resources.get(resource.parent)
        while parent is not None:
            if not parent.custom and not parent.is_provider:
                return parent
            parent = self.resources.get(parent.parent)
        return None

    def placements(self) -> dict[str, set[str]]:
        """Subnet URN -> short names of the services placed in it (through a DB subnet group too)."""
        placed: dict[str, set[str]] = {}
        for resource in self.recording.resources:
            what = _PLACED.get(resource.type)
            if what is None:
                continue
            for dep in self.deps(resource, *SUBNET_KEYS, "dbSubnetGroupName", "subnetGroupName"):
                subnets = [dep] if dep.type == "aws:ec2/subnet:Subnet" else self.deps(dep, "subnetIds")
                for subnet in subnets:
                    if subnet.type == "aws:ec2/subnet:Subnet":
                        placed.setdefault(subnet.urn, set()).add(what)
        return placed

    def security_groups(self, resource: RecordedResource) -> set[str]:
        groups = {d.urn for d in self.deps(resource, *_SECURITY_GROUP_KEYS) if d.type == SECURITY_GROUP}
        for template in self.deps(resource, "launchTemplate", "mixedInstancesPolicy"):
            groups |= {d.urn for d in self.deps(template, *_SECURITY_GROUP_KEYS) if d.type == SECURITY_GROUP}
        return groups

    def egress_rules(self) -> dict[str, list[tuple[str, set[str], str]]]:
        """Source group URN -> (destination group URN or "", destination CIDRs, ports) for each egress rule."""
        rules: dict[str, list[tuple[str, set[str], str]]] = {}
        for rule in self.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"):
            destinations = [d.urn for d in self.deps(rule, "referencedSecurityGroupId")]
            cidrs = {c for c in (rule.inputs.get("cidrIpv4"), rule.inputs.get("cidrIpv6")) if known(c) and c}
            port = port_range(rule.inputs.get("ipProtocol"), rule.inputs.get("fromPort"), rule.inputs.get("toPort"))
            for group in (d.urn for d in self.deps(rule, "securityGroupId")):
                rules.setdefault(group, []).append((destinations[0] if destinations else "", cidrs, port))
        for rule in self.of_type("aws:ec2/securityGroupRule:SecurityGroupRule"):
            if rule.inputs.get("type") != "egress":
                continue
            destinations = [d.urn for d in self.deps(rule, "sourceSecurityGroupId")]
            cidrs = {c for c in (rule.inputs.get("cidrBlocks") or []) if known(c)}
            port = port_range(rule.inputs.get("protocol"), rule.inputs.get("fromPort"), rule.inputs.get("toPort"))
            for group in (d.urn for d in self.deps(rule, "securityGroupId")):
                rules.setdefault(group, []).append((destinations[0] if destinations else "", cidrs, port))
        for security_group in self.of_type(SECURITY_GROUP):
            egress = security_group.inputs.get("egress")
            for entry in egress if isinstance(egress, list) else []:
                cidrs = {c for c in (entry.get("cidrBlocks") or []) if known(c)}
                port = port_range(entry.get("protocol"), entry.get("fromPort"), entry.get("toPort"))
                rules.setdefault(security_group.urn, []).append(("", cidrs, port))
        return rules

    def ingress_rules(self) -> list[tuple[str, str, list[str], str]]:
        """(target group URN, source group URN or "", source CIDRs, ports) for each ingress rule."""
        rules = []
        for rule in self.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"):
            targets = [d.urn for d in self.deps(rule, "securityGroupId")]
            sources = [d.urn for d in self.deps(rule, "referencedSecurityGroupId")]
            cidrs = [c for c in (rule.inputs.get("cidrIpv4"), rule.inputs.get("cidrIpv6")) if known(c) and c]
            port = port_range(rule.inputs.get("ipProtocol"), rule.inputs.get("fromPort"), rule.inputs.get("toPort"))
            for target in targets:
                rules.append((target, sources[0] if sources else "", cidrs, port))
        for rule in self.of_type("aws:ec2/securityGroupRule:SecurityGroupRule"):
            if rule.inputs.get("type") != "ingress":
                continue
            targets = [d.urn for d in self.deps(rule, "securityGroupId")]
            sources = [d.urn for d in self.deps(rule, "sourceSecurityGroupId")]
            cidrs = [c for c in (rule.inputs.get("cidrBlocks") or []) if known(c)]
            port = port_range(rule.inputs.get("protocol"), rule.inputs.get("fromPort"), rule.inputs.get("toPort"))
            for target in targets:
                rules.append((target, sources[0] if sources else "", cidrs, port))
        for group in self.of_type(SECURITY_GROUP):
            ingress = group.inputs.get("ingress")
            for entry in ingress if isinstance(ingress, list) else []:
                cidrs = [c for c in (entry.get("cidrBlocks") or []) if known(c)]
                if cidrs:
                    port = port_range(entry.get("protocol"), entry.get("fromPort"), entry.get("toPort"))
                    rules.append((group.urn, "", cidrs, port))
        return rules


_PLACED = {
    "aws:lb/loadBalancer:LoadBalancer": "load balancer",
    "aws:alb/loadBalancer:LoadBalancer": "load balancer",
    "aws:autoscaling/group:Group": "instances",
    "aws:ec2/instance:Instance": "instance",
    "aws:rds/instance:Instance": "database",
    "aws:rds/cluster:Cluster": "database",
    "aws:lambda/function:Function": "function",
    "aws:ec2/natGateway:NatGateway": "NAT",
}


def subnet_order(subnet: RecordedResource) -> tuple[str, int, str]:
    tiers = ("public", "app", "private", "data", "database", "isolated")
    role = subnet.name
    rank = next((i for i, tier in enumerate(tiers) if f"-{tier}-" in f"-{role}-"), len(tiers))
    return (str(subnet.inputs.get("availabilityZone")), rank, subnet.name)


def role_in_name(resource: RecordedResource, component: RecordedResource | None, noun: str) -> str:
    """`network-app-subnet-us-east-1a` in component `network` -> `app`."""
    name = resource.name
    if component is not None and name.startswith(component.name + "-"):
        name = name[len(component.name) + 1 :]
    zone = resource.inputs.get("availabilityZone")
    if isinstance(zone, str) and known(zone) and name.endswith(f"-{zone}"):
        name = name[: -len(zone) - 1]
    name = re.sub(rf"(^|-){noun}s?($|-)", "-", name).strip("-")
    return name.replace("-", " ") or noun


def number_text(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def port_range(protocol: object, low: object, high: object) -> str:
    protocol = str(protocol) if known(protocol) else "tcp"
    if protocol in ("-1", "all"):
        return "all traffic"
    if not (known(low) and known(high)):
        return protocol
    span = number_text(low) if low == high else f"{number_text(low)}-{number_text(high)}"
    return f"{protocol} {span}"
