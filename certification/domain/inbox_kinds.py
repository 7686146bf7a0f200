"""The kinds of notification a person finds under "Notifications": the sentence each shows and
which are urgent.

Urgent kinds are e-mailed at once whatever the person chose; the others at once or in the daily
digest, as each person chooses (User.notification_mode). Urgent: what carries a deadline or
changes what may be done now (a suspension, a revocation, an expiry, a decision with its time
to ask for reconsideration, corrections asked or their deadline near, a scorecard overdue, a
session near with items to decide, a file past its decision target).

The sentence is rendered when shown, in the reader's language; `params` hold what fills it
(numbers, names, ISO dates).
"""

import datetime

from django.utils import formats
from django.utils.translation import gettext_lazy as _

TEXTS = {
    "application_submitted": _("Application %(number)s was submitted."),
    "returned_for_corrections": _(
        "Application %(number)s was returned for corrections; the deadline is %(date)s."
    ),
    "corrections_received": _("The corrections to application %(number)s were received."),
    "corrections_received_staff": _(
        "Corrections to application %(number)s (%(organization)s) arrived: check them."
    ),
    "formally_accepted": _("Application %(number)s passed the formal review and goes to the jury."),
    "formally_rejected": _(
        "Application %(number)s was rejected on formal grounds: read the decision letter."
    ),
    "jury_decision": _("The jury decided on application %(number)s: read the decision letter."),
    "certificate_issued": _("Certificate %(certificate)s was issued."),
    "certificate_items_added": _(
        "Certificate %(certificate)s now covers more products or services."
    ),
    "certificate_version_issued": _(
        "Certificate %(certificate)s has a new version: its products or services changed."
    ),
    "renewal_reminder": _("Certificate %(certificate)s expires on %(date)s: apply to renew it."),
    "organization_change_decided": _(
        "Your request to change the details of %(organization)s was decided."
    ),
    "location_decided": _("The location of %(organization)s on the map you proposed was decided."),
    "reconsideration_filed": _(
        "The request for reconsideration of application %(number)s was filed."
    ),
    "reconsideration_filed_staff": _(
        "A request for reconsideration of application %(number)s (%(organization)s) was filed."
    ),
    "reconsideration_decided": _(
        "The request for reconsideration of application %(number)s was decided."
    ),
    "certificate_suspended": _(
        "Certificate %(certificate)s was suspended; correct the irregularities by %(date)s."
    ),
    "certificate_reinstated": _("Certificate %(certificate)s is valid again."),
    "certificate_revoked": _("Certificate %(certificate)s was revoked."),
    "certificate_expired": _("Certificate %(certificate)s expired."),
    "corrections_deadline_near": _(
        "The deadline for the corrections to application %(number)s is %(date)s."
    ),
    "corrections_deadline_extended": _(
        "ROPS extended the deadline for the corrections to application %(number)s to %(date)s."
    ),
    "jurors_assigned": _("You were assigned to score application %(number)s by %(date)s."),
    "scoring_overdue": _("Your scorecard for application %(number)s was due on %(date)s."),
    "decision_target_passed": _(
        "Application %(number)s (%(organization)s) has passed its decision target."
    ),
    "session_due": _("Jury session %(session)s on %(date)s has applications still to decide."),
    "session_agenda_sent": _("The agenda of jury session %(session)s on %(date)s was sent."),
}

URGENT = frozenset(
    {
        "returned_for_corrections",
        "formally_rejected",
        "jury_decision",
        "reconsideration_decided",
        "certificate_suspended",
        "certificate_revoked",
        "certificate_expired",
        "corrections_deadline_near",
        "scoring_overdue",
        "decision_target_passed",
        "session_due",
    }
)


def render(kind: str, params: dict) -> str:
    """The notification's sentence in the active language."""
    values = dict(params)
    if values.get("date"):
        day = datetime.date.fromisoformat(values["date"])
        values["date"] = formats.date_format(day, "j E Y")
    elif "date" in values:
        values["date"] = "—"
    text = TEXTS.get(kind)
    if text is None:  # a kind retired since: say what little is known
        return str(_("Notification"))
    return str(text) % values
