"""The architecture diagram, drawn from the prod stack's recorded resource graph.

The graph is checked through the resources it shows (`graph.shows[urn]` is the node of a resource), so the
tests follow the program, not the drawing. README.md must hold the Mermaid text of the prod stack between its
diagram markers: after a change to the program, `python -m preflight.diagram --readme README.md
docs/architecture.svg` brings both up to date.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from google.protobuf.struct_pb2 import Struct

from preflight import diagram
from preflight.diagram import Graph, architecture, mermaid
from preflight.record import RecordedResource, Recording, run_program
from tests.conftest import PROJECT_DIR

needs_graphviz = pytest.mark.skipif(
    diagram.renderer() is None, reason="Graphviz `dot` is not installed (apt-get install graphviz; make venv does)"
)


@pytest.fixture(scope="module")
def graph(prod_preview: Recording) -> Graph:
    return architecture(prod_preview)


def node_of(graph: Graph, recording: Recording, name: str) -> str:
    return graph.shows[recording.named(name).urn]


def reachable(graph: Graph, start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        current = todo.pop()
        for edge in graph.edges:
            if edge.source == current and edge.target not in seen:
                seen.add(edge.target)
                todo.append(edge.target)
    return seen


def test_every_component_is_a_cluster_named_after_its_module(graph: Graph, prod_preview: Recording) -> None:
    labels = {cluster.label for cluster in graph.clusters}
    components = [r for r in prod_preview.resources if not r.custom and not r.is_provider]
    assert {f"{c.type.split(':')[1]}: {c.type.split(':')[2]}" for c in components} <= labels
    assert "network: Network" in labels


def test_subnets_are_grouped_per_availability_zone_inside_the_vpc(graph: Graph, prod_preview: Recording) -> None:
    vpc_cluster = next(c for c in graph.clusters if c.label.startswith("VPC network-vpc"))
    for subnet in prod_preview.of_type("aws:ec2/subnet:Subnet"):
        zone_cluster = graph.cluster(graph.node(graph.shows[subnet.urn]).cluster)
        assert zone_cluster.label == subnet.inputs["availabilityZone"]
        assert zone_cluster.parent == vpc_cluster.id


def test_each_subnet_shows_its_tier_cidr_and_what_runs_in_it(graph: Graph, prod_preview: Recording) -> None:
    public = graph.node(node_of(graph, prod_preview, "network-public-subnet-us-east-1a"))
    app = graph.node(node_of(graph, prod_preview, "network-app-subnet-us-east-1b"))
    data = graph.node(node_of(graph, prod_preview, "network-data-subnet-us-east-1a"))
    cidr = prod_preview.named("network-app-subnet-us-east-1b").inputs["cidrBlock"]
    assert public.label.startswith("public subnet<br/>") and "load balancer" in public.label
    assert app.label == f"app subnet<br/>{cidr}<br/>function, instances"
    assert data.label.startswith("data subnet<br/>") and data.label.endswith("<br/>database")


def test_the_traffic_path_runs_internet_load_balancer_instances_database(graph: Graph, prod_preview: Recording) -> None:
    alb, asg = node_of(graph, prod_preview, "web-alb"), node_of(graph, prod_preview, "web-asg")
    database = node_of(graph, prod_preview, "database-instance")
    app_port = int(prod_preview.named("web-tg").inputs["port"])
    assert "tcp 443" in graph.edge("internet", alb).label.split(", ")
    assert graph.edge(alb, asg).label == f"tcp {app_port}"
    assert graph.edge(asg, database).label == "tcp 5432"
    assert {e.kind for e in (graph.edge("internet", alb), graph.edge(alb, asg), graph.edge(asg, database))} == {
        diagram.TRAFFIC
    }


def test_nothing_but_the_load_balancer_takes_traffic_from_the_internet(graph: Graph, prod_preview: Recording) -> None:
    from_internet = {e.target for e in graph.edges if e.source == "internet" and e.kind == diagram.TRAFFIC}
    assert from_internet == {node_of(graph, prod_preview, "web-alb")}
    assert not any(
        e.target == node_of(graph, prod_preview, "database-instance") and e.source == "internet" for e in graph.edges
    )


def test_private_subnets_leave_through_their_zones_nat_gateway(graph: Graph, prod_preview: Recording) -> None:
    for zone in ("us-east-1a", "us-east-1b"):
        nat = node_of(graph, prod_preview, f"network-nat-gateway-{zone}")
        assert graph.edge(node_of(graph, prod_preview, f"network-app-subnet-{zone}"), nat).kind == diagram.EGRESS
        assert graph.node(nat).cluster == graph.node(node_of(graph, prod_preview, f"network-app-subnet-{zone}")).cluster
        assert node_of(graph, prod_preview, "network-internet-gateway") in reachable(graph, nat)


def test_the_audit_flow_runs_trail_logs_filters_alarms_topic_email(graph: Graph, prod_preview: Recording) -> None:
    trail, logs = node_of(graph, prod_preview, "audit-trail"), node_of(graph, prod_preview, "audit-trail-logs")
    filters = node_of(graph, prod_preview, "audit-cis-4-1-filter")
    alarms = node_of(graph, prod_preview, "audit-cis-4-1-alarm")
    topic, email = node_of(graph, prod_preview, "audit-alerts"), node_of(graph, prod_preview, "audit-alerts-email")
    for source, target in ((trail, logs), (logs, filters), (filters, alarms), (alarms, topic), (topic, email)):
        graph.edge(source, target)
    assert graph.edge(trail, node_of(graph, prod_preview, "storage-trail-bucket")).label == "log files"
    filter_count = len(prod_preview.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter"))
    assert graph.node(filters).label == f"{filter_count} metric filters"
    assert graph.node(email).label == "email subscription"


def test_every_tiers_alarms_reach_the_alert_topic(graph: Graph, prod_preview: Recording) -> None:
    topic = node_of(graph, prod_preview, "audit-alerts")
    for alarm in prod_preview.of_type("aws:cloudwatch/metricAlarm:MetricAlarm"):
        assert topic in reachable(graph, graph.shows[alarm.urn]), alarm.name


def test_the_function_is_drawn_with_its_schedule_and_alerts(graph: Graph, prod_preview: Recording) -> None:
    function = node_of(graph, prod_preview, "function-auditor")
    assert graph.node(function).label.startswith("Lambda function<br/>")
    assert any(e.target == function and e.label == "invokes" for e in graph.edges)
    assert node_of(graph, prod_preview, "audit-alerts") in reachable(graph, function)


def test_a_group_the_database_admits_but_whose_egress_stops_short_draws_no_path(
    graph: Graph, prod_preview: Recording
) -> None:
    """The auditor is admitted by the database's ingress, but its own group only sends HTTPS: no 5432 arrow."""
    function = node_of(graph, prod_preview, "function-auditor")
    database = node_of(graph, prod_preview, "database-instance")
    with pytest.raises(KeyError):
        graph.edge(function, database)
    assert graph.edge(node_of(graph, prod_preview, "web-asg"), database).label == "tcp 5432"


