"""Resource policies and permissions of every kind (issue 10 item 6, issue 13): who each one lets act on its
resource. The explicit provider may deploy only to account 123456789012 (allowed_account_ids), the account the pack
guards; 999999999999 is someone else's. Each resource is named after what it does wrong; `ok-*` resources pass.
The bypasses are the ones a hurried engineer writes: {"AWS": "*"} instead of "*", NotPrincipal, a second policy
resource on a target whose own policy is fine, a condition key that narrows nothing, IfExists, ForAllValues,
StringNotEquals, a wildcard or account-less ARN."""

import json

import pulumi
import pulumi_aws as aws

OURS, THEIRS, ORG = "123456789012", "999999999999", "o-a1b2c3d4e5"
provider = aws.Provider(
    "guarded",
    region="us-east-1",
    allowed_account_ids=[OURS],
    default_tags=aws.ProviderDefaultTagsArgs(tags={"Environment": "Production"}),
)
opts = pulumi.ResourceOptions(provider=provider)
EVERYONE = {"Principal": "*"}
EVERYONE_AWS = {"Principal": {"AWS": "*"}}
OUR_ROOT = {"Principal": {"AWS": f"arn:aws:iam::{OURS}:root"}}
THEIR_ROOT = {"Principal": {"AWS": f"arn:aws:iam::{THEIRS}:root"}}
IN_OUR_ORG = {"Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}}


def policy(action: str, *statements: dict) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": f"S{index}", "Effect": "Allow", "Action": action, "Resource": "*", **statement}
                for index, statement in enumerate(statements)
            ],
        }
    )


# Secrets Manager: the secret's own policy is ours only; a second policy resource on it makes it public.
secret = aws.secretsmanager.Secret("ok-secret", policy=policy("secretsmanager:GetSecretValue", OUR_ROOT), opts=opts)
aws.secretsmanager.SecretPolicy(
    "public-secret-policy",
    secret_arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf",
    policy=policy("secretsmanager:GetSecretValue", EVERYONE_AWS),
    opts=opts,
)
aws.secretsmanager.Secret(
    "username-narrowed-secret",
    policy=policy(
        "secretsmanager:GetSecretValue", {**EVERYONE, "Condition": {"StringEquals": {"aws:username": "admin"}}}
    ),
    opts=opts,
)
aws.secretsmanager.SecretPolicy(
    "ok-org-secret-policy",
    secret_arn=secret.arn,
    policy=policy("secretsmanager:GetSecretValue", {**EVERYONE, **IN_OUR_ORG}),
    opts=opts,
)
aws.secretsmanager.SecretPolicy(
    "their-account-secret-policy",
    secret_arn=secret.arn,
    policy=policy("secretsmanager:GetSecretValue", THEIR_ROOT),
    opts=opts,
)
# Embeds the secret's ARN: unknown at a first preview (undecided there), public at apply.
aws.secretsmanager.SecretPolicy(
    "computed-public-secret-policy",
    secret_arn=secret.arn,
    policy=secret.arn.apply(
        lambda arn: json.dumps(
            {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:*", "Resource": arn}]}
        )
    ),
    opts=opts,
)

# ECR
aws.ecr.RepositoryPolicy(
    "ifexists-public-repository-policy",
    repository="app",
    policy=policy(
        "ecr:BatchGetImage",
        {**EVERYONE, "Condition": {"StringEqualsIfExists": {"aws:SourceAccount": OURS}}},
    ),
    opts=opts,
)
LAMBDA_SERVICE = {"Principal": {"Service": "lambda.amazonaws.com"}}
aws.ecr.RepositoryPolicy(
    "ok-lambda-pull-repository-policy",
    repository="app",
    policy=policy(
        "ecr:BatchGetImage",
        {**LAMBDA_SERVICE, "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:lambda:us-east-1:{OURS}:function:*"}}},
    ),
    opts=opts,
)
aws.ecr.RepositoryPolicy(
    "unsourced-lambda-repository-policy",
    repository="app",
    policy=policy("ecr:BatchGetImage", LAMBDA_SERVICE),
    opts=opts,
)
aws.ecr.RegistryPolicy("their-account-registry-policy", policy=policy("ecr:ReplicateImage", THEIR_ROOT), opts=opts)

