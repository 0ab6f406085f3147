"""Endorsements [001][004]: covers added that need a new inspection wait for it; an address
change needs inspections of both sites; an additional premium may be paid in instalments."""

import pytest
from django.test import Client

from claims import services as claim_services
from core.exceptions import ApplicationError
from core.jalali import format_jalali
from policies import selectors, services
from policies.models import Endorsement, Inspection, Installment
from tests.policies.helpers import days, record, today

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fire_policy(agent, customer, **kwargs):
    """An issued, paid residential fire policy that started ten days ago."""
    kwargs.setdefault("issued_on", today() - days(10))
    return record(agent, customer, **kwargs)


def add_covers(agent, policy, covers, *, effective_on=None, **kwargs):
    return services.endorsement_issue(
        user=agent.user,
        policy=policy,
        kind=Endorsement.Kind.ADDITIONAL,
        changes={"covers": covers},
        premium_delta=500_000,
        effective_on=effective_on or today(),
        **kwargs,
    )


def inspect_for(agent, policy, endorsement, *, on=None):
    return services.inspection_record(
        user=agent.user,
        policy=policy,
        kind=Inspection.Kind.INITIAL,
        inspected_on=on or today(),
        inspector="کارشناس",
        report="بازدید مجدد برای پوشش الحاقی",
        endorsement=endorsement.number,
    )


# --- covers added by endorsement that need a new inspection --------------------------


@pytest.mark.rule("R-241")
class TestAddedCoversWaitForTheInspection:
    def test_theft_added_by_endorsement_is_not_in_force_before_the_inspection(self, agent, customer):
        policy = fire_policy(agent, customer)

        endorsement = add_covers(agent, policy, ["theft"])

        policy.refresh_from_db()
        assert "theft" not in policy.covers
        assert "theft" not in selectors.covers_in_force(policy, today())
        assert selectors.endorsement_pending_covers(endorsement) == {"theft"}

    def test_the_cover_is_in_force_from_the_day_of_the_inspection(self, agent, customer):
        policy = fire_policy(agent, customer)
        endorsement = add_covers(agent, policy, ["pipe_burst"], effective_on=today() - days(5))

        inspect_for(agent, policy, endorsement, on=today() - days(2))

        policy.refresh_from_db()
        assert "pipe_burst" in policy.covers
        assert "pipe_burst" not in selectors.covers_in_force(policy, today() - days(3))
        assert "pipe_burst" in selectors.covers_in_force(policy, today() - days(2))
        assert selectors.endorsement_pending_covers(endorsement) == frozenset()

    @pytest.mark.parametrize("cover", ["rain_snow", "theft", "landslide", "well_collapse", "avalanche", "pipe_burst"])
    def test_each_listed_cover_waits(self, agent, customer, cover):
        policy = fire_policy(agent, customer)

        endorsement = add_covers(agent, policy, [cover])

        assert endorsement.needs_inspection
        assert cover not in selectors.covers_in_force(policy, today())

    def test_a_cover_outside_the_list_works_at_once(self, agent, customer):
        policy = fire_policy(agent, customer)

        endorsement = add_covers(agent, policy, ["earthquake"])

        assert not endorsement.needs_inspection
        assert "earthquake" in selectors.covers_in_force(policy, today())

    def test_a_claim_for_an_additional_risk_before_the_inspection_is_refused(self, agent, customer):
        policy = fire_policy(agent, customer)
        endorsement = add_covers(agent, policy, ["theft"], effective_on=today() - days(5))
        inspect_for(agent, policy, endorsement, on=today() - days(1))

        with pytest.raises(ApplicationError) as refused:
            claim_services.claim_file(
                user=customer,
                policy=policy,
                cause="additional_risk",
                occurred_on=today() - days(3),
                description="سرقت از منزل",
                estimated_loss=10_000_000,
            )

        assert refused.value.field == "cause"
        assert not policy.claims.exists()
        claim = claim_services.claim_file(
            user=customer,
            policy=policy,
            cause="additional_risk",
            occurred_on=today(),
            description="سرقت از منزل",
            estimated_loss=10_000_000,
        )
        assert claim.pk

    def test_through_the_api_the_cover_waits_then_the_inspection_brings_it_in(self, agent, agent_api, customer):
        policy = fire_policy(agent, customer)
        url = f"/api/v1/policies/{policy.pk}"

        issued = agent_api.post(
            f"{url}/endorsements/",
            {"kind": "additional", "changes": {"covers": ["theft"]}, "premium_delta": 500_000},
            format="json",
        )
        assert issued.status_code == 201
        assert issued.data["pending_covers"] == ["theft"]
        assert "theft" not in agent_api.get(f"{url}/").data["covers"]

        wrong = agent_api.post(
            f"{url}/inspections/",
            {
                "kind": "initial",
                "inspected_on": today().isoformat(),
                "inspector": "کارشناس",
                "report": "بازدید",
                "endorsement": 9,
            },
            format="json",
        )
        assert wrong.status_code == 400
        assert "endorsement" in wrong.data
        assert not policy.inspections.exists()

        inspected = agent_api.post(
            f"{url}/inspections/",
            {
                "kind": "initial",
                "inspected_on": today().isoformat(),
                "inspector": "کارشناس",
                "report": "بازدید",
                "endorsement": issued.data["number"],
            },
            format="json",
        )
        assert inspected.status_code == 201
        detail = agent_api.get(f"{url}/").data
        assert "theft" in detail["covers"]
        assert detail["endorsements"][0]["pending_covers"] == []

    def test_the_pages_say_the_cover_waits_then_record_the_inspection(self, agent, customer):
        policy = fire_policy(agent, customer)
        page = browser(agent.user)
        form = {"kind": "additional", "change_covers": "on", "covers": ["theft"], "premium_delta": "500000"}

        preview = page.post(f"/policies/{policy.pk}/endorsements/new/", {**form, "preview": "1"})
        assert preview.context["preview"]["waiting_covers"] == ["theft"]
        assert "تا ثبت گزارش آن بازدید برقرار نمی‌شود" in preview.content.decode()
        page.post(f"/policies/{policy.pk}/endorsements/new/", {**form, "confirm": "1"})
        assert "در انتظار بازدید مجدد" in page.get(f"/policies/{policy.pk}/").content.decode()

        page.post(
            f"/policies/{policy.pk}/inspections/new/",
            {
                "kind": "initial",
                "reason": "endorsement",
                "inspected_on": format_jalali(today()),
                "inspector": "مهندس احمدی",
                "report": "محل دیده شد",
                "endorsement": "1",
            },
        )
        policy.refresh_from_db()
        assert "theft" in policy.covers


