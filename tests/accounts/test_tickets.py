import pytest

from accounts.models import Notification, SupportTicket
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _open(client, **overrides):
    data = {"category": "support", "subject": "مشکل ورود", "body": "کد دیر می‌رسد", **overrides}
    return client.post("/api/v1/me/tickets/", data, format="json")


@pytest.mark.rule("R-012")
def test_user_opens_a_ticket(user_client, user):
    response = _open(user_client)
    assert response.status_code == 201
    ticket = SupportTicket.objects.get(user=user)
    assert ticket.messages.get().body == "کد دیر می‌رسد"


@pytest.mark.parametrize("category", ["support", "contact", "upgrade"])
@pytest.mark.rule("R-012")
def test_every_ticket_category_is_accepted(user_client, category):
    assert _open(user_client, category=category).status_code == 201


def test_another_users_ticket_is_a_404(user_client, api_client):
    ticket_id = _open(user_client).json()["id"]
    stranger = UserFactory()
    api_client.force_authenticate(stranger)
    assert api_client.get(f"/api/v1/me/tickets/{ticket_id}/").status_code == 404
    assert api_client.post(f"/api/v1/me/tickets/{ticket_id}/messages/", {"body": "x"}, format="json").status_code == 404


def test_staff_reply_in_the_admin_reaches_the_user_by_sms_and_in_app(
    client, user_client, user, sms_outbox, django_capture_on_commit_callbacks
):
    ticket_id = _open(user_client).json()["id"]
    client.force_login(StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/accounts/supportticket/{ticket_id}/change/",
            {
                "reply": "کد را دوباره درخواست کنید.",
                "messages-TOTAL_FORMS": "1",
                "messages-INITIAL_FORMS": "1",
                "messages-MIN_NUM_FORMS": "0",
                "messages-MAX_NUM_FORMS": "1000",
                "messages-0-id": str(SupportTicket.objects.get().messages.get().pk),
                "messages-0-ticket": str(ticket_id),
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = SupportTicket.objects.get()
    assert ticket.status == "answered"
    assert ticket.messages.filter(is_staff_reply=True).get().body == "کد را دوباره درخواست کنید."
    assert sms_outbox[-1].to == user.mobile
    assert Notification.objects.filter(user=user).count() == 1
    body = user_client.get(f"/api/v1/me/tickets/{ticket_id}/").json()
    assert [m["is_staff_reply"] for m in body["messages"]] == [False, True]


def test_follow_up_reopens_the_ticket(user_client):
    ticket_id = _open(user_client).json()["id"]
    SupportTicket.objects.filter(pk=ticket_id).update(status="answered")
    assert (
        user_client.post(f"/api/v1/me/tickets/{ticket_id}/messages/", {"body": "ممنون"}, format="json").status_code
        == 201
    )
    assert SupportTicket.objects.get().status == "open"
