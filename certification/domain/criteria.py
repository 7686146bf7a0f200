"""Versions of the scoring criteria: a round scores by the version in force when it started.

A version put in force, or used by any application, is never edited again: the administrator
makes a new version (a draft copying one), edits the draft, and puts it in force. Applications
already being scored keep theirs (Application.criteria_version).
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Application, CriteriaVersion, Criterion
from . import audit
from .errors import DomainError

COPIED_FIELDS = [
    "scope",
    "name_pl",
    "name_en",
    "description_pl",
    "description_en",
    "min_points",
    "max_points",
    "weight",
    "minimum_average",
    "position",
    "active",
]


def current_version() -> CriteriaVersion | None:
    """The newest version put in force."""
    return CriteriaVersion.objects.filter(in_force_from__isnull=False).order_by("-number").first()


def criteria_of(version: CriteriaVersion | None):
    return Criterion.objects.filter(version=version, active=True)


def is_used(version: CriteriaVersion) -> bool:
    return Application.objects.filter(criteria_version=version).exists()


def is_editable(version: CriteriaVersion | None) -> bool:
    """Only a draft, never in force and used by no application, may be edited."""
    return (
        version is not None
        and version.pk is not None
        and version.in_force_from is None
        and not is_used(version)
    )


def _snapshot(version: CriteriaVersion) -> list[dict]:
    return [
        {name: str(getattr(c, name)) for name in ["pk", *COPIED_FIELDS]}
        for c in version.criteria.all()
    ]


@transaction.atomic
def new_version(*, user, note: str = "", source: CriteriaVersion | None = None) -> CriteriaVersion:
    """A draft, not in force, copying the criteria of `source` (the version in force if none)."""
    # Numbers are given under a lock so two administrators never make the same one.
    list(CriteriaVersion.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    draft = CriteriaVersion.objects.filter(in_force_from__isnull=True).first()
    if draft is not None:
        raise DomainError(
            _("Version %(n)d is a draft not yet in force: edit it, or put it in force first.")
            % {"n": draft.number}
        )
    source = source or current_version()
    number = (CriteriaVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CriteriaVersion.objects.create(number=number, note=note.strip())
    if source is not None:
        Criterion.objects.bulk_create(
            Criterion(version=version, **{name: getattr(c, name) for name in COPIED_FIELDS})
            for c in source.criteria.all()
        )
    audit.record(
        actor=user,
        action="criteria.version_created",
        message=version.note,
        version=version.number,
        copied_from=source.number if source else None,
    )
    return version


@transaction.atomic
def put_in_force(*, version: CriteriaVersion, user) -> CriteriaVersion:
    """From now on every new scoring round uses this version; rounds under way keep theirs."""
    locked = CriteriaVersion.objects.select_for_update().get(pk=version.pk)
    if locked.in_force_from is not None:
        raise DomainError(_("This version has already been put in force."))
    if not criteria_of(locked).exists():
        raise DomainError(_("A version without a criterion in use cannot be put in force."))
    current = current_version()
    if current is not None and current.number > locked.number:
        raise DomainError(_("A newer version is already in force."))
    locked.in_force_from = timezone.now()
    locked.save(update_fields=["in_force_from"])
    audit.record(
        actor=user,
        action="criteria.version_in_force",
        message=locked.note,
        version=locked.number,
        replaces=current.number if current else None,
        criteria=_snapshot(locked),
    )
    return locked
