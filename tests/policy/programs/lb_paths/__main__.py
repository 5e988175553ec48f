"""Load balancers in front of the data tier (tests/policy/test_lb_paths.py). The subnets of the database subnet group
are the data tier. Each resource that completes a path from the internet to it is named after the way it does;
"ok-" resources complete no such path and must pass."""

import pulumi_aws as aws

vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
data_a = aws.ec2.Subnet("data-a", vpc_id=vpc.id, cidr_block="10.0.1.0/24", availability_zone="us-east-1a")
data_b = aws.ec2.Subnet("data-b", vpc_id=vpc.id, cidr_block="10.0.2.0/24", availability_zone="us-east-1b")
app_a = aws.ec2.Subnet("app-a", vpc_id=vpc.id, cidr_block="10.0.10.0/24", availability_zone="us-east-1a")
app_b = aws.ec2.Subnet("app-b", vpc_id=vpc.id, cidr_block="10.0.11.0/24", availability_zone="us-east-1b")
subnet_group = aws.rds.SubnetGroup("database-subnets", subnet_ids=[data_a.id, data_b.id])
database = aws.rds.Instance(
    "database",
    engine="postgres",
    instance_class="db.t3.micro",
    allocated_storage=20,
    db_subnet_group_name=subnet_group.name,
)
public_subnets = [app_a.id, app_b.id]


def target_group(name, port, target_type="instance", protocol="TCP"):
    return aws.lb.TargetGroup(name, port=port, protocol=protocol, target_type=target_type, vpc_id=vpc.id)


def forward(name, balancer, group, port=443, protocol="TCP", module=aws.lb):
    return module.Listener(
        name,
        load_balancer_arn=balancer.arn,
        port=port,
        protocol=protocol,
        default_actions=[module.ListenerDefaultActionArgs(type="forward", target_group_arn=group.arn)],
    )


# `internal` left out: internet-facing, the pulumi-aws and AWS default.
web = aws.lb.LoadBalancer("web-alb", load_balancer_type="application", subnets=public_subnets)
forward("web-to-db-listener", web, target_group("db-port-target-group", 5432), protocol="HTTPS")

# A network load balancer that says internal=False, forwarding by a weighted `forward` block (the other form).
nlb = aws.lb.LoadBalancer("public-nlb", load_balancer_type="network", internal=False, subnets=public_subnets)
weighted = target_group("weighted-db-target-group", 3306)
aws.lb.Listener(
    "nlb-weighted-listener",
    load_balancer_arn=nlb.arn,
    port=3306,
    protocol="TCP",
    default_actions=[
        aws.lb.ListenerDefaultActionArgs(
            type="forward",
            forward=aws.lb.ListenerDefaultActionForwardArgs(
                target_groups=[aws.lb.ListenerDefaultActionForwardTargetGroupArgs(arn=weighted.arn, weight=1)]
            ),
        )
    ],
)

# A listener rule on the web listener's sibling, under the `alb` alias module (the second spelling).
app_group = target_group("ok-app-target-group", 8080, protocol="HTTP")
web_listener = forward("ok-web-app-listener", web, app_group, port=8443, protocol="HTTPS")
aws.alb.ListenerRule(
    "cache-rule",
    listener_arn=web_listener.arn,
    actions=[
        aws.alb.ListenerRuleActionArgs(
            type="forward", target_group_arn=target_group("rule-cache-target-group", 6379).arn
        )
    ],
    conditions=[
        aws.alb.ListenerRuleConditionArgs(
            path_pattern=aws.alb.ListenerRuleConditionPathPatternArgs(values=["/cache/*"])
        )
    ],
)

# Targets registered in an exposed group on a harmless port: where they point decides.
ip_group = target_group("ip-target-group", 443, target_type="ip")
forward("nlb-ip-listener", nlb, ip_group, port=443)
aws.lb.TargetGroupAttachment("ip-in-data-subnet-target", target_group_arn=ip_group.arn, target_id="10.0.2.25")
aws.lb.TargetGroupAttachment("db-port-override-target", target_group_arn=ip_group.arn, target_id="10.0.10.7", port=5432)
aws.lb.TargetGroupAttachment("ok-app-ip-target", target_group_arn=ip_group.arn, target_id="10.0.10.8")
data_host = aws.ec2.Instance("data-host", ami="ami-0123456789abcdef0", instance_type="t3.micro", subnet_id=data_a.id)
app_host = aws.ec2.Instance("app-host", ami="ami-0123456789abcdef0", instance_type="t3.micro", subnet_id=app_a.id)
aws.lb.TargetGroupAttachment("instance-in-data-subnet-target", target_group_arn=app_group.arn, target_id=data_host.id)
aws.lb.TargetGroupAttachment("ok-app-instance-target", target_group_arn=app_group.arn, target_id=app_host.id)

# Auto Scaling groups behind the exposed app group: one launches into the data subnets.
template = aws.ec2.LaunchTemplate("template", image_id="ami-0123456789abcdef0", instance_type="t3.micro")
for name, subnets in (("data-subnet-asg", [data_a.id, data_b.id]), ("ok-app-asg", public_subnets)):
    aws.autoscaling.Group(
        name,
        min_size=1,
        max_size=2,
        vpc_zone_identifiers=subnets,
        target_group_arns=[app_group.arn],
        launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id=template.id, version="$Latest"),
    )

# An internal ALB registered behind the internet-facing NLB is internet-facing in effect.
inner = aws.lb.LoadBalancer("inner-alb", load_balancer_type="application", internal=True, subnets=public_subnets)
forward(
    "inner-listener", inner, target_group("chained-db-target-group", 5432, protocol="HTTP"), port=80, protocol="HTTP"
)
alb_group = target_group("nlb-to-alb-target-group", 80, target_type="alb")
forward("nlb-alb-listener", nlb, alb_group, port=80)
aws.lb.TargetGroupAttachment("nlb-to-alb-target", target_group_arn=alb_group.arn, target_id=inner.arn)

# An internal load balancer that nothing public forwards to may front the database.
private = aws.lb.LoadBalancer("ok-internal-nlb", load_balancer_type="network", internal=True, subnets=public_subnets)
forward("ok-internal-listener", private, target_group("ok-internal-db-target-group", 5432), port=5432)

# A classic ELB: internet-facing unless internal=True, forwarding straight to instance ports.
aws.elb.LoadBalancer(
    "classic-db-elb",
    subnets=public_subnets,
    listeners=[
        aws.elb.LoadBalancerListenerArgs(lb_port=5432, lb_protocol="tcp", instance_port=5432, instance_protocol="tcp")
    ],
)
classic = aws.elb.LoadBalancer(
    "ok-classic-web-elb",
    subnets=public_subnets,
    listeners=[
        aws.elb.LoadBalancerListenerArgs(lb_port=443, lb_protocol="ssl", instance_port=8443, instance_protocol="ssl")
    ],
)
aws.elb.Attachment("classic-data-host-attachment", elb=classic.id, instance=data_host.id)

# Whether this one is internal is only known after the VPC exists: undecided at preview, judged at update.
late = aws.lb.LoadBalancer(
    "late-alb", load_balancer_type="application", internal=vpc.id.apply(lambda _: False), subnets=public_subnets
)
forward("late-listener", late, target_group("late-db-target-group", 1433), protocol="HTTPS")
