import sys

from sms.backends.base import BaseSmsBackend


class ConsoleBackend(BaseSmsBackend):
    """Development only: prints messages to standard output, never to the logs."""

    def __init__(self, stream=None):
        self.stream = stream

    def _write(self, line):
        stream = self.stream or sys.stdout
        stream.write(line + "\n")
        stream.flush()

    def send_code(self, *, to, code):
        self._write(f"[SMS to {to}] کد تأیید بیمه مال: {code}")

    def send_text(self, *, to, text):
        self._write(f"[SMS to {to}] {text}")
