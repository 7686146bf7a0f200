"""An e-mail backend that counts what the backend it wraps sent and failed to send.

Every e-mail of the application (ours in certification/notifications.py and allauth's through
the account adapter) goes through the mailer of settings.MAILERS, so counting there counts them
all. settings.py wraps each configured mailer in this one.
"""

from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

from . import metrics


class CountingEmailBackend(BaseEmailBackend):
    def __init__(self, *, backend: str, options: dict | None = None, alias=None, **kwargs):
        super().__init__(alias=alias, **kwargs)
        self.backend = import_string(backend)(alias=alias, **(options or {}))

    def __getattr__(self, name):
        # host, port, username… of the wrapped backend read through, as before the wrapping.
        if name == "backend":
            raise AttributeError(name)
        return getattr(self.backend, name)

    def open(self):
        return self.backend.open()

    def close(self):
        return self.backend.close()

    def send_messages(self, email_messages):
        messages = list(email_messages)
        try:
            sent = self.backend.send_messages(messages) or 0
        except Exception:
            metrics.EMAILS_FAILED.inc(len(messages))
            raise
        metrics.EMAILS_SENT.inc(sent)
        if sent < len(messages):  # a backend told to fail silently returns fewer
            metrics.EMAILS_FAILED.inc(len(messages) - sent)
        return sent
