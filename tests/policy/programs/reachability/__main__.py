"""Security groups whose sources reach the whole public address space only when their rules are put together,
and database ports opened to public ranges; each resource is named after what it does. `ok-*` resources must
draw no finding from the reachability policies."""

import pulumi_aws as aws

VPC = "vpc-0123456789abcdef0"


def sg(name: str, **kwargs):
    return aws.ec2.SecurityGroup(name, vpc_id=VPC, description=f"{name} (reachability fixture)", **kwargs)


def tcp(port: int, *cidrs: str, last: int | None = None) -> aws.ec2.SecurityGroupIngressArgs:
    v4 = [c for c in cidrs if ":" not in c]
    v6 = [c for c in cidrs if ":" in c]
    return aws.ec2.SecurityGroupIngressArgs(
        protocol="tcp", from_port=port, to_port=last or port, cidr_blocks=v4, ipv6_cidr_blocks=v6, description="fixture"
    )


# Two inline rules, each half of the IPv4 internet, on the same port: together the world.
sg("halves-inline-sg", ingress=[tcp(8080, "0.0.0.0/1"), tcp(8080, "128.0.0.0/1")])

# One half inline, the other half as a separate vpc rule, on a port inside the first rule's range.
halves_split = sg("halves-split-sg", ingress=[tcp(9000, "0.0.0.0/1", last=9100)])
aws.vpc.SecurityGroupIngressRule(
    "other-half-rule",
    security_group_id=halves_split.id,
    ip_protocol="tcp",
    from_port=9050,
    to_port=9050,
    cidr_ipv4="128.0.0.0/1",
    description="fixture",
)

# Protocol -1 from one half and SSH from the other: SSH is reachable from everywhere.
all_half = sg("all-traffic-half-sg")
aws.ec2.SecurityGroupRule(
    "all-traffic-half-rule",
    type="ingress",
    security_group_id=all_half.id,
    protocol="-1",
    from_port=0,
    to_port=0,
    cidr_blocks=["0.0.0.0/1"],
    description="fixture",
)
aws.ec2.SecurityGroupRule(
    "ssh-other-half-rule",
    type="ingress",
    security_group_id=all_half.id,
    protocol="tcp",
    from_port=22,
    to_port=22,
    cidr_blocks=["128.0.0.0/1"],
    description="fixture",
)

# The public IPv6 internet (2000::/3) in two rules.
sg("ipv6-split-sg", ingress=[tcp(3000, "2000::/4"), tcp(3000, "3000::/4")])

# One rule, the IPv6 internet in two halves (::/1 alone holds all of 2000::/3); one rule, the public IPv4
# internet as /8 blocks.
sg("ipv6-halves-one-rule-sg", ingress=[tcp(53, "::/1", "8000::/1")])
sg("slash8-blocks-one-rule-sg", ingress=[tcp(25, *[f"{i}.0.0.0/8" for i in range(1, 224) if i not in (10, 127)])])

# Database ports from public ranges, however small, and from a prefix list.
database = sg("database-sg", ingress=[tcp(5432, "10.0.0.0/16")])
aws.vpc.SecurityGroupIngressRule(
    "postgres-from-partner-rule",
    security_group_id=database.id,
    ip_protocol="tcp",
    from_port=5432,
    to_port=5432,
    cidr_ipv4="198.51.100.7/32",
    description="fixture",
)
aws.vpc.SecurityGroupIngressRule(
    "mysql-from-prefix-list-rule",
    security_group_id=database.id,
    ip_protocol="tcp",
    from_port=3306,
    to_port=3306,
    prefix_list_id="pl-0123456789abcdef0",
    description="fixture",
)
aws.ec2.SecurityGroupRule(
    "all-traffic-from-public-rule",
    type="ingress",
    security_group_id=database.id,
    protocol="-1",
    from_port=0,
    to_port=0,
    cidr_blocks=["11.0.0.0/8"],
    description="fixture",
)

# A half of the internet whose other half exists only after apply (an Elastic IP's address is unknown at preview).
eip = aws.ec2.Eip("partner-eip", domain="vpc")
unknown = sg("unknown-other-half-sg", ingress=[tcp(8443, "0.0.0.0/1")])
aws.ec2.SecurityGroupRule(
    "eip-rule",
    type="ingress",
    security_group_id=unknown.id,
    protocol="tcp",
    from_port=8443,
    to_port=8443,
    cidr_blocks=[eip.public_ip.apply(lambda ip: f"{ip}/32")],
    description="fixture",
)

