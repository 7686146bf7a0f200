"""What happened, as the domain announces it. The domain knows nothing of e-mails or jobs: one
dispatcher (certification/dispatch.py, connected at start-up) turns each announcement into
jobs, enqueued in the caller's transaction, so a job exists if and only if the change committed.

Each event carries primary keys (and the like), never objects: the job reads what was committed.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

APPLICATION_SUBMITTED = "application_submitted"
RETURNED_FOR_CORRECTIONS = "returned_for_corrections"
CORRECTIONS_RECEIVED = "corrections_received"
FORMALLY_ACCEPTED = "formally_accepted"
FORMALLY_REJECTED = "formally_rejected"
JURY_DECISION = "jury_decision"
CERTIFICATE_ISSUED = "certificate_issued"
RENEWAL_REMINDER_DUE = "renewal_reminder"
ORGANIZATION_CHANGE_DECIDED = "organization_change_decided"
MEMBER_INVITED = "invitation"
# An officer decided a reconsideration of a formal rejection (request_id). A reconsideration the
# jury decides is the JURY_DECISION of a final resolution.
RECONSIDERATION_DECIDED = "reconsideration_decided"

_dispatcher: list[Callable[..., None]] = []


def connect(dispatcher: Callable[..., None]) -> None:
    _dispatcher[:] = [dispatcher]


def announce(event: str, **data) -> None:
    """Tell the dispatcher; call it inside the transaction that made the change."""
    if not _dispatcher:
        raise ImproperlyConfigured("No event dispatcher: certification's AppConfig connects it.")
    _dispatcher[0](event, **data)