# Lambda layers: "*" is every account unless organization_id narrows it.
LAYER = {"action": "lambda:GetLayerVersion", "layer_name": "shared-libs", "version_number": 1}
aws.lambda_.LayerVersionPermission("public-layer-permission", principal="*", statement_id="all", opts=opts, **LAYER)
aws.lambda_.LayerVersionPermission(
    "ok-org-layer-permission", principal="*", organization_id=ORG, statement_id="org", opts=opts, **LAYER
)
aws.lambda_.LayerVersionPermission(
    "their-account-layer-permission", principal=THEIRS, statement_id="theirs", opts=opts, **LAYER
)
aws.lambda_.LayerVersionPermission("ok-own-layer-permission", principal=OURS, statement_id="ours", opts=opts, **LAYER)

# EventBridge buses
aws.cloudwatch.EventBusPolicy(
    "notequals-public-bus-policy",
    policy=policy("events:PutEvents", {**EVERYONE, "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": ORG}}}),
    opts=opts,
)
aws.cloudwatch.EventBusPolicy(
    "ok-org-bus-policy",
    event_bus_name="orders",
    policy=policy("events:PutEvents", {**EVERYONE, **IN_OUR_ORG}),
    opts=opts,
)
aws.cloudwatch.EventPermission("public-event-permission", principal="*", statement_id="everyone", opts=opts)
aws.cloudwatch.EventPermission(
    "ok-org-event-permission",
    principal="*",
    statement_id="org",
    condition=aws.cloudwatch.EventPermissionConditionArgs(key="aws:PrincipalOrgID", type="StringEquals", value=ORG),
    opts=opts,
)
aws.cloudwatch.EventPermission("their-account-event-permission", principal=THEIRS, statement_id="theirs", opts=opts)

# SSM documents: shared with "All" is public.
COMMAND = json.dumps({"schemaVersion": "2.2", "description": "noop", "mainSteps": []})


def document(name: str, account_ids: str) -> None:
    aws.ssm.Document(
        name,
        content=COMMAND,
        document_type="Command",
        permissions={"type": "Share", "account_ids": account_ids},
        opts=opts,
    )


document("public-document", "All")
document("their-account-document", f"{OURS},{THEIRS}")
document("ok-own-document", OURS)

# OpenSearch: aws:SourceIp names no account; a domain in a VPC is reachable only from it.
SEARCH = "es:ESHttp*"
public_domain = aws.opensearch.Domain(
    "sourceip-public-domain",
    domain_name="public-search",
    access_policies=policy(SEARCH, {**EVERYONE_AWS, "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}),
    opts=opts,
)
vpc_domain = aws.opensearch.Domain(
    "ok-vpc-domain",
    domain_name="vpc-search",
    vpc_options=aws.opensearch.DomainVpcOptionsArgs(subnet_ids=["subnet-0123456789abcdef0"]),
    access_policies=policy(SEARCH, EVERYONE_AWS),
    opts=opts,
)
aws.opensearch.DomainPolicy(
    "useragent-public-domain-policy",
    domain_name="search",
    access_policies=policy(SEARCH, {**EVERYONE, "Condition": {"StringLike": {"aws:UserAgent": "internal-*"}}}),
    opts=opts,
)
# A separate domain policy is judged with the domain it is linked to: open inside a VPC is fine, not outside.
aws.opensearch.DomainPolicy(
    "ok-vpc-domain-policy", domain_name=vpc_domain.domain_name, access_policies=policy(SEARCH, EVERYONE), opts=opts
)
aws.opensearch.DomainPolicy(
    "public-domain-policy", domain_name=public_domain.domain_name, access_policies=policy(SEARCH, EVERYONE), opts=opts
)
aws.elasticsearch.DomainPolicy(
    "ok-own-account-domain-policy", domain_name="legacy-search", access_policies=policy(SEARCH, OUR_ROOT), opts=opts
)

# API Gateway REST APIs
INVOKE = "execute-api:Invoke"
aws.apigateway.RestApi("public-rest-api", policy=policy(INVOKE, EVERYONE), opts=opts)
aws.apigateway.RestApiPolicy(
    "ok-private-api-policy",
    rest_api_id="a1b2c3d4e5",
    policy=policy(INVOKE, {**EVERYONE, "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}}),
    opts=opts,
)
aws.apigateway.RestApiPolicy(
    "their-account-api-policy",
    rest_api_id="a1b2c3d4e5",
    policy=policy(INVOKE, {**EVERYONE, "Condition": {"StringEquals": {"aws:PrincipalAccount": THEIRS}}}),
    opts=opts,
)

# Glacier: Allow with NotPrincipal is everyone else; a lock policy that only denies is fine.
aws.glacier.Vault(
    "notprincipal-public-vault",
    access_policy=policy("glacier:InitiateJob", {"NotPrincipal": {"AWS": f"arn:aws:iam::{OURS}:role/blocked"}}),
    opts=opts,
)
aws.glacier.VaultLock(
    "ok-vault-lock",
    vault_name="archive",
    complete_lock=False,
    policy=json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "glacier:DeleteArchive",
                    "Resource": "*",
                    "Condition": {"NumericLessThanEquals": {"glacier:ArchiveAgeinDays": "365"}},
                }
            ]
        }
    ),
    opts=opts,
)

