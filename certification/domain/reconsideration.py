"""Reconsideration of a refusal, partial grant or formal rejection: the applicant's one request.

Within the scheme's number of days after the decision (inclusive), a member of the applicant
organisation may ask, once per decision and with reasons, for the decision to be taken again.
A jury decision goes back to the jury (its second resolution is final: decision.py); a formal
rejection goes back to an officer, who upholds it for good or overturns it (the application goes
on to the jury, whose decision is then a first decision of its own).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import (
    FINAL_STATUSES,
    ApplicationStatus,
    ReconsiderationStatus,
    ResolutionOutcome,
    ReviewOutcome,
)
from ..models import (
    Application,
    FormalReview,
    Membership,
    ReconsiderationAttachment,
    ReconsiderationRequest,
    Resolution,
    SchemeRules,
)
from ..permissions import is_officer
from ..storage import StorageFailure, discard, store
from . import audit, decision
from .errors import DomainError
from .file_checks import check_upload, display_name
from .membership import check_member

# A request is a letter, not a second application: a few files, a few pages of reasons.
MAX_ATTACHMENTS = 10
REASONS_MAX_LENGTH = 10_000
ANSWER_MAX_LENGTH = 10_000


def deadline_for(*, decided_on: datetime.date) -> datetime.date:
    """The last day a request may be filed: the scheme's number of days after the decision."""
    return decided_on + datetime.timedelta(days=SchemeRules.current().reconsideration_days)


@dataclass(frozen=True)
class Contestable:
    """A decision the applicant may ask to be reconsidered: a jury resolution (refusal or
    partial grant) or a formal review (rejection), and the last day to ask."""

    resolution: Resolution | None
    review: FormalReview | None
    decided_on: datetime.date
    deadline: datetime.date

    @property
    def by_jury(self) -> bool:
        return self.resolution is not None


def _contestable_resolution(application: Application) -> Resolution | None:
    resolution = decision.in_force(application)
    if resolution is None or resolution.is_final:
        return None
    if application.status == ApplicationStatus.REFUSED:
        wanted = ResolutionOutcome.REFUSED
    elif application.status == ApplicationStatus.CERTIFIED:
        # A partial grant is contested once its certificate is issued: the flow waits there.
        wanted = ResolutionOutcome.PARTIALLY_GRANTED
    else:
        return None
    return resolution if resolution.outcome == wanted else None


def _contestable_review(application: Application) -> FormalReview | None:
    if application.status != ApplicationStatus.REJECTED:
        return None
    return (
        application.reviews.filter(outcome=ReviewOutcome.REJECT).order_by("-created", "-pk").first()
    )


def contestable_decision(application: Application) -> Contestable | None:
    """The decision now standing that may still be contested, whatever the date: a refusal, a
    partial grant (once certified) or a formal rejection that is not itself a second decision
    and has no request yet. The flow asks this to open the applicant's window."""
    resolution = _contestable_resolution(application)
    review = None if resolution is not None else _contestable_review(application)
    if resolution is not None:
        if ReconsiderationRequest.objects.filter(contested_resolution=resolution).exists():
            return None
        decided_on = resolution.date
    elif review is not None:
        # A formal rejection upheld on reconsideration is final: its request is decided.
        if ReconsiderationRequest.objects.filter(contested_review=review).exists():
            return None
        decided_on = timezone.localdate(review.created)
    else:
        return None
    return Contestable(resolution, review, decided_on, deadline_for(decided_on=decided_on))


def may_request(
    application: Application, *, today: datetime.date | None = None
) -> tuple[Contestable | None, str]:
    """(the decision that may be contested today, "") or (None, why not)."""
    today = today or timezone.localdate()
    contestable = contestable_decision(application)
    if contestable is not None:
        if today > contestable.deadline:
            return None, _(
                "The time to request reconsideration ended on %(date)s: the decision stands."
            ) % {"date": formats.date_format(contestable.deadline, "j E Y")}
        return contestable, ""
    if pending_request(application) is not None:
        return None, _("Reconsideration has been requested; the second decision is awaited.")
    in_force = decision.in_force(application)
    settled = application.reconsiderations.exists() or (in_force is not None and in_force.is_final)
    if settled and application.status in FINAL_STATUSES:
        return None, _("This decision was taken on reconsideration: it is final.")
    return None, _("Only a refusal, a partial grant or a formal rejection can be reconsidered.")


def pending_request(application: Application) -> ReconsiderationRequest | None:
    """The request awaiting its second decision, if any (at most one at a time)."""
    return (
        application.reconsiderations.filter(status=ReconsiderationStatus.PENDING)
        .select_related("contested_resolution", "contested_review")
        .first()
    )