def test_the_mermaid_text_declares_every_node_it_links(graph: Graph) -> None:
    text = mermaid(graph)
    assert text.startswith("flowchart LR\n")
    declared = set(re.findall(r"^\s*(\w+)[\[\(\{>]", text, flags=re.MULTILINE))
    linked = set(re.findall(r"^\s*(\w+) [-=.]+>(?:\|\"[^\"]*\"\|)? (\w+)$", text, flags=re.MULTILINE))
    assert linked and {node for pair in linked for node in pair} <= declared
    assert text.count("subgraph ") == len(re.findall(r"^\s*end$", text, flags=re.MULTILINE))


def test_the_diagram_is_the_same_from_run_to_run(prod_preview: Recording) -> None:
    assert mermaid(architecture(prod_preview)) == mermaid(architecture(prod_preview))


def test_readme_shows_the_prod_stacks_diagram(graph: Graph) -> None:
    readme = (PROJECT_DIR / "README.md").read_text()
    assert diagram.readme_block(graph) in readme, (
        "README.md's diagram is out of date: run `.venv/bin/python -m preflight.diagram --readme README.md "
        "docs/architecture.svg`"
    )


@needs_graphviz
def test_the_diagram_renders_as_svg(prod_preview: Recording, tmp_path: Path) -> None:
    written = diagram.write_diagram(prod_preview, tmp_path / "architecture.svg")
    assert written == [tmp_path / "architecture.svg", tmp_path / "architecture.mmd"]
    root = ElementTree.parse(tmp_path / "architecture.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Internet", "network: Network", "us-east-1a"} <= texts


