import pytest

from accounts.models import IdentityChangeRequest
from core.models import AuditLog
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_me_shows_the_profile_with_locked_identity_fields(user_client, user):
    body = user_client.get("/api/v1/me/").json()
    assert body["mobile"] == user.mobile
    assert set(body["locked_fields"]) == {"national_code", "first_name", "last_name", "mobile"}


@pytest.mark.rule("R-014")
def test_self_service_fields_are_editable(user_client, user):
    response = user_client.patch(
        "/api/v1/me/",
        {"city": "کرج", "province": "البرز", "postal_code": "۳۱۳۶۷۸۴۵۶۱", "email": "a@b.ir"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    user.refresh_from_db()
    assert (user.city, user.province.code, user.postal_code) == ("کرج", "alborz", "3136784561")


@pytest.mark.parametrize(
    ("field", "value"),
    [("national_code", "0012345679"), ("first_name", "رضا"), ("last_name", "کریمی"), ("mobile", "09350000000")],
)
@pytest.mark.rule("R-013")
def test_changing_a_locked_identity_field_is_refused_naming_the_field(user_client, user, field, value):
    before = getattr(user, field)
    response = user_client.patch("/api/v1/me/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    user.refresh_from_db()
    assert getattr(user, field) == before


def test_sending_an_identity_field_unchanged_is_fine(user_client, user):
    response = user_client.patch("/api/v1/me/", {"first_name": user.first_name, "city": "قم"}, format="json")
    assert response.status_code == 200


def test_an_empty_birth_date_may_be_filled_once_then_locks(user_client, user):
    assert user_client.patch("/api/v1/me/", {"birth_date": "1370/05/20"}, format="json").status_code == 200
    user.refresh_from_db()
    assert user.birth_date.isoformat() == "1991-08-11"
    again = user_client.patch("/api/v1/me/", {"birth_date": "1371/01/01"}, format="json")
    assert again.status_code == 400 and "birth_date" in again.json()


def test_bad_postal_code_is_a_persian_400(user_client):
    response = user_client.patch("/api/v1/me/", {"postal_code": "123"}, format="json")
    assert response.status_code == 400
    assert "۱۰ رقم" in response.json()["postal_code"][0]


@pytest.mark.rule("R-013")
def test_identity_change_request_is_recorded(user_client, user):
    response = user_client.post(
        "/api/v1/me/identity-change-requests/",
        {"field": "last_name", "new_value": "احمدی‌نژاد", "reason": "اشتباه در ثبت‌نام"},
        format="json",
    )
    assert response.status_code == 201
    change = IdentityChangeRequest.objects.get(user=user)
    assert (change.field, change.new_value, change.old_value, change.status) == (
        "last_name",
        "احمدی‌نژاد",
        user.last_name,
        "pending",
    )


def test_identity_change_request_with_invalid_national_code_is_refused(user_client):
    response = user_client.post(
        "/api/v1/me/identity-change-requests/",
        {"field": "national_code", "new_value": "1234567890", "reason": "x"},
        format="json",
    )
    assert response.status_code == 400 and "new_value" in response.json()


def test_second_pending_request_for_the_same_field_conflicts(user_client):
    data = {"field": "first_name", "new_value": "زهرا", "reason": "x"}
    assert user_client.post("/api/v1/me/identity-change-requests/", data, format="json").status_code == 201
    assert user_client.post("/api/v1/me/identity-change-requests/", data, format="json").status_code == 409


def _pending_change(user, field="national_code", value="0012345679"):
    return IdentityChangeRequest.objects.create(user=user, field=field, new_value=value, reason="اشتباه")


@pytest.mark.rule("R-013")
def test_staff_approves_in_the_admin_and_the_change_is_applied_audited_and_told(
    client, user, sms_outbox, django_capture_on_commit_callbacks
):
    change = _pending_change(user)
    staff = StaffFactory()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/accounts/identitychangerequest/{change.pk}/change/", {"decision_note": "", "_approve": "1"}
        )
    assert response.status_code == 302
    user.refresh_from_db()
    change.refresh_from_db()
    assert user.national_code == "0012345679"
    assert change.status == "approved" and change.decided_by == staff
    audit = AuditLog.objects.get(action="identity_change.approved")
    assert audit.actor == staff and audit.data["new"] == "0012345679"
    assert sms_outbox[-1].to == user.mobile and "تأیید" in sms_outbox[-1].text


def test_staff_rejection_needs_a_reason(client, user):
    change = _pending_change(user)
    client.force_login(StaffFactory())
    client.post(f"/admin/accounts/identitychangerequest/{change.pk}/change/", {"decision_note": "", "_reject": "1"})
    change.refresh_from_db()
    assert change.status == "pending"
    client.post(
        f"/admin/accounts/identitychangerequest/{change.pk}/change/",
        {"decision_note": "مدرک ارسال نشده", "_reject": "1"},
    )
    change.refresh_from_db()
    assert change.status == "rejected"
    user.refresh_from_db()
    assert user.national_code != "0012345679"


def test_approving_a_value_owned_by_someone_else_is_refused(user):
    from accounts.services import identity_change_request_decide
    from core.exceptions import ConflictError

    other = UserFactory()
    change = _pending_change(user, value=other.national_code)
    with pytest.raises(ConflictError):
        identity_change_request_decide(change=change, staff=StaffFactory(), approve=True)
    change.refresh_from_db()
    assert change.status == "pending"


@pytest.mark.parametrize("new_value", ["2099-01-01", "1850-03-01"])
def test_identity_change_request_for_an_implausible_birth_date_is_refused(user_client, new_value):
    """issue 13 point 4: the birth-date window (1900 to the day an account holder turned 18)
    holds for a change request too, not only for the profile form and PATCH /me/."""
    response = user_client.post(
        "/api/v1/me/identity-change-requests/",
        {"field": "birth_date", "new_value": new_value, "reason": "اشتباه ثبت شده"},
        format="json",
    )
    assert response.status_code == 400
    assert "تاریخ تولد" in response.json()["new_value"][0] or "سال داشته باشد" in response.json()["new_value"][0]
    assert not IdentityChangeRequest.objects.exists()
