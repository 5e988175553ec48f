"""AWS behaviour for Pulumi's mock engine: what the provider would answer, without AWS.

`AwsMocks(preview=True)` answers like a first `pulumi preview` of a fresh stack: a resource's id and every
computed attribute are unknown, only its inputs are known. `AwsMocks(preview=False)` answers like `pulumi up`:
deterministic, realistic ids and ARNs, so the values that only exist after creation (ARNs inside policy
documents, endpoints) can be checked. Invokes (`get_availability_zones`, `get_policy_document`, ...) answer
the same in both modes; the SDK itself skips an invoke whose arguments are unknown, as the engine does.

Everything is derived from the resource's type and name, so two runs register identical resources.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pulumi

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
AVAILABILITY_ZONES = ("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f")
PARTITION = "aws"
# Instance type offerings: not every AZ offers every type. us-east-1e stands for the AZ without current-generation
# types (use1-az3), and a few large types are in one or two AZs only; every other type is in every other AZ.
_ZONES_WITHOUT_CURRENT_TYPES = ("us-east-1e",)
_FEW_ZONE_TYPES = {"p5.48xlarge": ("us-east-1a", "us-east-1c")}
# What DescribeInstanceTypes says of a type's architectures: Graviton families are arm64 ("g" after the generation,
# and a1, the first Graviton).
_ARM64_FAMILY = re.compile(r"^([a-z]+\d+g|a1\.)")


def _digest(*parts: str, length: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def _uuid(*parts: str) -> str:
    h = _digest(*parts, length=32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


# Type token -> EC2-style id prefix, for resources whose AWS id is such an id.
_ID_PREFIXES = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/instance:Instance": "i",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": "acl",
    "aws:ec2/volume:Volume": "vol",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:ec2/securityGroupRule:SecurityGroupRule": "sgrule",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/route:Route": "r",
}


class AwsMocks(pulumi.runtime.Mocks):
    """Answers resource registrations and invokes the way pulumi-aws would in us-east-1."""

    def __init__(self, preview: bool = False, account_id: str = ACCOUNT_ID, region: str = REGION) -> None:
        self.preview = preview
        self.account_id = account_id
        self.region = region

    # Resources -----------------------------------------------------------------------------------------------

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        inputs = dict(args.inputs)
        if self.preview:
            # A fresh stack: nothing has an id yet and computed attributes are unknown (absent here).
            return "", inputs
        resource_id = self._id(args)
        outputs = {**inputs, **self._computed(args.typ, args.name, resource_id, inputs)}
        return resource_id, outputs

    def _id(self, args: pulumi.runtime.MockResourceArgs) -> str:
        typ, name = args.typ, args.name
        if args.resource_id:
            return args.resource_id
        if typ in _ID_PREFIXES:
            return f"{_ID_PREFIXES[typ]}-{_digest(typ, name)}"
        if typ == "aws:s3/bucket:Bucket":
            return args.inputs.get("bucket") or f"{args.inputs.get('bucketPrefix', name)}{_digest(name, length=8)}"
        if typ == "aws:kms/key:Key":
            return _uuid(typ, name)
        if typ == "aws:rds/instance:Instance" and args.inputs.get("identifier"):
            return str(args.inputs["identifier"])
        if typ in (
            "aws:iam/role:Role",
            "aws:iam/instanceProfile:InstanceProfile",
            "aws:lambda/function:Function",
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:cloudtrail/trail:Trail",
            "aws:rds/instance:Instance",
            "aws:rds/subnetGroup:SubnetGroup",
            "aws:rds/parameterGroup:ParameterGroup",
            "aws:rds/clusterParameterGroup:ClusterParameterGroup",
        ):
            return args.inputs.get("name") or f"{name}-{_digest(name, length=7)}"
        return f"{name}-{_digest(typ, name, length=8)}"

    def _arn(self, service: str, resource: str, *, regional: bool = True, account: bool = True) -> str:
        region = self.region if regional else ""
        account_id = self.account_id if account else ""
        return f"arn:{PARTITION}:{service}:{region}:{account_id}:{resource}"

    def _computed(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """The attributes AWS computes on create, for the types this project uses; a generic ARN otherwise."""
        if typ.startswith("pulumi:providers:"):
            return {}
        compute = _COMPUTED.get(typ)
        if compute is not None:
            return compute(self, typ, name, rid, inputs)
        module = typ.split(":")[1].split("/")[0] if ":" in typ else ""
        if module and "arn" not in inputs:
            service = {"cloudwatch": "cloudwatch", "ec2": "ec2", "vpc": "ec2", "rds": "rds"}.get(module, module)
            return {"arn": self._arn(service, f"{typ.split(':')[-1].lower()}/{rid}")}
        return {}

    # One method per type (or family of types) with computed attributes; `_COMPUTED` below maps type tokens to them.

    def _random_id(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        raw = hashlib.sha256(name.encode()).digest()[: int(inputs.get("byteLength", 8))]
        return {"hex": raw.hex(), "dec": str(int.from_bytes(raw, "big")), "b64Url": raw.hex(), "b64Std": raw.hex()}

    def _random_string(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"result": _digest("random", name, length=int(inputs.get("length", 8))).lower()}

    def _random_password(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"result": _digest("password", name, length=int(inputs.get("length", 16)))}

    def _bucket(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {
            "bucket": rid,
            "arn": f"arn:aws:s3:::{rid}",
            "bucketDomainName": f"{rid}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{rid}.s3.{self.region}.amazonaws.com",
            "region": self.region,
        }

    def _kms_key(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": self._arn("kms", f"key/{rid}"), "keyId": rid}

    def _kms_alias(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": self._arn("kms", inputs.get("name", f"alias/{name}")), "targetKeyArn": None}

    def _iam_role(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": f"arn:aws:iam::{self.account_id}:role/{rid}", "name": rid, "uniqueId": f"AROA{_digest(rid)}"}

    def _instance_profile(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": f"arn:aws:iam::{self.account_id}:instance-profile/{rid}", "name": rid}

    def _iam_policy(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": f"arn:aws:iam::{self.account_id}:policy/{inputs.get('name', rid)}"}

    def _log_group(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": self._arn("logs", f"log-group:{rid}"), "name": rid}

    def _sns_topic(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        topic = inputs.get("name") or f"{name}-{_digest(name, length=7)}"
        return {"arn": self._arn("sns", topic), "name": topic}

    def _sqs_queue(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        queue = inputs.get("name") or f"{name}-{_digest(name, length=7)}"
        return {
            "arn": self._arn("sqs", queue),
            "name": queue,
            "url": f"https://sqs.{self.region}.amazonaws.com/{self.account_id}/{queue}",
        }

    def _trail(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": self._arn("cloudtrail", f"trail/{rid}"), "homeRegion": self.region}

    def _lambda_function(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        arn = self._arn("lambda", f"function:{rid}")
        return {
            "arn": arn,
            "invokeArn": f"arn:aws:apigateway:{self.region}:lambda:path/2015-03-31/functions/{arn}/invocations",
            "qualifiedArn": f"{arn}:$LATEST",
            "version": "$LATEST",
        }

    def _load_balancer(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        suffix = f"app/{inputs.get('name', name)}/{_digest(name, length=16)}"
        return {
            "arn": self._arn("elasticloadbalancing", f"loadbalancer/{suffix}"),
            "arnSuffix": suffix,
            "dnsName": f"{name}-{_digest(name, length=9)}.{self.region}.elb.amazonaws.com",
            "zoneId": "Z35SXDOTRQ7X7K",
        }

    def _target_group(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        suffix = f"targetgroup/{inputs.get('name', name)[:32]}/{_digest(name, length=16)}"
        return {"arn": self._arn("elasticloadbalancing", suffix), "arnSuffix": suffix}

    def _listener(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": self._arn("elasticloadbalancing", f"listener/app/{name}/{_digest(name, length=16)}")}

    def _certificate(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        domain = inputs.get("domainName", "example.com")
        return {
            "arn": self._arn("acm", f"certificate/{_uuid(typ, name)}"),
            "domainValidationOptions": [
                {
                    "domainName": domain,
                    "resourceRecordName": f"_{_digest(domain, length=32)}.{domain}.",
                    "resourceRecordType": "CNAME",
                    "resourceRecordValue": f"_{_digest('v', domain, length=32)}.acm-validations.aws.",
                }
            ],
        }

    def _certificate_validation(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"certificateArn": inputs.get("certificateArn")}

    def _dns_record(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"fqdn": str(inputs.get("name", name)).rstrip(".")}

    def _rds_group(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        kind = {"aws:rds/subnetGroup:SubnetGroup": "subgrp", "aws:rds/parameterGroup:ParameterGroup": "pg"}.get(
            typ, "cluster-pg"
        )
        return {"arn": self._arn("rds", f"{kind}:{rid}"), "name": rid}

    def _rds_instance(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        port = int(inputs.get("port", 5432))
        address = f"{rid}.{_digest(rid, length=12)}.{self.region}.rds.amazonaws.com"
        out: dict[str, Any] = {
            "arn": self._arn("rds", f"db:{rid}"),
            "address": address,
            "endpoint": f"{address}:{port}",
            "port": port,
            "resourceId": f"db-{_digest(rid, length=26).upper()}",
        }
        if inputs.get("manageMasterUserPassword"):
            out["masterUserSecrets"] = [
                {
                    "kmsKeyId": inputs.get("masterUserSecretKmsKeyId"),
                    "secretArn": self._arn("secretsmanager", f"secret:rds!db-{_uuid(rid)}-{_digest(rid, length=6)}"),
                    "secretStatus": "active",
                }
            ]
        return out

    def _vpc(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {
            "arn": self._arn("ec2", f"vpc/{rid}"),
            "defaultSecurityGroupId": f"sg-{_digest('default', rid)}",
            "mainRouteTableId": f"rtb-{_digest('main', rid)}",
            "defaultNetworkAclId": f"acl-{_digest('acl', rid)}",
        }

    def _launch_template(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": self._arn("ec2", f"launch-template/{rid}"), "latestVersion": 1, "defaultVersion": 1}

    def _eip(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"publicIp": f"198.51.100.{int(_digest(name, length=2), 16) % 250 + 1}", "allocationId": rid}

    def _event_rule(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"arn": self._arn("events", f"rule/{inputs.get('name', rid)}"), "name": inputs.get("name", rid)}

    def _autoscaling_group(self, typ: str, name: str, rid: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {
            "arn": self._arn("autoscaling", f"autoScalingGroup:{_uuid(rid)}:autoScalingGroupName/{rid}"),
            "name": inputs.get("name", rid),
        }

    # Invokes -------------------------------------------------------------------------------------------------

    # A plain dict (no check failures) is what the SDK's MockMonitor.Invoke also accepts.
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        answer = _INVOKES.get(args.token)
        return answer(self, dict(args.args)) if answer is not None else {}

    # One method per invoke token; `_INVOKES` below maps the tokens to them.

    def _availability_zones(self, a: dict[str, Any]) -> dict[str, Any]:
        return {
            "names": list(AVAILABILITY_ZONES),
            "zoneIds": [f"use1-az{i + 1}" for i in range(6)],
            "id": self.region,
            "groupNames": [self.region],
        }

    def _instance_type_offerings(self, a: dict[str, Any]) -> dict[str, Any]:
        types = [v for f in a.get("filters") or [] if f.get("name") == "instance-type" for v in f["values"]]
        regular = [zone for zone in AVAILABILITY_ZONES if zone not in _ZONES_WITHOUT_CURRENT_TYPES]
        pairs = [(kind, zone) for kind in types for zone in _FEW_ZONE_TYPES.get(kind, regular)]
        return {
            "instanceTypes": [kind for kind, _ in pairs],
            "locations": [zone for _, zone in pairs],
            "locationTypes": [a.get("locationType", "region")] * len(pairs),
            "id": self.region,
        }

    def _instance_type(self, a: dict[str, Any]) -> dict[str, Any]:
        kind = str(a.get("instanceType"))
        architectures = ["arm64"] if _ARM64_FAMILY.match(kind) else ["x86_64"]
        return {"instanceType": kind, "supportedArchitectures": architectures, "id": kind}

    def _caller_identity(self, a: dict[str, Any]) -> dict[str, Any]:
        return {
            "accountId": self.account_id,
            "arn": f"arn:aws:iam::{self.account_id}:user/preflight",
            "userId": "AIDAPREFLIGHT",
            "id": self.account_id,
        }

    def _region(self, a: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": self.region,
            "region": self.region,
            "id": self.region,
            "endpoint": f"ec2.{self.region}.amazonaws.com",
            "description": "US East (N. Virginia)",
        }

    def _partition(self, a: dict[str, Any]) -> dict[str, Any]:
        return {
            "partition": PARTITION,
            "dnsSuffix": "amazonaws.com",
            "id": PARTITION,
            "reverseDnsPrefix": "com.amazonaws",
        }

    def _policy_document(self, a: dict[str, Any]) -> dict[str, Any]:
        document = render_policy_document(a)
        return {
            "json": document,
            "minifiedJson": json.dumps(json.loads(document), separators=(",", ":")),
            "id": _digest(document),
        }

    def _ssm_parameter(self, a: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": a.get("name"),
            "value": f"ami-{_digest(str(a.get('name')))}",
            "type": "String",
            "insecureValue": f"ami-{_digest(str(a.get('name')))}",
            "id": a.get("name"),
            "version": 1,
        }

    def _ami(self, a: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": f"ami-{_digest('ami', json.dumps(a, sort_keys=True, default=str))}",
            "architecture": "x86_64",
            "name": "al2023-ami",
        }

    def _elb_service_account(self, a: dict[str, Any]) -> dict[str, Any]:
        return {"arn": "arn:aws:iam::127311923021:root", "id": "127311923021"}

    def _iam_managed_policy(self, a: dict[str, Any]) -> dict[str, Any]:
        arn = a.get("arn") or f"arn:aws:iam::aws:policy/{a.get('name')}"
        return {"arn": arn, "name": arn.rsplit("/", 1)[-1], "id": arn, "policy": "{}"}

    def _hosted_zone(self, a: dict[str, Any]) -> dict[str, Any]:
        return {"zoneId": a.get("zoneId", "Z0123456789ABCDEFGHIJ"), "name": a.get("name", "example.com")}


_COMPUTED = {
    "random:index/randomId:RandomId": AwsMocks._random_id,
    "random:index/randomString:RandomString": AwsMocks._random_string,
    "random:index/randomPassword:RandomPassword": AwsMocks._random_password,
    "aws:s3/bucket:Bucket": AwsMocks._bucket,
    "aws:kms/key:Key": AwsMocks._kms_key,
    "aws:kms/alias:Alias": AwsMocks._kms_alias,
    "aws:iam/role:Role": AwsMocks._iam_role,
    "aws:iam/instanceProfile:InstanceProfile": AwsMocks._instance_profile,
    "aws:iam/policy:Policy": AwsMocks._iam_policy,
    "aws:cloudwatch/logGroup:LogGroup": AwsMocks._log_group,
    "aws:sns/topic:Topic": AwsMocks._sns_topic,
    "aws:sqs/queue:Queue": AwsMocks._sqs_queue,
    "aws:cloudtrail/trail:Trail": AwsMocks._trail,
    "aws:lambda/function:Function": AwsMocks._lambda_function,
    "aws:lb/loadBalancer:LoadBalancer": AwsMocks._load_balancer,
    "aws:alb/loadBalancer:LoadBalancer": AwsMocks._load_balancer,
    "aws:lb/targetGroup:TargetGroup": AwsMocks._target_group,
    "aws:alb/targetGroup:TargetGroup": AwsMocks._target_group,
    "aws:lb/listener:Listener": AwsMocks._listener,
    "aws:alb/listener:Listener": AwsMocks._listener,
    "aws:acm/certificate:Certificate": AwsMocks._certificate,
    "aws:acm/certificateValidation:CertificateValidation": AwsMocks._certificate_validation,
    "aws:route53/record:Record": AwsMocks._dns_record,
    "aws:rds/subnetGroup:SubnetGroup": AwsMocks._rds_group,
    "aws:rds/parameterGroup:ParameterGroup": AwsMocks._rds_group,
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": AwsMocks._rds_group,
    "aws:rds/instance:Instance": AwsMocks._rds_instance,
    "aws:ec2/vpc:Vpc": AwsMocks._vpc,
    "aws:ec2/launchTemplate:LaunchTemplate": AwsMocks._launch_template,
    "aws:ec2/eip:Eip": AwsMocks._eip,
    "aws:cloudwatch/eventRule:EventRule": AwsMocks._event_rule,
    "aws:autoscaling/group:Group": AwsMocks._autoscaling_group,
}

_INVOKES = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": AwsMocks._availability_zones,
    "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": AwsMocks._instance_type_offerings,
    "aws:ec2/getInstanceType:getInstanceType": AwsMocks._instance_type,
    "aws:index/getCallerIdentity:getCallerIdentity": AwsMocks._caller_identity,
    "aws:index/getRegion:getRegion": AwsMocks._region,
    "aws:index/getPartition:getPartition": AwsMocks._partition,
    "aws:iam/getPolicyDocument:getPolicyDocument": AwsMocks._policy_document,
    "aws:ssm/getParameter:getParameter": AwsMocks._ssm_parameter,
    "aws:ec2/getAmi:getAmi": AwsMocks._ami,
    "aws:elb/getServiceAccount:getServiceAccount": AwsMocks._elb_service_account,
    "aws:iam/getPolicy:getPolicy": AwsMocks._iam_managed_policy,
    "aws:route53/getZone:getZone": AwsMocks._hosted_zone,
}


def _one_or_many(values: list[Any]) -> Any:
    """The provider renders a one-element list as a bare string, as IAM does."""
    return values[0] if len(values) == 1 else values


def _principals(entries: list[dict[str, Any]]) -> Any:
    if any(p.get("type") == "*" for p in entries):
        return "*"
    rendered: dict[str, Any] = {}
    for entry in entries:
        identifiers = sorted(set(rendered.get(entry["type"], [])) | set(entry.get("identifiers", [])))
        rendered[entry["type"]] = identifiers
    return {kind: _one_or_many(ids) for kind, ids in rendered.items()}


def render_policy_document(args: dict[str, Any]) -> str:
    """Renders `aws.iam.get_policy_document` arguments (wire form) as the provider does: IAM JSON."""
    statements = []
    for s in args.get("statements") or []:
        statement: dict[str, Any] = {}
        if s.get("sid"):
            statement["Sid"] = s["sid"]
        statement["Effect"] = s.get("effect") or "Allow"
        for key, name in (
            ("actions", "Action"),
            ("notActions", "NotAction"),
            ("resources", "Resource"),
            ("notResources", "NotResource"),
        ):
            if s.get(key):
                statement[name] = _one_or_many(sorted(set(s[key])))
        if s.get("principals"):
            statement["Principal"] = _principals(s["principals"])
        if s.get("notPrincipals"):
            statement["NotPrincipal"] = _principals(s["notPrincipals"])
        if s.get("conditions"):
            conditions: dict[str, dict[str, Any]] = {}
            for c in s["conditions"]:
                conditions.setdefault(c["test"], {})[c["variable"]] = _one_or_many(list(c["values"]))
            statement["Condition"] = conditions
        statements.append(statement)
    document: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        document["Id"] = args["policyId"]
    document["Statement"] = statements
    return json.dumps(document, indent=2)