# Halves of the internet on different ports: no port is reachable from everywhere, but every public address
# reaches the group, which no load balancer uses.
# Compliant: databases from private
# ranges and from security groups; the load balancer's group takes the IPv6 world on 443 in two halves.
sg("halves-on-different-ports-sg", ingress=[tcp(8080, "0.0.0.0/1"), tcp(8081, "128.0.0.0/1")])
app = sg("ok-app-sg")
ok_database = sg("ok-database-sg", ingress=[tcp(5432, "10.0.0.0/16", "fd00::/8")])
aws.vpc.SecurityGroupIngressRule(
    "ok-postgres-from-app-rule",
    security_group_id=ok_database.id,
    ip_protocol="tcp",
    from_port=5432,
    to_port=5432,
    referenced_security_group_id=app.id,
    description="fixture",
)
lb_sg = sg("ok-lb-sg", ingress=[tcp(443, "::/1"), tcp(443, "8000::/1")])
aws.lb.LoadBalancer(
    "ok-lb", load_balancer_type="application", subnets=["subnet-1a", "subnet-1b"], security_groups=[lb_sg.id]
)


# Network ACLs: entries evaluated in rule-number order, first match wins.
def acl_entry(rule_no: int, action: str, cidr: str, port: int, last: int | None = None):
    return aws.ec2.NetworkAclIngressArgs(
        rule_no=rule_no, action=action, protocol="tcp", from_port=port, to_port=last or port, cidr_block=cidr
    )


# Half the internet allowed to SSH inline, the other half to every TCP port by a separate rule.
halves_acl = aws.ec2.NetworkAcl("halves-acl", vpc_id=VPC, ingress=[acl_entry(100, "allow", "0.0.0.0/1", 22)])
aws.ec2.NetworkAclRule(
    "other-half-acl-rule",
    network_acl_id=halves_acl.id,
    rule_number=110,
    egress=False,
    protocol="tcp",
    rule_action="allow",
    cidr_block="128.0.0.0/1",
    from_port=0,
    to_port=65535,
)
# Compliant: the same two halves, but an earlier entry denies SSH to one of them.
aws.ec2.NetworkAcl(
    "ok-deny-first-acl",
    vpc_id=VPC,
    ingress=[
        acl_entry(50, "deny", "128.0.0.0/1", 22),
        acl_entry(100, "allow", "0.0.0.0/1", 22),
        acl_entry(110, "allow", "128.0.0.0/1", 0, last=65535),
    ],
)

# Managed prefix lists of this stack are resolved through their entries: one holds half the internet inline, the
# other half arrives as a separate entry resource; together, referenced by two rules on port 8888, the world.
halves_list = aws.ec2.ManagedPrefixList(
    "half-internet-list",
    address_family="IPv4",
    max_entries=5,
    entries=[aws.ec2.ManagedPrefixListEntryArgs(cidr="0.0.0.0/1")],
)
other_list = aws.ec2.ManagedPrefixList("other-half-list", address_family="IPv4", max_entries=5)
aws.ec2.ManagedPrefixListEntry("other-half-entry", prefix_list_id=other_list.id, cidr="128.0.0.0/1")
prefix_sg = sg("prefix-lists-sg")
for name, listed in (("half-list-rule", halves_list), ("other-half-list-rule", other_list)):
    aws.vpc.SecurityGroupIngressRule(
        name,
        security_group_id=prefix_sg.id,
        ip_protocol="tcp",
        from_port=8888,
        to_port=8888,
        prefix_list_id=listed.id,
        description="fixture",
    )
# Compliant: a prefix list of private ranges only.
office_list = aws.ec2.ManagedPrefixList(
    "ok-office-list",
    address_family="IPv4",
    max_entries=5,
    entries=[aws.ec2.ManagedPrefixListEntryArgs(cidr="10.20.0.0/16")],
)
ok_prefix_sg = sg("ok-prefix-list-sg")
aws.vpc.SecurityGroupIngressRule(
    "ok-office-list-rule",
    security_group_id=ok_prefix_sg.id,
    ip_protocol="tcp",
    from_port=8888,
    to_port=8888,
    prefix_list_id=office_list.id,
    description="fixture",
)
