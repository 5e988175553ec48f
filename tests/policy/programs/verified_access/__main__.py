"""Verified Access (tests/policy/test_verified_access.py): group and endpoint Cedar policies. Each resource is named
after what it does wrong; `ok-*` resources pass. The bypasses: a permit with no `when`, `when { true }`, only an
`unless`, an open endpoint policy in a group with none or outside the stack; and a parser's traps: an open permit
inside a comment, a `;` inside a string."""

import pulumi_aws as aws

instance = aws.verifiedaccess.Instance("instance", description="corporate access")
aws.verifiedaccess.TrustProvider(
    "idc", policy_reference_name="idc", trust_provider_type="user", user_trust_provider_type="iam-identity-center"
)
OPEN = "permit(principal, action, resource);"
OURS = 'permit(principal, action, resource) when { context.idc.user.email.address.contains("@example.com") };'


def group(name: str, policy: str | None = None) -> aws.verifiedaccess.Group:
    return aws.verifiedaccess.Group(name, verifiedaccess_instance_id=instance.id, policy_document=policy)


def endpoint(name: str, group_id: object, policy: str | None = None) -> None:
    aws.verifiedaccess.Endpoint(
        name,
        attachment_type="vpc",
        endpoint_type="load-balancer",
        verified_access_group_id=group_id,
        application_domain=f"{name}.example.com",
        domain_certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
        endpoint_domain_prefix=name[:19],
        load_balancer_options=aws.verifiedaccess.EndpointLoadBalancerOptionsArgs(
            load_balancer_arn="arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
            port=443,
            protocol="https",
            subnet_ids=["subnet-0123456789abcdef0"],
        ),
        policy_document=policy,
    )


open_group = group("open-group", OPEN)
group("when-true-group", "permit(principal,action,resource) when { true };")
group(
    "unless-only-group", 'permit(principal, action, resource) unless { context.idc.user.email.address like "*@x.io" };'
)
ok_group = group("ok-group", OURS)
group(
    "ok-commented-group",
    "// was: permit(principal, action, resource);\n"
    'permit(principal, action, resource) when {\n  context.idc.user.email.address like "*;@example.com"\n};',
)
no_policy_group = group("ok-no-policy-group")

endpoint("ok-open-endpoint-in-ok-group", ok_group.id, OPEN)  # both must allow: the group's condition decides
endpoint("ok-endpoint-without-policy", ok_group.id)
endpoint("open-endpoint-in-open-group", open_group.id, OPEN)
endpoint("open-endpoint-in-group-without-policy", no_policy_group.id, OPEN)
endpoint("open-endpoint-group-elsewhere", "vagr-0123456789abcdef0", OPEN)
