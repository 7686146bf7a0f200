import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import ApplicationStatus, ReviewOutcome
from ..models import Application, Defect, Document, FormalReview, SchemeRules
from . import audit, item_codes
from .applications import completeness_problems
from .document_age import date_problems
from .errors import DomainError
from .membership import check_acts_for_applicant

NEXT_STATUS = {
    ReviewOutcome.ACCEPT: ApplicationStatus.JURY_ASSIGNMENT,
    ReviewOutcome.CORRECTIONS: ApplicationStatus.CORRECTIONS,
    ReviewOutcome.REJECT: ApplicationStatus.REJECTED,
}
# What each outcome announces (the applicant is e-mailed about it).
NOTIFY = {
    ReviewOutcome.ACCEPT: events.FORMALLY_ACCEPTED,
    ReviewOutcome.CORRECTIONS: events.RETURNED_FOR_CORRECTIONS,
    ReviewOutcome.REJECT: events.FORMALLY_REJECTED,
}


def checklist_for(document_type) -> list[str]:
    """The formal criteria the officer checks in a document of this type: the type's own list
    (one per line, set by the administrator), or else the general one."""
    own = [line.strip() for line in document_type.review_checklist.splitlines() if line.strip()]
    if own:
        return own
    general = [
        _("Signed by a person entitled to represent the applicant."),
        _("Current: issued recently enough, and still in force."),
        _("The applicant's name, NIP and KRS number match the application."),
        _("Legible and complete: every page, nothing cut off."),
    ]
    if document_type.per_item:
        general.append(_("Concerns the product or service it is attached to."))
    return general


def document_checklists(documents) -> list[tuple]:
    """(document type, its documents, the criteria to check), one per type, in their order."""
    by_type: dict = {}
    for document in documents:
        by_type.setdefault(document.document_type, []).append(document)
    return [
        (kind, docs, checklist_for(kind))
        for kind, docs in sorted(by_type.items(), key=lambda pair: (pair[0].position, pair[0].pk))
    ]


def outcome_problems(
    *,
    outcome: str | None,
    note: str = "",
    defects: list[tuple[Document | None, str]] | None = None,
    deadline: datetime.date | None = None,
) -> list[DomainError]:
    """Every rule an outcome breaks together with the other answers of the review, all at once.

    The form asks this too, so that such a message comes with the fields' own on the first
    sending, not only after the officer has corrected those. Needs no database.
    """
    problems = []
    if outcome == ReviewOutcome.CORRECTIONS:
        if not any(text and text.strip() for _doc, text in defects or []):
            problems.append(
                DomainError(
                    _("List at least one defect for the applicant to correct."), field="defects"
                )
            )
        if deadline is not None and deadline <= timezone.localdate():
            problems.append(
                DomainError(_("The corrections deadline must be in the future."), field="deadline")
            )
    elif outcome == ReviewOutcome.REJECT and not (note or "").strip():
        problems.append(DomainError(_("Give the reason for the formal rejection."), field="note"))
    return problems


