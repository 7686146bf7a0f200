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
    RECONSIDERATION = "reconsideration", _("Reconsideration requested, awaiting a second decision")


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


# A review's outcome once recorded: what happened to the application, for histories.
REVIEW_RESULTS = {
    ReviewOutcome.ACCEPT: _("accepted"),
    ReviewOutcome.CORRECTIONS: _("returned for corrections"),
    ReviewOutcome.REJECT: _("rejected formally"),
}


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


class VersionChange(models.TextChoices):
    """Why a certificate has a new version: what it covers changed, its number and end did not."""

    ISSUE = "issue", _("Certificate issued")
    ADD = "add", _("Products or services added")
    WITHDRAW = "withdraw", _("Product or service withdrawn")


class VerificationResult(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Unknown: no such certificate in the registry")
    # Asked about a day before the certificate was issued.
    NOT_YET_VALID = "not_yet_valid", _("Not yet issued on that day")


class Powiat(models.TextChoices):
    """The powiats (counties) of the Silesian Voivodeship by their TERYT code.

    Proper names, the same in both languages; cities with powiat rights carry the city's name.
    """

    BEDZINSKI = "2401", "powiat będziński"
    BIELSKI = "2402", "powiat bielski"
    CIESZYNSKI = "2403", "powiat cieszyński"
    CZESTOCHOWSKI = "2404", "powiat częstochowski"
    GLIWICKI = "2405", "powiat gliwicki"
    KLOBUCKI = "2406", "powiat kłobucki"
    LUBLINIECKI = "2407", "powiat lubliniecki"
    MIKOLOWSKI = "2408", "powiat mikołowski"
    MYSZKOWSKI = "2409", "powiat myszkowski"
    PSZCZYNSKI = "2410", "powiat pszczyński"
    RACIBORSKI = "2411", "powiat raciborski"
    RYBNICKI = "2412", "powiat rybnicki"
    TARNOGORSKI = "2413", "powiat tarnogórski"
    BIERUNSKO_LEDZINSKI = "2414", "powiat bieruńsko-lędziński"
    WODZISLAWSKI = "2415", "powiat wodzisławski"
    ZAWIERCIANSKI = "2416", "powiat zawierciański"
    ZYWIECKI = "2417", "powiat żywiecki"
    BIELSKO_BIALA = "2461", "Bielsko-Biała"
    BYTOM = "2462", "Bytom"
    CHORZOW = "2463", "Chorzów"
    CZESTOCHOWA = "2464", "Częstochowa"
    DABROWA_GORNICZA = "2465", "Dąbrowa Górnicza"
    GLIWICE = "2466", "Gliwice"
    JASTRZEBIE_ZDROJ = "2467", "Jastrzębie-Zdrój"
    JAWORZNO = "2468", "Jaworzno"
    KATOWICE = "2469", "Katowice"
    MYSLOWICE = "2470", "Mysłowice"
    PIEKARY_SLASKIE = "2471", "Piekary Śląskie"
    RUDA_SLASKA = "2472", "Ruda Śląska"
    RYBNIK = "2473", "Rybnik"
    SIEMIANOWICE_SLASKIE = "2474", "Siemianowice Śląskie"
    SOSNOWIEC = "2475", "Sosnowiec"
    SWIETOCHLOWICE = "2476", "Świętochłowice"
    TYCHY = "2477", "Tychy"
    ZABRZE = "2478", "Zabrze"
    ZORY = "2479", "Żory"


class ChangeRequestStatus(models.TextChoices):
    """A member's request to change what certificates print about their organisation."""

    PENDING = "pending", _("Awaiting an officer's decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class LocationSource(models.TextChoices):
    """Where an organisation's point on the map came from (blank: it is not on the map)."""

    LOCALITY = "locality", _("Its town in the gazetteer")
    POWIAT = "powiat", _("The centre of its powiat")
    CONFIRMED = "confirmed", _("A pin confirmed by an officer")


class LocationProposalStatus(models.TextChoices):
    """A member's proposal of where the map shows their organisation."""

    PENDING = "pending", _("Awaiting an officer's decision")
    CONFIRMED = "confirmed", _("Confirmed by an officer")
    REJECTED = "rejected", _("Rejected by an officer")


class CriterionScope(models.TextChoices):
    """What one line of the scorecard is about."""

    ORGANIZATION = "organization", _("The organisation (scored once)")
    ITEM = "item", _("Each product or service (scored per item)")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CLOSED = "closed", _("Closed, minutes made")


class LetterKind(models.TextChoices):
    """The decision letters ROPS sends the applicant."""

    FORMAL_REJECTION = "formal_rejection", _("Formal rejection")
    REFUSAL = "refusal", _("Refusal")
    PARTIAL_GRANT = "partial_grant", _("Partial grant")
    GRANT = "grant", _("Grant")


class ReconsiderationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the second decision")
    DECIDED = "decided", _("Decided (final)")


class WatchKind(models.TextChoices):
    """What a buyer's e-mail subscription to the registry follows."""

    CERTIFICATE = "certificate", _("One certificate (and its renewals)")
    HOLDER = "holder", _("Every certificate of one holder (by NIP)")
    SEARCH = "search", _("New certificates matching CPV codes (and a powiat)")


class NotificationMode(models.TextChoices):
    """How a person is e-mailed of what is not urgent (urgent kinds always go at once)."""

    IMMEDIATE = "immediate", _("immediately")
    DIGEST = "digest", _("daily digest")
