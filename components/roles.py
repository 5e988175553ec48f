"""The one shape every IAM role of this stack has: a role one AWS service may assume, and one inline policy.

Every role here belongs to a single service (EC2, Lambda, RDS monitoring, VPC Flow Logs, CloudTrail) acting for
this stack, and carries exactly one least-privilege inline policy, never a managed one. Building both through
these two functions keeps the trust policy and the permissions documents rendered by
`aws.iam.get_policy_document` and each role's confused-deputy conditions in plain view at the call site.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws


def service_role(
    parent: pulumi.Resource,
    name: str,
    *,
    service: str,
    description: str,
    conditions: Sequence[aws.iam.GetPolicyDocumentStatementConditionArgs] = (),
) -> aws.iam.Role:
    """A role only `service` (e.g. "lambda.amazonaws.com") may assume, and only under `conditions`.

    The conditions (`aws:SourceAccount`, `aws:SourceArn`) keep another account's resource of the same service
    from using the role, where the service sets them.
    """
    trust = aws.iam.get_policy_document_output(
        statements=[
            aws.iam.GetPolicyDocumentStatementArgs(
                actions=["sts:AssumeRole"],
                principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=[service])],
                conditions=list(conditions) or None,
            )
        ],
        opts=pulumi.InvokeOutputOptions(parent=parent),
    )
    return aws.iam.Role(
        name,
        description=description,
        assume_role_policy=trust.json,
        opts=pulumi.ResourceOptions(parent=parent),
    )


def role_policy(
    parent: pulumi.Resource,
    name: str,
    role: aws.iam.Role,
    statements: Sequence[aws.iam.GetPolicyDocumentStatementArgs],
) -> aws.iam.RolePolicy:
    """The role's inline policy, rendered from `statements`."""
    document = aws.iam.get_policy_document_output(
        statements=list(statements), opts=pulumi.InvokeOutputOptions(parent=parent)
    )
    return aws.iam.RolePolicy(name, role=role.id, policy=document.json, opts=pulumi.ResourceOptions(parent=parent))