@transaction.atomic
def record_formal_review(
    *,
    application: Application,
    officer,
    outcome: str,
    note: str = "",
    defects: list[tuple[Document | None, str]] | None = None,
    deadline: datetime.date | None = None,
) -> FormalReview:
    """The officer's verdict on a submitted file: accept, ask for corrections, or reject."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise DomainError(_("This application is not awaiting a formal review."))
    defects = [(doc, text.strip()) for doc, text in (defects or []) if text and text.strip()]
    today = timezone.localdate()
    problems = outcome_problems(outcome=outcome, note=note, defects=defects, deadline=deadline)
    if problems:
        raise problems[0]
    if outcome == ReviewOutcome.CORRECTIONS:
        deadline = deadline or today + datetime.timedelta(
            days=SchemeRules.current().corrections_days
        )
    elif outcome == ReviewOutcome.REJECT:
        deadline = None
    elif outcome == ReviewOutcome.ACCEPT:
        problems = completeness_problems(locked)
        if problems:
            raise DomainError(
                _("The file cannot be accepted while it is incomplete: %(problems)s")
                % {"problems": " ".join(p.message for p in problems)}
            )
        deadline = None
        defects = []
    else:
        raise DomainError(_("Choose the outcome of the review."), field="outcome")
    for document, _text in defects:
        if document is not None and document.application_id != locked.pk:
            raise DomainError(_("A defect points to a document of another application."))

    review = FormalReview.objects.create(
        application=locked, officer=officer, outcome=outcome, note=note.strip(), deadline=deadline
    )
    Defect.objects.bulk_create(
        [Defect(review=review, document=doc, description=text) for doc, text in defects]
    )
    locked.corrections_deadline = deadline
    if outcome == ReviewOutcome.ACCEPT:
        locked.complete_at = timezone.now()
        # Accepting the file confirms its products' CPV codes as they stand.
        item_codes.confirm_remaining(application=locked, officer=officer)
    locked.save(update_fields=["corrections_deadline", "complete_at"])
    audit.change_status(
        application=locked,
        actor=officer,
        action=f"review.{outcome}",
        to_state=NEXT_STATUS[outcome],
        message=note,
        defects=len(defects),
    )
    events.announce(NOTIFY[outcome], review_id=review.pk)
    return review


def _corrections_review(application: Application, user) -> tuple[Application, FormalReview]:
    """The locked application awaiting this member's corrections, and the review asking them."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.CORRECTIONS:
        raise DomainError(_("This application is not waiting for corrections."))
    check_acts_for_applicant(
        application=locked,
        user=user,
        message=_("Only a member of the organisation can answer the corrections."),
    )
    return locked, locked.reviews.filter(outcome=ReviewOutcome.CORRECTIONS).last()


@transaction.atomic
def save_corrections_answer(*, application: Application, user, answer: str) -> FormalReview:
    """Keep the applicant's unfinished answer to the reviewer; sending it is submit_corrections."""
    _locked, review = _corrections_review(application, user)
    review.answer = answer.strip()
    # Unsent text is not yet a step of the application; sending it is audited.
    review.save(update_fields=["answer"])
    return review


@transaction.atomic
def submit_corrections(*, application: Application, user, answer: str = "") -> Application:
    """The applicant sends the corrected file back for another formal review."""
    locked, review = _corrections_review(application, user)
    stale = date_problems(locked, timezone.localdate())
    if stale:
        raise DomainError(
            _("Some documents are too old or undated: %(problems)s")
            % {"problems": " ".join(p.message for p in stale)}
        )
    review.answer = answer.strip()
    review.answered_at = timezone.now()
    review.save(update_fields=["answer", "answered_at"])
    locked.corrections_deadline = None
    locked.save(update_fields=["corrections_deadline"])
    audit.change_status(
        application=locked,
        actor=user,
        action="application.corrected",
        to_state=ApplicationStatus.SUBMITTED,
        message=answer,
    )
    events.announce(events.CORRECTIONS_RECEIVED, application_id=locked.pk)
    return locked


@transaction.atomic
def reject_missed_deadline(*, application: Application, today: datetime.date) -> FormalReview:
    """The formal rejection the rules make automatic when corrections miss their deadline.

    The applicant has the whole last day: only a deadline before `today` is missed.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.CORRECTIONS:
        raise DomainError(_("This application is not waiting for corrections."))
    deadline = locked.corrections_deadline
    if deadline is None or deadline >= today:
        raise DomainError(_("The corrections deadline has not passed yet."))
    review = FormalReview.objects.create(
        application=locked, officer=None, outcome=ReviewOutcome.REJECT, deadline=deadline
    )
    locked.corrections_deadline = None
    locked.save(update_fields=["corrections_deadline"])
    audit.change_status(
        application=locked,
        actor=None,
        action="review.deadline_missed",
        to_state=ApplicationStatus.REJECTED,
        deadline=deadline.isoformat(),
    )
    events.announce(events.FORMALLY_REJECTED, review_id=review.pk)
    return review
