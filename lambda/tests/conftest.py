"""Fixtures for the compliance auditor's tests: a moto account per test, built the way this stack builds it.

Every test runs inside one `moto.mock_aws` with fake credentials in us-east-1 and a fresh boto3 default session,
so the handler's own `boto3.client(...)` calls reach moto. Event hooks registered on that session (see
`aws_events`) reach the clients the handler creates, which is how tests count pages and inject API errors.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

# Lambda puts the contents of lambda/compliance_auditor/ at the root of its task directory; so do the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "compliance_auditor"))

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
ALLOWED_SSH_CIDR = "203.0.113.0/24"  # Pulumi.prod.yaml's corporateCidrs
METRIC_NAMESPACE = "SecureAws/ComplianceAuditor"
# Every test gets a fresh session; sharing the loader keeps botocore from re-reading service models each time.
_SERVICE_MODELS = botocore.loaders.create_loader()


@dataclass
class FakeContext:
    """The attributes of Lambda's context object the handler reads."""

    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:compliance-auditor"
    aws_request_id: str = "5f0e4b5e-0000-4000-8000-000000000001"


@dataclass
class Account:
    """A moto account set up like this stack builds it, and the handles tests need to change or read it."""

    vpc_id: str
    web_security_group_id: str
    admin_security_group_id: str
    bucket_names: list[str]
    trail_arn: str
    key_arn: str
    topic_arn: str
    queue_url: str
    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        if service not in self.clients:
            self.clients[service] = boto3.client(service, region_name=REGION)
        return self.clients[service]

    def published_messages(self) -> list[dict[str, Any]]:
        """The SNS notifications that reached the queue subscribed to the findings topic."""
        sqs = self.client("sqs")
        messages = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(message["Body"]) for message in messages]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fake credentials, us-east-1, a fresh default session, and moto for the whole test."""
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    # The auditor never looks at AMIs; loading moto's catalogue of them is most of an EC2 backend's start-up.
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    # mock_aws swaps boto3.DEFAULT_SESSION for None while it runs: the test's session is made inside it.
    with mock_aws():
        session = botocore.session.get_session()
        session.register_component("data_loader", _SERVICE_MODELS)
        boto3.setup_default_session(botocore_session=session)
        yield


@pytest.fixture
def aws_events(aws: None) -> Any:
    """The default session's event emitter: hooks registered here apply to clients created afterwards."""
    return boto3.DEFAULT_SESSION.events


def _create_secure_bucket(s3: Any, name: str, key_arn: str) -> None:
    s3.create_bucket(Bucket=name)
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}}]
        },
    )


@pytest.fixture
def clean_account(aws: None, monkeypatch: pytest.MonkeyPatch) -> Account:
    """What this stack builds, compliant: zero findings expected. Also sets the handler's environment."""
    clients: dict[str, Any] = {}  # shared with the Account: creating a client costs more than most calls
    for name in ("ec2", "s3", "kms", "cloudtrail", "rds", "sns", "sqs"):
        clients[name] = boto3.client(name, region_name=REGION)
    ec2, s3, kms, cloudtrail, rds, sns, sqs = clients.values()

    key = kms.create_key(Description="secure-aws stack key")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=key["KeyId"])

    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    web = ec2.create_security_group(GroupName="alb", Description="HTTPS from the internet", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=web,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            }
            for port in (80, 443)
        ],
    )
    admin = ec2.create_security_group(GroupName="app", Description="SSH from the office", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=admin,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": ALLOWED_SSH_CIDR}]},
            {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": web}]},
        ],
    )

    buckets = ["secure-aws-access-logs", "secure-aws-cloudtrail", "secure-aws-data"]
    for bucket in buckets:
        _create_secure_bucket(s3, bucket, key["Arn"])

    trail = cloudtrail.create_trail(
        Name="secure-aws-trail",
        S3BucketName="secure-aws-cloudtrail",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=key["Arn"],
    )
    cloudtrail.start_logging(Name=trail["TrailARN"])

    rds.create_db_instance(
        DBInstanceIdentifier="secure-aws-db",
        DBInstanceClass="db.t4g.medium",
        Engine="postgres",
        MasterUsername="appadmin",
        MasterUserPassword="correct-horse-battery-staple",
        AllocatedStorage=20,
        PubliclyAccessible=False,
        StorageEncrypted=True,
        KmsKeyId=key["Arn"],
    )

    topic_arn = sns.create_topic(Name="secure-aws-alerts")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="alert-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)

    monkeypatch.setenv("FINDINGS_TOPIC_ARN", topic_arn)
    monkeypatch.setenv("METRIC_NAMESPACE", METRIC_NAMESPACE)
    monkeypatch.setenv("ALLOWED_SSH_CIDRS", ALLOWED_SSH_CIDR)
    return Account(vpc_id, web, admin, buckets, trail["TrailARN"], key["Arn"], topic_arn, queue_url, clients)


