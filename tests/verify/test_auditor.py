"""The auditor check: active; with --invoke (the one call that is not read-only) it runs with no findings."""

import io

from botocore.response import StreamingBody

from tests.verify.conftest import only
from verify.results import Status

FINDING = {"rule": "sg-ssh-open", "resource": "sg-0123", "detail": "SSH open to 0.0.0.0/0"}


def test_without_invoke_the_function_is_not_run(deployed):
    results = deployed.results("auditor")
    assert [r.status for r in results] == [Status.PASS, Status.SKIP]
    assert "--invoke" in results[1].summary and "not read-only" in results[1].summary


def test_invoked_with_no_findings_passes(deployed):
    deployed.add_auditor_run({"findings": [], "checked": {"sg-ssh-open": 4}})
    result = only(deployed.results("auditor", invoke=True), Status.PASS)
    assert "no findings" in result.summary


def test_invoked_with_findings_fails_listing_them(deployed):
    deployed.add_auditor_run({"findings": [FINDING], "checked": {"sg-ssh-open": 4}})
    result = only(deployed.results("auditor", invoke=True), Status.FAIL)
    assert "[sg-ssh-open] sg-0123: SSH open to 0.0.0.0/0" in result.summary


def test_a_failed_run_fails_with_its_error(deployed):
    error = '{"errorType": "ConfigurationError", "errorMessage": "FINDINGS_TOPIC_ARN is not set"}'
    deployed.add_auditor_run(error)

    # Moto's Lambda without Docker never sets FunctionError: add it to moto's answer, as AWS does for a raise.
    def unhandled(answer):
        answer["FunctionError"] = "Unhandled"
        answer["Payload"] = StreamingBody(io.BytesIO(error.encode()), len(error))

    deployed.override("lambda.Invoke", unhandled)
    result = only(deployed.results("auditor", invoke=True), Status.FAIL)
    assert "ConfigurationError: FINDINGS_TOPIC_ARN is not set" in result.summary


def test_a_missing_function_fails(deployed):
    deployed.client("lambda").delete_function(FunctionName=deployed.outputs["auditorFunctionName"])
    result = only(deployed.results("auditor"), Status.FAIL)
    assert "ResourceNotFoundException" in result.summary
