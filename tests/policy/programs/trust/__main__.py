"""Role trust policies (tests/policy/test_trust.py): federated OIDC trusts with the subject pinned or not, and
other accounts with or without sts:ExternalId. "ok-" roles must pass; the others are named after their fault.
The test's pack config guards account 111111111111 and trusts 333333333333."""

import json

import pulumi_aws as aws

GITHUB = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
EKS_ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
EKS = f"arn:aws:iam::111111111111:oidc-provider/{EKS_ISSUER}"


def role(name: str, principal: dict, action: str = "sts:AssumeRole", condition: dict | None = None) -> None:
    statement = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        statement["Condition"] = condition
    aws.iam.Role(name, assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))


def web(provider: str, condition: dict | None) -> dict:
    return {"principal": {"Federated": provider}, "action": "sts:AssumeRoleWithWebIdentity", "condition": condition}


AUDIENCE = {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}
role("github-unpinned", **web(GITHUB, {"StringEquals": AUDIENCE}))
role(
    "github-any-repo",
    **web(GITHUB, {"StringEquals": AUDIENCE, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}}),
)
role(
    "github-star-subject",
    **web(GITHUB, {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:acme/app:*", "*"]}}),
)
role(
    "github-negated-subject",
    **web(GITHUB, {"StringNotEquals": {"token.actions.githubusercontent.com:sub": "repo:evil/x:ref:refs/heads/main"}}),
)
role(
    "ok-github-repo",
    **web(
        GITHUB,
        {
            "StringEquals": AUDIENCE,
            "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/*"},
        },
    ),
)
role(
    "eks-any-service-account",
    **web(
        EKS,
        {"StringLike": {f"{EKS_ISSUER}:sub": "system:serviceaccount:*"}},
    ),
)
role(
    "ok-eks-service-account",
    **web(
        EKS,
        {"StringEquals": {f"{EKS_ISSUER}:sub": "system:serviceaccount:prod:app"}},
    ),
)
role("ok-saml", {"Federated": "arn:aws:iam::111111111111:saml-provider/corp"}, "sts:AssumeRoleWithSAML")

role("vendor-without-external-id", {"AWS": "arn:aws:iam::222222222222:root"})
role(
    "vendor-role-without-external-id",
    {"AWS": ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:role/deploy"]},
)
role(
    "ok-vendor-external-id", {"AWS": "222222222222"}, condition={"StringEquals": {"sts:ExternalId": "d1a7c3e0-vendor"}}
)
role("ok-own-account", {"AWS": "arn:aws:iam::111111111111:root"})
role("ok-trusted-tooling-account", {"AWS": "arn:aws:iam::333333333333:role/security-audit"})
role("ok-service", {"Service": "ec2.amazonaws.com"})