@pytest.fixture
def create_secure_bucket(clean_account: Account) -> Callable[[str], None]:
    """Creates a bucket the way the storage tier does: public access blocked, SSE-KMS with the stack key."""
    return lambda name: _create_secure_bucket(clean_account.client("s3"), name, clean_account.key_arn)


@pytest.fixture
def run_audit(clean_account: Account) -> Callable[[], dict[str, Any]]:
    """Invokes the handler as Lambda would (a scheduled event and a context)."""
    import handler

    def run() -> dict[str, Any]:
        return handler.handler({"source": "aws.events", "detail-type": "Scheduled Event"}, FakeContext())

    return run


@pytest.fixture
def paginate_like_aws(aws_events: Any) -> Callable[..., list[str | None]]:
    """Makes moto answer one operation in pages, as AWS does, and returns the list of tokens requested.

    moto 5.2.5 ignores MaxResults/NextToken on DescribeSecurityGroups and truncates ListBuckets at MaxBuckets
    without a ContinuationToken. The hooks take the page size and token out of the request (so moto answers
    everything), then cut moto's full answer into the page the token asks for and add the next token.
    """

    def install(
        service: str, operation: str, result_key: str, limit_key: str, input_token: str, output_token: str
    ) -> list[str | None]:
        requested: list[str | None] = []

        def take_paging_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
            context["emulated_page"] = (params.pop(limit_key, None), params.pop(input_token, None))

        def cut_page(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
            size, token = context.pop("emulated_page")
            requested.append(token)
            items, start = parsed.get(result_key, []), int(token or 0)
            if size is None:
                return
            parsed[result_key] = items[start : start + size]
            if start + size < len(items):
                parsed[output_token] = str(start + size)

        aws_events.register(f"before-parameter-build.{service}.{operation}", take_paging_params)
        aws_events.register(f"after-call.{service}.{operation}", cut_page)
        return requested

    return install


@pytest.fixture
def deny(aws_events: Any) -> Callable[..., None]:
    """Makes one API operation fail with an AWS error code (AccessDenied, ThrottlingException, ...).

    `only_for` limits the failure to calls whose parameters include those values (one bucket, one key).
    """

    def install(service: str, operation: str, code: str = "AccessDenied", only_for: dict[str, Any] | None = None):
        def raise_error(params: dict[str, Any], **_: Any) -> None:
            if all(params.get(name) == value for name, value in (only_for or {}).items()):
                raise ClientError({"Error": {"Code": code, "Message": f"injected {code}"}}, operation)

        aws_events.register(f"before-parameter-build.{service}.{operation}", raise_error)

    return install


@pytest.fixture
def count_calls(aws_events: Any) -> Callable[[str, str], list[dict[str, Any]]]:
    """Records the parameters of every call the handler's clients make to one operation."""

    def install(service: str, operation: str) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = []
        aws_events.register(
            f"before-parameter-build.{service}.{operation}", lambda params, **_: calls.append(dict(params))
        )
        return calls

    return install
