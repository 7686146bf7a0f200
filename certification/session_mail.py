"""The agenda of a jury session, e-mailed to every active member with a calendar invitation.

The invitation is one iCalendar event (RFC 5545), written here: a dozen properties of one
event need no library. Its UID stays the same for a session and its SEQUENCE grows with each
sending, so a calendar that has the first invitation replaces it with the new one.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from .domain import jury
from .models import JurySession

SESSION_HOURS = 3  # how long the calendar blocks for a session; the real one may differ


def _escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded (§3.1), never inside a UTF-8 character."""
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        limit = 75 if not parts else 74  # a continuation line starts with a space
        if len(current) + len(encoded) > limit:
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_uid(session: JurySession) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"jury-session-{session.pk}@{host}"


def calendar_event(
    session: JurySession, *, sending: int, summary: str, description: str, url: str
) -> str:
    """The session as an iCalendar object (CRLF line ends, as RFC 5545 requires)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ROPS//Zakup Prospoleczny//PL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{session_uid(session)}",
        # 0 on the first sending, then 1, 2…: a higher one supersedes the earlier invitation.
        f"SEQUENCE:{max(sending - 1, 0)}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(session.starts_at)}",
        f"DTEND:{_utc(session.starts_at + datetime.timedelta(hours=SESSION_HOURS))}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(session.place or session.online_link)}",
        f"URL:{session.online_link or url}",
        f"DESCRIPTION:{_escape(description)}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


def _context(session: JurySession) -> dict:
    agenda = list(
        session.agenda.select_related("application__organization").order_by("position", "pk")
    )
    return {
        "session": session,
        "agenda": agenda,
        "my_sessions_url": settings.SITE_URL + reverse("my_sessions"),
        "issuer": settings.CERTIFICATE_ISSUER,
    }


def agenda_sent(*, session_id: int, sending: int) -> list[EmailMessage]:
    """One message per active member of the jury, in their language, with the invitation."""
    session = JurySession.objects.get(pk=session_id)
    context = _context(session)
    messages = []
    for member in jury.active_jurors().order_by("user_id"):
        user = member.user
        if not user.email or not user.is_active:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context["member"] = user
            subject = " ".join(
                render_to_string("emails/session_agenda_subject.txt", context).split()
            )
            body = render_to_string("emails/session_agenda_body.txt", context).strip() + "\n"
            invitation = calendar_event(
                session,
                sending=sending,
                summary=gettext("Jury session %(number)s") % {"number": session.number},
                description=body,
                url=context["my_sessions_url"],
            )
        message = EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
        )
        message.attach(
            f"posiedzenie-{session.sequence}-{session.year}.ics",
            invitation,
            "text/calendar",
        )
        messages.append(message)
    return messages
