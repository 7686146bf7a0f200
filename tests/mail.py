"""Helpers for e-mail tests: the texts in a recipient's language, and flow steps whose
e-mails the background worker then sends."""

import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from jobs.worker import drain


def in_language(language: str, msgid: str, **values) -> str:
    """The text as a recipient in `language` reads it: the catalogue's, whatever it holds now."""
    with translation.override(language):
        return gettext(msgid) % values


def polish(msgid: str, **values) -> str:
    """The text as the organisation reads it: the Polish catalogue's, whatever it holds now."""
    return in_language("pl", msgid, **values)


def day_in(language: str, day) -> str:
    """The day as the e-mails write it in `language` (a moment is read in the local time zone)."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day)
    with translation.override(language):
        return date_format(day, "j E Y")


def polish_date(day) -> str:
    return day_in("pl", day)


def runner(capture_on_commit_callbacks, language: str):
    """A `run(step, *args, **kwargs)` that runs the step as if its request had been in
    `language`, then runs its on-commit callbacks and the jobs it enqueued (the e-mails), as a
    worker would after the commit.

    Pass pytest-django's django_capture_on_commit_callbacks fixture.
    """

    def run(step, *args, **kwargs):
        with capture_on_commit_callbacks(execute=True), translation.override(language):
            result = step(*args, **kwargs)
        run_jobs()
        return result

    return run


def run_jobs() -> int:
    """What the worker does next: run the queued jobs (e-mails among them) until none is left,
    through the worker's own claim-and-run code; how many ran. Bounded."""
    return drain(max_jobs=500, worker_id="test")


def sent_mail() -> list:
    """The e-mails sent so far, once the worker has run what was queued (django.core.mail's
    test outbox)."""
    from django.core import mail

    run_jobs()
    return mail.outbox
