"""Translated labels for the calculators, memoised.

A comparison asks for the same dozen breakdown labels once per insurer (23 times); plain
gettext — mostly its look-up of the active language in a context-local — cost half of
the time of a quote (docs/BENCHMARKS.md). The site speaks one language (settings.LANGUAGES),
so a label's translation never changes while the process runs; with more than one
language this falls back to plain gettext, which looks the language up every time.
"""

from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext


@lru_cache(maxsize=4096)
def _translated(message: str) -> str:
    return gettext(message)


def gettext_cached(message: str) -> str:
    if len(settings.LANGUAGES) > 1:
        return gettext(message)
    return _translated(message)
