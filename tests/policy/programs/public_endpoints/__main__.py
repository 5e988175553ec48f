"""Public endpoints of services a team adds (tests/policy/test_public_endpoints.py): an ECS service that gives its
tasks public IPs, OpenSearch/Elasticsearch domains left outside a VPC or without error logs, and MQ brokers without
their logs, beside the way they should be ("ok-")."""

import pulumi_aws as aws

NETWORK = {"subnets": ["subnet-0123456789abcdef0"], "security_groups": ["sg-0123456789abcdef0"]}
SERVICE = dict(cluster="apps", task_definition="web:1", desired_count=1, launch_type="FARGATE")
aws.ecs.Service("service-public-ip", network_configuration={**NETWORK, "assign_public_ip": True}, **SERVICE)
aws.ecs.Service("ok-service", network_configuration=NETWORK, **SERVICE)
aws.ecs.TaskSet(
    "task-set-public-ip",
    service="web",
    cluster="apps",
    task_definition="web:2",
    network_configuration={**NETWORK, "assign_public_ip": True},
)
aws.ecs.Service("ok-service-bridge-mode", cluster="apps", task_definition="web:1", desired_count=1)

SECURE = dict(
    encrypt_at_rest={"enabled": True},
    node_to_node_encryption={"enabled": True},
    domain_endpoint_options={"enforce_https": True, "tls_security_policy": "Policy-Min-TLS-1-2-2019-07"},
)
aws.opensearch.Domain("search-public", **SECURE)
aws.opensearch.Domain(
    "search-empty-vpc-options", vpc_options={"security_group_ids": ["sg-0123456789abcdef0"]}, **SECURE
)
aws.elasticsearch.Domain("legacy-search-public")
LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/opensearch/search"
ERROR_LOGS = [{"log_type": "ES_APPLICATION_LOGS", "cloudwatch_log_group_arn": LOGS}]
VPC = {"subnet_ids": ["subnet-0123456789abcdef0"]}
aws.opensearch.Domain("ok-search", vpc_options=VPC, log_publishing_options=ERROR_LOGS, **SECURE)
aws.opensearch.Domain(
    "search-error-logs-off",
    vpc_options=VPC,
    log_publishing_options=[
        {**ERROR_LOGS[0], "enabled": False},
        {"log_type": "INDEX_SLOW_LOGS", "cloudwatch_log_group_arn": LOGS},
    ],
    **SECURE,
)

# Amazon MQ logs (general for every broker, audit for ActiveMQ).
BROKER = dict(host_instance_type="mq.m5.large", users=[{"username": "admin", "password": "from-secret-config-0"}])
ACTIVEMQ = dict(engine_type="ActiveMQ", engine_version="5.18", **BROKER)
aws.mq.Broker("activemq-no-logs", broker_name="a", **ACTIVEMQ)
aws.mq.Broker("activemq-general-only", broker_name="b", logs={"general": True}, **ACTIVEMQ)
aws.mq.Broker("ok-activemq", broker_name="c", logs={"general": True, "audit": True}, **ACTIVEMQ)
aws.mq.Broker(
    "ok-rabbitmq", broker_name="d", engine_type="RabbitMQ", engine_version="3.13", logs={"general": True}, **BROKER
)
