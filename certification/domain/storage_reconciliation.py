"""Storage and database agree: no object without a row, and we know of every row without one.

An upload stores the object first and commits its row after; a store that dies between the two
(or before the app could delete the object again) leaves an object nobody refers to. The
reverse, a row whose object is gone, is never repaired here: only reported, for a person to
look at (see docs/operations.md).

Safe beside uploads in progress: an object younger than the threshold is never removed (its
row may not be committed yet), and each object is checked again for a row right before it goes.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from ..storage import STORAGE_ERRORS, StoredObject, stored_objects
from . import audit

DEFAULT_THRESHOLD = datetime.timedelta(hours=1)
# Names kept in the audit event; the count is always complete.
AUDITED_NAMES = 1000


@dataclass(frozen=True)
class MissingObject:
    """A row that refers to a file the storage does not have."""

    model: str  # app_label.ModelName
    pk: int
    field: str
    name: str


@dataclass
class Survey:
    listed: int
    referenced: int
    orphans: list[StoredObject]  # no row refers to them, older than the threshold
    young: list[StoredObject]  # no row refers to them (yet), younger than the threshold
    missing: list[MissingObject]


@dataclass
class Reconciliation:
    survey: Survey
    dry_run: bool
    removed: list[str] = field(default_factory=list)
    would_remove: list[str] = field(default_factory=list)  # in a dry run
    referenced_meanwhile: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def file_fields() -> list[tuple[type[models.Model], str]]:
    """Every FileField of every installed model that keeps its files in the default storage."""
    return [
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField) and f.storage is default_storage
    ]


def _referred_to(name: str) -> bool:
    return any(
        model._base_manager.filter(**{field_name: name}).exists()
        for model, field_name in file_fields()
    )


def _references() -> dict[str, tuple[str, int, str]]:
    """Each stored name a row refers to, with the (first) row that does."""
    found = {}
    for model, field_name in file_fields():
        rows = (
            model._base_manager.exclude(**{field_name: ""})
            .exclude(**{f"{field_name}__isnull": True})
            .values_list("pk", field_name)
        )
        for pk, name in rows.iterator(chunk_size=2000):
            found.setdefault(name, (model._meta.label, pk, field_name))
    return found


def survey(
    *, older_than: datetime.timedelta = DEFAULT_THRESHOLD, now: datetime.datetime | None = None
) -> Survey:
    """What is stored without a row, and which rows have no object. Changes nothing.

    The storage is listed before the rows are read: an upload finishing in between then has
    its row read too, rather than looking like an orphan.
    """
    stored = list(stored_objects(default_storage))
    references = _references()
    cutoff = (now or timezone.now()) - older_than
    unreferenced = [obj for obj in stored if obj.name not in references]
    names = {obj.name for obj in stored}
    missing = [
        MissingObject(model=label, pk=pk, field=field_name, name=name)
        for name, (label, pk, field_name) in sorted(references.items())
        if name not in names and _still_missing(name)
    ]
    return Survey(
        listed=len(stored),
        referenced=len(references),
        orphans=[obj for obj in unreferenced if obj.modified < cutoff],
        young=[obj for obj in unreferenced if obj.modified >= cutoff],
        missing=missing,
    )


def _still_missing(name: str) -> bool:
    # A document removed meanwhile: its row went first, its object after the commit.
    return _referred_to(name) and not default_storage.exists(name)


def remove_orphans(*, found: Survey, dry_run: bool = False) -> Reconciliation:
    """Delete the orphans of `found`, each only if still no row refers to it; audit the removal."""
    result = Reconciliation(survey=found, dry_run=dry_run)
    for obj in found.orphans:
        if _referred_to(obj.name):
            result.referenced_meanwhile.append(obj.name)
            continue
        if dry_run:
            result.would_remove.append(obj.name)
            continue
        try:
            default_storage.delete(obj.name)
        except STORAGE_ERRORS:
            result.failed.append(obj.name)
        else:
            result.removed.append(obj.name)
    if result.removed or result.failed:
        _audit(result)
    return result


@transaction.atomic
def _audit(result: Reconciliation) -> None:
    audit.record(
        actor=None,
        action="storage.reconciled",
        message=(
            f"Removed {len(result.removed)} stored file(s) no record refers to; "
            f"{len(result.failed)} could not be removed; "
            f"{len(result.survey.missing)} record(s) refer to a missing file."
        ),
        removed=result.removed[:AUDITED_NAMES],
        removed_count=len(result.removed),
        failed=result.failed[:AUDITED_NAMES],
        missing=[
            {"model": m.model, "pk": m.pk, "field": m.field, "name": m.name}
            for m in result.survey.missing[:AUDITED_NAMES]
        ],
    )


def reconcile_storage(
    *,
    older_than: datetime.timedelta = DEFAULT_THRESHOLD,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
) -> Reconciliation:
    """Remove stored files no row refers to, older than `older_than`; report rows without one."""
    return remove_orphans(found=survey(older_than=older_than, now=now), dry_run=dry_run)
