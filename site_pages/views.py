"""The site's own pages. Read-only: each renders a template with what it needs to show."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from agents import conf as agents_conf
from agents.selectors import agent_for_user, onboarding_next_step, plan_list
from core.page_cache import anonymous_page_cache, tehran_date
from insurers.cache import VERSION_KEY as REFERENCE_VERSION
from insurers.selectors import insurer_list, line_list
from pricing.snapshots import VERSION_KEY as TARIFF_VERSION
from site_pages import faq as faq_data
from site_pages.support import SUPPORT_CLOSED, SUPPORT_HOURS


@anonymous_page_cache(key_parts=(tehran_date,), versions=(TARIFF_VERSION, REFERENCE_VERSION))
def home(request):
    return render(request, "home.html", {"lines": line_list()})


def faq(request):
    context = {
        "page_title": faq_data.PAGE_TITLE,
        "page_lead": faq_data.PAGE_LEAD,
        "section_title": faq_data.SECTION_TITLE,
        "section_lead": faq_data.SECTION_LEAD,
        "groups": faq_data.GROUPS,
    }
    return render(request, "site_pages/faq.html", context)


def about(request):
    return render(request, "site_pages/about.html", {"lines": line_list(), "insurers": insurer_list()})


def contact(request):
    return render(
        request, "site_pages/contact.html", {"support_hours": SUPPORT_HOURS, "support_closed": SUPPORT_CLOSED}
    )


def terms(request):
    return render(request, "site_pages/terms.html", {"support_hours": SUPPORT_HOURS, "support_closed": SUPPORT_CLOSED})


def privacy(request):
    return render(request, "site_pages/privacy.html")


def for_agents(request):
    """What the marketplace offers an agent, the plans and their prices, and the way in.

    The sign-up button carries `next` (this page, or the local page that linked here) through
    the sign-in code and the agent's initial form, so the agent comes back where they were.
    """
    agent = agent_for_user(request.user)
    coming_from = _local_next(request)
    sign_up_next = coming_from or request.path
    context = {
        "agent": agent,
        "next_step": onboarding_next_step(agent) if agent is not None else None,
        "plans": plan_list(),
        "trial_days": agents_conf.trial_days(),
        "lines": line_list(),
        "insurers": insurer_list(),
        "sign_up_url": f"{reverse('agents:register')}?{urlencode({'next': sign_up_next}, safe='/')}",
        "coming_from": coming_from,
    }
    return render(request, "site_pages/for_agents.html", context)


def _local_next(request) -> str:
    """The `next` of the query when it is a URL of this site; anything else is dropped."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
