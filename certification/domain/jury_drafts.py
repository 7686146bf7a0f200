"""A juror's scorecard draft: kept for the juror alone until the scorecard is submitted.

A draft is not an act of the jury: it changes no application's state, no one else can see
it, and no summary, quorum or decision reads it (they read Scorecard, a separate table). So
saving one writes no audit event (every save would otherwise sit in the hash-chained log and
tell others when a juror was working); submitting the scorecard is audited (`jury.scored`)
and deletes the draft.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import Declaration
from ..models import JurorAssignment, Scorecard, ScorecardDraft
from .errors import DomainError
from .jury import locked_assignment

MAX_VALUE_LENGTH = 20_000


@transaction.atomic
def save_scorecard_draft(
    *, assignment: JurorAssignment, juror, data: dict[str, str]
) -> ScorecardDraft:
    """Keep what the juror typed so far (the scorecard form's fields, complete or not)."""
    locked = locked_assignment(assignment, juror)
    if locked.declaration != Declaration.IMPARTIAL:
        raise DomainError(_("Declare your impartiality before scoring."))
    if Scorecard.objects.filter(assignment=locked).exists():
        raise DomainError(_("You have already submitted your scorecard."))
    if any(len(str(value)) > MAX_VALUE_LENGTH for value in data.values()):
        raise DomainError(_("A field of the draft is too long to be saved."))
    draft, _created = ScorecardDraft.objects.update_or_create(
        assignment=locked, defaults={"data": {k: str(v) for k, v in data.items()}}
    )
    return draft


def draft_of(assignment: JurorAssignment) -> ScorecardDraft | None:
    return ScorecardDraft.objects.filter(assignment=assignment).first()
