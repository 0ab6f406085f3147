"""The one notice service (issue 15 point 4): accounts.notifications.notify."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from accounts.models import Notification
from accounts.notifications import NOTICE_MAX_LENGTH, notice_text, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_notice_that_fits_is_kept_whole():
    """issue 15 point 4: nothing is cut from a short notice."""
    user = UserFactory()

    notice = notify(user, "بیمه‌نامه 123 صادر شد.", url="/policies/1/")

    notice.refresh_from_db()
    assert (notice.user, notice.text, notice.url) == (user, "بیمه‌نامه 123 صادر شد.", "/policies/1/")


def test_a_long_notice_is_cut_before_a_word_and_marked():
    """issue 15 point 4: cut to the column in one place, never in the middle of a Persian word."""
    words = ["خسارت"] * 80  # 479 characters with the spaces
    text = " ".join(words)

    cut = notice_text(text)

    assert len(cut) <= NOTICE_MAX_LENGTH
    assert cut.endswith("خسارت…")
    assert cut[:-1].split(" ") == words[: len(cut[:-1].split(" "))]


def test_a_long_word_without_spaces_is_cut_at_the_column():
    text = "۱" * 500

    assert notice_text(text) == "۱" * (NOTICE_MAX_LENGTH - 1) + "…"


def test_a_long_notice_is_stored_cut_and_texted_whole(sms_outbox, django_capture_on_commit_callbacks):
    """issue 15 point 4: the in-app row fits its column; the SMS carries the whole text."""
    user = UserFactory()
    text = " ".join(["پرونده"] * 70)

    with django_capture_on_commit_callbacks(execute=True):
        notice = notify(user, text, sms=True)

    notice.refresh_from_db()
    assert len(notice.text) <= NOTICE_MAX_LENGTH
    assert [sms.text for sms in sms_outbox] == [text]


def test_the_sms_goes_out_after_commit_in_persian_digits(sms_outbox, django_capture_on_commit_callbacks):
    """issue 15 point 4: one place gives every SMS Persian digits (links kept)."""
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(user, "پرونده 42 ثبت شد: https://bimemall.ir/c/42", sms=True)
        assert sms_outbox == []

    assert len(callbacks) == 1
    assert [(sms.to, sms.text) for sms in sms_outbox] == [(user.mobile, "پرونده ۴۲ ثبت شد: https://bimemall.ir/c/42")]
    assert Notification.objects.get(user=user).text == "پرونده 42 ثبت شد: https://bimemall.ir/c/42"


def test_no_sms_unless_asked(sms_outbox, django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(user, "اعلان")

    assert callbacks == [] and sms_outbox == []
    assert Notification.objects.filter(user=user).count() == 1


def test_a_user_id_is_enough(sms_outbox, django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        notify(user.pk, "امتیاز 5 از ۵", sms=True)

    assert Notification.objects.get(user=user).text == "امتیاز 5 از ۵"
    assert [(sms.to, sms.text) for sms in sms_outbox] == [(user.mobile, "امتیاز ۵ از ۵")]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_kept_or_sent_when_the_transaction_rolls_back(sms_outbox):
    """issue 15 point 4: the notice and its SMS belong to the decision that made them."""
    user = UserFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user, "پرونده 7 رد شد.", sms=True)
        raise RuntimeError("the decision failed after the notice")

    assert Notification.objects.filter(user=user).count() == 0
    assert sms_outbox == []


def test_no_notice_is_written_around_the_service():
    """issue 15 point 4: outside accounts/notifications.py no code writes Notification rows
    with the ORM (the routing's bulk INSERT … SELECT is the one measured exception: its text
    is a line and a province name, far below the column)."""
    offenders = []
    skipped = {"tests", "node_modules", "static", "staticfiles", "templates", "docs", "scripts"}
    for app_dir in Path(settings.BASE_DIR).iterdir():
        if not app_dir.is_dir() or app_dir.is_symlink() or app_dir.name in skipped or app_dir.name.startswith("."):
            continue
        for path in app_dir.rglob("*.py"):
            if "migrations" in path.parts or path == Path(settings.BASE_DIR) / "accounts" / "notifications.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                called = node.func if isinstance(node, ast.Call) else None
                if isinstance(called, ast.Name) and called.id == "Notification":
                    offenders.append(f"{path}:{node.lineno}")
                if (
                    isinstance(called, ast.Attribute)
                    and called.attr in ("create", "bulk_create")
                    and ast.unparse(called.value) == "Notification.objects"
                ):
                    offenders.append(f"{path}:{node.lineno}")
    assert offenders == []