# --- an additional premium part in cash, the rest in instalments ----------------------


@pytest.mark.rule("R-243")
class TestAdditionalPremiumInInstalments:
    def test_the_additional_premium_is_split_into_a_down_payment_and_instalments(self, agent, customer):
        policy = fire_policy(agent, customer, sum_insured=500_000_000)

        endorsement = services.endorsement_issue(
            user=agent.user,
            policy=policy,
            kind=Endorsement.Kind.ADDITIONAL,
            changes={"sum_insured": 1_000_000_000},
            premium_delta=9_000_000,
            payment_plan="installments",
            installments_count=3,
        )

        rows = list(endorsement.installments.order_by("number"))
        assert len(rows) == 4
        assert sum(row.amount for row in rows) == 9_000_000
        assert rows[0].amount >= 2_700_000  # at least 30% down
        assert rows[0].due_on == endorsement.effective_on

    def test_the_same_instalment_rules_apply_and_a_refusal_leaves_nothing(self, agent, customer):
        policy = fire_policy(agent, customer, sum_insured=500_000_000)
        before = Installment.objects.count()

        with pytest.raises(ApplicationError) as refused:
            services.endorsement_issue(
                user=agent.user,
                policy=policy,
                kind=Endorsement.Kind.ADDITIONAL,
                changes={"sum_insured": 1_000_000_000},
                premium_delta=9_000_000,
                payment_plan="installments",
                installments=[
                    {"due_on": today(), "amount": 1_000_000},  # 11%: under the 30% down payment
                    {"due_on": today() + days(30), "amount": 8_000_000},
                ],
            )

        assert refused.value.field == "installments"
        assert "۳۰" in refused.value.message
        assert not Endorsement.objects.exists()
        assert Installment.objects.count() == before
        policy.refresh_from_db()
        assert policy.sum_insured == 500_000_000

    def test_instalments_cannot_run_past_the_end_of_the_policy(self, agent, customer):
        policy = fire_policy(agent, customer, issued_on=today() - days(300))

        with pytest.raises(ApplicationError) as refused:
            services.endorsement_issue(
                user=agent.user,
                policy=policy,
                kind=Endorsement.Kind.ADDITIONAL,
                changes={"sum_insured": 1_000_000_000},
                premium_delta=3_000_000,
                payment_plan="installments",
                installments_count=8,
            )

        assert refused.value.field == "installments_count"
        assert not Endorsement.objects.exists()

    def test_through_the_api(self, agent, agent_api, customer):
        policy = fire_policy(agent, customer, sum_insured=500_000_000)
        url = f"/api/v1/policies/{policy.pk}/endorsements/"

        refused = agent_api.post(
            url,
            {
                "kind": "additional",
                "changes": {"sum_insured": 1_000_000_000},
                "premium_delta": 9_000_000,
                "payment_plan": "installments",
                "installments": [
                    {"due_on": today().isoformat(), "amount": 1_000_000},
                    {"due_on": (today() + days(30)).isoformat(), "amount": 8_000_000},
                ],
            },
            format="json",
        )
        assert refused.status_code == 400
        assert "installments" in refused.data
        assert not Endorsement.objects.exists()

        accepted = agent_api.post(
            url,
            {
                "kind": "additional",
                "changes": {"sum_insured": 1_000_000_000},
                "premium_delta": 9_000_000,
                "payment_plan": "installments",
                "installments_count": 2,
            },
            format="json",
        )
        assert accepted.status_code == 201
        schedule = agent_api.get(f"/api/v1/policies/{policy.pk}/").data["installments"]
        rows = [row for row in schedule if row["endorsement"]]
        assert len(rows) == 3
        assert sum(row["amount"] for row in rows) == 9_000_000

    def test_on_the_page(self, agent, customer):
        policy = fire_policy(agent, customer, issued_on=today() - days(300))
        page = browser(agent.user)
        form = {
            "kind": "additional",
            "sum_insured": "1,000,000,000",
            "premium_delta": "3000000",
            "payment_plan": "installments",
            "installments_count": "8",
        }

        refused = page.post(f"/policies/{policy.pk}/endorsements/new/", {**form, "confirm": "1"})

        assert refused.status_code == 200
        errors = refused.context["form"].errors
        assert "پایان بیمه‌نامه" in " ".join(errors["installments_count"])
        assert refused.context["form"]["premium_delta"].value() == "3000000"
        assert not Endorsement.objects.exists()

        accepted = page.post(
            f"/policies/{policy.pk}/endorsements/new/", {**form, "installments_count": "1", "confirm": "1"}
        )
        assert accepted.status_code == 302
        assert Endorsement.objects.get().installments.count() == 2


