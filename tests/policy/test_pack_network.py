"""Network and CIDR rules: world ingress, admin ports, NACLs, the default SG, naming, descriptions, public IPs,
public databases and Lambda exposure."""

from __future__ import annotations

import pytest

from tests.policy.conftest import part_one_policies, undecided, violations

NETWORK_POLICIES = [
    "security-group-world-ingress-restricted",
    "security-group-world-ingress-only-on-load-balancers",
    "security-group-admin-ports-restricted",
    "default-security-group-closed",
    "security-group-name-not-sg-prefix",
    "security-group-rules-described",
    "network-acl-admin-ports-closed-to-world",
    "ec2-instance-no-public-ip",
    "launch-template-no-public-ip",
    "subnet-no-auto-public-ip",
    "rds-not-publicly-accessible",
    "lambda-function-in-vpc",
    "lambda-permission-not-public",
]
WORLD_SG = "world-ssh-all-v6-undescribed-sg"


@pytest.mark.parametrize("policy", NETWORK_POLICIES)
def test_compliant_network_draws_no_finding(analyze, mode, policy):
    """Includes HTTPS/HTTP from 0.0.0.0/0 and ::/0 on the load balancer's group, inline and as a vpc rule, SSH/RDP
    from the office CIDR, protocol -1 from the group itself, and an egress NACL entry to port 22."""
    assert [f for f in analyze(f"compliant-{mode}") if f.policy == policy] == []


def test_world_ingress_is_refused_except_on_the_allowed_tcp_ports(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "security-group-world-ingress-restricted")
    assert set(found) == {WORLD_SG, "world-rdp-v6-rule"}
    assert any("ingress[0] opens tcp 22 to 0.0.0.0/0" in m for m in found[WORLD_SG])
    assert any("ingress[1] opens all traffic to ::/0" in m for m in found[WORLD_SG])
    assert "opens tcp 3389 to ::/0; only TCP [80, 443]" in found["world-rdp-v6-rule"][0]


def test_world_open_ports_are_configurable(analyze):
    config = {"security-group-world-ingress-restricted": {"worldOpenPorts": [443, 22, 3389]}}
    found = violations(analyze("violations-apply", config), "security-group-world-ingress-restricted")
    assert set(found) == {WORLD_SG}  # only the all-traffic ::/0 rule is left
    assert len(found[WORLD_SG]) == 1 and "all traffic" in found[WORLD_SG][0]


def test_world_ingress_is_allowed_only_on_security_groups_a_load_balancer_uses(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "security-group-world-ingress-only-on-load-balancers")
    assert set(found) == {"https-without-load-balancer-sg", WORLD_SG, "world-rdp-v6-rule"}
    assert "which no load balancer uses" in found["https-without-load-balancer-sg"][0]
    assert f"on security group {WORLD_SG}" in found["world-rdp-v6-rule"][0]


def test_ssh_and_rdp_are_open_only_to_the_allowed_cidrs(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "security-group-admin-ports-restricted")
    assert {WORLD_SG, "all-ports-from-partner-rule", "world-rdp-v6-rule"} <= set(found)
    assert "(tcp 0-65535) lets 198.51.100.0/24 reach port(s) 22, 3389" in found["all-ports-from-partner-rule"][0]
    assert any("(all traffic) lets ::/0 reach port(s) 22, 3389" in m for m in found[WORLD_SG])


def test_allowed_ssh_cidrs_are_configurable(analyze):
    config = {"security-group-admin-ports-restricted": {"allowedSshCidrs": ["203.0.113.0/24", "198.51.100.0/24"]}}
    found = violations(analyze("violations-apply", config), "security-group-admin-ports-restricted")
    assert "all-ports-from-partner-rule" not in found and "ssh-from-eip" not in found
    assert WORLD_SG in found


