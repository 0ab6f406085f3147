class SmsError(Exception):
    """A failed send. The message never carries the API key or the text sent."""

    def __init__(self, message, *, status=None):
        super().__init__(message)
        self.status = status


class SmsTransientError(SmsError):
    """Worth retrying with backoff: timeouts, provider overload (409, 451), 5xx."""


class SmsPermanentError(SmsError):
    """Retrying will not help: bad key (401/403), no credit (418), template problems (424…)."""
