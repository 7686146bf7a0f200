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
# An officer confirmed or rejected a member's pin on the map (domain/location_proposals.py).
LOCATION_DECIDED = "location_decided"
MEMBER_INVITED = "invitation"
# Jury sessions (certification/domain/sessions.py): the agenda to the jury, the minutes.
SESSION_AGENDA_SENT = "session_agenda_sent"
SESSION_CLOSED = "session_closed"
# Reconsideration (domain/reconsideration.py): the request filed; an officer's second decision on a
# formal rejection (the jury's second decision is a JURY_DECISION); a certificate extended by it.
RECONSIDERATION_FILED = "reconsideration_filed"
RECONSIDERATION_DECIDED = "reconsideration_decided"
CERTIFICATE_ITEMS_ADDED = "certificate_items_added"
# A new version of a certificate (domain/versions.py): items added on an extension, or withdrawn.
CERTIFICATE_VERSION_ISSUED = "certificate_version_issued"

# The certificate's life after issue (domain/lifecycle.py): one event per transition, with the
# status-history entry (change_id) that holds its reason and correction period.
CERTIFICATE_SUSPENDED = "certificate_suspended"
CERTIFICATE_REINSTATED = "certificate_reinstated"
CERTIFICATE_REVOKED = "certificate_revoked"
CERTIFICATE_EXPIRED = "certificate_expired"
# Daily reminders (domain/reminders.py), each announced once per thing it is about.
CORRECTIONS_DEADLINE_NEAR = "corrections_deadline_near"
# An officer gave the applicant more time for corrections (domain/deadlines.py).
CORRECTIONS_DEADLINE_EXTENDED = "corrections_deadline_extended"
JURORS_ASSIGNED = "jurors_assigned"
SCORING_OVERDUE = "scoring_overdue"
DECISION_TARGET_PASSED = "decision_target_passed"
SESSION_DUE = "session_due"
# Buyers watching the registry (domain/watching.py, webhooks.py): a subscription to confirm, and
# every entry of a certificate's status history (issue and renewal included), for subscribers,
# the Atom feed's readers and webhook endpoints.
WATCH_REQUESTED = "watch_requested"
REGISTRY_CHANGED = "registry_changed"

_dispatcher: list[Callable[..., None]] = []


def connect(dispatcher: Callable[..., None]) -> None:
    _dispatcher[:] = [dispatcher]


def announce(event: str, **data) -> None:
    """Tell the dispatcher; call it inside the transaction that made the change."""
    if not _dispatcher:
        raise ImproperlyConfigured("No event dispatcher: certification's AppConfig connects it.")
    _dispatcher[0](event, **data)