def test_an_ssh_source_unknown_at_preview_is_undecided_then_decided_at_apply(analyze):
    """The bastion EIP's address does not exist at a first preview: no violation, one advisory note; at apply
    it is 198.51.100.x/32, outside the allowed CIDRs."""
    preview = analyze("violations-preview")
    assert "ssh-from-eip" not in violations(preview, "security-group-admin-ports-restricted")
    notes = [f for f in undecided(preview) if f.urn.endswith("::ssh-from-eip") and f.policy in part_one_policies()]
    assert {f.policy for f in notes} == {
        "security-group-admin-ports-restricted",
        "security-group-world-ingress-restricted",
    }
    assert all(f.enforcement_level == "advisory" and "can't be known during preview" in f.message for f in notes)
    apply = analyze("violations-apply")
    assert "198.51.100." in violations(apply, "security-group-admin-ports-restricted")["ssh-from-eip"][0]
    assert [f for f in undecided(apply) if f.policy in part_one_policies()] == []


def test_the_stack_policy_still_reports_what_it_could_decide_when_one_rule_is_unknown(analyze):
    preview = analyze("violations-preview")
    policy = "security-group-world-ingress-only-on-load-balancers"
    assert [f.policy for f in undecided(preview) if f.policy == policy] == [policy]
    assert "https-without-load-balancer-sg" in violations(preview, policy)


def test_network_acls_do_not_open_admin_ports_to_the_world(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "network-acl-admin-ports-closed-to-world")
    assert set(found) == {"world-all-traffic-acl", "world-ssh-acl-rule"}
    assert (
        "ingress[0] allows all traffic from 0.0.0.0/0, reaching port(s) 22, 3389" in found["world-all-traffic-acl"][0]
    )


def test_the_default_security_group_has_no_rules(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "default-security-group-closed")
    assert found == {"open-default-sg": ["open-default-sg: the default security group has 1 ingress rule(s)."]}


def test_security_group_names_do_not_start_with_sg(analyze, mode):
    found = violations(analyze(f"violations-{mode}"), "security-group-name-not-sg-prefix")
    assert set(found) == {"sg-prefixed-name", "sg-autonamed"}
    assert "name 'sg-web'" in found["sg-prefixed-name"][0]
    assert "resource name 'sg-autonamed'" in found["sg-autonamed"][0]


def test_missing_descriptions_are_advisory(analyze, mode):
    findings = [f for f in analyze(f"violations-{mode}") if f.policy == "security-group-rules-described"]
    assert {f.enforcement_level for f in findings} == {"advisory"}
    found = violations(findings, "security-group-rules-described")
    assert set(found) == {WORLD_SG, "world-rdp-v6-rule"}
    assert len(found[WORLD_SG]) == 3  # the group's own description and both inline rules


@pytest.mark.parametrize(
    ("policy", "resource", "fragment"),
    [
        ("ec2-instance-no-public-ip", "unencrypted-public-instance", "associatePublicIpAddress"),
        ("launch-template-no-public-ip", "unencrypted-public-template", "networkInterfaces[0]"),
        ("subnet-no-auto-public-ip", "public-ip-subnet", "mapPublicIpOnLaunch"),
        ("rds-not-publicly-accessible", "unencrypted-public-db", "publiclyAccessible"),
        ("lambda-function-in-vpc", "plain-env-outside-vpc-function", "no vpcConfig"),
        ("lambda-permission-not-public", "public-permission", "principal '*', no sourceArn"),
    ],
)
def test_nothing_gets_a_public_address_or_a_public_entry_point(analyze, mode, policy, resource, fragment):
    found = violations(analyze(f"violations-{mode}"), policy)
    assert list(found) == [resource]
    assert fragment in found[resource][0]


def test_the_admin_ports_are_configurable_for_security_groups_and_network_acls(analyze):
    config = {
        "security-group-admin-ports-restricted": {"adminPorts": [3389]},
        "network-acl-admin-ports-closed-to-world": {"adminPorts": [3389]},
    }
    findings = analyze("violations-apply", config)
    assert "ssh-from-eip" not in violations(findings, "security-group-admin-ports-restricted")
    assert "all-ports-from-partner-rule" in violations(findings, "security-group-admin-ports-restricted")
    assert set(violations(findings, "network-acl-admin-ports-closed-to-world")) == {"world-all-traffic-acl"}
