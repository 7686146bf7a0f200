"""Helpers for e-mail tests: the texts in a recipient's language, and flow steps whose
on-commit e-mails are sent."""

import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext


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
    `language`, then runs its on-commit callbacks (the e-mails a commit would send).

    Pass pytest-django's django_capture_on_commit_callbacks fixture.
    """

    def run(step, *args, **kwargs):
        with capture_on_commit_callbacks(execute=True), translation.override(language):
            return step(*args, **kwargs)

    return run
