"""The one way a tier writes a condition block of an `aws.iam.get_policy_document` statement.

Every policy of this stack scopes its grants with conditions (`aws:SourceAccount`, `aws:SourceArn`,
`kms:ViaService`, ...). One builder keeps them all the same shape, with the values spelled out at the call site:
`condition("StringEquals", "aws:SourceAccount", account_id)`.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws


def condition(test: str, variable: str, *values: pulumi.Input[str]) -> aws.iam.GetPolicyDocumentStatementConditionArgs:
    """A condition: `variable` must pass `test` (StringEquals, ArnLike, Bool, ...) against one of `values`."""
    return aws.iam.GetPolicyDocumentStatementConditionArgs(test=test, variable=variable, values=list(values))
