"""The one place that turns the domain's events (events.py) into background jobs."""

from . import events, tasks
from .domain import inbox

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
        events.LOCATION_DECIDED,
        events.MEMBER_INVITED,
        events.SESSION_AGENDA_SENT,  # to the jury's members, not an organisation
        events.RECONSIDERATION_FILED,
        events.RECONSIDERATION_DECIDED,
        events.CERTIFICATE_ITEMS_ADDED,
        events.CERTIFICATE_VERSION_ISSUED,
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
        # To a buyer who asked to watch the registry (notifications_watch.py).
        events.WATCH_REQUESTED,
    }
)


# Decisions: a letter (PDF) each, sent with the e-mail that tells of the decision.
LETTER_EVENTS = frozenset(
    {events.FORMALLY_REJECTED, events.JURY_DECISION, events.RECONSIDERATION_DECIDED}
)


def dispatch(event: str, **data) -> None:
    """Enqueue the jobs `event` calls for, and leave each recipient their notification, in the
    caller's transaction. Members who take what is not urgent in a daily digest are left out of
    the event's e-mail (`digest`: their addresses); the digest tells them instead."""
    if event == events.REGISTRY_CHANGED:  # subscribers and webhook endpoints, if any
        tasks.registry_changed.enqueue(change_id=data["change_id"])
        return
    digest = inbox.record(event, **data)
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
    if event == events.CERTIFICATE_VERSION_ISSUED:
        tasks.make_version_pdf.enqueue(version_id=data["version_id"])
    tasks.notify.enqueue(event=event, **data, **({"digest": digest} if digest else {}))
