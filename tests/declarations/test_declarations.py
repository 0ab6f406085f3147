"""Floating policies: stock declared by the 10th of the next solar month; reminded before,
flagged after, never twice."""

import datetime as dt

import jdatetime
import pytest

from core.exceptions import ConflictError
from core.models import AuditLog
from declarations.models import DeclarationReminder, StockDeclaration
from declarations.selectors import declaration_due_date, declaration_period_for
from declarations.services import declaration_reminders_send, stock_declaration_record
from tests.jobs import helpers

pytestmark = pytest.mark.django_db


def jday(year, month, day) -> dt.date:
    return jdatetime.date(year, month, day).togregorian()


def send(on: dt.date, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return declaration_reminders_send(today=on)


@pytest.fixture
def floating():
    return helpers.floating_policy(starts_days_ago=120)


def this_month(day):
    return helpers.day_of_this_solar_month(day)


def declared_period():
    return declaration_period_for(today=this_month(1))


@pytest.mark.rule("R-023")
def test_period_is_the_previous_solar_month_and_due_on_the_10th():
    period = declaration_period_for(today=jday(1404, 1, 5))
    assert (period.year, period.month, period.today_day) == (1403, 12, 5)
    assert declaration_due_date(year=1403, month=12, due_day=10) == jday(1404, 1, 10)


def test_nothing_before_the_reminder_window(floating, sms_outbox, django_capture_on_commit_callbacks):
    assert send(this_month(6), django_capture_on_commit_callbacks) == 0
    assert sms_outbox == []


def test_reminded_once_before_the_10th(floating, sms_outbox, django_capture_on_commit_callbacks):
    sms_outbox.clear()
    assert send(this_month(7), django_capture_on_commit_callbacks) == 1
    assert send(this_month(9), django_capture_on_commit_callbacks) == 0
    assert [sms.to for sms in sms_outbox] == [floating.policy.customer.mobile]
    assert "اعلام کنید" in sms_outbox[0].text
    reminder = DeclarationReminder.objects.get()
    period = declared_period()
    assert (reminder.year, reminder.month, reminder.kind) == (period.year, period.month, "due_soon")


@pytest.mark.rule("R-023")
def test_missing_after_the_10th_is_flagged_once_and_told_to_the_agent(
    floating, sms_outbox, django_capture_on_commit_callbacks
):
    sms_outbox.clear()
    assert send(this_month(11), django_capture_on_commit_callbacks) == 1
    assert send(this_month(15), django_capture_on_commit_callbacks) == 0
    assert {sms.to for sms in sms_outbox} == {floating.policy.customer.mobile, floating.policy.agent.user.mobile}
    assert DeclarationReminder.objects.get().kind == "missing"
    assert AuditLog.objects.filter(action="declarations.missing").count() == 1


def test_declared_policy_is_not_reminded(floating, sms_outbox, django_capture_on_commit_callbacks):
    period = declared_period()
    stock_declaration_record(
        user=floating.policy.agent.user,
        floating_policy=floating,
        year=period.year,
        month=period.month,
        stock_value=5_000_000_000,
        declared_on=this_month(3),
    )
    sms_outbox.clear()
    assert send(this_month(8), django_capture_on_commit_callbacks) == 0
    assert send(this_month(12), django_capture_on_commit_callbacks) == 0
    assert sms_outbox == []


def test_cancelled_policy_is_not_reminded(floating, sms_outbox, django_capture_on_commit_callbacks):
    type(floating.policy).objects.filter(pk=floating.pk).update(status="cancelled")
    assert send(this_month(8), django_capture_on_commit_callbacks) == 0


@pytest.mark.rule("R-023")
def test_declaration_once_per_month_with_late_and_over_limit_flags(floating):
    period = declared_period()
    due = declaration_due_date(year=period.year, month=period.month, due_day=10)
    declaration = stock_declaration_record(
        user=floating.policy.agent.user,
        floating_policy=floating,
        year=period.year,
        month=period.month,
        stock_value=25_000_000_000,
        declared_on=due + dt.timedelta(days=1),
    )
    assert declaration.late is True
    assert declaration.over_limit is True
    with pytest.raises(ConflictError):
        stock_declaration_record(
            user=floating.policy.agent.user,
            floating_policy=floating,
            year=period.year,
            month=period.month,
            stock_value=1,
            declared_on=due,
        )
    assert StockDeclaration.objects.count() == 1