# EFS: aws:SecureTransport says how, not who; mount-target access keeps it in the VPC.
MOUNT = "elasticfilesystem:ClientMount"
aws.efs.FileSystemPolicy(
    "tls-only-public-file-system-policy",
    file_system_id="fs-0123456789abcdef0",
    policy=policy(MOUNT, {**EVERYONE_AWS, "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
    opts=opts,
)
aws.efs.FileSystemPolicy(
    "ok-mount-target-file-system-policy",
    file_system_id="fs-0123456789abcdef0",
    policy=policy(MOUNT, {**EVERYONE_AWS, "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}}),
    opts=opts,
)

# Backup vaults: ForAllValues is true when the key is absent.
aws.backup.VaultPolicy(
    "forallvalues-public-backup-vault-policy",
    backup_vault_name="vault",
    policy=policy(
        "backup:CopyIntoBackupVault",
        {**EVERYONE, "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": ORG}}},
    ),
    opts=opts,
)
aws.backup.VaultPolicy(
    "ok-org-backup-vault-policy",
    backup_vault_name="vault",
    policy=policy("backup:CopyIntoBackupVault", {**EVERYONE, **IN_OUR_ORG}),
    opts=opts,
)

# Buckets, topics, queues: service principals need their source; accounts must be ours (or AWS's log delivery).
aws.s3.BucketPolicy(
    "unsourced-service-bucket-policy",
    bucket="trail-logs",
    policy=policy("s3:PutObject", {"Principal": {"Service": "cloudtrail.amazonaws.com"}}),
    opts=opts,
)
aws.s3.BucketPolicy(
    "ok-elb-log-delivery-bucket-policy",
    bucket="alb-logs",
    policy=policy("s3:PutObject", {"Principal": {"AWS": "arn:aws:iam::127311923021:root"}}),
    opts=opts,
)
aws.s3.BucketPolicy("their-account-bucket-policy", bucket="data", policy=policy("s3:GetObject", THEIR_ROOT), opts=opts)
SNS_SERVICE = {"Principal": {"Service": "sns.amazonaws.com"}}
aws.sqs.QueuePolicy(
    "wildcard-source-queue-policy",
    queue_url="https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
    policy=policy("sqs:SendMessage", {**SNS_SERVICE, "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:*"}}}),
    opts=opts,
)
aws.sqs.QueuePolicy(
    "their-topic-queue-policy",
    queue_url="https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
    policy=policy(
        "sqs:SendMessage",
        {**SNS_SERVICE, "Condition": {"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{THEIRS}:orders"}}},
    ),
    opts=opts,
)
aws.sqs.Queue(
    "ok-sourced-queue",
    policy=policy(
        "sqs:SendMessage",
        {**SNS_SERVICE, "Condition": {"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{OURS}:orders"}}},
    ),
    opts=opts,
)
aws.sns.TopicPolicy(
    "bucket-arn-public-topic-policy",
    arn=f"arn:aws:sns:us-east-1:{OURS}:uploads",
    policy=policy("sns:Publish", {**EVERYONE, "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::uploads"}}}),
    opts=opts,
)

