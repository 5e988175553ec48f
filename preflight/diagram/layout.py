"""The architecture diagram's layout: what of a recorded program is drawn, and where.

`architecture(recording)` keeps what an architecture diagram shows:

- each component (`<package>:<module>:<Name>`, not a custom resource) as a cluster, named after its module;
- the VPC, its subnets grouped per availability zone (the subnet's `availabilityZone` input) and labelled with
  their tier (the subnet's role in its name: `network-app-subnet-us-east-1a` -> `app`), their CIDR and the
  services placed in them, and each NAT gateway in its zone;
- the traffic path, from the security group rules: a rule letting group A (or a CIDR) into group B becomes an
  edge from what uses A (or the internet, or the allowed networks) to what uses B, labelled with its ports.
  Without rules, an internet-facing load balancer and its listener's target group stand in for them;
- the egress path (private subnets -> NAT gateway -> internet gateway) from the route tables;
- the function, its schedule and what it alerts, and the audit/alerting flow: trail -> log group -> metric
  filters -> alarms -> SNS topic -> subscriptions, and the trail's and load balancer's log buckets.

Repeated resources of one kind in one place (15 metric filters) are one node with a count. Node order follows
names, so the text is stable from run to run.
"""

from __future__ import annotations

from collections.abc import Iterable

from preflight.diagram.graph import (
    ANYWHERE,
    DATA,
    DATABASE,
    EGRESS,
    EXTERNAL,
    FLOW,
    GATEWAY,
    KEY,
    SERVICE,
    STORAGE,
    SUBNET,
    TRAFFIC,
    Cluster,
    Edge,
    Graph,
    Node,
    Resources,
    ident,
    known,
    number_text,
    role_in_name,
    short_type,
    subnet_order,
)
from preflight.record import RecordedResource, Recording


