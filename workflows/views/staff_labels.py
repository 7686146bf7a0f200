"""Human-readable names of audit-log action codes, for the history on the application file."""

from django.utils.translation import gettext_lazy as _

from certification.choices import ApplicationStatus, CertificateStatus

ACTION_LABELS = {
    "application.created": _("Application started"),
    "application.questionnaire_saved": _("Questionnaire saved"),
    "application.item_added": _("Product or service added"),
    "application.item_removed": _("Product or service removed"),
    "application.item_changed": _("Product or service changed"),
    "application.submitted": _("Application submitted"),
    "application.corrected": _("Corrections sent by the applicant"),
    "application.certified": _("Application closed with a certificate"),
    "application.file_viewed": _("Application file opened"),
    "document.added": _("Document attached"),
    "document.replaced": _("Document replaced with a new version"),
    "document.removed": _("Document removed"),
    "document.downloaded": _("Document downloaded"),
    "review.accept": _("Formal review: accepted"),
    "review.corrections": _("Formal review: returned for corrections"),
    "review.reject": _("Formal review: rejected"),
    "review.deadline_extended": _("Corrections deadline extended"),
    "jury.assigned": _("Jurors assigned"),
    "jury.due_changed": _("A juror's scorecard due date changed"),
    "jury.declared_impartial": _("Juror declared impartiality"),
    "jury.recused": _("Juror recused (conflict of interest)"),
    "jury.scored": _("Juror submitted a scorecard"),
    "jury.round_closed": _("Scoring round closed"),
    "resolution.granted": _("Resolution: mark granted"),
    "resolution.partially_granted": _("Resolution: mark granted for some items"),
    "resolution.refused": _("Resolution: mark refused"),
    "certificate.issued": _("Certificate issued"),
    "certificate.suspended": _("Certificate suspended"),
    "certificate.reinstated": _("Certificate reinstated"),
    "certificate.revoked": _("Certificate revoked"),
    "certificate.renewed": _("Certificate renewed"),
    "certificate.items_added": _("Certificate extended to more products and services"),
    "reconsideration.filed": _("Reconsideration requested by the applicant"),
    "reconsideration.upheld": _("Reconsideration: formal rejection upheld (final)"),
    "reconsideration.overturned": _("Reconsideration: formal rejection overturned"),
    "reconsideration.window_closed": _("Time to request reconsideration ended"),
    "letter.made": _("Decision letter made"),
    "letter.sent": _("Decision letter sent"),
    "letter.downloaded": _("Decision letter downloaded"),
    "application.item_codes_set": _("CPV codes of a product or service chosen"),
    "application.item_codes_confirmed": _("CPV codes confirmed by ROPS"),
    "application.registered_from_paper": _("Registered from a paper application"),
    "application.takeover_invited": _("Organisation invited to take the application over"),
}

_APPLICATION_STATES = dict(ApplicationStatus.choices)
_CERTIFICATE_STATES = dict(CertificateStatus.choices)


def action_label(code: str):
    # An unknown code is still shown: the history must never hide an event.
    return ACTION_LABELS.get(code, code)


def state_label(code: str, *, certificate: bool = False):
    if not code:
        return ""
    states = _CERTIFICATE_STATES if certificate else _APPLICATION_STATES
    return states.get(code, code)
