"""The decision an administrator's text is previewed on: the newest of its kind, or a made-up
one when there is none yet (certification/admin_letters.py)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ItemKind, LetterKind, ReconsiderationStatus, ReviewOutcome
from ..models import FormalReview, Identity, ReconsiderationRequest, Resolution
from .letter_decisions import (
    KIND_OF_OUTCOME,
    Decision,
    ItemOutcome,
    decision_of_reconsideration,
    decision_of_resolution,
    decision_of_review,
)


def _newest(kind: str, final: bool) -> Decision | None:
    if kind == LetterKind.FORMAL_REJECTION and final:
        request = (
            ReconsiderationRequest.objects.filter(
                contested_review__isnull=False,
                status=ReconsiderationStatus.DECIDED,
                upheld=True,
            )
            .select_related("contested_review__application__organization")
            .order_by("-decided_at", "-pk")
            .first()
        )
        return decision_of_reconsideration(request) if request else None
    if kind == LetterKind.FORMAL_REJECTION:
        review = (
            FormalReview.objects.filter(outcome=ReviewOutcome.REJECT)
            .select_related("application__organization")
            .order_by("-created", "-pk")
            .first()
        )
        return decision_of_review(review) if review else None
    outcome = next(o for o, k in KIND_OF_OUTCOME.items() if k == kind)
    resolution = (
        Resolution.objects.filter(outcome=outcome, is_final=final)
        .select_related("application__organization")
        .order_by("-date", "-pk")
        .first()
    )
    return decision_of_resolution(resolution) if resolution else None


def example_decision(*, kind: str, final: bool) -> Decision:
    """A made-up decision of this kind, for previewing a text before any real one exists.

    Its reasons are in the active language: call it under the letter's language.
    """
    today = timezone.localdate()
    addressee = Identity.of_values(
        name="Spółdzielnia Socjalna „Przykładowa”",
        nip="6340000000",
        krs="0000123456",
        street="ul. Przykładowa 1",
        postal_code="40-001",
        town="Katowice",
    )
    common = {
        "kind": kind,
        "final": final,
        "application_number": f"W/{today.year}/00001",
        "addressee": addressee,
        "decided_on": today,
    }
    if kind == LetterKind.FORMAL_REJECTION:
        reasons = _("The organisation has been active for less than six months.")
        if final:
            return Decision(
                **common,
                reasons=_("The request brings no new facts: the first decision stands."),
                first_decided_on=today - datetime.timedelta(days=20),
                first_reasons=reasons,
            )
        return Decision(**common, reasons=reasons)
    granted = kind == LetterKind.GRANT
    refused_reason = _("The recommendation letters do not concern this service.")
    items = (
        ItemOutcome(_("Catering for events"), ItemKind.SERVICE.label, True),
        ItemOutcome(
            _("Gardening services"),
            ItemKind.SERVICE.label,
            granted,
            "" if granted else refused_reason,
        ),
    )
    if kind == LetterKind.REFUSAL:
        items = tuple(
            ItemOutcome(i.name, i.kind_label, False, i.reason or refused_reason) for i in items
        )
    return Decision(
        **common,
        resolution_number=f"1/{today.year}",
        reasons=_("The jury assessed the application against the scheme's criteria."),
        items=items,
    )


def preview_decision(*, kind: str, final: bool) -> Decision:
    """The newest decision of this kind, or a made-up one when there is none yet."""
    return _newest(kind, final) or example_decision(kind=kind, final=final)
