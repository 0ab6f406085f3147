import sys

from sms.backends.base import BaseSmsBackend, verification_code_text


class ConsoleBackend(BaseSmsBackend):
    """Development only: prints messages to standard output, never to the logs.

    It writes to the process's real stdout (`sys.__stdout__`): a Celery worker replaces
    `sys.stdout` with a logger, whose filter would mask the very code the developer
    needs to type.
    """

    def __init__(self, stream=None):
        self.stream = stream

    def _write(self, line):
        stream = self.stream or sys.__stdout__ or sys.stdout
        stream.write(line + "\n")
        stream.flush()

    def send_code(self, *, to, code):
        self._write(f"[SMS to {to}] {verification_code_text(code)}")

    def send_text(self, *, to, text):
        self._write(f"[SMS to {to}] {text}")
