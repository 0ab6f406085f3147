import datetime as dt

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from agents.models import Agent, TermsAcceptance
from agents.selectors import plan_by_code, terms_current
from insurers.models import Insurer, Province
from tests.agents.images import png_bytes
from tests.factories import UserFactory


class AgentFactory(factory.django.DjangoModelFactory):
    """An agent at the first stage; the traits move it along the onboarding."""

    class Meta:
        model = Agent
        skip_postgeneration_save = True

    class Params:
        terms_accepted = factory.Trait(status=Agent.Status.PENDING_DOCUMENTS)
        documents_sent = factory.Trait(
            status=Agent.Status.PENDING_VERIFICATION,
            licence_number="LIC-12345",
            licence_expires_on=factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365)),
            licence_file=factory.LazyFunction(lambda: ContentFile(png_bytes(), name="licence.png")),
            licence_content_type="image/png",
            licence_uploaded_at=factory.LazyFunction(timezone.now),
        )
        verified = factory.Trait(
            status=Agent.Status.VERIFIED,
            licence_number="LIC-12345",
            licence_expires_on=factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365)),
            licence_file=factory.LazyFunction(lambda: ContentFile(png_bytes(), name="licence.png")),
            licence_content_type="image/png",
            licence_uploaded_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )

    user = factory.SubFactory(UserFactory)
    insurer = factory.LazyFunction(lambda: Insurer.objects.get(code="iran"))
    agency_code = factory.Sequence(lambda n: f"{1000 + n}")
    agency_name = factory.Sequence(lambda n: f"نمایندگی شماره {n}")
    province = factory.LazyFunction(lambda: Province.objects.get(code="tehran"))
    city = "تهران"
    postal_address = "خیابان ولیعصر، پلاک ۱۰"
    postal_code = "1234567890"
    office_phone = "02188776655"

    @factory.post_generation
    def accept_terms(obj, create, extracted, **kwargs):
        """Every agent past the terms stage has accepted the current version."""
        if not create or obj.status == Agent.Status.PENDING_TERMS:
            return
        plan = plan_by_code("monthly")
        obj.chosen_plan = plan
        obj.save(update_fields=["chosen_plan"])
        TermsAcceptance.objects.create(agent=obj, terms=terms_current(), plan=plan, ip="127.0.0.1")
