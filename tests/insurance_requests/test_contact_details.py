"""Issue 13 point 2: no contact details cross before acceptance.

An agent's answer and a customer's note (and city) are refused when they carry a phone
number, an e-mail address, a link or messenger handle, or the agency's code; the refusal is
Persian, names what was found, and is logged for staff without the text itself.
"""

import pytest
from django.db import connection, transaction

from core.text import to_persian_digits
from insurance_requests import services
from insurance_requests.models import ContactDetailsRefusal, InsuranceRequest, LeadResponse
from tests.factories import StaffFactory
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import active_agent, offer_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return active_agent("iran", agency_code="4471", office_phone="02188776655")


@pytest.fixture
def lead(post_request, agent):
    return post_request(insurers=["iran"]).json()["id"]


def _respond(agent, request_id, message):
    return client_for(agent.user).post(
        f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(message=message), format="json"
    )


@pytest.mark.parametrize(
    ("message", "named"),
    [
        ("برای هماهنگی ۰۹۱۲ ۳۴۵ ۶۷ ۸۹ زنگ بزنید", "شماره تلفن"),
        ("ایمیل: agent (at) gmail [dot] com", "نشانی ایمیل"),
        ("در تلگرام @bimeh_agent پیام دهید", "پیوند یا شناسه پیام‌رسان"),
        ("سایت ما bimeh-agent.ir است", "پیوند یا شناسه پیام‌رسان"),
        ("نمایندگی شماره ۴۴۷۱ هستیم", "کد نمایندگی"),
        ("دفتر ما ۸۸۷۷-۶۶۵۵", "کد نمایندگی"),
    ],
)
def test_an_answer_with_contact_details_is_refused_with_what_was_found(agent, lead, message, named):
    """issue 13 point 2: a 400 on `message`, in Persian, naming what was found; no answer is stored."""
    answer = _respond(agent, lead, message)
    assert answer.status_code == 400
    refusal = answer.json()["message"][0]
    assert named in refusal and "پذیرش" in refusal
    assert not LeadResponse.objects.exists()


def test_an_answer_that_says_everything_else_goes_through(agent, lead):
    """issue 13 point 2: prices, instalments, dates and terms are fine."""
    message = "حق بیمه ۱۲,۵۰۰,۰۰۰ ریال، ۲۰٪ تخفیف، ۶ قسط ماهانه، اعتبار تا ۱۴۰۵/۰۹/۱۱"
    assert _respond(agent, lead, message).status_code == 201
    assert LeadResponse.objects.get().message == message
    assert not ContactDetailsRefusal.objects.exists()


def test_a_refused_answer_is_logged_per_agent_without_its_text(agent, lead):
    """issue 13 point 2: staff see the attempt (agent, kinds, masked excerpt), never the number."""
    _respond(agent, lead, "شماره من 09123456789 و ایمیل ali@example.com")
    refusal = ContactDetailsRefusal.objects.get()
    assert (refusal.agent, refusal.user, refusal.request_id) == (agent, agent.user, lead)
    assert refusal.where == ContactDetailsRefusal.Where.LEAD_RESPONSE
    assert set(refusal.kinds.split(",")) == {"phone", "email"}
    assert "09123456789" not in refusal.excerpt and "example" not in refusal.excerpt


@pytest.mark.django_db(transaction=True)
def test_the_log_of_a_refused_answer_survives_the_refusal(agent, lead):
    """issue 13 point 2: the log row is committed on its own, though the request fails (real commits)."""
    assert _respond(agent, lead, "0912 345 6789").status_code == 400
    with pytest.raises(services.ApplicationError):
        services.lead_respond(agent=agent, request_id=lead, message="۰۹۱۲ ۳۴۵ ۶۷۸۹")
    assert not connection.in_atomic_block
    assert ContactDetailsRefusal.objects.filter(agent=agent).count() == 2


def test_the_log_refuses_to_be_written_inside_a_transaction_that_could_roll_it_back(agent):
    """issue 13 point 2: recording inside an outer transaction would lose the row on rollback: an error."""
    from core.contact_details import find_contact_details

    findings = find_contact_details("09123456789")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.contact_details_refusal_record(user=agent.user, where="lead_response", findings=findings)


