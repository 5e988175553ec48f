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

from ..keys import key_at
from ..props import UNKNOWN, is_set, peek, value
from ..registry import PROJECT, Category, resource_policy, stack_policy
from ..types import (
    API_GATEWAY_DOMAIN_NAME,
    API_GATEWAY_METHOD,
    API_GATEWAY_V2_API,
    API_GATEWAY_V2_ROUTE,
    REST_API,
)

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
            # http_method is required (apigateway/method.py); no default to judge.
            method = peek(resource.props, "httpMethod")
            authorization = peek(resource.props, "authorization")
            if method == "OPTIONS" or UNKNOWN in (method, authorization):
                continue
            if str(value(resource.props, "authorization", "")).upper() == "NONE":
                report(
                    f"method {resource.name} ({method}) has authorization NONE, so anyone can call it.", resource.urn
                )


# API Gateway's security policies (developer guide, "Security policies for REST APIs"): the legacy TLS_1_0 and
# TLS_1_2, and the enhanced `SecurityPolicy_...` ones, whose names carry the TLS versions they accept:
# SecurityPolicy_TLS13_1_3_2025_09 accepts TLS 1.3 only, SecurityPolicy_TLS13_1_2_2021_06 TLS 1.3 down to 1.2, and
# the edge ones (SecurityPolicy_TLS12_2018_EDGE, SecurityPolicy_TLS12_PFS_2025_EDGE) TLS 1.2. A name whose minimum is
# 1.0 or 1.1 is refused, as is a name this reading does not understand.
ENHANCED_POLICY = re.compile(r"^SecurityPolicy_TLS1([23])_(?:1_(\d)_)?\w+$")


def accepts_only_tls_1_2_or_later(policy: str) -> bool:
    """Whether an API Gateway security policy refuses TLS 1.0 and 1.1."""
    if policy == "TLS_1_2":
        return True
    found = ENHANCED_POLICY.match(policy)
    if not found:
        return False
    highest, lowest = found.groups()
    return int(lowest if lowest is not None else highest) >= 2


@resource_policy(
    name="apigateway-domain-tls-1-2",
    description="REST API custom domain names state a security policy with TLS 1.2 as the minimum (TLS_1_2, or an "
    "enhanced SecurityPolicy_TLS13_1_2_..., _TLS13_1_3_... or _TLS12_..._EDGE): `security_policy` left out is "
    "API Gateway's choice ('Must be configured to perform drift detection', pulumi-aws 7 apigateway.DomainName), "
    "and TLS_1_0 accepts TLS 1.0 and 1.1. (HTTP and WebSocket API domain names, apigatewayv2, accept only TLS_1_2.)",
    types=[API_GATEWAY_DOMAIN_NAME],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[PROJECT("encryption-in-transit")],
    remediation="Set security_policy='TLS_1_2' (or an enhanced 'SecurityPolicy_TLS13_1_2_2021_06' with "
    "endpoint_access_mode='STRICT') on aws.apigateway.DomainName.",
)
def apigateway_domain_tls_1_2(args: Any, report: Any, config: dict) -> None:
    policy = peek(args.props, "securityPolicy")
    if policy is not UNKNOWN and not (isinstance(policy, str) and accepts_only_tls_1_2_or_later(policy)):
        shown = policy or "left out (API Gateway's choice)"
        report(f"domain name {args.name}: security_policy is {shown}, not a TLS 1.2 minimum.")


def _endpoint_types(props: Any) -> Any:
    """The REST API's endpoint types: EDGE when endpoint_configuration is left out (apigateway/rest_api.py:
    endpoint_configuration.types "If unspecified, defaults to `EDGE`")."""
    found = key_at(props, "endpointConfiguration.types")
    if found is UNKNOWN:
        return UNKNOWN
    if found is None:
        return ["EDGE"]
    holder, key = found
    types = peek(holder, key)
    if types is UNKNOWN:
        return UNKNOWN
    # pulumi-aws 7 takes one string ("currently only supports managing a single value"); older programs a list.
    return [types] if isinstance(types, str) else list(types or ["EDGE"])


@resource_policy(
    name="apigateway-rest-api-tls-1-2",
    description="A REST API's default execute-api endpoint refuses TLS 1.0 and 1.1: `security_policy` is TLS_1_2 "
    "or an enhanced policy with TLS 1.2 as the minimum, or the endpoint is disabled "
    "(`disable_execute_api_endpoint`, 'Defaults to `false`'). Left out, API Gateway applies TLS_1_0 to Regional "
    "and edge-optimized APIs (developer guide, 'Default security policies'); private APIs get TLS_1_2.",
    types=[REST_API],
    severity=Severity.MEDIUM,
    category=Category.TRANSIT,
    controls=[PROJECT("encryption-in-transit")],
    remediation="Set security_policy='TLS_1_2' on aws.apigateway.RestApi, or disable_execute_api_endpoint=True and "
    "serve the API through a custom domain name with a TLS 1.2 policy.",
)
def apigateway_rest_api_tls_1_2(args: Any, report: Any, config: dict) -> None:
    if value(args.props, "disableExecuteApiEndpoint", False) is not False:
        return
    policy = peek(args.props, "securityPolicy")
    if policy is UNKNOWN or (isinstance(policy, str) and accepts_only_tls_1_2_or_later(policy)):
        return
    if policy:
        report(f"REST API {args.name}: security_policy is {policy}, not a TLS 1.2 minimum.")
        return
    types = _endpoint_types(args.props)
    if types is not UNKNOWN and types != ["PRIVATE"]:
        report(
            f"REST API {args.name}: security_policy is left out, so its {'/'.join(types)} execute-api endpoint "
            "accepts TLS 1.0 (API Gateway's default for Regional and edge-optimized APIs)."
        )
