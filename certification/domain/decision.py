import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import ApplicationStatus, Declaration, ReconsiderationStatus, ResolutionOutcome
from ..models import (
    Application,
    ApplicationItem,
    Certificate,
    ItemDecision,
    Membership,
    ReconsiderationRequest,
    Resolution,
)
from . import audit
from .errors import DomainError


def in_force(application: Application) -> Resolution | None:
    """The resolution that now decides the application: the newest one not corrected since."""
    return (
        Resolution.objects.filter(application=application, superseded_by__isnull=True)
        .order_by("-date", "-pk")
        .first()
    )


def _check_impartial(application: Application, user) -> None:
    """Whoever records the resolution has no conflict with the applicant."""
    if Membership.objects.filter(organization_id=application.organization_id, user=user).exists():
        raise DomainError(
            _("You are a member of the applicant organisation: you cannot record its resolution.")
        )
    if application.assignments.filter(juror=user, declaration=Declaration.RECUSED).exists():
        raise DomainError(
            _("You recused yourself from this application: you cannot record its resolution.")
        )


@transaction.atomic
def record_resolution(
    *,
    application: Application,
    user,
    number: str,
    date: datetime.date,
    votes_for: int,
    votes_against: int,
    votes_abstaining: int,
    granted_items: Iterable[ApplicationItem],
    justification: str,
) -> Resolution:
    """The jury's resolution; it may grant some of the items. One per application, and a
    second, final one on the applicant's request to reconsider the first."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    # The second, final decision on a request to reconsider the first (reconsideration.py).
    request = (
        ReconsiderationRequest.objects.select_for_update(of=("self",))
        .filter(
            application=locked,
            status=ReconsiderationStatus.PENDING,
            contested_resolution__isnull=False,
        )
        .select_related("contested_resolution")
        .first()
        if locked.status == ApplicationStatus.RECONSIDERATION
        else None
    )
    if request is None:
        if Resolution.objects.filter(application=locked).exists():
            raise DomainError(_("The jury has already decided on this application."))
        if locked.status != ApplicationStatus.DECISION:
            raise DomainError(_("This application is not awaiting the jury's decision."))
    elif date < request.contested_resolution.date:
        raise DomainError(
            _("The second decision cannot be dated before the first one (%(date)s).")
            % {"date": request.contested_resolution.date.isoformat()},
            field="date",
        )
    _check_impartial(locked, user)
    if not number.strip():
        raise DomainError(_("Give the resolution's number."), field="number")
    if date > timezone.localdate():
        raise DomainError(_("The resolution's date cannot be in the future."), field="date")
    if min(votes_for, votes_against, votes_abstaining) < 0 or (
        votes_for + votes_against + votes_abstaining == 0
    ):
        raise DomainError(_("Record the votes cast."), field="votes_for")
    if not justification.strip():
        raise DomainError(_("Give the justification of the decision."), field="justification")
    granted = list(granted_items)
    all_items = set(locked.items.values_list("pk", flat=True))
    if any(item.pk not in all_items for item in granted):
        raise DomainError(
            _("Only items of this application can be granted."), field="granted_items"
        )
    if granted and votes_for <= votes_against:
        raise DomainError(
            _("Granting the mark needs more votes for than against."), field="votes_for"
        )
    if not granted:
        outcome = ResolutionOutcome.REFUSED
    elif len({i.pk for i in granted}) == len(all_items):
        outcome = ResolutionOutcome.GRANTED
    else:
        outcome = ResolutionOutcome.PARTIALLY_GRANTED
    resolution = Resolution.objects.create(
        application=locked,
        number=number.strip(),
        date=date,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstaining=votes_abstaining,
        outcome=outcome,
        justification=justification.strip(),
        is_final=request is not None,
        recorded_by=user,
    )
    granted_ids = {item.pk for item in granted}
    ItemDecision.objects.bulk_create(
        ItemDecision(
            resolution=resolution,
            item_id=pk,
            granted=pk in granted_ids,
            reason="" if pk in granted_ids else resolution.justification,
        )
        for pk in sorted(all_items)
    )
    if request is None:
        locked.decided_at = timezone.now()
        locked.save(update_fields=["decided_at"])
        to_state = (
            ApplicationStatus.REFUSED
            if outcome == ResolutionOutcome.REFUSED
            else ApplicationStatus.GRANTED
        )
    else:
        # decided_at keeps the first decision: the decision clock measures that one.
        request.status = ReconsiderationStatus.DECIDED
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
        # A partial grant's certificate stands; the flow adds any newly granted items to it.
        if Certificate.objects.filter(application=locked).exists():
            to_state = ApplicationStatus.CERTIFIED
        elif granted:
            to_state = ApplicationStatus.GRANTED
        else:
            to_state = ApplicationStatus.REFUSED
    audit.change_status(
        application=locked,
        actor=user,
        action=f"resolution.{outcome}",
        to_state=to_state,
        message=resolution.number,
        **({"final": True, "request": request.pk} if request is not None else {}),
    )
    events.announce(events.JURY_DECISION, resolution_id=resolution.pk)
    return resolution
