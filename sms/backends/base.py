class BaseSmsBackend:
    """Like Django's e-mail backends: one class per provider, chosen by SMS_BACKEND."""

    def send_code(self, *, to: str, code: str) -> None:
        """Send a one-time code (providers have a dedicated, faster route for these)."""
        raise NotImplementedError

    def send_text(self, *, to: str, text: str) -> None:
        raise NotImplementedError
