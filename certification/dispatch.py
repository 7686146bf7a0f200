"""The one place that turns the domain's events (events.py) into background jobs."""

from . import events, tasks

# Every event e-mails the organisation (or the invitee) in the recipients' languages.
MAIL_EVENTS = frozenset(
    {
        events.APPLICATION_SUBMITTED,
        events.RETURNED_FOR_CORRECTIONS,
        events.CORRECTIONS_RECEIVED,
        events.FORMALLY_ACCEPTED,
        events.CERTIFICATE_ISSUED,
        events.RENEWAL_REMINDER_DUE,
        events.ORGANIZATION_CHANGE_DECIDED,
        events.MEMBER_INVITED,
    }
)


# Decisions: a letter (PDF) each, sent with the e-mail that tells of the decision.
LETTER_EVENTS = frozenset(
    {events.FORMALLY_REJECTED, events.JURY_DECISION, events.RECONSIDERATION_DECIDED}
)


def dispatch(event: str, **data) -> None:
    """Enqueue the jobs `event` calls for, in the caller's transaction."""
    if event in LETTER_EVENTS:
        tasks.send_decision_letters.enqueue(**data)
        return
    if event not in MAIL_EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    if event == events.CERTIFICATE_ISSUED:
        tasks.make_certificate_pdf.enqueue(certificate_id=data["certificate_id"])
    tasks.notify.enqueue(event=event, **data)
