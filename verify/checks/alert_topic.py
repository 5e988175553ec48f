"""Someone receives the alerts: the alert topic has at least one confirmed subscription.

An email subscription stays "PendingConfirmation" until someone clicks the link AWS mails; until then every
alarm and every auditor finding is published to no one. Pending is a warning: the stack works, nobody is told.
"""

from __future__ import annotations

from verify.context import Context
from verify.results import CheckResult, failed, passed, warned

CHECK = "alert-topic"
PENDING = "PendingConfirmation"


def check_alert_topic(context: Context) -> list[CheckResult]:
    topic_arn = context.outputs.require("alertTopicArn")
    pages = context.client("sns").get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn)
    subscriptions = [subscription for page in pages for subscription in page.get("Subscriptions", [])]
    # A confirmed subscription has its ARN; a pending one reads "PendingConfirmation" (and "Deleted" is gone).
    confirmed = [s for s in subscriptions if s["SubscriptionArn"].startswith("arn:")]
    pending = [s for s in subscriptions if s["SubscriptionArn"] == PENDING]
    if confirmed:
        endpoints = ", ".join(f"{s['Protocol']}:{s['Endpoint']}" for s in confirmed)
        return [passed(CHECK, f"alert topic {topic_arn} has confirmed subscription(s): {endpoints}")]
    if pending:
        endpoints = ", ".join(s["Endpoint"] for s in pending)
        return [
            warned(
                CHECK,
                f"the alert subscription of {endpoints} is pending confirmation: alarms and findings reach no one",
                f"confirm the email: open the mail 'AWS Notification - Subscription Confirmation' sent to {endpoints} "
                f"and click 'Confirm subscription' (lost it? `aws sns subscribe --topic-arn {topic_arn} "
                f"--protocol email --notification-endpoint {pending[0]['Endpoint']}` sends it again)",
            )
        ]
    return [
        failed(
            CHECK,
            f"alert topic {topic_arn} has no subscription: alarms and findings reach no one",
            "run `pulumi up`: the audit tier subscribes alertEmail (then confirm the email AWS sends)",
        )
    ]
