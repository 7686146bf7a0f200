"""Where the map shows an organisation (Organization.latitude/longitude/location_source).

Found from its town and powiat in the offline gazetteer (gazetteer.py) whenever it is created or
its address changes, in the caller's transaction. A pin a member proposed and an officer
confirmed (location_proposals.py) stays until the address changes: a new address makes it stale,
so the organisation goes back to the gazetteer's point (audited) and may propose a pin again.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from ..choices import LocationSource
from ..models import Organization
from . import audit, gazetteer

# What, changed, moves the organisation: a confirmed pin at the old street is stale.
ADDRESS_FIELDS = ("street", "postal_code", "town", "powiat")
LOCATION_FIELDS = ["latitude", "longitude", "location_source"]
CHUNK = 1000  # primary keys per UPDATE


def place(organization: Organization) -> None:
    """Set the gazetteer's point on the (unsaved) organisation, or clear it when none fits."""
    found = gazetteer.locate(town=organization.town, powiat=organization.powiat)
    organization.latitude = found.latitude if found else None
    organization.longitude = found.longitude if found else None
    organization.location_source = found.source if found else ""


def address_changed(before: dict, organization: Organization) -> bool:
    """Whether the address differs from `before` (field name → value; missing ones: same)."""
    return any(
        name in before and before[name] != getattr(organization, name) for name in ADDRESS_FIELDS
    )


def follow_address(*, organization: Organization, before: dict, actor) -> bool:
    """After a change of the (unsaved) organisation: its point from the gazetteer again when the
    address changed. A confirmed pin dropped this way is audited. Whether the point was set
    (the caller saves LOCATION_FIELDS). One never located (registered before the map) is located
    on any change."""
    if not address_changed(before, organization):
        if organization.location_source:
            return False
        place(organization)
        return True
    confirmed = organization.location_source == LocationSource.CONFIRMED
    old = (organization.latitude, organization.longitude)
    place(organization)
    if confirmed:
        audit.record(
            actor=actor,
            action="organization.location_reset",
            message=organization.name,
            organization=organization.pk,
            before=[str(value) for value in old],
            after=[str(organization.latitude or ""), str(organization.longitude or "")],
            source=organization.location_source,
        )
    return True


@dataclass(frozen=True)
class Located:
    located: int  # found (again) in the gazetteer
    unlocated: int  # neither town nor powiat fits: not on the map
    confirmed: int  # confirmed pins, left as they are
    changed: int  # rows whose point changed now


@transaction.atomic
def locate_all(*, actor=None) -> Located:
    """Every organisation from the gazetteer, but confirmed pins; one audit entry with the counts
    when anything changed. Idempotent: the same data gives the same points."""
    # One UPDATE per point rather than per row: organisations share a few hundred towns.
    moves: dict[tuple, list[int]] = defaultdict(list)
    located = unlocated = 0
    confirmed = Organization.objects.filter(location_source=LocationSource.CONFIRMED).count()
    rows = Organization.objects.exclude(location_source=LocationSource.CONFIRMED).values_list(
        "pk", "town", "powiat", *LOCATION_FIELDS
    )
    for pk, town, powiat, *now in rows.iterator(chunk_size=2000):
        found = gazetteer.locate(town=town, powiat=powiat)
        target = (found.latitude, found.longitude, found.source) if found else (None, None, "")
        located += found is not None
        unlocated += found is None
        if list(target) != now:
            moves[target].append(pk)
    for (latitude, longitude, source), pks in moves.items():
        for start in range(0, len(pks), CHUNK):
            Organization.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                latitude=latitude, longitude=longitude, location_source=source
            )
    changed = sum(len(pks) for pks in moves.values())
    result = Located(located, unlocated, confirmed, changed)
    if changed:  # a run that changes nothing (the release step's usual one) leaves no entry
        audit.record(
            actor=actor,
            action="organization.located",
            message=f"{located} / {unlocated} / {confirmed}",
            located=located,
            unlocated=unlocated,
            confirmed=confirmed,
            changed=changed,
        )
    return result
