"""Production: DEBUG off unless asked; SECRET_KEY, ALLOWED_HOSTS and SMS_BACKEND have no default."""

import os

os.environ.setdefault("DEBUG", "false")

from .base import *  # noqa: E402,F403