class _Builder(Resources):
    """Reads a recording (as `Resources`) and lays out its graph, one part of the diagram at a time."""

    def __init__(self, recording: Recording) -> None:
        super().__init__(recording)
        self.graph = Graph(title=f"{recording.project} ({recording.stack})")
        self.node_of = self.graph.shows
        self.vpc_cluster: dict[str, str] = {}  # VPC URN -> its cluster
        self._edges: dict[tuple[str, str], Edge] = {}
        self._clusters: set[str] = set()

    def cluster_of(self, resource: RecordedResource) -> str:
        component = self.component_of(resource)
        return self.component_cluster(component) if component is not None else ""

    def component_cluster(self, component: RecordedResource) -> str:
        cluster_id = ident("c_" + component.name)
        if cluster_id not in self._clusters:
            module = component.type.split(":")[1] if component.type.count(":") == 2 else component.type
            parent = self.component_of(component)
            self.add_cluster(
                cluster_id, f"{module}: {short_type(component.type)}", self.component_cluster(parent) if parent else ""
            )
        return cluster_id

    # --- what the graph holds -------------------------------------------------------------------------------

    def add_cluster(self, cluster_id: str, label: str, parent: str = "") -> str:
        if cluster_id not in self._clusters:
            self._clusters.add(cluster_id)
            self.graph.clusters.append(Cluster(cluster_id, label, parent))
        return cluster_id

    def add_node(
        self, node_id: str, label: str, kind: str, cluster: str = "", shows: Iterable[RecordedResource] = ()
    ) -> str:
        if node_id not in {n.id for n in self.graph.nodes}:
            self.graph.nodes.append(Node(node_id, label, kind, cluster))
        for resource in shows:
            self.node_of[resource.urn] = node_id
        return node_id

    def add_edge(self, source: str, target: str, label: str, kind: str) -> None:
        if source == target:
            return
        edge = self._edges.get((source, target))
        if edge is None:
            edge = Edge(source, target, label, kind)
            self._edges[(source, target)] = edge
            self.graph.edges.append(edge)
        elif label and label not in edge.label.split(", "):
            edge.label = f"{edge.label}, {label}" if edge.label else label

    def resource_node(self, resource: RecordedResource, label: str, kind: str) -> str:
        return self.add_node(ident(resource.name), label, kind, self.cluster_of(resource), [resource])

    # --- the parts of the diagram ---------------------------------------------------------------------------

    def build(self) -> Graph:
        for resource in sorted(self.recording.resources, key=lambda r: r.name):
            if not resource.custom and not resource.is_provider:
                self.component_cluster(resource)
        self.network()
        self.services()
        self.traffic()
        self.egress()
        self.audit_flow()
        self.detection()
        self.keys()
        return self.graph

    def network(self) -> None:
        for vpc in self.of_type("aws:ec2/vpc:Vpc"):
            cidr = vpc.inputs.get("cidrBlock")
            label = f"VPC {vpc.name}" + (f" {cidr}" if known(cidr) else "")
            self.vpc_cluster[vpc.urn] = self.add_cluster(ident("vpc_" + vpc.name), label, self.cluster_of(vpc))
        placed = self.placements()
        for subnet in sorted(self.of_type("aws:ec2/subnet:Subnet"), key=subnet_order):
            zone = subnet.inputs.get("availabilityZone")
            zone = zone if known(zone) else "AZ not known until apply"
            vpcs = self.deps(subnet, "vpcId")
            parent = self.vpc_cluster.get(vpcs[0].urn, "") if vpcs else ""
            parent = parent or self.cluster_of(subnet)
            zone_cluster = self.add_cluster(ident(f"az_{parent}_{zone}"), str(zone), parent)
            cidr = subnet.inputs.get("cidrBlock")
            label = f"{role_in_name(subnet, self.component_of(subnet), 'subnet')} subnet"
            label += f"<br/>{cidr}" if known(cidr) else ""
            if placed.get(subnet.urn):
                label += "<br/>" + ", ".join(sorted(placed[subnet.urn]))
            self.resource_node(subnet, label, SUBNET)
            self.graph.nodes[-1].cluster = zone_cluster
        for nat in self.of_type("aws:ec2/natGateway:NatGateway"):
            subnets = self.deps(nat, "subnetId")
            cluster = self.graph.node(self.node_of[subnets[0].urn]).cluster if subnets else self.cluster_of(nat)
            self.add_node(ident(nat.name), "NAT gateway", GATEWAY, cluster, [nat])
        for gateway in self.of_type("aws:ec2/internetGateway:InternetGateway"):
            vpcs = self.deps(gateway, "vpcId")
            cluster = self.vpc_cluster.get(vpcs[0].urn, "") if vpcs else ""
            self.add_node(
                ident(gateway.name), "Internet gateway", GATEWAY, cluster or self.cluster_of(gateway), [gateway]
            )

    def services(self) -> None:
        self._load_balancers()
        self._compute()
        self._databases()
        self._functions()
        self._schedules()
        self._buckets()

    def _load_balancers(self) -> None:
        for lb in self.of_type("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"):
            lb_type = str(lb.inputs.get("loadBalancerType"))
            kind = {"network": "Network", "gateway": "Gateway"}.get(lb_type, "Application")
            scheme = "internal" if lb.inputs.get("internal") is True else "internet-facing"
            self.resource_node(lb, f"{kind} Load Balancer<br/>{lb.name}, {scheme}", SERVICE)

    def _compute(self) -> None:
        for group in self.of_type("aws:autoscaling/group:Group"):
            low, high = group.inputs.get("minSize"), group.inputs.get("maxSize")
            size = f", {number_text(low)}-{number_text(high)} instances" if known(low) and known(high) else ""
            templates = self.deps(group, "launchTemplate", "mixedInstancesPolicy")
            self.resource_node(group, f"EC2 Auto Scaling group<br/>{group.name}{size}", SERVICE)
            for template in templates:
                self.node_of[template.urn] = self.node_of[group.urn]
        for instance in self.of_type("aws:ec2/instance:Instance"):
            self.resource_node(instance, f"EC2 instance<br/>{instance.name}", SERVICE)

    def _databases(self) -> None:
        for db in self.of_type("aws:rds/instance:Instance", "aws:rds/cluster:Cluster"):
            engine = db.inputs.get("engine")
            multi_az = ", Multi-AZ" if db.inputs.get("multiAz") is True else ""
            what = f"RDS {engine}" if known(engine) else "RDS"
            self.resource_node(db, f"{what}{multi_az}<br/>{db.name}", DATABASE)

    def _functions(self) -> None:
        for function in self.of_type("aws:lambda/function:Function"):
            runtime = function.inputs.get("runtime")
            suffix = f", {runtime}" if known(runtime) else ""
            self.resource_node(function, f"Lambda function<br/>{function.name}{suffix}", SERVICE)

    def _schedules(self) -> None:
        """A schedule is drawn only when it invokes something drawn."""
        for rule in self.of_type("aws:cloudwatch/eventRule:EventRule", "aws:scheduler/schedule:Schedule"):
            aimed = self._scheduled_targets(rule)
            if not aimed:
                continue
            schedule = rule.inputs.get("scheduleExpression")
            what = f"<br/>{schedule}" if known(schedule) else ""
            node = self.resource_node(rule, f"EventBridge schedule{what}", FLOW)
            for target in aimed:
                self.add_edge(node, self.node_of[target.urn], "invokes", DATA)

    def _scheduled_targets(self, rule: RecordedResource) -> list[RecordedResource]:
        targets = [
            t
            for t in self.of_type("aws:cloudwatch/eventTarget:EventTarget")
            if any(d.urn == rule.urn for d in self.deps(t, "rule"))
        ]
        aimed = [d for t in targets for d in self.deps(t, "arn")]
        aimed += self.deps(rule, "target") if rule.type == "aws:scheduler/schedule:Schedule" else []
        return [d for d in aimed if d.urn in self.node_of]

    def _buckets(self) -> None:
        for bucket in self.of_type("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"):
            role = role_in_name(bucket, self.component_of(bucket), "bucket")
            self.resource_node(bucket, f"S3 {role} bucket", STORAGE)
        for lb in self.of_type("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"):
            for bucket in self.deps(lb, "accessLogs"):
                if bucket.urn in self.node_of:
                    self.add_edge(self.node_of[lb.urn], self.node_of[bucket.urn], "access logs", DATA)

    def traffic(self) -> None:
        users = self._security_group_users()
        for target, source, cidrs, port in self.ingress_rules():
            if source and not self._egress_allows(source, target, port):
                continue  # admitted by the target, but its source group may not send there: no traffic flows
            for source_node in self._rule_sources(source, cidrs, users):
                for target_node in users.get(target, []):
                    self.add_edge(source_node, target_node, port, TRAFFIC)
        # Without security group rules, an internet-facing load balancer still takes traffic from the internet
        # and forwards it to its listeners' target groups.
        for lb in self.of_type("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"):
            self._load_balancer_traffic(lb)

    def _security_group_users(self) -> dict[str, list[str]]:
        """Security group URN -> the service and database nodes using it."""
        users: dict[str, list[str]] = {}
        kinds = {n.id: n.kind for n in self.graph.nodes}
        for urn, node_id in sorted(self.node_of.items()):
            if kinds.get(node_id) not in (SERVICE, DATABASE):
                continue
            for group in self.security_groups(self.resources[urn]):
                if node_id not in users.setdefault(group, []):
                    users[group].append(node_id)
        return users

    def _rule_sources(self, source: str, cidrs: list[str], users: dict[str, list[str]]) -> list[str]:
        """The nodes an ingress rule admits: its source group's users, the internet, or the allowed networks."""
        if source:
            return users.get(source, [])
        if any(c in ANYWHERE for c in cidrs):
            return [self.add_node("internet", "Internet", EXTERNAL)]
        if cidrs:
            node = self.add_node("allowed_networks", "Allowed networks", EXTERNAL)
            self.graph.node(node).label = _merge_label(self.graph.node(node).label, cidrs)
            return [node]
        return []

    def _load_balancer_traffic(self, lb: RecordedResource) -> None:
        lb_node = self.node_of[lb.urn]
        listeners = [
            listener
            for listener in self.of_type("aws:lb/listener:Listener", "aws:alb/listener:Listener")
            if any(d.urn == lb.urn for d in self.deps(listener, "loadBalancerArn"))
        ]
        if lb.inputs.get("internal") is not True and not any(e.target == lb_node for e in self.graph.edges):
            ports = ", ".join(number_text(x.inputs.get("port")) for x in listeners if known(x.inputs.get("port")))
            self.add_edge(self.add_node("internet", "Internet", EXTERNAL), lb_node, ports, TRAFFIC)
        groups = {d.urn for x in listeners for d in self.deps(x, "defaultActions")}
        for attached in self.recording.resources:
            if attached.urn in self.node_of and {d.urn for d in self.deps(attached, "targetGroupArns")} & groups:
                target_node = self.node_of[attached.urn]
                if not any(e.source == lb_node and e.target == target_node for e in self.graph.edges):
                    self.add_edge(lb_node, target_node, "forwards", TRAFFIC)

    def _egress_allows(self, source: str, target: str, port: str) -> bool:
        """Whether the source group's egress lets `port` reach the target group.

        A group-to-group path needs both halves: the target's ingress and the source's egress. A source group with
        no recorded egress at all is given the benefit of the doubt (the drawing cannot disprove the path).
        """
        rules = self.egress_rules().get(source)
        if not rules:
            return True
        return any(
            (destination == target or (not destination and cidrs & set(ANYWHERE)))
            and rule_port in (port, "all traffic")
            for destination, cidrs, rule_port in rules
        )

    def egress(self) -> None:
        """Subnets -> NAT gateway -> internet gateway, from the routes of their route tables."""
        tables = self._subnets_by_route_table()
        for table_urn, hop in self._route_hops():
            if hop.urn not in self.node_of:
                continue
            for subnet in tables.get(table_urn, []):
                if subnet.urn in self.node_of:
                    self._egress_hop(subnet, hop)
        for gateway in self.of_type("aws:ec2/internetGateway:InternetGateway"):
            if any(e.target == self.node_of[gateway.urn] for e in self.graph.edges):
                self.add_edge(self.node_of[gateway.urn], self.add_node("internet", "Internet", EXTERNAL), "", EGRESS)

    def _subnets_by_route_table(self) -> dict[str, list[RecordedResource]]:
        tables: dict[str, list[RecordedResource]] = {}
        for association in self.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation"):
            for table in self.deps(association, "routeTableId"):
                tables.setdefault(table.urn, []).extend(self.deps(association, "subnetId"))
        return tables

    def _route_hops(self) -> list[tuple[str, RecordedResource]]:
        """(route table URN, the NAT or internet gateway a route of it leads to)."""
        routes: list[tuple[str, RecordedResource]] = []
        for route in self.of_type("aws:ec2/route:Route"):
            for table in self.deps(route, "routeTableId"):
                routes += [(table.urn, hop) for hop in self.deps(route, "natGatewayId", "gatewayId")]
        return routes

    def _egress_hop(self, subnet: RecordedResource, hop: RecordedResource) -> None:
        """A subnet's route to a NAT gateway, or (a NAT gateway in a public subnet) through the internet gateway."""
        hop_node = self.node_of[hop.urn]
        if hop.type == "aws:ec2/natGateway:NatGateway":
            self.add_edge(self.node_of[subnet.urn], hop_node, "egress", EGRESS)
        elif hop.type == "aws:ec2/internetGateway:InternetGateway":
            for nat in self.of_type("aws:ec2/natGateway:NatGateway"):
                if any(s.urn == subnet.urn for s in self.deps(nat, "subnetId")):
                    self.add_edge(self.node_of[nat.urn], hop_node, "", EGRESS)

    def audit_flow(self) -> None:
        """Trail -> log group -> metric filters -> alarms -> topic -> subscriptions; who else alerts the topic."""
        self._trails()
        filters_by_metric = self._metric_filters()
        for topic in self.of_type("aws:sns/topic:Topic"):
            self.resource_node(topic, f"SNS topic<br/>{topic.name}", FLOW)
        self._alarms(filters_by_metric)
        self._subscriptions()
        for function in self.of_type("aws:lambda/function:Function"):
            for topic in self.deps(function, "environment"):
                if topic.type == "aws:sns/topic:Topic" and topic.urn in self.node_of:
                    self.add_edge(self.node_of[function.urn], self.node_of[topic.urn], "alerts", DATA)

    def _trails(self) -> None:
        for trail in self.of_type("aws:cloudtrail/trail:Trail"):
            multi = ", multi-region" if trail.inputs.get("isMultiRegionTrail") is True else ""
            trail_node = self.resource_node(trail, f"CloudTrail{multi}<br/>{trail.name}", FLOW)
            for bucket in self.deps(trail, "s3BucketName"):
                if bucket.urn in self.node_of:
                    self.add_edge(trail_node, self.node_of[bucket.urn], "log files", DATA)
            for group in self.deps(trail, "cloudWatchLogsGroupArn"):
                group_node = self.resource_node(group, f"CloudWatch log group<br/>{group.name}", FLOW)
                self.add_edge(trail_node, group_node, "events", DATA)

    def _metric_filters(self) -> dict[tuple[str, str], str]:
        """One node per log group's metric filters; returns (namespace, metric name) -> that node."""
        filters_by_metric: dict[tuple[str, str], str] = {}
        filters = self.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")
        for group_urn in sorted({d.urn for f in filters for d in self.deps(f, "logGroupName")}):
            group = self.resources[group_urn]
            mine = [f for f in filters if any(d.urn == group_urn for d in self.deps(f, "logGroupName"))]
            group_node = self.node_of.get(group_urn) or self.resource_node(
                group, f"CloudWatch log group<br/>{group.name}", FLOW
            )
            node = self.add_node(
                ident(group.name + "_filters"),
                _counted("metric filter", len(mine)),
                FLOW,
                self.cluster_of(mine[0]),
                mine,
            )
            self.add_edge(group_node, node, "", DATA)
            for metric_filter in mine:
                transformation = metric_filter.inputs.get("metricTransformation") or {}
                key = (str(transformation.get("namespace")), str(transformation.get("name")))
                filters_by_metric[key] = node
        return filters_by_metric

    def _alarms(self, filters_by_metric: dict[tuple[str, str], str]) -> None:
        """Alarms as one node per tier and source (on the metric filters, or on anything else)."""
        alarms_by_place: dict[tuple[str, str], list[RecordedResource]] = {}
        for alarm in self.of_type("aws:cloudwatch/metricAlarm:MetricAlarm"):
            source = filters_by_metric.get((str(alarm.inputs.get("namespace")), str(alarm.inputs.get("metricName"))))
            alarms_by_place.setdefault((self.cluster_of(alarm), source or ""), []).append(alarm)
        for (cluster, source), alarms in sorted(alarms_by_place.items()):
            node_id = ident(f"{cluster.removeprefix('n_c_') or 'stack'}_alarms" + ("_on_filters" if source else ""))
            node = self.add_node(node_id, _counted("CloudWatch alarm", len(alarms)), FLOW, cluster, alarms)
            if source:
                self.add_edge(source, node, "", DATA)
            for alarm in alarms:
                for topic in self.deps(alarm, "alarmActions"):
                    if topic.urn in self.node_of:
                        self.add_edge(node, self.node_of[topic.urn], "alarm", DATA)

    def _subscriptions(self) -> None:
        for subscription in self.of_type("aws:sns/topicSubscription:TopicSubscription"):
            protocol = subscription.inputs.get("protocol")
            label = f"{protocol} subscription" if known(protocol) else "subscription"
            node = self.resource_node(subscription, label, EXTERNAL)
            for topic in self.deps(subscription, "topic", "topicArn"):
                if topic.urn in self.node_of:
                    self.add_edge(self.node_of[topic.urn], node, "notifies", DATA)

    def detection(self) -> None:
        """The web ACL in front of its load balancer; detective services; finding routes to the alert topic."""
        self._web_acls()
        self._detective_services()
        self._account_settings()
        self._finding_routes()

    def _web_acls(self) -> None:
        for acl in self.of_type("aws:wafv2/webAcl:WebAcl"):
            node = self.resource_node(acl, f"WAF web ACL<br/>{len(acl.inputs.get('rules') or [])} rules", SERVICE)
            for association in self.of_type("aws:wafv2/webAclAssociation:WebAclAssociation"):
                if not any(d.urn == acl.urn for d in self.deps(association, "webAclArn")):
                    continue
                for target in self.deps(association, "resourceArn"):
                    if target.urn in self.node_of:
                        self.add_edge(node, self.node_of[target.urn], "filters", DATA)

    def _detective_services(self) -> None:
        for token, label in (
            ("aws:guardduty/detector:Detector", "GuardDuty detector"),
            ("aws:securityhub/account:Account", "Security Hub"),
            ("aws:accessanalyzer/analyzer:Analyzer", "IAM Access Analyzer"),
        ):
            for resource in self.of_type(token):
                self.resource_node(resource, label, FLOW)
        for channel in self.of_type("aws:cfg/deliveryChannel:DeliveryChannel"):
            node = self.resource_node(channel, "AWS Config recorder<br/>all resource types", FLOW)
            for recorder in self.of_type("aws:cfg/recorder:Recorder"):
                self.node_of[recorder.urn] = node
            for bucket in self.deps(channel, "s3BucketName"):
                if bucket.urn in self.node_of:
                    self.add_edge(node, self.node_of[bucket.urn], "snapshots", DATA)
        rules = self.of_type("aws:cfg/rule:Rule")
        if rules:
            self.add_node(
                ident(rules[0].name.rsplit("-rule-", 1)[0] + "_config_rules"),
                _counted("AWS Config rule", len(rules)),
                FLOW,
                self.cluster_of(rules[0]),
                rules,
            )

    def _account_settings(self) -> None:
        baseline_settings = [r for r in self.recording.resources if r.type in _ACCOUNT_SETTINGS]
        if baseline_settings:
            self.add_node(
                ident(baseline_settings[0].name.split("-", 1)[0] + "_settings"),
                _counted("account-wide setting", len(baseline_settings)),
                KEY,
                self.cluster_of(baseline_settings[0]),
                baseline_settings,
            )

    def _finding_routes(self) -> None:
        routes: dict[str, list[RecordedResource]] = {}
        for target in self.of_type("aws:cloudwatch/eventTarget:EventTarget"):
            topics = [d for d in self.deps(target, "arn") if d.type == "aws:sns/topic:Topic" and d.urn in self.node_of]
            for topic in topics:
                routes.setdefault(topic.urn, []).extend(self.deps(target, "rule"))
        for topic_urn, rules_to_topic in sorted(routes.items()):
            cluster = self.cluster_of(rules_to_topic[0])
            node = self.add_node(
                ident(f"{cluster.removeprefix('n_c_')}_finding_routes"),
                _counted("EventBridge finding route", len(rules_to_topic)),
                FLOW,
                cluster,
                rules_to_topic,
            )
            self.add_edge(node, self.node_of[topic_urn], "findings", DATA)

    def keys(self) -> None:
        for key in self.of_type("aws:kms/key:Key"):
            users = {r.urn for r in self.recording.resources for d in self.deps(r) if d.urn == key.urn}
            rotation = ", rotating" if key.inputs.get("enableKeyRotation") is True else ""
            self.resource_node(key, f"KMS key{rotation}<br/>encrypts {len(users)} resources", KEY)


