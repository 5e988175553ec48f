"""Encryption in transit for services a team adds (tests/policy/test_transit_services.py): each once as it should
be ("ok-") and once weakened, by a value left out to its default or an insecure one."""

import pulumi
import pulumi_aws as aws

CERT = "arn:aws:acm:us-east-1:111111111111:certificate/0e1e8f1e-0000-4000-8000-000000000001"
cf = aws.cloudfront


def distribution(
    name: str,
    viewer: str,
    certificate: cf.DistributionViewerCertificateArgs,
    origin_policy: str,
    origin_protocols: list[str],
    ordered_viewer: str | None = None,
) -> None:
    ordered = (
        [
            cf.DistributionOrderedCacheBehaviorArgs(
                path_pattern="/api/*",
                allowed_methods=["GET", "HEAD"],
                cached_methods=["GET", "HEAD"],
                target_origin_id="app",
                viewer_protocol_policy=ordered_viewer,
            )
        ]
        if ordered_viewer
        else None
    )
    cf.Distribution(
        name,
        enabled=True,
        origins=[
            cf.DistributionOriginArgs(
                origin_id="app",
                domain_name="app.example.com",
                custom_origin_config=cf.DistributionOriginCustomOriginConfigArgs(
                    http_port=80,
                    https_port=443,
                    origin_protocol_policy=origin_policy,
                    origin_ssl_protocols=origin_protocols,
                ),
            )
        ],
        default_cache_behavior=cf.DistributionDefaultCacheBehaviorArgs(
            allowed_methods=["GET", "HEAD"],
            cached_methods=["GET", "HEAD"],
            target_origin_id="app",
            viewer_protocol_policy=viewer,
        ),
        ordered_cache_behaviors=ordered,
        restrictions=cf.DistributionRestrictionsArgs(
            geo_restriction=cf.DistributionRestrictionsGeoRestrictionArgs(restriction_type="none")
        ),
        viewer_certificate=certificate,
    )


good_certificate = cf.DistributionViewerCertificateArgs(
    acm_certificate_arn=CERT, ssl_support_method="sni-only", minimum_protocol_version="TLSv1.2_2021"
)
distribution("cdn-allow-all", "allow-all", good_certificate, "https-only", ["TLSv1.2"])
distribution("cdn-http-api-path", "redirect-to-https", good_certificate, "https-only", ["TLSv1.2"], "allow-all")
distribution(
    "cdn-default-certificate",
    "https-only",
    cf.DistributionViewerCertificateArgs(cloudfront_default_certificate=True),
    "https-only",
    ["TLSv1.2"],
)
distribution(
    "cdn-minimum-left-out",
    "https-only",
    cf.DistributionViewerCertificateArgs(acm_certificate_arn=CERT, ssl_support_method="sni-only"),
    "https-only",
    ["TLSv1.2"],
)
distribution("cdn-plain-origin", "https-only", good_certificate, "match-viewer", ["TLSv1", "TLSv1.2"])
distribution("ok-cdn", "redirect-to-https", good_certificate, "https-only", ["TLSv1.2"], "https-only")

# Classic load balancers
subnets = ["subnet-1", "subnet-2"]
aws.elb.LoadBalancer(
    "classic-http",
    subnets=subnets,
    listeners=[
        aws.elb.LoadBalancerListenerArgs(instance_port=80, instance_protocol="http", lb_port=80, lb_protocol="http")
    ],
)
aws.elb.LoadBalancer(
    "ok-classic",
    subnets=subnets,
    listeners=[
        aws.elb.LoadBalancerListenerArgs(
            instance_port=443, instance_protocol="https", lb_port=443, lb_protocol="https", ssl_certificate_id=CERT
        )
    ],
)

# SNS subscriptions
topic = aws.sns.Topic("topic")
aws.sns.TopicSubscription("http-subscription", topic=topic.arn, protocol="http", endpoint="http://hooks.example.com/a")
aws.sns.TopicSubscription(
    "ok-https-subscription", topic=topic.arn, protocol="https", endpoint="https://hooks.example.com/a"
)

# API Gateway custom domains
endpoint = aws.apigateway.DomainNameEndpointConfigurationArgs(types="REGIONAL")
aws.apigateway.DomainName(
    "domain-tls-1-0",
    domain_name="a.example.com",
    regional_certificate_arn=CERT,
    endpoint_configuration=endpoint,
    security_policy="TLS_1_0",
)
aws.apigateway.DomainName(
    "domain-policy-left-out",
    domain_name="b.example.com",
    regional_certificate_arn=CERT,
    endpoint_configuration=endpoint,
)
aws.apigateway.DomainName(
    "ok-domain",
    domain_name="c.example.com",
    regional_certificate_arn=CERT,
    endpoint_configuration=endpoint,
    security_policy="TLS_1_2",
)

aws.apigateway.DomainName(
    "ok-domain-enhanced",
    domain_name="d.example.com",
    regional_certificate_arn=CERT,
    endpoint_configuration=endpoint,
    security_policy="SecurityPolicy_TLS13_1_2_2021_06",
    endpoint_access_mode="STRICT",
)
aws.apigateway.DomainName(
    "domain-enhanced-tls-1-0",
    domain_name="e.example.com",
    regional_certificate_arn=CERT,
    endpoint_configuration=endpoint,
    security_policy="SecurityPolicy_TLS13_1_0_2025_09",
    endpoint_access_mode="STRICT",
)

# REST APIs: the default execute-api endpoint takes TLS_1_0 when security_policy is left out (Regional, edge).
aws.apigateway.RestApi("api-policy-left-out")
aws.apigateway.RestApi(
    "api-regional-left-out", endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="REGIONAL")
)
aws.apigateway.RestApi("api-tls-1-0", security_policy="TLS_1_0")
aws.apigateway.RestApi("ok-api-tls-1-2", security_policy="TLS_1_2")
aws.apigateway.RestApi(
    "ok-api-enhanced", security_policy="SecurityPolicy_TLS13_1_3_2025_09", endpoint_access_mode="STRICT"
)
aws.apigateway.RestApi("ok-api-no-default-endpoint", disable_execute_api_endpoint=True)
aws.apigateway.RestApi(
    "ok-api-private", endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="PRIVATE")
)

# Providers
aws.Provider("insecure-provider", region="us-east-1", insecure=True)
aws.Provider("ok-provider", region="us-east-1")
pulumi.export("topicArn", topic.arn)
