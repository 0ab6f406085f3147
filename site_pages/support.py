"""How and when support answers: one place, shown on the contact and terms pages."""

# Office hours of support, Tehran time. Tickets can be sent at any hour; they are answered
# in these hours.
SUPPORT_HOURS = (
    ("شنبه تا چهارشنبه", "۹ تا ۱۷"),
    ("پنجشنبه", "۹ تا ۱۳"),
)
SUPPORT_CLOSED = "جمعه‌ها و تعطیلات رسمی"
