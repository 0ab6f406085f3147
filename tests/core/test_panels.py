"""Page panels (issue 15 point 6): how a lower app's page shows an upper app's data without
importing it."""

import pytest

from core.panels import PagePanels


def test_the_context_merges_every_provider_once():
    panels = PagePanels("test:page")

    def links(*, user):
        return {"links": [user]}

    def counts(*, user):
        return {"counts": 2}

    panels.register(links)
    panels.register(counts)
    panels.register(links)  # ready() may run twice

    assert panels.context(user="sara") == {"links": ["sara"], "counts": 2}


def test_two_providers_may_not_fill_the_same_name():
    panels = PagePanels("test:page")
    panels.register(lambda **kwargs: {"floating": 1})
    panels.register(lambda **kwargs: {"floating": 2})

    with pytest.raises(ValueError, match="floating"):
        panels.context()
