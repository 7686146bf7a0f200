"""Enumerations shared by every layer. The bottom of the import graph."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    SOCIAL_COOPERATIVE = "social_cooperative", _("Social cooperative")
    CIS = "cis", _("Social integration centre (CIS)")
    KIS = "kis", _("Social integration club (KIS)")
    ZAZ = "zaz", _("Vocational activity establishment (ZAZ)")
    WTZ = "wtz", _("Occupational therapy workshop (WTZ)")
    DISABLED_COOPERATIVE = "disabled_cooperative", _("Cooperative of disabled or blind people")
    NONPROFIT_COMPANY = "nonprofit_company", _("Non-profit company")
    FOUNDATION = "foundation", _("Foundation")
    ASSOCIATION = "association", _("Association")
    OTHER_NGO = "other_ngo", _("Other non-governmental organisation")
    CHURCH_ENTITY = "church_entity", _("Church legal person")
    OTHER_COOPERATIVE = "other_cooperative", _("Other cooperative (e.g. worker cooperative)")


# Forms that may exist without an entry in the National Court Register (KRS).
LEGAL_FORMS_WITHOUT_KRS = {LegalForm.CIS, LegalForm.KIS, LegalForm.WTZ, LegalForm.CHURCH_ENTITY}


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting formal review")
    CORRECTIONS = "corrections", _("Returned for corrections")
    JURY_ASSIGNMENT = "jury_assignment", _("Formally accepted, awaiting jury assignment")
    SCORING = "scoring", _("Being scored by the jury")
    DECISION = "decision", _("Awaiting the jury's resolution")
    GRANTED = "granted", _("Granted, awaiting certificate")
    CERTIFIED = "certified", _("Certificate issued")
    REFUSED = "refused", _("Refused by the jury")
    REJECTED = "rejected", _("Formally rejected")


# Statuses in which the application is closed for good.
FINAL_STATUSES = {
    ApplicationStatus.CERTIFIED,
    ApplicationStatus.REFUSED,
    ApplicationStatus.REJECTED,
}


class ItemKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    SERVICE = "service", _("Service")


class ReviewOutcome(models.TextChoices):
    ACCEPT = "accept", _("Accept: the file is complete and the applicant eligible")
    CORRECTIONS = "corrections", _("Return to the applicant for corrections")
    REJECT = "reject", _("Reject formally")


class Declaration(models.TextChoices):
    PENDING = "pending", _("Not yet declared")
    IMPARTIAL = "impartial", _("Declared impartial")
    RECUSED = "recused", _("Recused (conflict of interest)")


class ResolutionOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTIALLY_GRANTED = "partially_granted", _("Granted for some items")
    REFUSED = "refused", _("Refused")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class CertificateTransition(models.TextChoices):
    """What happened to a certificate: one entry of its status history."""

    ISSUE = "issue", _("Certificate issued")
    SUSPEND = "suspend", _("Certificate suspended")
    REINSTATE = "reinstate", _("Certificate reinstated")
    REVOKE = "revoke", _("Certificate revoked")
    EXPIRE = "expire", _("Certificate expired")


class VerificationResult(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Unknown: no such certificate in the registry")
    # Asked about a day before the certificate was issued.
    NOT_YET_VALID = "not_yet_valid", _("Not yet issued on that day")