def _clean_text(text: str, *, field: str, required: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(required, field=field)
    if len(text) > limit:
        raise DomainError(_("Keep it to at most %(max)d characters.") % {"max": limit}, field=field)
    return text


def _checked_attachments(attachments: Sequence[UploadedFile]):
    """Each file checked like an application document; a refusal names the file."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(
            _("Attach at most %(max)d files.") % {"max": MAX_ATTACHMENTS}, field="attachments"
        )
    checked, total = [], 0
    for uploaded in attachments:
        try:
            result = check_upload(uploaded)
        except DomainError as error:
            raise DomainError(
                _("“%(name)s”: %(problem)s") % {"name": uploaded.name, "problem": error.message},
                field="attachments",
            ) from error
        total += result.size
        checked.append((uploaded, result))
    limit = settings.MAX_APPLICATION_DOCUMENTS_SIZE
    if total > limit:
        raise DomainError(
            _("The attached files together may take up to %(limit)s; these take %(total)s.")
            % {"limit": filesizeformat(limit), "total": filesizeformat(total)},
            field="attachments",
        )
    return checked


def _already_requested() -> DomainError:
    return DomainError(
        _("Reconsideration of this decision has already been requested; it can be asked once.")
    )


def file_request(
    *,
    application: Application,
    user,
    reasons: str,
    attachments: Sequence[UploadedFile] = (),
    today: datetime.date | None = None,
) -> ReconsiderationRequest:
    """The applicant's reasoned request, with its files, stored together: if anything fails,
    neither the request nor any of its files remains."""
    check_member(
        organization_id=application.organization_id,
        user=user,
        message=_("Only a member of the organisation can request reconsideration."),
    )
    reasons = _clean_text(
        reasons,
        field="reasons",
        required=_("Give the reasons why the decision should be taken again."),
        limit=REASONS_MAX_LENGTH,
    )
    checked = _checked_attachments(list(attachments))
    today = today or timezone.localdate()
    stored: list[ReconsiderationAttachment] = []
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            contestable, problem = may_request(locked, today=today)
            if contestable is None:
                raise DomainError(problem)
            try:
                with transaction.atomic():
                    request = ReconsiderationRequest.objects.create(
                        application=locked,
                        contested_resolution=contestable.resolution,
                        contested_review=contestable.review,
                        reasons=reasons,
                        filed_by=user,
                        deadline=contestable.deadline,
                    )
            except IntegrityError:  # a request for this decision committed meanwhile
                raise _already_requested() from None
            for uploaded, result in checked:
                attachment = ReconsiderationAttachment(
                    request=request,
                    original_name=display_name(uploaded.name, result),
                    content_type=result.content_type,
                    size=result.size,
                    sha256=result.sha256,
                )
                try:
                    store(attachment.file, f"upload{result.suffix}", uploaded)
                except StorageFailure as error:
                    raise DomainError(
                        _(
                            "The files could not be saved: the document store is unavailable "
                            "at the moment. Nothing has been saved; please try again in a few "
                            "minutes."
                        ),
                        field="attachments",
                    ) from error
                stored.append(attachment)
                attachment.save()
            audit.change_status(
                application=locked,
                actor=user,
                action="reconsideration.filed",
                to_state=ApplicationStatus.RECONSIDERATION,
                message=reasons[:500],
                request=request.pk,
                attachments=len(stored),
            )
            events.announce(events.RECONSIDERATION_FILED, request_id=request.pk)
    except Exception:
        for attachment in stored:
            discard(attachment.file.storage, attachment.file.name)
        raise
    return request


def _check_officer(application: Application, officer) -> None:
    if officer is None or not is_officer(officer):
        raise DomainError(_("Only a ROPS officer can decide on a reconsideration request."))
    if Membership.objects.filter(
        organization_id=application.organization_id, user=officer
    ).exists():
        raise DomainError(
            _("You are a member of the applicant organisation: you cannot decide its request.")
        )


@transaction.atomic
def decide_formal_reconsideration(
    *, officer, request: ReconsiderationRequest, uphold: bool, answer: str
) -> ReconsiderationRequest:
    """An officer's second, final word on a formal rejection: upheld (rejected for good) or
    overturned (formally accepted: the application goes on to the jury)."""
    locked = Application.objects.select_for_update().get(pk=request.application_id)
    _check_officer(locked, officer)
    request = ReconsiderationRequest.objects.select_for_update().get(pk=request.pk)
    if (
        request.status != ReconsiderationStatus.PENDING
        or request.contested_review_id is None
        or locked.status != ApplicationStatus.RECONSIDERATION
    ):
        raise DomainError(_("This request is not awaiting an officer's decision."))
    if uphold not in (True, False):
        raise DomainError(_("Choose whether the rejection stands."), field="uphold")
    answer = _clean_text(
        answer,
        field="answer",
        required=_("Give the applicant your answer: the reasons for the second decision."),
        limit=ANSWER_MAX_LENGTH,
    )
    request.status = ReconsiderationStatus.DECIDED
    request.decided_at = timezone.now()
    request.officer_answer = answer
    request.upheld = uphold
    request.save(update_fields=["status", "decided_at", "officer_answer", "upheld"])
    if not uphold and locked.complete_at is None:
        # Formally accepted now: the decision clock starts.
        locked.complete_at = timezone.now()
        locked.save(update_fields=["complete_at"])
    audit.change_status(
        application=locked,
        actor=officer,
        action="reconsideration.upheld" if uphold else "reconsideration.overturned",
        to_state=ApplicationStatus.REJECTED if uphold else ApplicationStatus.JURY_ASSIGNMENT,
        message=answer[:500],
        request=request.pk,
    )
    events.announce(events.RECONSIDERATION_DECIDED, request_id=request.pk)
    return request


@transaction.atomic
def close_window(*, application: Application, today: datetime.date) -> Contestable:
    """The day after the deadline passed with no request: the decision stands for good.

    Nothing changes but the record of it (the status already says refused, rejected or
    certified); the flow then ends.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    contestable = contestable_decision(locked)
    if contestable is None:
        raise DomainError(_("There is no decision awaiting a reconsideration request."))
    if today <= contestable.deadline:
        raise DomainError(_("The time to request reconsideration has not ended yet."))
    audit.record(
        actor=None,
        action="reconsideration.window_closed",
        application=locked,
        message=contestable.deadline.isoformat(),
    )
    return contestable
