"""Data services a team adds (tests/policy/test_data_services.py): each once as it should be ("ok-": our key,
encrypted in transit) and once weakened, mostly by an argument left out to its insecure default, or an AWS
managed key, or a second-best value (TLS_PLAINTEXT, 'preferred', a TLS 1.0 policy)."""

import pulumi_aws as aws
import pulumi_random as random

key = aws.kms.Key("key", enable_key_rotation=True, deletion_window_in_days=30)
token = random.RandomPassword("token", length=32, special=False).result
AWS_MANAGED = "arn:aws:kms:us-east-1:111111111111:alias/aws/elasticache"

# ElastiCache
aws.elasticache.ReplicationGroup("cache-defaults", description="everything left out")
aws.elasticache.ReplicationGroup(
    "cache-aws-key",
    description="d",
    at_rest_encryption_enabled=True,
    kms_key_id=AWS_MANAGED,
    transit_encryption_enabled=True,
    auth_token=token,
)
aws.elasticache.ReplicationGroup(
    "cache-preferred-no-auth",
    description="d",
    at_rest_encryption_enabled=True,
    kms_key_id=key.arn,
    transit_encryption_enabled=True,
    transit_encryption_mode="preferred",
)
aws.elasticache.ReplicationGroup(
    "ok-cache",
    description="d",
    at_rest_encryption_enabled=True,
    kms_key_id=key.arn,
    transit_encryption_enabled=True,
    auth_token=token,
)
aws.elasticache.ServerlessCache("serverless-cache-default-key", engine="valkey")
aws.elasticache.ServerlessCache("ok-serverless-cache", engine="valkey", kms_key_id=key.arn)

# Standalone cache clusters: Redis/Valkey cannot encrypt; Memcached can in transit; a group member is the group's.
aws.elasticache.Cluster("redis-standalone-cluster", engine="redis", node_type="cache.t4g.micro", num_cache_nodes=1)
aws.elasticache.Cluster("memcached-plain", engine="memcached", node_type="cache.t4g.micro", num_cache_nodes=1)
aws.elasticache.Cluster(
    "ok-memcached", engine="memcached", node_type="cache.t4g.micro", num_cache_nodes=1, transit_encryption_enabled=True
)
ok_group = aws.elasticache.ReplicationGroup(
    "ok-member-group",
    description="d",
    at_rest_encryption_enabled=True,
    kms_key_id=key.arn,
    transit_encryption_enabled=True,
    auth_token=token,
)
aws.elasticache.Cluster("ok-group-member", replication_group_id=ok_group.id)

# OpenSearch
aws.opensearch.Domain("search-defaults")
aws.opensearch.Domain(
    "search-tls-1-0",
    encrypt_at_rest=aws.opensearch.DomainEncryptAtRestArgs(enabled=True, kms_key_id=key.arn),
    node_to_node_encryption=aws.opensearch.DomainNodeToNodeEncryptionArgs(enabled=True),
    domain_endpoint_options=aws.opensearch.DomainDomainEndpointOptionsArgs(
        enforce_https=True, tls_security_policy="Policy-Min-TLS-1-0-2019-07"
    ),
)
aws.opensearch.Domain(
    "ok-search",
    encrypt_at_rest=aws.opensearch.DomainEncryptAtRestArgs(enabled=True, kms_key_id=key.arn),
    node_to_node_encryption=aws.opensearch.DomainNodeToNodeEncryptionArgs(enabled=True),
    domain_endpoint_options=aws.opensearch.DomainDomainEndpointOptionsArgs(
        enforce_https=True, tls_security_policy="Policy-Min-TLS-1-2-PFS-2023-10"
    ),
)

# DocumentDB and Neptune
aws.docdb.Cluster("docdb-defaults", master_username="docadmin", manage_master_user_password=True)
aws.neptune.Cluster("neptune-aws-key", storage_encrypted=True)
aws.docdb.Cluster(
    "ok-docdb",
    master_username="docadmin",
    manage_master_user_password=True,
    storage_encrypted=True,
    kms_key_id=key.arn,
)
aws.neptune.Cluster("ok-neptune", storage_encrypted=True, kms_key_arn=key.arn)

# MSK
brokers = aws.msk.ClusterBrokerNodeGroupInfoArgs(
    client_subnets=["subnet-1", "subnet-2"], instance_type="kafka.m5.large", security_groups=["sg-1"]
)
aws.msk.Cluster(
    "msk-plaintext-clients",
    cluster_name="a",
    kafka_version="3.6.0",
    number_of_broker_nodes=2,
    broker_node_group_info=brokers,
    encryption_info=aws.msk.ClusterEncryptionInfoArgs(
        encryption_in_transit=aws.msk.ClusterEncryptionInfoEncryptionInTransitArgs(client_broker="TLS_PLAINTEXT")
    ),
)
aws.msk.Cluster(
    "ok-msk",
    cluster_name="b",
    kafka_version="3.6.0",
    number_of_broker_nodes=2,
    broker_node_group_info=brokers,
    encryption_info=aws.msk.ClusterEncryptionInfoArgs(encryption_at_rest_kms_key_arn=key.arn),
)

# Amazon MQ
users = [aws.mq.BrokerUserArgs(username="admin", password=token)]
common = dict(engine_type="RabbitMQ", engine_version="3.13", host_instance_type="mq.m5.large", users=users)
aws.mq.Broker("mq-defaults", broker_name="a", **common)
aws.mq.Broker(
    "mq-aws-managed-key",
    broker_name="b",
    encryption_options=aws.mq.BrokerEncryptionOptionsArgs(use_aws_owned_key=False),
    **common,
)
aws.mq.Broker(
    "ok-mq",
    broker_name="c",
    encryption_options=aws.mq.BrokerEncryptionOptionsArgs(use_aws_owned_key=False, kms_key_id=key.arn),
    **common,
)

# Redshift
redshift = dict(node_type="ra3.large", master_username="rsadmin", manage_master_password=True)
aws.redshift.Cluster("redshift-default-key", cluster_identifier="a", **redshift)
aws.redshift.Cluster("redshift-unencrypted", cluster_identifier="b", encrypted="false", **redshift)
aws.redshift.Cluster("ok-redshift", cluster_identifier="c", encrypted="true", kms_key_id=key.arn, **redshift)

# CodeBuild
build = dict(
    service_role="arn:aws:iam::111111111111:role/build",
    artifacts=aws.codebuild.ProjectArtifactsArgs(type="NO_ARTIFACTS"),
    environment=aws.codebuild.ProjectEnvironmentArgs(
        compute_type="BUILD_GENERAL1_SMALL", image="aws/codebuild/standard:7.0", type="LINUX_CONTAINER"
    ),
    source=aws.codebuild.ProjectSourceArgs(type="NO_SOURCE", buildspec="version: 0.2"),
)
aws.codebuild.Project("codebuild-default-key", **build)
aws.codebuild.Project("ok-codebuild", encryption_key=key.arn, **build)

# SageMaker
notebook = dict(instance_type="ml.t3.medium", role_arn="arn:aws:iam::111111111111:role/notebook")
aws.sagemaker.NotebookInstance("notebook-default-key", **notebook)
aws.sagemaker.NotebookInstance("ok-notebook", kms_key_id=key.arn, **notebook)
