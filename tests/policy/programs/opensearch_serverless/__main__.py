"""OpenSearch Serverless (tests/policy/test_opensearch_serverless.py): collections whose key and exposure are set by
separate encryption, network and data access policies matched by name, and OpenSearch UI applications. Each
resource is named after what it does wrong; `ok-*` resources pass. The explicit provider may deploy only to account
123456789012 (allowed_account_ids); 999999999999 is someone else's.

The bypasses a hurried engineer writes: a second encryption policy with an AWS owned key covering a collection a
good policy covers too, a wildcard rule, no KmsARN, a policy given as a JSON string or json.dumps of a dict or a
single object instead of a list, Principal "*" spelled as a list, {"AWS": "*"} or a string, a collection no policy
of the stack covers, a collection's own AWS owned key."""

import json

import pulumi
import pulumi_aws as aws

OURS, THEIRS = "123456789012", "999999999999"
OUR_KEY_ARN = f"arn:aws:kms:us-east-1:{OURS}:key/1234abcd-12ab-34cd-56ef-1234567890ab"  # a key of another stack
provider = aws.Provider(
    "guarded",
    region="us-east-1",
    allowed_account_ids=[OURS],
    default_tags=aws.ProviderDefaultTagsArgs(tags={"Environment": "Production"}),
)
opts = pulumi.ResourceOptions(provider=provider)
key = aws.kms.Key("key", enable_key_rotation=True, deletion_window_in_days=30, opts=opts)


def encryption(name: str, policy: str | pulumi.Output[str]) -> aws.opensearch.ServerlessSecurityPolicy:
    return aws.opensearch.ServerlessSecurityPolicy(name, name=name[:32], type="encryption", policy=policy, opts=opts)


def collections(*patterns: str) -> list[dict]:
    return [{"ResourceType": "collection", "Resource": [f"collection/{p}" for p in patterns]}]


# Encryption policies. Our key given by ARN (known at preview), and one built from our key's ARN (unknown then).
encryption(
    "ok-cmk-encryption",
    json.dumps(
        {
            "Rules": collections("ok-orders", "ok-logs*", "ok-generated-name-*"),
            "AWSOwnedKey": False,
            "KmsARN": OUR_KEY_ARN,
        }
    ),
)
encryption(
    "ok-computed-encryption",
    pulumi.Output.json_dumps({"Rules": collections("computed-*"), "AWSOwnedKey": False, "KmsARN": key.arn}),
)
encryption("aws-owned-encryption", json.dumps({"Rules": collections("team-*", "shared*"), "AWSOwnedKey": True}))
# A second policy over one collection a good policy covers, as a JSON string: the worst decides.
encryption(
    "second-aws-owned-encryption",
    '{"Rules":[{"ResourceType":"collection","Resource":["collection/ok-logs-app"]}],"AWSOwnedKey":true}',
)
encryption("no-kms-arn-encryption", json.dumps({"Rules": collections("spare"), "AWSOwnedKey": False}))
encryption(
    "aws-managed-key-encryption",
    json.dumps({"Rules": collections("spare2"), "KmsARN": f"arn:aws:kms:us-east-1:{OURS}:alias/aws/aoss"}),
)

# Collections
aws.opensearch.ServerlessCollection("ok-orders", name="ok-orders", opts=opts)
aws.opensearch.ServerlessCollection("ok-generated-name", opts=opts)  # the engine names it ok-generated-name-<suffix>
aws.opensearch.ServerlessCollection("ok-computed", name="computed-orders", opts=opts)
aws.opensearch.ServerlessCollection(
    "ok-own-key",  # its own key takes precedence over the AWS owned policy shared* matches
    name="shared-search",
    encryption_configs=[
        aws.opensearch.ServerlessCollectionEncryptionConfigArgs(aws_owned_key=False, kms_key_arn=key.arn)
    ],
    opts=opts,
)
aws.opensearch.ServerlessCollection("aws-owned-collection", name="team-search", opts=opts)
aws.opensearch.ServerlessCollection("second-policy-collection", name="ok-logs-app", opts=opts)
aws.opensearch.ServerlessCollection("orphan-collection", name="orphan-data", opts=opts)
aws.opensearch.ServerlessCollection(
    "own-aws-owned-collection", name="ok-orders-two", encryption_configs=[{"aws_owned_key": True}], opts=opts
)
aws.opensearch.ServerlessCollection("unmatched-generated-name", opts=opts)  # no rule takes its random suffix
aws.opensearch.ServerlessCollection(  # its name is unknown at a first preview; team-* (AWS owned) matches it
    "computed-name-collection", name=pulumi.Output.concat("team-", key.key_id.apply(lambda k: k[:8])), opts=opts
)

# Network policies
VPC_ONLY = {"AllowFromPublic": False, "SourceVPCEs": ["vpce-050f79086ee71ac05"]}


def network(name: str, policy: str) -> None:
    aws.opensearch.ServerlessSecurityPolicy(name, name=name[:32], type="network", policy=policy, opts=opts)


network(
    "ok-vpc-network",
    json.dumps(
        [{"Rules": [*collections("ok-*"), {"ResourceType": "dashboard", "Resource": ["collection/ok-*"]}], **VPC_ONLY}]
    ),
)
network("public-network", json.dumps([{"Rules": collections("team-*"), "AllowFromPublic": True}]))
network(
    "public-dashboard-object",  # one entry given as an object, not a list, as a JSON string
    '{"Rules":[{"ResourceType":"dashboard","Resource":["collection/ok-orders"]}],"AllowFromPublic":true}',
)
network(
    "mixed-network",  # private for marketing, public for finance
    json.dumps(
        [
            {"Rules": collections("marketing*"), **VPC_ONLY},
            {"Rules": collections("finance"), "AllowFromPublic": True},
        ]
    ),
)


# Data access policies
def data_access(name: str, principal: object, as_string: bool = False) -> None:
    rules = [{"ResourceType": "index", "Resource": ["index/ok-orders/*"], "Permission": ["aoss:ReadDocument"]}]
    document = [{"Rules": rules, "Principal": principal}]
    policy = json.dumps(document, separators=(",", ":")) if as_string else json.dumps(document)
    aws.opensearch.ServerlessAccessPolicy(name, name=name[:32], type="data", policy=policy, opts=opts)


data_access("ok-data-access", [f"arn:aws:iam::{OURS}:role/search-reader", f"saml/{OURS}/corporate/group/readers"])
data_access("star-list-data-access", ["*"])
data_access("aws-star-data-access", {"AWS": "*"})
data_access("star-string-data-access", "*", as_string=True)
data_access("wildcard-account-data-access", [f"arn:aws:iam::{OURS}:role/search-reader", "arn:aws:iam::*:root"])
data_access("their-account-data-access", [f"arn:aws:iam::{OURS}:role/search-reader", f"arn:aws:iam::{THEIRS}:root"])

# OpenSearch UI applications
aws.opensearch.Application("application-default-key", name="default-key-app", opts=opts)
aws.opensearch.Application("ok-application", name="ok-app", kms_key_arn=key.arn, opts=opts)

# Who may create VPC endpoints into a search domain (a permission resource): our account, or someone else's.
domain = aws.opensearch.Domain("domain", opts=opts)
aws.opensearch.AuthorizeVpcEndpointAccess("ok-endpoint-access", domain_name=domain.domain_name, account=OURS, opts=opts)
aws.opensearch.AuthorizeVpcEndpointAccess(
    "their-account-endpoint-access", domain_name=domain.domain_name, account=THEIRS, opts=opts
)
