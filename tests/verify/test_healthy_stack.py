"""A stack deployed as `pulumi up` leaves it passes every check."""

from verify.results import Status


def test_a_healthy_stack_passes_every_check(deployed):
    results = deployed.run()
    assert [r for r in results if r.status not in (Status.PASS, Status.SKIP)] == []
    checks = {r.check for r in results if r.status is Status.PASS}
    assert checks == {
        "trail",
        "flow-logs",
        "alert-topic",
        "alarms",
        "access-logs",
        "detection",
        "database",
        "security-groups",
        "auditor",
    }
