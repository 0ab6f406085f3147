"""Strict reading of settings from the environment.

One place parses every variable, and a value it cannot parse stops the process at
start-up: `DEBUG=ture` must fail loudly, not quietly mean False.
"""

import math
import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_MISSING = object()


class Env:
    def __init__(self, environ=None):
        self.environ = os.environ if environ is None else environ

    def _raw(self, name, default):
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            if default is _MISSING:
                raise ImproperlyConfigured(f"The environment variable {name} is required.")
            return default
        return value.strip()

    def str(self, name, default=_MISSING):
        return self._raw(name, default)

    def bool(self, name, default=_MISSING):
        value = self._raw(name, default)
        if isinstance(value, bool):
            return value
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off.")

    def int(self, name, default=_MISSING):
        value = self._raw(name, default)
        if isinstance(value, int):
            return value
        try:
            return int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None

    def float(self, name, default=_MISSING):
        value = self._raw(name, default)
        if isinstance(value, (int, float)):
            return float(value)
        try:
            parsed = float(value)
        except ValueError:
            parsed = math.nan
        if not math.isfinite(parsed):
            raise ImproperlyConfigured(f"{name}={value!r} is not a number.")
        return parsed

    def decimal(self, name, default=_MISSING):
        """An exact number (a percentage of money, say): never a binary float."""
        value = self._raw(name, default)
        if isinstance(value, (int, Decimal)):
            return Decimal(value)
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            raise ImproperlyConfigured(f"{name}={value!r} is not a decimal number.") from None
        if not parsed.is_finite():
            raise ImproperlyConfigured(f"{name}={value!r} is not a decimal number.")
        return parsed

    def list(self, name, default=_MISSING):
        value = self._raw(name, default)
        if isinstance(value, (list, tuple)):
            return list(value)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name, choices, default=_MISSING):
        value = self._raw(name, default)
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(sorted(choices))}.")
        return value

    def url(self, name, schemes, default=_MISSING):
        value = self._raw(name, default)
        if value is None:
            return None
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in schemes:
            raise ImproperlyConfigured(
                f"{name} must start with one of {', '.join(s + '://' for s in sorted(schemes))}."
            )
        return value


env = Env()
