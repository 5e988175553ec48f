"""Credentials (tests/policy/test_credentials.py): each given once in plaintext (a literal, or a plain config value)
and once from a secret config key or another resource ("ok-" resources must pass), and stack outputs that look
secret, marked secret or not. No value here is a real credential; the test checks none is ever printed."""

import base64

import pulumi
import pulumi_aws as aws
import pulumi_random as random

config = pulumi.Config()
plain_config = config.require("dbPassword")
secret_config = config.require_secret("dbSecret")  # `secure:` in the stack file
generated = random.RandomPassword("generated", length=32, special=False).result

aws.docdb.Cluster("plain-password-docdb", master_username="docadmin", master_password="not-a-real-password-2")
aws.docdb.Cluster("ok-secret-docdb", master_username="docadmin", master_password=secret_config)
# Built from a config value: a secret one stays secret however it is dressed; a plain one or a literal does not
# become secret by being encoded or extended.
aws.docdb.Cluster(
    "ok-derived-secret-docdb", master_username="docadmin", master_password=secret_config.apply(lambda s: s + "-v2")
)
aws.docdb.Cluster(
    "ok-encoded-secret-docdb",
    master_username="docadmin",
    master_password=secret_config.apply(lambda s: base64.b64encode(s.encode()).decode()),
)
aws.docdb.Cluster(
    "encoded-plain-config-docdb",
    master_username="docadmin",
    master_password=base64.b64encode(plain_config.encode()).decode(),
)
aws.docdb.Cluster("concatenated-plain-config-docdb", master_username="docadmin", master_password="v2-" + plain_config)
aws.docdb.Cluster(
    "encoded-literal-docdb",
    master_username="docadmin",
    master_password=base64.b64encode(b"not-a-real-password-6").decode(),
)
aws.redshift.Cluster(
    "plain-config-redshift",
    cluster_identifier="a",
    node_type="ra3.large",
    master_username="rsadmin",
    master_password=plain_config,
)
aws.redshift.Cluster(
    "ok-generated-redshift",
    cluster_identifier="b",
    node_type="ra3.large",
    master_username="rsadmin",
    master_password=generated,
)
aws.elasticache.ReplicationGroup(
    "plain-token-cache",
    description="cache",
    auth_token="not-a-real-token-0123456789",
    transit_encryption_enabled=True,
)
# Marked secret, but still a literal in the source: as plain as the one above.
aws.elasticache.ReplicationGroup(
    "literal-secret-token-cache",
    description="cache",
    auth_token=pulumi.Output.secret("not-a-real-token-9876543210"),
    transit_encryption_enabled=True,
)
aws.elasticache.ReplicationGroup(
    "ok-generated-token-cache", description="cache", auth_token=generated, transit_encryption_enabled=True
)
aws.elasticache.User(
    "plain-cache-user",
    user_id="u1",
    user_name="u1",
    engine="redis",
    access_string="on ~* +@read",
    passwords=["not-a-real-password-3456789"],
)
aws.mq.Broker(
    "plain-user-broker",
    broker_name="b",
    engine_type="RabbitMQ",
    engine_version="3.13",
    host_instance_type="mq.m5.large",
    users=[aws.mq.BrokerUserArgs(username="admin", password="not-a-real-password-4567890")],
)
aws.mq.Broker(
    "ok-secret-user-broker",
    broker_name="c",
    engine_type="RabbitMQ",
    engine_version="3.13",
    host_instance_type="mq.m5.large",
    users=[aws.mq.BrokerUserArgs(username="admin", password=secret_config)],
)
aws.opensearch.Domain(
    "plain-master-search",
    advanced_security_options=aws.opensearch.DomainAdvancedSecurityOptionsArgs(
        enabled=True,
        internal_user_database_enabled=True,
        master_user_options=aws.opensearch.DomainAdvancedSecurityOptionsMasterUserOptionsArgs(
            master_user_name="admin", master_user_password="not-a-real-password-5678901"
        ),
    ),
)
aws.dms.Endpoint(
    "plain-dms-endpoint",
    endpoint_id="e",
    endpoint_type="source",
    engine_name="postgres",
    username="dms",
    password=plain_config,
    server_name="db.example.com",
    port=5432,
    database_name="app",
)

pulumi.export("dbPassword", plain_config)
pulumi.export("apiToken", pulumi.Output.secret("not-a-real-token-abcdefghij"))
pulumi.export("bucketName", "logs-bucket")
pulumi.export("connection", {"host": "db.example.com", "password": plain_config})
