"""Renewal in one click (issue 14 point 6): the reminder links to a request filled with the
policy's inputs; posting it offers the request first to the agent who issued the policy,
to the other agents after the head start; the no-claim years move forward by themselves."""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import Notification
from agents.models import Subscription
from claims.models import Claim
from core.jalali import solar_year
from insurance_requests import services as request_services
from insurance_requests.models import Delivery, InsuranceRequest
from insurance_requests.tasks import expire_stale_requests
from insurers.models import Insurer
from policies import services
from policies.selectors import renewal_params
from tests.policies.helpers import accepted_request, days, make_agent, record, today

pytestmark = pytest.mark.django_db

THIRD_PARTY = {"vehicle_group": "car_4cyl", "usage": "personal", "no_claim_years": 4}


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ending_policy(agent, customer, *, line="third_party", params=None, ends_in=6):
    """A policy won through a request in Tehran, ending in `ends_in` days."""
    request = accepted_request(customer=customer, agent=agent, line=line)
    issued_on = today() - days(365 - ends_in + (1 if line == "third_party" else 0))
    return record(
        agent,
        customer,
        line=line,
        issued_on=issued_on,
        length=365,
        request=request.pk,
        params=THIRD_PARTY if params is None else params,
    )


def paid_claim(policy, cause: str) -> Claim:
    return Claim.objects.create(
        policy=policy,
        customer=policy.customer,
        status=Claim.Status.PAID,
        cause=cause,
        occurred_on=policy.starts_on + days(10),
        description="تصادف",
        estimated_loss=50_000_000,
    )


def form_as_shown(page) -> dict:
    """What the page's form would send untouched: each field's shown value."""
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", [], False):
            continue
        data[name] = "on" if value is True else value
    return data


def rival_agents(agent):
    """Another agent of the same insurer and one of another insurer, both serving Tehran."""
    colleague = make_agent(insurer=agent.insurer)
    other = make_agent(insurer=Insurer.objects.exclude(pk=agent.insurer_id).first())
    return colleague, other


# --- the reminder ---------------------------------------------------------------------------


