"""Persian digits in every text of the admin's pages.

Field values go through core.admin_site, but the admin's own templates print numbers too:
result counts, pagination, "#3" of inline rows, ids in titles, linked objects' names
("DEMO-SAMAN-1"), mobile numbers. Rather than copy and edit a dozen of Django's templates,
this middleware rewrites the digits of the text between tags of an admin HTML page. Markup is
left alone (attributes, URLs, entities such as &#x27;), and so are <script>, <style> and
<textarea> (JSON data and what staff type), so forms post exactly what they did before.
"""

import re

from django.urls import reverse

from core.text import to_persian_digits

# A comment, a raw-text element with its content, or a tag.
_MARKUP = re.compile(
    r"(<!--.*?-->|<(script|style|textarea)\b[^>]*>.*?</\2\s*>|<[^>]*>)",
    re.DOTALL | re.IGNORECASE,
)
# Inside text: character references are markup too.
_TEXT_PART = re.compile(r"&#?\w+;|[0-9]+")


def _text_digits(text: str) -> str:
    return _TEXT_PART.sub(lambda m: m.group(0) if m.group(0).startswith("&") else to_persian_digits(m.group(0)), text)


def persian_digits_in_html(html: str) -> str:
    parts = _MARKUP.split(html)
    # re.split returns text, whole match, group 2 (element name or None), text, …
    out = []
    index = 0
    while index < len(parts):
        out.append(_text_digits(parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
        index += 3
    return "".join(out)


class AdminPersianDigitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self._prefix is None:
            self._prefix = reverse("admin:index")
        if (
            request.path.startswith(self._prefix)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and response.status_code == 200
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            charset = response.charset or "utf-8"
            response.content = persian_digits_in_html(response.content.decode(charset)).encode(charset)
        return response
