"""verify's declared security-group rules are the ones the program registers (run under Pulumi's mock engine).

If a component adds, removes or changes a rule, this fails until verify/checks/security_groups.py follows.
"""

from preflight.record import Recording
from verify.checks.security_groups import Rule, declared_rules
from verify.outputs import StackOutputs

RULE_TYPES = {
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "ingress",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "egress",
}


def _registered_rules(recording: Recording) -> set[Rule]:
    rules = set()
    for type_token, direction in RULE_TYPES.items():
        for resource in recording.of_type(type_token):
            props = resource.inputs
            peer = props.get("cidrIpv4") or props.get("cidrIpv6") or props.get("referencedSecurityGroupId")
            rules.add(
                Rule(
                    props["securityGroupId"],
                    direction,
                    props["ipProtocol"],
                    int(props["fromPort"]),
                    int(props["toPort"]),
                    peer,
                )
            )
    return rules


def test_the_declared_rules_are_exactly_the_rules_the_program_registers(prod_apply):
    declared = declared_rules(StackOutputs(prod_apply.stack_outputs))
    assert declared == _registered_rules(prod_apply)


def test_the_program_exports_every_output_verify_reads(prod_apply):
    needed = {
        "region",
        "vpcId",
        "trailArn",
        "alertTopicArn",
        "targetGroupArn",
        "logBucketName",
        "databaseEndpoint",
        "databasePort",
        "auditorFunctionName",
        "securityGroupIds",
        "appPort",
        "corporateCidrs",
        "webAclArn",
    }
    assert needed <= set(prod_apply.stack_outputs)
