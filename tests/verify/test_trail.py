"""The trail check: logging, and no delivery error to S3, CloudWatch Logs or digests."""

import pytest

from tests.verify.conftest import only
from verify.results import Status


def test_a_stopped_trail_fails_with_the_command_that_restarts_it(deployed):
    deployed.client("cloudtrail").stop_logging(Name=deployed.outputs["trailArn"])
    result = only(deployed.results("trail"), Status.FAIL)
    assert "is not logging" in result.summary
    assert "aws cloudtrail start-logging" in result.fix


# Moto's GetTrailStatus has no delivery errors to report: each case adds one field to moto's real answer.
@pytest.mark.parametrize(
    ("field", "delivery"),
    [
        ("LatestDeliveryError", "log file delivery to S3"),
        ("LatestCloudWatchLogsDeliveryError", "delivery to CloudWatch Logs"),
        ("LatestDigestDeliveryError", "digest file delivery"),
    ],
)
def test_each_delivery_error_fails_naming_the_delivery_and_the_error(deployed, field, delivery):
    deployed.override("cloudtrail.GetTrailStatus", lambda status: status.update({field: "AccessDenied"}))
    result = only(deployed.results("trail"), Status.FAIL)
    assert delivery in result.summary and "AccessDenied" in result.summary
    assert result.fix


def test_a_trail_that_is_gone_fails(deployed):
    deployed.client("cloudtrail").delete_trail(Name="secure-aws-prod-trail")
    result = only(deployed.results("trail"), Status.FAIL)
    assert "TrailNotFoundException" in result.summary
