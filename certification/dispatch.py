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
        events.SESSION_AGENDA_SENT,  # to the jury's members, not an organisation
        events.RECONSIDERATION_FILED,
        events.RECONSIDERATION_DECIDED,
        events.CERTIFICATE_ITEMS_ADDED,
        events.CERTIFICATE_SUSPENDED,
        events.CERTIFICATE_REINSTATED,
        events.CERTIFICATE_REVOKED,
        events.CERTIFICATE_EXPIRED,
        events.CORRECTIONS_DEADLINE_NEAR,
        events.CORRECTIONS_DEADLINE_EXTENDED,
        # To staff (notifications_staff.py).
        events.JURORS_ASSIGNED,
        events.SCORING_OVERDUE,
        events.DECISION_TARGET_PASSED,
        events.SESSION_DUE,
    }
)


# Decisions: a letter (PDF) each, sent with the e-mail that tells of the decision.
LETTER_EVENTS = frozenset(
    {events.FORMALLY_REJECTED, events.JURY_DECISION, events.RECONSIDERATION_DECIDED}
)


def dispatch(event: str, **data) -> None:
    """Enqueue the jobs `event` calls for, in the caller's transaction."""
    if event == events.SESSION_CLOSED:  # no e-mail: the minutes are made
        tasks.make_minutes_pdf.enqueue(session_id=data["session_id"])
        return
    if event in LETTER_EVENTS:
        tasks.send_decision_letters.enqueue(**data)
        # An overturned formal rejection has no letter (the file goes on to the jury): its
        # e-mail is the ordinary notification, which says nothing when the letter tells it.
        if event != events.RECONSIDERATION_DECIDED:
            return
    if event not in MAIL_EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    # A certificate that now covers more items is printed again (its old PDF was let go).
    if event in (events.CERTIFICATE_ISSUED, events.CERTIFICATE_ITEMS_ADDED):
        tasks.make_certificate_pdf.enqueue(certificate_id=data["certificate_id"])
    tasks.notify.enqueue(event=event, **data)
