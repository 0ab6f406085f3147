"""Inspections [001]: where the initial inspection made safety recommendations, a secondary
inspection confirms them before the policy is issued; the insured's word is not enough."""

import pytest
from django.test import Client

from core.exceptions import ApplicationError, ConflictError
from core.jalali import format_jalali
from policies import services
from policies.models import Inspection, Policy, Recommendation
from tests.policies.helpers import days, record, today

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pending_with_recommendation(agent, customer, *, inspected_on=None):
    """A fire policy waiting for issue whose initial inspection made one recommendation."""
    policy = record(agent, customer, covers=["pipe_burst"])
    assert policy.status == Policy.Status.PENDING_ISSUE
    inspection = services.inspection_record(
        user=agent.user,
        policy=policy,
        kind=Inspection.Kind.INITIAL,
        inspected_on=inspected_on or today(),
        inspector="کارشناس",
        report="بازدید اولیه",
        recommendations=["نصب شیر قطع‌کن اصلی"],
    )
    return policy, inspection.recommendations.get()


def secondary(agent, policy, complied, *, on=None, kind=Inspection.Kind.SECONDARY):
    return services.inspection_record(
        user=agent.user,
        policy=policy,
        kind=kind,
        inspected_on=on or today(),
        inspector="کارشناس",
        report="کنترل رعایت توصیه‌ها",
        complied=complied,
    )


@pytest.mark.rule("R-240")
class TestSecondInspectionBeforeIssue:
    def test_the_insureds_word_alone_does_not_issue_the_policy(self, agent, customer):
        policy, recommendation = pending_with_recommendation(agent, customer)
        services.recommendation_comply(user=agent.user, policy=policy, recommendation_id=recommendation.pk)

        with pytest.raises(ConflictError) as refused:
            services.policy_mark_issued(user=agent.user, policy=policy)

        assert "بازدید ثانویه" in refused.value.message
        policy.refresh_from_db()
        assert policy.status == Policy.Status.PENDING_ISSUE

    def test_a_secondary_inspection_confirming_the_recommendation_lets_the_policy_issue(self, agent, customer):
        policy, recommendation = pending_with_recommendation(agent, customer)

        confirming = secondary(agent, policy, [recommendation.pk])
        services.policy_mark_issued(user=agent.user, policy=policy)

        recommendation.refresh_from_db()
        assert recommendation.verified_by_inspection == confirming
        policy.refresh_from_db()
        assert policy.status == Policy.Status.ISSUED

    def test_an_initial_inspection_cannot_confirm_recommendations_and_leaves_no_row(self, agent, customer):
        policy, recommendation = pending_with_recommendation(agent, customer)

        with pytest.raises(ApplicationError) as refused:
            secondary(agent, policy, [recommendation.pk], kind=Inspection.Kind.INITIAL)

        assert refused.value.field == "complied"
        assert "بازدید ثانویه" in refused.value.message
        assert policy.inspections.count() == 1
        recommendation.refresh_from_db()
        assert recommendation.verified_by_inspection is None

    def test_a_secondary_inspection_dated_before_the_recommendation_is_refused(self, agent, customer):
        policy, recommendation = pending_with_recommendation(agent, customer, inspected_on=today() - days(3))

        with pytest.raises(ApplicationError) as refused:
            secondary(agent, policy, [recommendation.pk], on=today() - days(5))

        assert refused.value.field == "inspected_on"
        assert policy.inspections.count() == 1

    def test_a_recommendation_is_confirmed_once(self, agent, customer):
        policy, recommendation = pending_with_recommendation(agent, customer)
        secondary(agent, policy, [recommendation.pk])

        with pytest.raises(ApplicationError) as refused:
            secondary(agent, policy, [recommendation.pk])

        assert refused.value.field == "complied"
        assert policy.inspections.count() == 2

    def test_through_the_api_issue_waits_for_the_secondary_inspection(self, agent, agent_api, customer):
        policy, recommendation = pending_with_recommendation(agent, customer)
        url = f"/api/v1/policies/{policy.pk}"
        agent_api.post(f"{url}/recommendations/{recommendation.pk}/comply/")

        refused = agent_api.post(f"{url}/issue/")
        assert refused.status_code == 409
        assert "بازدید ثانویه" in str(refused.data)

        wrong_kind = agent_api.post(
            f"{url}/inspections/",
            {
                "kind": "initial",
                "inspected_on": today().isoformat(),
                "inspector": "کارشناس",
                "report": "گزارش",
                "complied": [recommendation.pk],
            },
            format="json",
        )
        assert wrong_kind.status_code == 400
        assert "complied" in wrong_kind.data
        assert policy.inspections.count() == 1

        confirmed = agent_api.post(
            f"{url}/inspections/",
            {
                "kind": "secondary",
                "inspected_on": today().isoformat(),
                "inspector": "کارشناس",
                "report": "رعایت شد",
                "complied": [recommendation.pk],
            },
            format="json",
        )
        assert confirmed.status_code == 201
        issued = agent_api.post(f"{url}/issue/")
        assert issued.status_code == 200
        assert issued.data["status"] == "issued"

    def test_on_the_page_the_refusal_is_on_the_field_with_the_typed_values_kept(self, agent, customer):
        policy, recommendation = pending_with_recommendation(agent, customer)
        page = browser(agent.user)

        response = page.post(
            f"/policies/{policy.pk}/inspections/new/",
            {
                "kind": "initial",
                "reason": "issue",
                "inspected_on": format_jalali(today()),
                "inspector": "مهندس رضایی",
                "report": "گزارش دوم",
                "complied": [recommendation.pk],
            },
        )

        assert response.status_code == 200
        form = response.context["form"]
        assert "بازدید ثانویه" in " ".join(form.errors["complied"])
        assert form["inspector"].value() == "مهندس رضایی"
        assert Recommendation.objects.get().verified_by_inspection is None
        assert policy.inspections.count() == 1

    def test_the_page_shows_why_the_policy_is_not_issued(self, agent, customer):
        policy, recommendation = pending_with_recommendation(agent, customer)
        page = browser(agent.user)
        page.post(f"/policies/{policy.pk}/recommendations/{recommendation.pk}/comply/")

        response = page.post(f"/policies/{policy.pk}/issue/", follow=True)

        assert "بازدید ثانویه" in response.content.decode()
        policy.refresh_from_db()
        assert policy.status == Policy.Status.PENDING_ISSUE