# One-per-account settings, drawn as one node in their tier.
_ACCOUNT_SETTINGS = frozenset(
    {
        "aws:ebs/encryptionByDefault:EncryptionByDefault",
        "aws:ebs/defaultKmsKey:DefaultKmsKey",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
        "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
        "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
        "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess",
        "aws:ec2/serialConsoleAccess:SerialConsoleAccess",
    }
)


def _counted(noun: str, count: int) -> str:
    return f"{count} {noun}s" if count != 1 else f"1 {noun}"


def _merge_label(label: str, cidrs: list[str]) -> str:
    head, _, rest = label.partition("<br/>")
    known = rest.split(", ") if rest else []
    known += [c for c in cidrs if c not in known]
    return head + "<br/>" + ", ".join(known)


def architecture(recording: Recording) -> Graph:
    """The architecture graph of a recorded program."""
    graph = _Builder(recording).build()
    # Components with nothing to draw (a key-only tier is still drawn: its node is the key) are left out.
    used = {n.cluster for n in graph.nodes}
    changed = True
    while changed:
        changed = False
        for cluster in graph.clusters:
            if cluster.id in used and cluster.parent and cluster.parent not in used:
                used.add(cluster.parent)
                changed = True
    graph.clusters = [c for c in graph.clusters if c.id in used]
    return graph
