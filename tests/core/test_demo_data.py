import io

import pytest
from django.core.management import call_command

from accounts.models import User
from agents.selectors import agent_for_user, gateway_active
from insurance_requests.models import Delivery, InsuranceRequest

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates_and_the_marketplace_works(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())
    counts = (User.objects.count(), InsuranceRequest.objects.count(), Delivery.objects.count())
    call_command("load_demo_data", stdout=io.StringIO())
    assert (User.objects.count(), InsuranceRequest.objects.count(), Delivery.objects.count()) == counts
    assert User.objects.get(mobile="09120000000").is_staff
    asia_agent = agent_for_user(User.objects.get(mobile="09123333331"))
    assert gateway_active(asia_agent)
    assert Delivery.objects.filter(agent=asia_agent).exists()


def test_demo_data_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_data", stdout=io.StringIO())
