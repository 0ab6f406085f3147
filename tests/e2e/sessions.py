from django.conf import settings
from django.test import Client


def signed_in_page(browser, live_server, user, width=1280):
    """A new browser context already signed in as `user` (the sign-in itself has its own journey)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context, context.new_page()