@needs_graphviz
def test_the_diagram_renders_as_png(prod_preview: Recording, tmp_path: Path) -> None:
    diagram.write_diagram(prod_preview, tmp_path / "architecture.png")
    assert (tmp_path / "architecture.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_image_without_graphviz_still_writes_the_mermaid_text(
    prod_preview: Recording, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diagram.render, "renderer", lambda: None)
    with pytest.raises(diagram.DiagramError, match="apt-get install graphviz"):
        diagram.write_diagram(prod_preview, tmp_path / "architecture.svg")
    assert (tmp_path / "architecture.mmd").read_text() == mermaid(architecture(prod_preview))


def test_the_committed_svg_exists_and_is_an_svg() -> None:
    root = ElementTree.parse(PROJECT_DIR / "docs" / "architecture.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def resource(
    name: str, type_: str, parent: str = "", inputs: dict | None = None, **deps: list[str]
) -> RecordedResource:
    """A registration as the recorder keeps it, for a graph the prod stack does not have (yet)."""
    custom = type_.startswith("aws:")
    parent_part = f"{parent.split('::')[2]}$" if parent else ""
    return RecordedResource(
        urn=f"urn:pulumi:test::p::{parent_part}{type_}::{name}",
        type=type_,
        name=name,
        parent=parent,
        custom=custom,
        provider="",
        id=None,
        inputs=inputs or {},
        wire_inputs=Struct(),
        outputs={},
        wire_outputs=Struct(),
        dependencies=[u for urns in deps.values() for u in urns],
        property_dependencies=deps,
        protect=False,
        source_position=None,
    )


def test_a_scheduled_function_is_drawn_with_its_schedule_its_alerts_and_its_database_access() -> None:
    component = resource("function", "secure-aws:function:ComplianceAuditor")
    topic = resource("alerts", "aws:sns/topic:Topic")
    function_sg = resource("function-sg", "aws:ec2/securityGroup:SecurityGroup", component.urn)
    db_sg = resource("db-sg", "aws:ec2/securityGroup:SecurityGroup")
    database = resource("db", "aws:rds/instance:Instance", "", {"engine": "postgres"}, vpcSecurityGroupIds=[db_sg.urn])
    function = resource(
        "function-auditor",
        "aws:lambda/function:Function",
        component.urn,
        {"runtime": "python3.12"},
        environment=[topic.urn],
        vpcConfig=[function_sg.urn],
    )
    rule = resource(
        "function-schedule", "aws:cloudwatch/eventRule:EventRule", component.urn, {"scheduleExpression": "rate(1 hour)"}
    )
    target = resource(
        "function-target", "aws:cloudwatch/eventTarget:EventTarget", component.urn, rule=[rule.urn], arn=[function.urn]
    )
    access = resource(
        "db-from-function",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "",
        {"ipProtocol": "tcp", "fromPort": 5432.0, "toPort": 5432.0},
        securityGroupId=[db_sg.urn],
        referencedSecurityGroupId=[function_sg.urn],
    )
    recording = Recording(project="p", stack="test", preview=True)
    recording.resources = [component, topic, function_sg, db_sg, database, function, rule, target, access]
    graph = architecture(recording)
    function_node, schedule_node = graph.shows[function.urn], graph.shows[rule.urn]
    assert graph.node(function_node).label == "Lambda function<br/>function-auditor, python3.12"
    assert graph.cluster(graph.node(function_node).cluster).label == "function: ComplianceAuditor"
    assert graph.node(schedule_node).label == "EventBridge schedule<br/>rate(1 hour)"
    assert graph.edge(schedule_node, function_node).label == "invokes"
    assert graph.edge(function_node, graph.shows[topic.urn]).label == "alerts"
    assert graph.edge(function_node, graph.shows[database.urn]).label == "tcp 5432"


def test_python_m_preflight_diagram_writes_the_files_it_is_given(tmp_path: Path) -> None:
    fixture = PROJECT_DIR / "tests" / "fixtures" / "programs" / "minimal"
    result = subprocess.run(
        [sys.executable, "-m", "preflight.diagram", "--cwd", str(fixture), "--stack", "test", str(tmp_path / "a.mmd")],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote {tmp_path / 'a.mmd'}"
    assert (tmp_path / "a.mmd").read_text() == mermaid(architecture(run_program(fixture, "test", preview=True)))