# Lambda permissions: another account as principal, or as the source a service acts for.
for name, kwargs in (
    ("their-account-permission", {"principal": THEIRS}),
    ("their-source-account-permission", {"principal": "s3.amazonaws.com", "source_account": THEIRS}),
    ("ok-own-source-account-permission", {"principal": "s3.amazonaws.com", "source_account": OURS}),
):
    aws.lambda_.Permission(name, action="lambda:InvokeFunction", function="auditor", opts=opts, **kwargs)

# The other services' resource policies, read from the generated list of pulumi-aws types with a policy document.
aws.cloudwatch.LogResourcePolicy(
    "unsourced-log-resource-policy",
    policy_name="route53-query-logging",
    policy_document=policy("logs:PutLogEvents", {"Principal": {"Service": "route53.amazonaws.com"}}),
    opts=opts,
)
aws.dynamodb.ResourcePolicy(
    "public-table-resource-policy",
    resource_arn=f"arn:aws:dynamodb:us-east-1:{OURS}:table/orders",
    policy=policy("dynamodb:GetItem", EVERYONE),
    opts=opts,
)
aws.s3.AccessPoint(
    "ok-vpc-access-point",
    bucket="data",
    name="in-vpc",
    vpc_configuration=aws.s3.AccessPointVpcConfigurationArgs(vpc_id="vpc-0123456789abcdef0"),
    policy=policy("s3:GetObject", EVERYONE),
    opts=opts,
)
aws.kms.ReplicaKey(
    "their-account-replica-key",
    primary_key_arn=f"arn:aws:kms:us-west-2:{OURS}:key/mrk-1234abcd12ab34cd56ef1234567890ab",
    policy=policy("kms:Decrypt", OUR_ROOT, THEIR_ROOT),
    opts=opts,
)

# A data perimeter: Allow "*", and Deny everyone whose organization is not ours. The deny must cover what the
# allow grants: one that denies only some of the actions leaves the rest public.
PERIMETER_DENY = {
    "Effect": "Deny",
    "Principal": "*",
    "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": ORG}},
}


def perimeter_policy(denied_action: str) -> str:
    return json.dumps(
        {
            "Statement": [
                {"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
                {"Sid": "OnlyOurOrganization", **PERIMETER_DENY, "Action": denied_action},
            ]
        }
    )


aws.s3.BucketPolicy("ok-perimeter-bucket-policy", bucket="shared", policy=perimeter_policy("s3:*"), opts=opts)
aws.s3.BucketPolicy(
    "partial-perimeter-public-bucket-policy", bucket="shared", policy=perimeter_policy("s3:PutObject"), opts=opts
)

# AMIs and snapshots (ec2-image-and-snapshot-not-shared, rds-snapshot-not-shared): the provider's guarded account
# counts as ours there too.
IMAGE = "ami-0123456789abcdef0"
aws.ec2.AmiLaunchPermission("ok-own-account-ami", image_id=IMAGE, account_id=OURS, opts=opts)
aws.ec2.AmiLaunchPermission("their-account-ami", image_id=IMAGE, account_id=THEIRS, opts=opts)
aws.rds.Snapshot(
    "ok-own-account-db-snapshot",
    db_instance_identifier="orders",
    db_snapshot_identifier="orders-shared",
    shared_accounts=[OURS],
    opts=opts,
)

# The same REST API policy in another argument form: inside the OpenAPI body.
aws.apigateway.RestApi(
    "openapi-body-public-rest-api",
    body=json.dumps(
        {
            "openapi": "3.0.1",
            "info": {"title": "orders", "version": "1"},
            "paths": {},
            "x-amazon-apigateway-policy": json.loads(policy(INVOKE, EVERYONE)),
        }
    ),
    opts=opts,
)
aws.apigateway.RestApi(
    "ok-openapi-body-private-rest-api",
    body=json.dumps(
        {
            "openapi": "3.0.1",
            "info": {"title": "orders", "version": "1"},
            "paths": {},
            "x-amazon-apigateway-policy": json.loads(
                policy(
                    INVOKE, {**EVERYONE, "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}}
                )
            ),
        }
    ),
    opts=opts,
)
# Lambda: "*" with a source ARN whose account is a wildcard is any account's rule.
aws.lambda_.Permission(
    "wildcard-source-public-permission",
    action="lambda:InvokeFunction",
    function="auditor",
    principal="*",
    source_arn="arn:aws:events:us-east-1:*:rule/*",
    opts=opts,
)
