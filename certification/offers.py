"""The map of offers: organisations with a certificate valid today, and their GeoJSON.

The map page's list, its markers and the open data file /rejestr/dane.geojson all read
`offered_certificates`, which narrows with the registry's own filters (registry.py), so an
organisation found on one is found on the others.
"""

import datetime
import itertools
import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from . import registry
from .choices import CertificateStatus, Powiat
from .domain import cpv_lists
from .domain.certificates import number_to_slug
from .models import Certificate, Organization

BATCH_SIZE = 1000
SLUG_PLACEHOLDER = "ZP-0000-0000"
# What each GeoJSON row is read from: plain values, ordered so that an organisation's
# certificates come together (one feature each) however many there are.
FIELDS = (
    "pk",
    "organization_id",
    "number",
    "valid_until",
    "organization__name",
    "organization__nip",
    "organization__town",
    "organization__powiat",
    "organization__longitude",
    "organization__latitude",
)


def offered_certificates(*, filters: dict, today: datetime.date) -> QuerySet[Certificate]:
    """Certificates valid today that match the registry filters (their status is ignored)."""
    return registry.filter_certificates(
        queryset=Certificate.objects.all(),
        today=today,
        **{**filters, "status": CertificateStatus.VALID},
    ).filter(issued_on__lte=today)


def offering_organizations(*, certificates: QuerySet[Certificate]) -> QuerySet[Organization]:
    """The organisations holding one of `certificates`, by name, each with those certificates
    (`offered`, oldest first) and their items with codes: four queries for a page of them."""
    shown = certificates.order_by("year", "sequence").prefetch_related(
        Prefetch("items", queryset=cpv_lists.items_with_codes())
    )
    return (
        Organization.objects.filter(pk__in=certificates.values("organization_id"))
        .only("name", "nip", "town", "powiat", "latitude", "longitude")
        .order_by("name", "pk")
        .prefetch_related(Prefetch("certificates", queryset=shown, to_attr="offered"))
    )


class Features:
    """The GeoJSON features of `certificates`' located organisations, one at a time."""

    def __init__(self, certificates: QuerySet[Certificate]):
        self.queryset = (
            certificates.filter(
                organization__latitude__isnull=False, organization__longitude__isnull=False
            )
            .order_by("organization_id", "year", "sequence")
            .values_list(*FIELDS)
        )
        # reverse() once, not once per row: the slug is all that changes.
        self.url = settings.SITE_URL + reverse("certificate_detail", args=[SLUG_PLACEHOLDER])
        self.powiat_names = dict(Powiat.choices)

    def _rows(self) -> Iterator[tuple[tuple, list[dict]]]:
        rows = self.queryset.iterator(chunk_size=BATCH_SIZE)
        for batch in itertools.batched(rows, BATCH_SIZE):
            items = registry.certificate_items([row[0] for row in batch])
            for row in batch:
                yield row, items.get(row[0], [])

    def __iter__(self) -> Iterator[dict]:
        # Rows come ordered by organisation: a group is one organisation's certificates, and
        # only that group is ever held.
        for _, group in itertools.groupby(self._rows(), key=lambda pair: pair[0][1]):
            yield self.feature(list(group))

    def feature(self, group: list[tuple[tuple, list[dict]]]) -> dict:
        first = group[0][0]
        _, organization_id, _, _, name, nip, town, powiat, longitude, latitude = first
        return {
            "type": "Feature",
            "id": organization_id,
            # RFC 7946: longitude first, WGS 84 degrees.
            "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
            "properties": {
                "name": name,
                "nip": nip,
                "town": town,
                "powiat": powiat,
                "powiat_name": self.powiat_names.get(powiat, ""),
                "certificates": [
                    {
                        "number": row[2],
                        "url": self.url.replace(SLUG_PLACEHOLDER, number_to_slug(row[2])),
                        "valid_until": row[3].isoformat(),
                        "items": items,
                    }
                    for row, items in group
                ],
            },
        }


def geojson_chunks(features: Iterable[dict], *, today: datetime.date) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection, a batch of features per chunk."""
    # generated_on is a foreign member (RFC 7946 §6.1): the day the validity is for.
    yield (
        f'{{"type": "FeatureCollection", "generated_on": "{today.isoformat()}", "features": ['
    ).encode()
    batch = []
    for count, feature in enumerate(features):
        batch.append(("," if count else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        if len(batch) == BATCH_SIZE:
            yield "".join(batch).encode()
            batch = []
    yield ("".join(batch) + "\n]}\n").encode()
