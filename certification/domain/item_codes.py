"""The CPV codes of each product or service: chosen by the applicant, confirmed by an officer.

The applicant sets an item's codes while the application is a draft; at least one per item is
needed to submit (applications.completeness_problems). At formal review an officer confirms or
corrects them (`confirm_item_codes`); accepting the file confirms the codes as they stand
(`confirm_remaining`, called by review.record_formal_review). Every change is audited with the
codes before and after.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus
from ..models import Application, ApplicationItem, CpvCode, ItemCpvCode
from ..permissions import is_officer
from . import audit
from .applications import _locked_draft, add_item
from .errors import DomainError

# An item is one product or service: a handful of codes describe it; more is a catalogue.
MAX_CODES_PER_ITEM = 10


def codes_of(item: ApplicationItem) -> list[str]:
    """The item's codes as in a tender notice (55520000-1), from a prefetch if there is one."""
    return [link.cpv.full_code for link in item.cpv_links.all()]


def _check_count(codes: list[CpvCode]) -> None:
    if len(codes) > MAX_CODES_PER_ITEM:
        raise DomainError(
            _("Give at most %(max)d CPV codes for one product or service.")
            % {"max": MAX_CODES_PER_ITEM},
            field="cpv",
        )


def _replace(item: ApplicationItem, codes: list[CpvCode], *, confirmed_by=None) -> list[str]:
    """Make the item's codes exactly `codes`; returns the codes it had before."""
    before = [
        f"{code}-{check}"
        for code, check in item.cpv_links.order_by("cpv_id").values_list(
            "cpv_id", "cpv__check_digit"
        )
    ]
    item.cpv_links.exclude(cpv__in=codes).delete()
    now = timezone.now() if confirmed_by is not None else None
    kept = set(item.cpv_links.values_list("cpv_id", flat=True))
    ItemCpvCode.objects.bulk_create(
        ItemCpvCode(item=item, cpv=code, confirmed_by=confirmed_by, confirmed_at=now)
        for code in codes
        if code.code not in kept
    )
    if confirmed_by is not None:
        item.cpv_links.filter(confirmed_at__isnull=True).update(
            confirmed_by=confirmed_by, confirmed_at=now
        )
    else:
        # The applicant's change: what an officer confirmed is to be confirmed again.
        item.cpv_links.update(confirmed_by=None, confirmed_at=None)
    return before


@transaction.atomic
def set_item_codes(*, item: ApplicationItem, user, codes: list[CpvCode]) -> ApplicationItem:
    """The applicant's codes for an item of a draft (they replace the ones it had)."""
    locked = _locked_draft(item.application, user)
    _check_count(codes)
    before = _replace(item, codes)
    after = sorted(code.full_code for code in codes)
    if before != after:
        audit.record(
            actor=user,
            action="application.item_codes_set",
            application=locked,
            message=item.name,
            item=item.pk,
            before=before,
            after=after,
        )
    return item


@transaction.atomic
def add_item_with_codes(
    *, application: Application, user, name: str, kind: str, description: str, codes: list[CpvCode]
) -> ApplicationItem:
    """A new item of a draft and its codes, together or not at all."""
    item = add_item(
        application=application, user=user, name=name, kind=kind, description=description
    )
    if codes:
        set_item_codes(item=item, user=user, codes=codes)
    return item


@transaction.atomic
def confirm_item_codes(*, item: ApplicationItem, officer, codes: list[CpvCode]) -> ApplicationItem:
    """An officer confirms an item's codes at formal review, correcting them if needed."""
    locked = Application.objects.select_for_update().get(pk=item.application_id)
    if not is_officer(officer) or locked.organization.members.filter(pk=officer.pk).exists():
        raise DomainError(_("Only an officer reviewing the application can confirm its codes."))
    if locked.status != ApplicationStatus.SUBMITTED:
        raise DomainError(
            _("CPV codes are confirmed at formal review; this application is not awaiting it.")
        )
    if not codes:
        raise DomainError(_("Give at least one CPV code."), field="cpv")
    _check_count(codes)
    before = _replace(item, codes, confirmed_by=officer)
    audit.record(
        actor=officer,
        action="application.item_codes_confirmed",
        application=locked,
        message=item.name,
        item=item.pk,
        before=before,
        after=sorted(code.full_code for code in codes),
    )
    return item


def confirm_remaining(*, application: Application, officer) -> int:
    """Accepting the file confirms the codes not yet confirmed; returns how many. Runs in the
    caller's transaction (the formal review's)."""
    links = ItemCpvCode.objects.filter(item__application=application, confirmed_at__isnull=True)
    confirmed = sorted(
        f"{code}-{check}" for code, check in links.values_list("cpv_id", "cpv__check_digit")
    )
    if not confirmed:
        return 0
    count = links.update(confirmed_by=officer, confirmed_at=timezone.now())
    audit.record(
        actor=officer,
        action="application.item_codes_confirmed",
        application=application,
        after=confirmed,
    )
    return count
