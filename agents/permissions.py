"""The gate for every lead endpoint and page: `gateway_active` and nothing else.

The marketplace issue will put `HasActiveGateway` on its lead APIs and
`gateway_required` on its lead pages, so the rule lives only in
`agents.selectors.agents_gateway_active`.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from agents.selectors import agent_with_gateway_active

GATEWAY_CLOSED = gettext_lazy(
    "درگاه ارتباطی شما فعال نیست؛ تأیید مدارک، اشتراک فعال، پروانه معتبر و پذیرش مقررات لازم است."
)


class HasActiveGateway(BasePermission):
    """403 (API.md: "An agent whose gateway is not active gets 403 on lead endpoints")."""

    message = GATEWAY_CLOSED

    def has_permission(self, request, view):
        agent = agent_with_gateway_active(request.user)
        if agent is None:
            return False
        request.agent = agent
        return True


def gateway_required(view):
    """For lead pages: agents whose gateway is closed go to their dashboard, which says why."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        agent = agent_with_gateway_active(request.user)
        if agent is None:
            messages.warning(request, GATEWAY_CLOSED)
            return redirect("agents:dashboard")
        request.agent = agent
        return view(request, *args, **kwargs)

    return wrapper
