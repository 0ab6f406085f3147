"""Settings of `scripts/loadtest.py` only: production settings, plus a bare view to
measure against, and rate limits lifted (every virtual client of the load shares
127.0.0.1, so production's per-address limits would answer 429 to most of it).
Never used by the app itself: the bare view exists only under this module."""

from bimemall.settings.production import *  # noqa: F403
from bimemall.settings.production import REST_FRAMEWORK

ROOT_URLCONF = "loadtest_urls"
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1000000/min")
