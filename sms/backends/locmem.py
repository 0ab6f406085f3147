from dataclasses import dataclass

from sms.backends.base import BaseSmsBackend, verification_code_text

# The test outbox, like django.core.mail.outbox.
outbox: list["SentSms"] = []


@dataclass(frozen=True)
class SentSms:
    to: str
    text: str
    code: str | None = None


class LocmemBackend(BaseSmsBackend):
    def send_code(self, *, to, code):
        outbox.append(SentSms(to=to, text=verification_code_text(code), code=code))

    def send_text(self, *, to, text):
        outbox.append(SentSms(to=to, text=text))
