"""Services a team adds (issue 13): ECS services assigning public IPs (FSBP ECS.2), OpenSearch or
Elasticsearch domains outside a VPC (Opensearch.2, ES.2) or without error logs (Opensearch.4), and Amazon MQ brokers
without their logs (MQ.2). Through the real pack process, both modes: the flag set or the block left out is refused;
the ones done right pass."""

from __future__ import annotations

from tests.policy.conftest import assert_refused_exactly, run_fixture, violations


def test_public_tasks_and_domains_are_refused(policy_pack, mode):
    findings = policy_pack.analyze(run_fixture("public_endpoints", preview=mode == "preview"))
    assert_refused_exactly(
        violations(findings, "ecs-service-no-public-ip"),
        {"service-public-ip": "assigns public IP addresses", "task-set-public-ip": "ECS task set task-set-public-ip"},
    )
    assert_refused_exactly(
        violations(findings, "opensearch-domain-in-vpc"),
        {
            "search-public": "its endpoint is public",
            "search-empty-vpc-options": "its endpoint is public",
            "legacy-search-public": "its endpoint is public",
        },
    )


def test_a_domain_publishes_its_error_logs(policy_pack, mode):
    """Every OpenSearch log is off by default; a slow log beside a disabled error log does not count (FSBP
    Opensearch.4)."""
    findings = policy_pack.analyze(run_fixture("public_endpoints", preview=mode == "preview"))
    assert_refused_exactly(
        violations(findings, "opensearch-domain-error-logging"),
        {
            "search-public": "publishes no error logs",
            "search-empty-vpc-options": "publishes no error logs",
            "legacy-search-public": "publishes no error logs",
            "search-error-logs-off": "publishes no error logs",
        },
    )


def test_brokers_stream_their_logs(policy_pack, mode):
    """General logs on every broker, audit logs on ActiveMQ (FSBP MQ.2); RabbitMQ has no audit log to ask for."""
    findings = policy_pack.analyze(run_fixture("public_endpoints", preview=mode == "preview"))
    assert_refused_exactly(
        violations(findings, "mq-broker-logs-to-cloudwatch"),
        {
            "activemq-no-logs": "does not stream its general and audit logs",
            "activemq-general-only": "does not stream its audit logs",
        },
    )