# --- an address change after visits of the old and the new site ---------------------

NEW_ADDRESS = "اصفهان، خیابان چهارباغ، پلاک ۱۲"


def inspected_place(agent, customer):
    """A fire policy on a place that needs inspection (theft cover), issued after its visit."""
    policy = fire_policy(agent, customer, covers=["theft"])
    services.inspection_record(
        user=agent.user,
        policy=policy,
        kind=Inspection.Kind.INITIAL,
        inspected_on=today(),
        inspector="کارشناس",
        report="بازدید اولیه",
    )
    return services.policy_mark_issued(user=agent.user, policy=policy)


def visit_site(agent, policy, site, address=""):
    return services.inspection_record(
        user=agent.user,
        policy=policy,
        kind=Inspection.Kind.INITIAL,
        reason=Inspection.Reason.ENDORSEMENT,
        inspected_on=today(),
        inspector="کارشناس",
        report="بازدید برای تغییر نشانی",
        site=site,
        site_address=address,
    )


def move(agent, policy, address=NEW_ADDRESS):
    return services.endorsement_issue(
        user=agent.user,
        policy=policy,
        kind=Endorsement.Kind.NO_FINANCIAL_EFFECT,
        changes={"address": address},
        premium_delta=0,
    )


@pytest.mark.rule("R-242")
class TestAddressChangeAfterBothSitesAreInspected:
    def test_without_the_visits_the_address_change_is_refused_and_leaves_nothing(self, agent, customer):
        policy = inspected_place(agent, customer)
        visit_site(agent, policy, Inspection.Site.CURRENT)

        with pytest.raises(ApplicationError) as refused:
            move(agent, policy)

        assert refused.value.field == "address"
        assert "محل جدید" in refused.value.message
        assert not Endorsement.objects.exists()
        policy.refresh_from_db()
        assert "address" not in policy.params

    def test_the_old_site_must_be_seen_too(self, agent, customer):
        policy = inspected_place(agent, customer)
        visit_site(agent, policy, Inspection.Site.NEW, NEW_ADDRESS)

        with pytest.raises(ApplicationError) as refused:
            move(agent, policy)

        assert "محل فعلی" in refused.value.message
        assert not Endorsement.objects.exists()

    def test_the_new_address_is_the_one_inspected(self, agent, customer):
        policy = inspected_place(agent, customer)
        visit_site(agent, policy, Inspection.Site.CURRENT)
        visit_site(agent, policy, Inspection.Site.NEW, NEW_ADDRESS)

        with pytest.raises(ApplicationError) as refused:
            move(agent, policy, "شیراز، خیابان زند")

        assert refused.value.code == "address_not_inspected"
        assert not Endorsement.objects.exists()

    def test_after_both_visits_the_endorsement_moves_the_policy_and_takes_the_visits(self, agent, customer):
        policy = inspected_place(agent, customer)
        old = visit_site(agent, policy, Inspection.Site.CURRENT)
        new = visit_site(agent, policy, Inspection.Site.NEW, NEW_ADDRESS)

        # written by another hand: Arabic yeh, Latin digits, no comma
        endorsement = move(agent, policy, "اصفهان خيابان چهارباغ، پلاک 12")

        policy.refresh_from_db()
        assert policy.params["address"] == "اصفهان خيابان چهارباغ، پلاک 12"
        old.refresh_from_db()
        new.refresh_from_db()
        assert old.endorsement == endorsement and new.endorsement == endorsement
        # the visits are spent: the next move needs its own
        with pytest.raises(ApplicationError):
            move(agent, policy, "تهران، خیابان آزادی")

    def test_a_place_that_needs_no_inspection_moves_without_visits(self, agent, customer):
        policy = fire_policy(agent, customer)
        assert not policy.inspection_required

        move(agent, policy)

        policy.refresh_from_db()
        assert policy.params["address"] == NEW_ADDRESS

    def test_through_the_api(self, agent, agent_api, customer):
        policy = inspected_place(agent, customer)
        url = f"/api/v1/policies/{policy.pk}"
        change = {"kind": "no_financial_effect", "changes": {"address": NEW_ADDRESS}, "premium_delta": 0}

        refused = agent_api.post(f"{url}/endorsements/", change, format="json")
        assert refused.status_code == 400
        assert "address" in refused.data
        assert not Endorsement.objects.exists()

        for site, address in (("current", ""), ("new", NEW_ADDRESS)):
            visit = agent_api.post(
                f"{url}/inspections/",
                {
                    "kind": "initial",
                    "reason": "endorsement",
                    "inspected_on": today().isoformat(),
                    "inspector": "کارشناس",
                    "report": "بازدید",
                    "site": site,
                    "site_address": address,
                },
                format="json",
            )
            assert visit.status_code == 201, visit.data

        accepted = agent_api.post(f"{url}/endorsements/", change, format="json")
        assert accepted.status_code == 201, accepted.data
        assert agent_api.get(f"{url}/").data["params"]["address"] == NEW_ADDRESS

    def test_on_the_page_the_refusal_is_on_the_address_with_the_typed_values_kept(self, agent, customer):
        policy = inspected_place(agent, customer)
        page = browser(agent.user)

        response = page.post(
            f"/policies/{policy.pk}/endorsements/new/",
            {"kind": "no_financial_effect", "address": NEW_ADDRESS, "description": "جابه‌جایی", "preview": "1"},
        )

        assert response.status_code == 200
        form = response.context["form"]
        assert "محل قبلی و محل جدید" in " ".join(form.errors["address"])
        assert form["address"].value() == NEW_ADDRESS
        assert form["description"].value() == "جابه‌جایی"
        assert not Endorsement.objects.exists()

        page.post(
            f"/policies/{policy.pk}/inspections/new/",
            {
                "kind": "initial",
                "reason": "endorsement",
                "inspected_on": format_jalali(today()),
                "inspector": "مهندس احمدی",
                "report": "محل فعلی",
                "site": "current",
            },
        )
        page.post(
            f"/policies/{policy.pk}/inspections/new/",
            {
                "kind": "initial",
                "reason": "endorsement",
                "inspected_on": format_jalali(today()),
                "inspector": "مهندس احمدی",
                "report": "محل جدید",
                "site": "new",
                "site_address": NEW_ADDRESS,
            },
        )
        confirmed = page.post(
            f"/policies/{policy.pk}/endorsements/new/",
            {"kind": "no_financial_effect", "address": NEW_ADDRESS, "confirm": "1"},
        )
        assert confirmed.status_code == 302
        policy.refresh_from_db()
        assert policy.params["address"] == NEW_ADDRESS
