"""Decision letters: what each one says, and the letters as made and sent.

Every decision reaches the applicant as a letter (DESIGN §3): a jury resolution (granted,
granted in part, refused), a formal rejection, and the final decisions after reconsideration.
A job (certification/tasks.py) builds the letter's content here (`compose`), renders the PDF
(certification/letter_pdf.py) and records it here (`record_letter`), then sends it by e-mail.

One letter per language the organisation's e-mails are written in (see addressees.py): each
e-mail carries the letter in its own language.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Application, DecisionLetter, LetterTemplate, SchemeRules
from ..storage import discard, store
from . import audit, letter_placeholders
from .addressees import addressees
from .errors import DomainError
from .letter_decisions import Decision, reconsideration_deadline


@dataclass(frozen=True)
class LetterContent:
    """A letter ready to print: the decision, the administrator's text filled in, the dates."""

    decision: Decision
    language: str
    subject: str
    body: str
    deadline: datetime.date | None
    reconsideration_days: int
    written_on: datetime.date
    issuer: str
    signatory: str
    place: str


# --- the administrator's text ---------------------------------------------------------------


def letter_text(*, kind: str, final: bool, language: str) -> LetterTemplate:
    """The administrator's text for this letter; in the service's language if none is written
    in `language`."""
    texts = LetterTemplate.objects.filter(kind=kind, final=final)
    text = (
        texts.filter(language=language).first()
        or texts.filter(language=settings.LANGUAGE_CODE).first()
    )
    if text is None:
        raise DomainError(
            _("There is no text for this decision letter: add it in the administration.")
        )
    return text


def compose(
    decision: Decision,
    *,
    language: str,
    text: LetterTemplate | None = None,
    today: datetime.date | None = None,
) -> LetterContent:
    """The letter in `language`: the administrator's text (`text`, else the stored one) with
    its placeholders filled in."""
    text = text or letter_text(kind=decision.kind, final=decision.final, language=language)
    deadline = reconsideration_deadline(decision)
    days = SchemeRules.current().reconsideration_days
    with translation.override(language):
        values = {
            "organization": decision.addressee.name,
            "application_number": decision.application_number,
            "decision_date": date_format(decision.decided_on, "j E Y"),
            "resolution_number": decision.resolution_number,
            "deadline": date_format(deadline, "j E Y") if deadline else "",
            "reconsideration_days": str(days),
            "issuer": settings.CERTIFICATE_ISSUER,
        }
    return LetterContent(
        decision=decision,
        language=language,
        subject=letter_placeholders.fill(text.subject, values),
        body=letter_placeholders.fill(text.body, values),
        deadline=deadline,
        reconsideration_days=days,
        written_on=today or timezone.localdate(),
        issuer=settings.CERTIFICATE_ISSUER,
        signatory=settings.CERTIFICATE_SIGNATORY,
        place=settings.LETTER_PLACE,
    )


# --- the letters as made and sent -----------------------------------------------------------


def letter_languages(organization) -> list[str]:
    """The languages the organisation's e-mails go out in, in the order they first appear."""
    languages = list(dict.fromkeys(language for _address, language in addressees(organization)))
    return languages or [settings.LANGUAGE_CODE]


def _letters_of(decision: Decision):
    if decision.resolution is not None:
        return DecisionLetter.objects.filter(resolution=decision.resolution)
    return DecisionLetter.objects.filter(review=decision.review, final=decision.final)


def existing_letter(decision: Decision, *, language: str) -> DecisionLetter | None:
    return _letters_of(decision).filter(language=language).first()


@transaction.atomic
def record_letter(*, content: LetterContent, pdf: bytes) -> DecisionLetter:
    """Store the letter's PDF and its row; once per decision and language (a second run of the
    job, or a second worker, gets the letter already made).

    Raises StorageFailure when the store is down: the job tries again later.
    """
    decision = content.decision
    # The application's row is the lock that makes "once" hold between two workers.
    application = Application.objects.select_for_update().get(pk=decision.application.pk)
    made = existing_letter(decision, language=content.language)
    if made is not None:
        return made
    letter = DecisionLetter(
        application=application,
        kind=decision.kind,
        final=decision.final,
        resolution=decision.resolution,
        review=decision.review,
        language=content.language,
        reconsideration_deadline=content.deadline,
    )
    store(letter.pdf, f"{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    try:
        letter.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        letter.save()
        audit.record(
            actor=None,
            action="letter.made",
            application=application,
            message=content.subject,
            letter=letter.pk,
            kind=letter.kind,
            final=letter.final,
            language=letter.language,
            sha256=letter.pdf_sha256,
        )
    except BaseException:
        discard(letter.pdf.storage, letter.pdf.name)  # no row refers to it
        raise
    return letter


@transaction.atomic
def mark_sent(*, letter: DecisionLetter) -> DecisionLetter:
    """The letter went out by e-mail: when, in the letter and the audit log. Once."""
    locked = DecisionLetter.objects.select_for_update().get(pk=letter.pk)
    if locked.sent_at is not None:
        return locked
    locked.sent_at = timezone.now()
    locked.save(update_fields=["sent_at"])
    audit.record(
        actor=None,
        action="letter.sent",
        application=locked.application,
        message=str(locked.get_kind_display()),
        letter=locked.pk,
        language=locked.language,
    )
    return locked


def file_name(letter: DecisionLetter) -> str:
    """The name a letter is downloaded and attached under, in its own language."""
    with translation.override(letter.language):
        prefix = _("decision-letter")
    number = letter.application.number.replace("/", "-")
    return f"{prefix}-{number}-{timezone.localdate(letter.created):%Y-%m-%d}.pdf"
