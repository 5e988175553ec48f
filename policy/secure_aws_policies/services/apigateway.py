"""API Gateway: every route and method authenticates its callers (IAM, a JWT or Cognito authorizer, or a Lambda
authorizer). An API that anyone on the internet can call is a decision to write down as an exemption, not a default.

Defaults read from pulumi-aws v7: apigatewayv2/route.py authorization_type "Defaults to `NONE`"; apigateway/
method.py authorization is required (`NONE`, `CUSTOM`, `AWS_IAM`, `COGNITO_USER_POOLS`); apigatewayv2/api.py
`target` is "Part of _quick create_ ... a default catch-all route", which takes no authorizer.
"""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import Severity

from ..props import UNKNOWN, is_set, peek, value
from ..registry import PROJECT, Category, resource_policy, stack_policy
from ..types import API_GATEWAY_DOMAIN_NAME, API_GATEWAY_METHOD, API_GATEWAY_V2_API, API_GATEWAY_V2_ROUTE

# An HTTP API route key: `$default` or "<METHOD> <path>" (apigatewayv2/route.py). A WebSocket API takes an
# authorizer only on `$connect` (API Gateway's WebSocket authorization docs), so its other routes are not judged.
HTTP_ROUTE = re.compile(r"^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD) /")


def _protocols(resources: list[Any]) -> dict[str, Any]:
    return {r.urn: peek(r.props, "protocolType") for r in resources if r.resource_type == API_GATEWAY_V2_API}


def _route_protocol(route: Any, protocols: dict[str, Any]) -> Any:
    """The protocol of the route's API when the stack declares it (linked through apiId), else None."""
    for target in route.property_dependencies.get("apiId", []):
        if target.urn in protocols:
            return protocols[target.urn]
    return None


def _judged(route_key: str, protocol: Any) -> bool:
    if route_key == "$connect" or HTTP_ROUTE.match(route_key):
        return True
    # `$default` is the HTTP API catch-all, and a WebSocket fallback that takes no authorizer.
    return route_key == "$default" and protocol not in ("WEBSOCKET", UNKNOWN)


@stack_policy(
    name="apigateway-routes-require-authorization",
    description="API Gateway HTTP API routes (and WebSocket `$connect`) set an `authorizationType` other than NONE "
    "(the default when left out); REST API methods set `authorization` other than NONE; and no HTTP API is "
    "quick-created with `target`, whose catch-all route takes no authorizer. CORS preflight (OPTIONS) is not "
    "judged: browsers send it without credentials.",
    types=[API_GATEWAY_V2_ROUTE, API_GATEWAY_V2_API, API_GATEWAY_METHOD],
    severity=Severity.HIGH,
    category=Category.ACCESS,
    controls=[PROJECT("no-unauthenticated-endpoints")],
    remediation="Set authorization_type='AWS_IAM' or 'JWT' (with authorizer_id) on apigatewayv2 routes, and "
    "authorization='AWS_IAM' / 'COGNITO_USER_POOLS' / 'CUSTOM' on apigateway methods; declare routes instead of "
    "quick-create `target`. A deliberately public API gets an exemption with its reason.",
)
def apigateway_routes_require_authorization(args: Any, report: Any, config: dict) -> None:
    protocols = _protocols(args.resources)
    for resource in args.resources:
        if resource.resource_type == API_GATEWAY_V2_ROUTE:
            route_key = peek(resource.props, "routeKey")
            if route_key is UNKNOWN or not _judged(str(route_key), _route_protocol(resource, protocols)):
                continue
            authorization = peek(resource.props, "authorizationType", "NONE")
            if authorization is not UNKNOWN and str(authorization).upper() == "NONE":
                report(
                    f"route {resource.name} ({route_key}) has authorizationType NONE, so anyone can call it.",
                    resource.urn,
                )
        elif resource.resource_type == API_GATEWAY_V2_API:
            if peek(resource.props, "protocolType") == "HTTP" and is_set(resource.props, "target"):
                report(
                    f"API {resource.name} is quick-created with `target`: its catch-all $default route takes no "
                    "authorizer, so anyone can call it.",
                    resource.urn,
                )
        elif resource.resource_type == API_GATEWAY_METHOD:
            method = peek(resource.props, "httpMethod")
            authorization = peek(resource.props, "authorization")
            if method == "OPTIONS" or UNKNOWN in (method, authorization):
                continue
            if str(value(resource.props, "authorization", "")).upper() == "NONE":
                report(
                    f"method {resource.name} ({method}) has authorization NONE, so anyone can call it.", resource.urn
                )


# REST API custom domain security policies with TLS 1.2 as the minimum. API Gateway's newer enhanced policies are
# not listed yet: until they are, a domain on one is refused and can be exempted by name with the policy it uses.
TLS_1_2_DOMAIN_POLICIES = frozenset({"TLS_1_2"})


@resource_policy(
    name="apigateway-domain-tls-1-2",
    description="REST API custom domain names state the TLS 1.2 security policy (TLS_1_2): `security_policy` "
    "left out is API Gateway's choice ('Must be configured to perform "
    "drift detection', pulumi-aws 7 apigateway.DomainName), and TLS_1_0 accepts TLS 1.0 and 1.1. (HTTP and "
    "WebSocket API domain names, apigatewayv2, accept only TLS_1_2.)",
    types=[API_GATEWAY_DOMAIN_NAME],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[PROJECT("encryption-in-transit")],
    remediation="Set security_policy='TLS_1_2' on aws.apigateway.DomainName.",
)
def apigateway_domain_tls_1_2(args: Any, report: Any, config: dict) -> None:
    policy = peek(args.props, "securityPolicy")
    if policy is not UNKNOWN and policy not in TLS_1_2_DOMAIN_POLICIES:
        shown = policy or "left out (API Gateway's choice)"
        report(f"domain name {args.name}: security_policy is {shown}, not a TLS 1.2 minimum.")
