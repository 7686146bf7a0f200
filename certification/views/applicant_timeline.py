"""The application's history as the applicant sees it, read from the audit log.

Left out: jurors' individual steps (scoring is independent and confidential), document downloads
(an access log, not a step of the application) and the draft's editing steps before submission.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from ..models import Application, AuditEvent

ACTION_LABELS = {
    "application.created": _("Application draft created"),
    "application.questionnaire_saved": _("Questionnaire saved"),
    "application.item_added": _("Product or service added"),
    "application.item_removed": _("Product or service removed"),
    "application.item_changed": _("Product or service changed"),
    "application.submitted": _("Application submitted"),
    "application.corrected": _("Corrected application sent back"),
    "document.added": _("Document attached"),
    "document.replaced": _("Document replaced with a new version"),
    "document.removed": _("Document removed"),
    "document.downloaded": _("Document downloaded"),
    "review.accept": _("Formal review passed; the application goes to the jury"),
    "review.corrections": _("Returned for corrections after the formal review"),
    "review.reject": _("Rejected in the formal review"),
    "review.deadline_missed": _(
        "Rejected in the formal review: the corrections were not sent by the deadline"
    ),
    "jury.assigned": _("Jury members assigned"),
    "jury.declared_impartial": _("A juror declared impartiality"),
    "jury.recused": _("A juror withdrew because of a conflict of interest"),
    "jury.scored": _("A juror submitted a scorecard"),
    "jury.round_closed": _("Jury scoring finished"),
    "resolution.granted": _("Jury resolution: mark granted"),
    "resolution.partially_granted": _("Jury resolution: mark granted for some items"),
    "resolution.refused": _("Jury resolution: mark refused"),
    "certificate.issued": _("Certificate issued"),
    "reconsideration.filed": _("Reconsideration requested"),
    "reconsideration.upheld": _("Reconsideration: the formal rejection stands (final)"),
    "reconsideration.overturned": _(
        "Reconsideration: the formal rejection overturned; the application goes to the jury"
    ),
    "reconsideration.window_closed": _(
        "The time to request reconsideration ended: the decision stands"
    ),
    "certificate.items_added": _("Certificate extended to more products and services"),
    "certificate.version_issued": _(
        "Certificate issued as a new version with the granted products and services"
    ),
    "letter.sent": _("Decision letter sent"),
    "application.item_codes_set": _("CPV codes of a product or service chosen"),
    "application.item_codes_confirmed": _("CPV codes confirmed by ROPS"),
    "application.registered_from_paper": _("Registered by ROPS from the paper application"),
    "application.takeover_invited": _("ROPS invited the organisation to follow it online"),
}

HIDDEN_FROM_APPLICANT = {
    # For an extension: the same moment as "certificate.version_issued".
    "application.certified",  # the same moment as "certificate.issued", which names the number
    "application.file_viewed",  # staff reading the file: an access log, like downloads
    "application.questionnaire_saved",
    "document.downloaded",
    "jury.declared_impartial",
    "jury.recused",
    "jury.scored",
    "letter.made",  # the letter's sending is the step the applicant sees
    "letter.downloaded",
}

# Editing steps of the draft: history worth showing only once the application is submitted.
DRAFT_EDITS = {
    "application.item_added",
    "application.item_removed",
    "application.item_changed",
    "document.added",
    "document.removed",
    "application.item_codes_set",
}

# Whose step it was, when the actor is not one of the applicant's own people.
ROLE_BY_PREFIX = {
    "review": _("ROPS"),
    "certificate": _("ROPS"),
    "jury": _("The jury"),
    "resolution": _("The jury"),
    "reconsideration.upheld": _("ROPS"),
    "reconsideration.overturned": _("ROPS"),
    "letter": _("ROPS"),
}


@dataclass(frozen=True)
class Entry:
    when: datetime
    label: str
    detail: str
    who: str


def _who(event: AuditEvent, member_ids: set[int]) -> str:
    if event.actor_id and event.actor_id in member_ids:
        return event.actor.get_full_name() or event.actor.username
    for prefix in (event.action, event.action.split(".")[0]):
        if prefix in ROLE_BY_PREFIX:
            return str(ROLE_BY_PREFIX[prefix])
    return str(_("ROPS")) if event.actor_id else str(_("The system"))


def applicant_timeline(application: Application) -> list[Entry]:
    member_ids = set(application.organization.members.values_list("pk", flat=True))
    events = (
        AuditEvent.objects.filter(application=application)
        .exclude(action__in=HIDDEN_FROM_APPLICANT)
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
    submitted_at = application.submitted_at
    if application.on_paper:
        # Copied in by an officer after the day it was received: its edits are not steps.
        registered = events.filter(action="application.registered_from_paper").first()
        submitted_at = registered.timestamp if registered else submitted_at
    return [
        Entry(
            when=event.timestamp,
            label=str(ACTION_LABELS.get(event.action, event.action)),
            detail=event.message,
            who=_who(event, member_ids),
        )
        for event in events
        if not (
            event.action in DRAFT_EDITS and (submitted_at is None or event.timestamp < submitted_at)
        )
    ]