@override_settings(SITE_URL="https://bimemall.example")
def test_the_reminder_carries_the_absolute_link_in_persian_digits(
    agent, customer, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 14 point 6: SMS and in-app notice link to the prefilled request; no Latin digit but the link."""
    policy = ending_policy(agent, customer)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.renewal_reminders_send() == 1

    link = f"/policies/{policy.pk}/renewal-request/"
    (sms,) = [message for message in sms_outbox if "تمدید با یک کلیک" in message.text]
    assert sms.text.endswith(f"https://bimemall.example{link}")
    assert not any(ch.isascii() and ch.isdigit() for ch in sms.text.replace(link, ""))
    notice = Notification.objects.filter(user=customer, url=link).get()
    assert "تمدید" in notice.text


# --- the page -------------------------------------------------------------------------------


def test_the_link_opens_the_request_form_filled_from_the_policy(agent, customer):
    """issue 14 point 6: line, inputs (no-claim years + 1), the policy's insurer, province and city."""
    policy = ending_policy(agent, customer)

    page = browser(customer).get(f"/policies/{policy.pk}/renewal-request/")

    assert page.status_code == 200
    form = page.context["form"]
    assert page.context["line"].code == "third_party"
    assert form["p_vehicle_group"].value() == "car_4cyl"
    assert form["p_no_claim_years"].value() == 5
    assert form["insurers"].value() == [agent.insurer.code]
    assert form["province"].value() == "tehran" and form["city"].value() == "تهران"
    assert 'id="renewal-prefill"' in page.content.decode()


def test_only_the_customer_of_the_policy_opens_its_renewal_request(agent, customer):
    """issue 14 point 6: the issuing agent and strangers get 404."""
    from tests.factories import UserFactory

    policy = ending_policy(agent, customer)

    assert browser(agent.user).get(f"/policies/{policy.pk}/renewal-request/").status_code == 404
    assert browser(UserFactory()).get(f"/policies/{policy.pk}/renewal-request/").status_code == 404


# --- routing with the head start -------------------------------------------------------------


def test_posting_offers_the_request_to_the_issuing_agent_first_then_to_the_others(
    agent, customer, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 14 point 6: delivered to the preferred agent at once, to the others only after
    the head start (the expiry job, run at a frozen later time)."""
    colleague, other = rival_agents(agent)
    policy = ending_policy(agent, customer)
    page = browser(customer)
    data = form_as_shown(page.get(f"/policies/{policy.pk}/renewal-request/"))
    data["insurers"] = [agent.insurer.code, other.insurer.code]
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(f"/policies/{policy.pk}/renewal-request/", data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    request = InsuranceRequest.objects.get(preferred_agent=agent)
    assert request.params["no_claim_years"] == 5
    head_start = request.preferred_until - before
    assert dt.timedelta(hours=23, minutes=59) < head_start <= dt.timedelta(hours=24, seconds=5)
    assert set(Delivery.objects.filter(request=request).values_list("agent_id", flat=True)) == {agent.pk}
    assert [message.to for message in sms_outbox if "درخواست تازه" in message.text] == [agent.user.mobile]

    # before the head start ends, the job leaves it alone
    assert (
        request_services.insurance_requests_release_preferred(now=request.preferred_until - dt.timedelta(minutes=1))
        == 0
    )
    assert Delivery.objects.filter(request=request).count() == 1

    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        released = request_services.insurance_requests_release_preferred(
            now=request.preferred_until + dt.timedelta(seconds=1)
        )

    assert released == 1
    delivered = set(Delivery.objects.filter(request=request).values_list("agent_id", flat=True))
    assert delivered == {agent.pk, colleague.pk, other.pk}
    assert sorted(message.to for message in sms_outbox) == sorted([colleague.user.mobile, other.user.mobile])
    assert Notification.objects.filter(user=agent.user, url=f"/agent/leads/{request.pk}/").count() == 1
    # a second run finds nothing to release
    assert request_services.insurance_requests_release_preferred(now=timezone.now() + dt.timedelta(days=2)) == 0


def test_the_frequent_expiry_job_releases_ended_head_starts(agent, customer):
    """issue 14 point 6: the beat task that runs every 15 minutes ends the head start."""
    colleague, _other = rival_agents(agent)
    policy = ending_policy(agent, customer)
    page = browser(customer)
    page.post(
        f"/policies/{policy.pk}/renewal-request/", form_as_shown(page.get(f"/policies/{policy.pk}/renewal-request/"))
    )
    request = InsuranceRequest.objects.get(preferred_agent=agent)
    InsuranceRequest.objects.filter(pk=request.pk).update(preferred_until=timezone.now() - dt.timedelta(minutes=1))

    expire_stale_requests.apply().get()

    assert Delivery.objects.filter(request=request, agent=colleague).exists()


@override_settings(RENEWAL_HEAD_START_HOURS=2)
def test_the_head_start_is_a_setting(agent, customer):
    """issue 14 point 6: RENEWAL_HEAD_START_HOURS (env) sets the head start."""
    policy = ending_policy(agent, customer)
    page = browser(customer)
    before = timezone.now()
    page.post(
        f"/policies/{policy.pk}/renewal-request/", form_as_shown(page.get(f"/policies/{policy.pk}/renewal-request/"))
    )

    request = InsuranceRequest.objects.get(preferred_agent=agent)
    assert dt.timedelta(hours=1, minutes=59) < request.preferred_until - before <= dt.timedelta(hours=2, seconds=5)


def test_an_issuing_agent_who_is_no_longer_active_means_everyone_at_once(agent, customer):
    """issue 14 point 6: the preferred agent's gateway closed: no head start."""
    colleague, _other = rival_agents(agent)
    policy = ending_policy(agent, customer)
    page = browser(customer)
    data = form_as_shown(page.get(f"/policies/{policy.pk}/renewal-request/"))
    Subscription.objects.filter(agent=agent).update(ends_on=today() - days(1))

    page.post(f"/policies/{policy.pk}/renewal-request/", data)

    request = InsuranceRequest.objects.get(preferred_agent=agent)
    assert request.preferred_until is None
    assert set(Delivery.objects.filter(request=request).values_list("agent_id", flat=True)) == {colleague.pk}


def test_a_request_without_the_policys_insurer_has_no_preferred_agent(agent, customer):
    """issue 14 point 6: the head start is for the issuing agent's insurer only."""
    _colleague, other = rival_agents(agent)
    policy = ending_policy(agent, customer)
    page = browser(customer)
    data = form_as_shown(page.get(f"/policies/{policy.pk}/renewal-request/"))
    data["insurers"] = [other.insurer.code]

    page.post(f"/policies/{policy.pk}/renewal-request/", data)

    request = InsuranceRequest.objects.get(customer=customer, status="open")
    assert request.preferred_agent is None and request.preferred_until is None
    assert list(Delivery.objects.filter(request=request).values_list("agent_id", flat=True)) == [other.pk]


# --- the no-claim years --------------------------------------------------------------------


@pytest.mark.rule("R-103")
def test_third_party_without_a_claim_earns_one_more_no_claim_year(agent, customer):
    """issue 14 point 6 [004]: a year without a paid claim earns the next year's discount."""
    policy = ending_policy(agent, customer)

    assert renewal_params(policy)["no_claim_years"] == 5
    assert (renewal_params(policy)["property_claims"], renewal_params(policy)["bodily_claims"]) == (0, 0)


@pytest.mark.rule("R-103")
def test_third_party_with_a_paid_claim_keeps_its_years_and_states_the_claims(agent, customer):
    """issue 14 point 6 [004]: no year earned; the claims go to the quote, whose steps cut the
    discount (R-083)."""
    policy = ending_policy(agent, customer)
    paid_claim(policy, "property")
    paid_claim(policy, "bodily")
    Claim.objects.create(
        policy=policy,
        customer=customer,
        status=Claim.Status.REJECTED,
        cause="property",
        occurred_on=today(),
        description="رد شد",
        estimated_loss=1,
    )

    params = renewal_params(policy)

    assert params["no_claim_years"] == 4
    assert (params["property_claims"], params["bodily_claims"]) == (1, 1)


@pytest.mark.rule("R-104")
def test_body_without_a_claim_earns_one_more_year_and_with_one_loses_the_discount(agent, customer):
    """issue 14 point 6 [003]: body's no-claim years +1 without a claim, back to 0 with one."""
    params = {"car_value": 8_000_000_000, "build_year": solar_year(today()) - 3, "no_claim_years": 2}
    clean = ending_policy(agent, customer, line="body", params=params, ends_in=20)
    claimed = ending_policy(agent, customer, line="body", params=params, ends_in=20)
    paid_claim(claimed, "partial")

    assert renewal_params(clean)["no_claim_years"] == 3
    assert renewal_params(claimed)["no_claim_years"] == 0


def test_the_years_stop_at_the_inputs_maximum(agent, customer):
    """issue 14 point 6: the count never passes what the quote accepts."""
    policy = ending_policy(agent, customer, params={**THIRD_PARTY, "no_claim_years": 60})

    assert renewal_params(policy)["no_claim_years"] == 60


def test_the_renewal_service_refuses_a_policy_of_another_customer(agent, customer):
    """issue 15 point 6: the marketplace no longer looks the policy up (policies sits above it);
    it takes the policy its caller found and still refuses someone else's, as not found."""
    from core.exceptions import NotFoundError
    from tests.factories import UserFactory

    policy = ending_policy(agent, customer)
    stranger = UserFactory()

    with pytest.raises(NotFoundError):
        request_services.insurance_request_renewal_submit(
            customer=stranger,
            policy=policy,
            insurer_codes=[agent.insurer.code],
            params=THIRD_PARTY,
            province=None,
            city="تهران",
        )
    assert not InsuranceRequest.objects.filter(customer=stranger).exists()
