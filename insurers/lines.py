"""The lines of insurance (رشته‌های بیمه) by code: the one definition (issue 15 point 5).

Each member is the string stored in `InsuranceLine.code` and sent by the API
(`LineCode.THIRD_PARTY == "third_party"`), so the database and the API are unchanged.
New code writes `LineCode.FIRE`; the older modules keep their names (`rules.THIRD_PARTY`,
`InsuranceLine.BODY`, …) as plain-string aliases of these members, for their callers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LineCode(models.TextChoices):
    THIRD_PARTY = "third_party", _("شخص ثالث")
    BODY = "body", _("بدنه")
    FIRE = "fire", _("آتش‌سوزی")
    TRAVEL = "travel", _("مسافرتی")
    ELECTRONICS = "electronics", _("تجهیزات الکترونیک")
    OTHER = "other", _("سایر")


# The lines the quote engine prices (each has a tariff); "other" is recorded, never quoted.
QUOTABLE_LINES: tuple[str, ...] = (
    LineCode.THIRD_PARTY.value,
    LineCode.BODY.value,
    LineCode.FIRE.value,
    LineCode.TRAVEL.value,
    LineCode.ELECTRONICS.value,
)
