"""How and when support answers: one place, shown on the contact and terms pages."""

from django.utils.translation import gettext_lazy as _

# Office hours of support, Tehran time. Tickets can be sent at any hour; they are answered
# in these hours.
SUPPORT_HOURS = (
    (_("شنبه تا چهارشنبه"), _("۹ تا ۱۷")),
    (_("پنجشنبه"), _("۹ تا ۱۳")),
)
SUPPORT_CLOSED = _("جمعه‌ها و تعطیلات رسمی")
