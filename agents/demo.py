"""Demo agents for `make run` (idempotent, found by mobile):

- 09123333331: an agent of Asia in Tehran with an open gateway (verified, trial running);
- 09123333332: an agent of Dana waiting in the staff verification queue, licence attached.
Both sign in by SMS code (printed on the console).
"""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from accounts.models import User
from agents.models import Agent, Subscription, TermsAcceptance
from agents.selectors import plan_by_code, terms_current
from insurers.models import Insurer, Province

ACTIVE_MOBILE = "09123333331"
PENDING_MOBILE = "09123333332"


def _licence_png() -> bytes:
    image = Image.new("RGB", (640, 400), (235, 240, 250))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _agent(mobile, first_name, insurer, agency_code, status):
    today = timezone.localdate()
    user, _ = User.objects.get_or_create(
        mobile=mobile,
        defaults={"first_name": first_name, "last_name": "نماینده نمونه", "mobile_verified_at": timezone.now()},
    )
    agent, created = Agent.objects.get_or_create(
        user=user,
        defaults={
            "insurer": Insurer.objects.get(code=insurer),
            "agency_code": agency_code,
            "agency_name": f"نمایندگی {first_name}",
            "province": Province.objects.get(code="tehran"),
            "city": "تهران",
            "postal_address": "تهران، خیابان ولیعصر، پلاک ۱۰۰",
            "postal_code": "1415613111",
            "office_phone": "02188776655",
            "status": status,
            "licence_number": f"L-{agency_code}",
            "licence_expires_on": today + dt.timedelta(days=365),
            "chosen_plan": plan_by_code("monthly"),
            "licence_uploaded_at": timezone.now(),
            "licence_content_type": "image/png",
        },
    )
    if created:
        agent.licence_file.save("licence.png", ContentFile(_licence_png()), save=True)
        TermsAcceptance.objects.create(agent=agent, terms=terms_current(), plan=agent.chosen_plan, ip="127.0.0.1")
    return agent, created


@transaction.atomic
def load(stdout):
    today = timezone.localdate()
    active, created = _agent(ACTIVE_MOBILE, "سینا", "asia", "7001", Agent.Status.VERIFIED)
    if created:
        Agent.objects.filter(pk=active.pk).update(decided_at=timezone.now())
        Subscription.objects.create(
            agent=active, kind=Subscription.Kind.TRIAL, starts_on=today, ends_on=today + dt.timedelta(days=6)
        )
    _agent(PENDING_MOBILE, "نیما", "dana", "7002", Agent.Status.PENDING_VERIFICATION)
    stdout.write(
        f"Demo agents: {ACTIVE_MOBILE} (Asia, gateway open), {PENDING_MOBILE} (Dana, waiting for verification)."
    )
