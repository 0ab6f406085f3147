"""Renewal reminders through the task by name: a policy renewed or cancelled in the
meantime is not reminded."""

import datetime as dt

import pytest

from bimemall.celery import app
from policies import rules
from policies.models import RenewalReminder
from policies.services import policy_cancel, policy_renew
from tests.jobs import helpers

pytestmark = pytest.mark.django_db

TASK = "policies.tasks.send_renewal_reminders"


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = app.tasks[TASK].apply()
    assert result.successful(), result.traceback
    return result.result


@pytest.mark.rule("R-031")
def test_due_policy_is_reminded_once(sms_outbox, django_capture_on_commit_callbacks):
    policy = helpers.due_renewal()
    sms_outbox.clear()
    assert run(django_capture_on_commit_callbacks) == 1
    assert run(django_capture_on_commit_callbacks) == 0
    assert [sms.to for sms in sms_outbox] == [policy.customer.mobile]
    assert RenewalReminder.objects.filter(policy=policy).count() == 1


def test_policy_renewed_in_the_meantime_is_not_reminded(sms_outbox, django_capture_on_commit_callbacks):
    policy = helpers.due_renewal()
    policy_renew(
        user=policy.agent.user,
        policy=policy,
        ends_on=policy.ends_on + dt.timedelta(days=365),
        premium=11_000_000,
        policy_number="RENEWED-1",
        paid_on=helpers.today(),
    )
    sms_outbox.clear()
    assert run(django_capture_on_commit_callbacks) == 0
    assert sms_outbox == []
    assert not RenewalReminder.objects.filter(policy=policy).exists()


def test_policy_cancelled_in_the_meantime_is_not_reminded(sms_outbox, django_capture_on_commit_callbacks):
    policy = helpers.due_renewal()
    policy_cancel(user=policy.agent.user, policy=policy, by=rules.INSURED, on=helpers.today())
    sms_outbox.clear()
    assert run(django_capture_on_commit_callbacks) == 0
    assert sms_outbox == []
    assert not RenewalReminder.objects.exists()
