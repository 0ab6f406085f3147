"""Inspections (بازدید) and the recommendations they leave."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, ConflictError, NotFoundError
from core.services import audit_record
from policies import selectors
from policies.models import (
    Endorsement,
    Inspection,
    Policy,
    Recommendation,
)
from policies.services.common import _locked, _require_open, require_issuer_or_staff


def inspection_record(
    *,
    user,
    policy: Policy,
    kind: str,
    inspected_on: dt.date,
    inspector: str,
    report: str,
    recommendations: list[str] | None = None,
    complied: list[int] | None = None,
    reason: str = Inspection.Reason.ISSUE,
    endorsement: Endorsement | int | None = None,
    site: str = Inspection.Site.CURRENT,
    site_address: str = "",
) -> Inspection:
    """An inspection report: the initial one lists safety recommendations; a secondary visit
    confirms which were complied with [001].

    Only a secondary inspection confirms recommendations (`complied`), and only ones an
    earlier visit made: the insured's word alone does not lift them before issue. An
    inspection for an endorsement (`endorsement`, its number on the policy) puts the
    covers that waited for it (pipe burst, rain and snow, theft, …) on the policy [001].
    Everything is checked before the first row is written.
    """
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        if kind not in Inspection.Kind.values:
            raise ApplicationError(_("نوع بازدید نامعتبر است."), field="kind")
        if kind == Inspection.Kind.SECONDARY and not policy.inspections.filter(kind=Inspection.Kind.INITIAL).exists():
            raise ApplicationError(_("بازدید ثانویه پس از بازدید اولیه ثبت می‌شود."), field="kind")
        if inspected_on > timezone.localdate():
            raise ApplicationError(_("تاریخ بازدید نمی‌تواند در آینده باشد."), field="inspected_on")
        complied = sorted(set(complied or []))
        to_confirm = _recommendations_to_confirm(policy=policy, kind=kind, inspected_on=inspected_on, ids=complied)
        endorsement = _endorsement_for_inspection(policy=policy, endorsement=endorsement)
        if endorsement is not None:
            reason = Inspection.Reason.ENDORSEMENT
        site_address = (site_address or "").strip()
        if site not in Inspection.Site.values:
            raise ApplicationError(_("محل بازدید نامعتبر است."), field="site")
        if site == Inspection.Site.NEW:
            # A visit of the site an address change moves to, before that endorsement [004].
            if endorsement is not None:
                raise ApplicationError(
                    _("بازدید محل جدید پیش از صدور الحاقی تغییر نشانی ثبت می‌شود."), field="endorsement"
                )
            if not site_address:
                raise ApplicationError(_("نشانی محل جدید را بنویسید."), field="site_address")
            reason = Inspection.Reason.ENDORSEMENT
        inspection = Inspection.objects.create(
            policy=policy,
            endorsement=endorsement,
            kind=kind,
            reason=reason,
            inspected_on=inspected_on,
            inspector=inspector.strip(),
            report=report.strip(),
            site=site,
            site_address=site_address[:300],
            created_by=user,
        )
        texts = [text.strip() for text in (recommendations or []) if text and text.strip()]
        Recommendation.objects.bulk_create(Recommendation(inspection=inspection, text=text[:300]) for text in texts)
        if to_confirm:
            now = timezone.now()
            for recommendation in to_confirm:
                recommendation.verified_by_inspection = inspection
                if recommendation.complied_at is None:
                    recommendation.complied_at = now
                    recommendation.complied_by = user
            Recommendation.objects.bulk_update(to_confirm, ["verified_by_inspection", "complied_at", "complied_by"])
        activated = _activate_inspected_covers(policy=policy, endorsement=endorsement)
        audit_record(
            actor=user,
            action="policy.inspection",
            target=policy,
            data={
                "inspection": inspection.pk,
                "kind": kind,
                "recommendations": len(texts),
                "complied": complied,
                "endorsement": endorsement.number if endorsement else None,
                "covers_in_force": activated,
            },
        )
    return inspection


def _recommendations_to_confirm(*, policy: Policy, kind: str, inspected_on: dt.date, ids: list[int]):
    """The recommendations a secondary inspection confirms; refused when any cannot be [001]."""
    if not ids:
        return []
    if kind != Inspection.Kind.SECONDARY:
        raise ApplicationError(
            _("رعایت توصیه‌های ایمنی را فقط بازدید ثانویه تأیید می‌کند؛ نوع بازدید را «بازدید ثانویه» بگذارید."),
            field="complied",
        )
    found = list(
        selectors.open_recommendations(policy).select_for_update().filter(pk__in=ids).select_related("inspection")
    )
    if len(found) != len(ids):
        raise ApplicationError(_("برخی توصیه‌ها پیدا نشدند یا پیش‌تر تأیید شده‌اند."), field="complied")
    if any(row.inspection.inspected_on > inspected_on for row in found):
        raise ApplicationError(
            _("بازدید ثانویه نمی‌تواند پیش از بازدیدی باشد که توصیه را داده است."), field="inspected_on"
        )
    return found


def _endorsement_for_inspection(*, policy: Policy, endorsement) -> Endorsement | None:
    if endorsement is None or endorsement == "":
        return None
    if isinstance(endorsement, Endorsement):
        found = endorsement if endorsement.policy_id == policy.pk else None
    else:
        found = policy.endorsements.filter(number=endorsement).first()
    if found is None:
        raise ApplicationError(_("این الحاقی در این بیمه‌نامه نیست."), field="endorsement")
    return found


def _activate_inspected_covers(*, policy: Policy, endorsement: Endorsement | None) -> list[str]:
    """The endorsement's covers that waited for this inspection go on the policy now [001]."""
    if endorsement is None:
        return []
    waiting = selectors.endorsement_added_reinspection_covers(endorsement)
    added = sorted(waiting - set(policy.covers))
    if added:
        policy.covers = sorted(set(policy.covers) | waiting)
        policy.save(update_fields=["covers", "updated_at"])
    return added


def recommendation_comply(*, user, policy: Policy, recommendation_id: int) -> Recommendation:
    """Note that the insured says one safety recommendation is met.

    The note does not lift it: the policy is issued only once a secondary inspection has
    confirmed it (`inspection_record` with `complied`) [001].
    """
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        recommendation = (
            Recommendation.objects.select_for_update().filter(pk=recommendation_id, inspection__policy=policy).first()
        )
        if recommendation is None:
            raise NotFoundError(_("توصیه ایمنی پیدا نشد."))
        if recommendation.complied_at is not None:
            raise ConflictError(_("این توصیه پیش‌تر رعایت‌شده ثبت شده است."), code="already_complied")
        recommendation.complied_at = timezone.now()
        recommendation.complied_by = user
        recommendation.save(update_fields=["complied_at", "complied_by"])
        audit_record(actor=user, action="policy.recommendation_comply", target=policy, data={"id": recommendation.pk})
    return recommendation
