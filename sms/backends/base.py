from django.utils.translation import gettext


def verification_code_text(code: str) -> str:
    """What the development and test backends show for a one-time code (a real provider
    sends its own approved template instead)."""
    return gettext("کد تأیید بیمه مال: %(code)s") % {"code": code}


class BaseSmsBackend:
    """Like Django's e-mail backends: one class per provider, chosen by SMS_BACKEND."""

    def send_code(self, *, to: str, code: str) -> None:
        """Send a one-time code (providers have a dedicated, faster route for these)."""
        raise NotImplementedError

    def send_text(self, *, to: str, text: str) -> None:
        raise NotImplementedError
