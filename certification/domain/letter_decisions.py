"""What a decision letter answers: a jury resolution, a formal rejection, or a formal rejection
upheld on reconsideration, read from the records into one shape the letter is made from."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ..choices import ItemKind, LetterKind, ReconsiderationStatus, ResolutionOutcome, ReviewOutcome
from ..models import (
    Application,
    FormalReview,
    Identity,
    ReconsiderationRequest,
    Resolution,
)
from .reconsideration import deadline_for

KIND_OF_OUTCOME = {
    ResolutionOutcome.GRANTED: LetterKind.GRANT,
    ResolutionOutcome.PARTIALLY_GRANTED: LetterKind.PARTIAL_GRANT,
    ResolutionOutcome.REFUSED: LetterKind.REFUSAL,
}


@dataclass(frozen=True)
class ItemOutcome:
    name: str
    kind_label: object  # a lazy label, read in the letter's language
    granted: bool
    reason: str = ""


@dataclass(frozen=True)
class Decision:
    """What a letter answers, read from the records (or made up for the admin's preview)."""

    kind: str
    final: bool
    application_number: str
    addressee: Identity
    decided_on: datetime.date
    resolution_number: str = ""
    # The resolution's justification, the formal review's note, or the officer's answer to a
    # reconsideration request.
    reasons: str = ""
    # A formal rejection: the defects listed; for a missed corrections deadline, the defects
    # that were to be corrected by it.
    defects: tuple[str, ...] = ()
    missed_deadline: datetime.date | None = None
    # A formal rejection upheld after reconsideration: the rejection and its reasons.
    first_decided_on: datetime.date | None = None
    first_reasons: str = ""
    items: tuple[ItemOutcome, ...] = ()
    application: Application | None = field(default=None, compare=False)
    resolution: Resolution | None = field(default=None, compare=False)
    review: FormalReview | None = field(default=None, compare=False)


# --- reading the decision -------------------------------------------------------------------


def _items(resolution: Resolution) -> tuple[ItemOutcome, ...]:
    return tuple(
        ItemOutcome(
            name=decision.item.name,
            kind_label=ItemKind(decision.item.kind).label,  # lazy: read in the letter's language
            granted=decision.granted,
            reason=decision.reason,
        )
        for decision in resolution.item_decisions.select_related("item").order_by("item_id")
    )


def decision_of_resolution(resolution: Resolution) -> Decision:
    application = resolution.application
    return Decision(
        kind=KIND_OF_OUTCOME[resolution.outcome],
        final=resolution.is_final,
        application_number=application.number,
        addressee=Identity.of(application.organization),
        decided_on=resolution.date,
        resolution_number=resolution.number,
        reasons=resolution.justification,
        items=_items(resolution),
        application=application,
        resolution=resolution,
    )


def _review_reasons(review: FormalReview) -> dict:
    """The reasons of a formal rejection: its note and defects, or the missed deadline."""
    defects = tuple(review.defects.values_list("description", flat=True))
    if review.deadline_missed:
        asked = (
            review.application.reviews.filter(
                outcome=ReviewOutcome.CORRECTIONS, created__lt=review.created
            )
            .order_by("-created", "-pk")
            .first()
        )
        if asked is not None:
            defects += tuple(asked.defects.values_list("description", flat=True))
        return {"reasons": review.note, "defects": defects, "missed_deadline": review.deadline}
    return {"reasons": review.note, "defects": defects}


def decision_of_review(review: FormalReview) -> Decision:
    application = review.application
    return Decision(
        kind=LetterKind.FORMAL_REJECTION,
        final=False,
        application_number=application.number,
        addressee=Identity.of(application.organization),
        decided_on=timezone.localdate(review.created),
        application=application,
        review=review,
        **_review_reasons(review),
    )


def decision_of_reconsideration(request: ReconsiderationRequest) -> Decision | None:
    """The final formal rejection when an officer upholds it; None for anything else (a
    decision the jury takes again is a resolution, with its own letter)."""
    review = request.contested_review
    if review is None or request.status != ReconsiderationStatus.DECIDED or not request.upheld:
        return None
    first = decision_of_review(review)
    return Decision(
        kind=LetterKind.FORMAL_REJECTION,
        final=True,
        application_number=first.application_number,
        addressee=first.addressee,
        decided_on=timezone.localdate(request.decided_at or timezone.now()),
        reasons=request.officer_answer,
        defects=first.defects,
        missed_deadline=first.missed_deadline,
        first_decided_on=first.decided_on,
        first_reasons=first.reasons,
        application=first.application,
        review=review,
    )


def decision_of(
    *,
    resolution_id: int | None = None,
    review_id: int | None = None,
    request_id: int | None = None,
) -> Decision | None:
    """The decision an event names (JURY_DECISION, FORMALLY_REJECTED, RECONSIDERATION_DECIDED);
    None when it calls for no letter."""
    if resolution_id is not None:
        resolution = Resolution.objects.select_related("application__organization").get(
            pk=resolution_id
        )
        return decision_of_resolution(resolution)
    if review_id is not None:
        review = FormalReview.objects.select_related("application__organization").get(pk=review_id)
        return decision_of_review(review) if review.outcome == ReviewOutcome.REJECT else None
    if request_id is not None:
        request = ReconsiderationRequest.objects.select_related(
            "contested_review__application__organization"
        ).get(pk=request_id)
        return decision_of_reconsideration(request)
    raise ValueError("Name the resolution, the review or the reconsideration request.")


def reconsideration_deadline(decision: Decision) -> datetime.date | None:
    """The last day to request reconsideration; none for a grant or a final decision."""
    if decision.final or decision.kind == LetterKind.GRANT:
        return None
    return deadline_for(decided_on=decision.decided_on)