def test_the_web_form_shows_the_refusal_on_the_message_field_and_keeps_the_text(agent, lead, client):
    """issue 13 point 2: the lead page refuses the same text, beside the field, the text kept for editing."""
    client.force_login(agent.user)
    offer = {"premium": "2000000000", "payment_plan": "cash", "valid_until": offer_payload()["valid_until"]}
    page = client.post(f"/agent/leads/{lead}/", {**offer, "message": "واتساپ: bimeh.agent"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_message_error"' in html and "پیوند یا شناسه پیام‌رسان" in html
    assert "bimeh.agent" in html
    assert not LeadResponse.objects.exists()
    assert ContactDetailsRefusal.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("note", "با شماره ۰۹۱۲۳۴۵۶۷۸۹ تماس بگیرید"), ("note", "sara.m@yahoo.com"), ("city", "تهران ۰۲۱۸۸۷۷۶۶۵۵")],
)
def test_a_request_whose_note_or_city_carries_contact_details_is_refused(customer, post_request, field, value):
    """issue 13 point 2: the customer's text toward every agent is refused on its field; nothing is sent."""
    active_agent("iran")
    answer = post_request(**{field: value})
    assert answer.status_code == 400
    assert "پیش از پذیرش" in answer.json()[field][0]
    assert not InsuranceRequest.objects.exists()
    refusal = ContactDetailsRefusal.objects.get()
    assert (refusal.user, refusal.agent, refusal.where) == (customer, None, f"request_{field}")


def test_the_customers_own_mobile_is_refused_however_it_is_written(customer, post_request):
    """issue 13 point 2: the customer's own number never reaches every agent by accident."""
    digits = customer.mobile[1:]  # 9xxxxxxxxx, Persian digits, spaced
    written = " ".join(digits.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    assert post_request(note=f"شماره: {written}").status_code == 400


def test_the_request_form_shows_the_refusal_on_the_note(customer, client):
    """issue 13 point 2: the web form of a request shows the same refusal beside the note."""
    active_agent("iran")
    client.force_login(customer)
    page = client.post(
        "/requests/new/?line=other",
        {"line": "other", "province": "tehran", "city": "تهران", "insurers": ["iran"], "note": "t.me/sara_m"},
    )
    html = page.content.decode()
    assert 'id="id_note_error"' in html and "پیوند یا شناسه پیام‌رسان" in html
    assert not InsuranceRequest.objects.exists()


def test_a_repost_of_an_old_note_with_contact_details_is_refused(customer, post_request, customer_client):
    """issue 13 point 2: a note stored before the check is not copied to the agents by a repost."""
    active_agent("iran")  # issue 14 point 10: a request that reaches nobody is refused
    request_id = post_request().json()["id"]
    InsuranceRequest.objects.filter(pk=request_id).update(note="0912 345 6789", status="cancelled")
    answer = customer_client.post(f"/api/v1/requests/{request_id}/repost/")
    assert answer.status_code == 400 and "note" in answer.json()
    assert InsuranceRequest.objects.count() == 1
    assert ContactDetailsRefusal.objects.get().request_id == request_id


def test_staff_see_refused_attempts_per_agent(agent, lead, client):
    """issue 13 point 2: the admin counts each agent's refused attempts and links to them."""
    other = active_agent("asia")
    for text in ("0912 345 6789", "@bimeh_agent", "agent@gmail.com"):
        _respond(agent, lead, text)
    client.force_login(StaffFactory())
    per_agent = client.get("/admin/insurance_requests/contactdetailsrefusal/per-agent/").content.decode()
    # admin pages print digits in Persian (issue 14 point 9), names included
    assert to_persian_digits(agent.agency_name) in per_agent and "۳" in per_agent
    assert to_persian_digits(other.agency_name) not in per_agent
    listing = client.get(f"/admin/insurance_requests/contactdetailsrefusal/?agent__id__exact={agent.pk}&kind=phone")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1


def test_the_per_agent_page_is_for_staff_only(agent, client):
    """issue 13 point 2: an agent cannot read the log."""
    client.force_login(agent.user)
    page = client.get("/admin/insurance_requests/contactdetailsrefusal/per-agent/")
    assert page.status_code == 302 and "/admin/login/" in page["Location"]
