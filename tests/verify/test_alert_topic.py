"""The alert-topic check: someone confirmed a subscription; pending is a warning with the fix."""

from tests.verify.conftest import only
from verify.results import Status


def _pending(answer):
    # Moto confirms email subscriptions at once; AWS lists an unconfirmed one as "PendingConfirmation".
    for subscription in answer["Subscriptions"]:
        subscription["SubscriptionArn"] = "PendingConfirmation"


def test_a_pending_email_subscription_is_a_warning_saying_to_confirm_the_email(deployed):
    deployed.override("sns.ListSubscriptionsByTopic", _pending)
    result = only(deployed.results("alert-topic"), Status.WARN)
    assert "secops@example.com" in result.summary and "pending confirmation" in result.summary
    assert "confirm the email" in result.fix and "Confirm subscription" in result.fix


def test_a_topic_without_subscriptions_fails(deployed):
    sns = deployed.client("sns")
    topic = deployed.outputs["alertTopicArn"]
    for subscription in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]:
        sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
    result = only(deployed.results("alert-topic"), Status.FAIL)
    assert "has no subscription" in result.summary


def test_a_pending_subscription_next_to_a_confirmed_one_passes(deployed):
    deployed.client("sns").subscribe(
        TopicArn=deployed.outputs["alertTopicArn"], Protocol="email", Endpoint="oncall@example.com"
    )

    def second_pending(answer):
        answer["Subscriptions"][-1]["SubscriptionArn"] = "PendingConfirmation"

    deployed.override("sns.ListSubscriptionsByTopic", second_pending)
    only(deployed.results("alert-topic"), Status.PASS)
