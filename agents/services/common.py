"""What agent writes share: the row lock, the agent's notices and the payment refusal."""

from django.utils.translation import gettext as _
from rest_framework import status as http_status

from agents.models import (
    Agent,
)
from core.exceptions import ApplicationError, ConflictError


class PaymentUnavailableError(ApplicationError):
    status_code = http_status.HTTP_503_SERVICE_UNAVAILABLE
    code = "gateway_unavailable"


def _agency_code_taken_error():
    return ConflictError(
        _(
            "این کد نمایندگی برای این بیمه‌گر قبلاً در بیمه مال ثبت شده است. "
            "اگر کد متعلق به شماست با پشتیبانی تماس بگیرید."
        ),
        field="agency_code",
        code="agency_code_taken",
    )


def _locked(agent: Agent) -> Agent:
    """Re-read the agent under a row lock: the status read below decides the write."""
    return Agent.objects.select_for_update().select_related("user", "insurer", "province").get(pk=agent.pk)
