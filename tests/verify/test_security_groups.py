"""The security-group check: the live groups hold exactly the rules the stack declares."""

from tests.verify.conftest import CORPORATE_CIDR, add_rule, only
from verify.results import Status


def test_an_added_rule_fails_naming_it(deployed):
    app = deployed.outputs["securityGroupIds"]["app"]
    add_rule(deployed.client("ec2"), app, "ingress", 22, "0.0.0.0/0")
    result = only(deployed.results("security-groups"), Status.FAIL)
    assert "does not declare" in result.summary and "port 22 from 0.0.0.0/0" in result.summary


def test_a_removed_rule_fails(deployed):
    ec2 = deployed.client("ec2")
    app = deployed.outputs["securityGroupIds"]["app"]
    ec2.revoke_security_group_ingress(
        GroupId=app,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": CORPORATE_CIDR}]}],
    )
    result = only(deployed.results("security-groups"), Status.FAIL)
    assert "lacks a declared rule" in result.summary and CORPORATE_CIDR in result.summary


def test_a_rule_on_the_vpcs_default_group_fails(deployed):
    ec2 = deployed.client("ec2")
    default = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [deployed.outputs["vpcId"]]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"][0]["GroupId"]
    add_rule(ec2, default, "egress", 443, "0.0.0.0/0")
    result = only(deployed.results("security-groups"), Status.FAIL)
    assert "default security group" in result.summary


def test_a_stack_without_the_security_group_output_fails_naming_it(deployed):
    del deployed.outputs["securityGroupIds"]
    result = only(deployed.results("security-groups"), Status.FAIL)
    assert "'securityGroupIds'" in result.summary and "pulumi up" in result.fix
