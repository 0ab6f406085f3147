"""agents.tasks.notify_expiring_subscriptions: 3 days before and on expiry, once each."""

import datetime as dt

import pytest
from django.utils import timezone

from agents.models import Subscription, SubscriptionNotice
from agents.services import subscription_expiry_notify
from agents.tasks import notify_expiring_subscriptions
from tests.agents.factories import AgentFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def period(agent, *, ends_in_days, kind="trial", length=7):
    ends_on = today() + dt.timedelta(days=ends_in_days)
    return Subscription.objects.create(
        agent=agent, kind=kind, starts_on=ends_on - dt.timedelta(days=length - 1), ends_on=ends_on
    )


def run_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_expiring_subscriptions.delay()


def test_task_is_registered_by_its_public_name():
    assert notify_expiring_subscriptions.name == "agents.tasks.notify_expiring_subscriptions"


def test_warns_three_days_before_once(verified_agent, sms_outbox, django_capture_on_commit_callbacks):
    period(verified_agent, ends_in_days=3)

    run_task(django_capture_on_commit_callbacks)
    run_task(django_capture_on_commit_callbacks)

    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == verified_agent.user.mobile
    assert "۴ روز دیگر" in sms_outbox[0].text  # the last day counts: 3 days after today, plus today
    assert SubscriptionNotice.objects.get().kind == "expiring"


def test_not_warned_earlier_than_three_days(verified_agent, sms_outbox, django_capture_on_commit_callbacks):
    period(verified_agent, ends_in_days=4)

    run_task(django_capture_on_commit_callbacks)

    assert sms_outbox == []


def test_warns_on_expiry_once(verified_agent, sms_outbox, django_capture_on_commit_callbacks):
    subscription = period(verified_agent, ends_in_days=-1)
    SubscriptionNotice.objects.create(subscription=subscription, kind="expiring")

    run_task(django_capture_on_commit_callbacks)
    run_task(django_capture_on_commit_callbacks)

    assert len(sms_outbox) == 1
    assert "به پایان رسید" in sms_outbox[0].text


def test_each_warning_once_across_the_days(verified_agent, sms_outbox, django_capture_on_commit_callbacks):
    period(verified_agent, ends_in_days=3)

    for offset in range(0, 8):
        with django_capture_on_commit_callbacks(execute=True):
            subscription_expiry_notify(today=today() + dt.timedelta(days=offset))
            subscription_expiry_notify(today=today() + dt.timedelta(days=offset))

    assert [notice.kind for notice in SubscriptionNotice.objects.order_by("id")] == ["expiring", "expired"]
    assert len(sms_outbox) == 2


def test_renewed_agent_is_not_warned_about_the_old_period(
    verified_agent, sms_outbox, django_capture_on_commit_callbacks
):
    period(verified_agent, ends_in_days=2)
    period(verified_agent, ends_in_days=32, kind="trial", length=30)  # the renewal queued after it

    run_task(django_capture_on_commit_callbacks)

    assert sms_outbox == []


def test_long_expired_periods_are_not_announced(sms_outbox, django_capture_on_commit_callbacks):
    period(AgentFactory(verified=True), ends_in_days=-30)

    run_task(django_capture_on_commit_callbacks)

    assert sms_outbox == []


def test_each_agent_is_warned(sms_outbox, django_capture_on_commit_callbacks):
    first, second = AgentFactory(verified=True), AgentFactory(verified=True)
    period(first, ends_in_days=1)
    period(second, ends_in_days=0)

    run_task(django_capture_on_commit_callbacks)

    assert sorted(sms.to for sms in sms_outbox) == sorted([first.user.mobile, second.user.mobile])
