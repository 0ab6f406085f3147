"""Fixtures of the admin pages' tests (issue 14 point 9)."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.admin.scene import build_scene
from tests.factories import StaffFactory


class _VisibleText(HTMLParser):
    """The text a reader sees in the page's content: no markup, scripts, styles or typed input."""

    HIDDEN = {"script", "style", "textarea", "template"}

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of the admin's #content (the page body without header and breadcrumbs)."""
    content = html.split('id="content"', 1)[-1]
    parser = _VisibleText()
    parser.feed(content.split(">", 1)[-1])
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def staff_client(db):
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.fixture
def scene(db):
    return build_scene()
