"""The public registry's search, filters and order as queries, one for every interface.

The registry page (certification.forms.public), its open data downloads and the JSON API
(certification.api) all filter with these functions, so a certificate found on one is found
on the others. Above the domain (it reads certificate numbers the domain's way), below forms.
"""

import datetime
import logging
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .cache_backend import shared_cache
from .choices import CertificateStatus, VerificationResult
from .domain import cpv as cpv_codes
from .domain import cpv_lists
from .domain.certificates import parse_number
from .domain.lifecycle import status_condition
from .domain.search import FILTER_CHOICES_CACHE_KEY, fold
from .domain.verification_by_nip import nip_digits
from .models import ApplicationItem, Certificate, ItemCpvCode

logger = logging.getLogger(__name__)

# More words than this add nothing a person means; each one costs a scan of the index.
MAX_WORDS = 10

# Each order ends on the number, so that a page never shows a certificate twice.
SORTS: dict[str, tuple[str, ...]] = {
    "number": ("year", "sequence"),
    "-number": ("-year", "-sequence"),
    # The folded name: "Żółć" sorts beside "Zolc", not after every Z, on any database.
    "organization": ("sort_name", "year", "sequence"),
    "-organization": ("-sort_name", "-year", "-sequence"),
    "issued": ("issued_on", "year", "sequence"),
    "-issued": ("-issued_on", "-year", "-sequence"),
    "valid_until": ("valid_until", "year", "sequence"),
    "-valid_until": ("-valid_until", "-year", "-sequence"),
}
DEFAULT_SORT = "-number"
# Past this many matches nobody reads on, they narrow the search; and counting them all costs a
# pass over every match (24 ms for "spółdzielnia socjalna", a third of the registry).
COUNT_CAP = 1000
# A safety net: in a cache per process, another process's forgetting does not reach this one.
FILTER_CHOICES_MAX_AGE = 300


def public_certificates() -> QuerySet[Certificate]:
    """Every certificate the public may see, with what a list row shows."""
    return (
        Certificate.objects.select_related("organization")
        .prefetch_related(Prefetch("items", queryset=cpv_lists.items_with_codes()))
        .defer("search_text", "sort_name")  # searched and sorted by in SQL, never shown
    )


def item_codes(item: ApplicationItem) -> list[str]:
    """The item's codes (55520000-1, …) in code order, from `items_with_codes` or a query."""
    if hasattr(item, "cpv_list"):  # cpv.items_with_codes
        return sorted(item.cpv_list.split()) if item.cpv_list else []
    return [
        f"{code}-{check}"
        for code, check in item.cpv_links.order_by("cpv_id").values_list(
            "cpv_id", "cpv__check_digit"
        )
    ]


def search_words(text: str) -> list[str]:
    """The folded words a certificate's search text must all contain.

    A certificate number or a NIP is taken whole, however it was typed (ZP-2026-7,
    526-025-02-74, PL5260250274, NIP: 526-025-02-74); part of a NIP as its digits. Any other
    text is split into words, so "zolc catering" finds a certificate whose organisation is
    „Żółć” and whose item is catering.
    """
    text = (text or "").strip()
    number = parse_number(text)
    if number is not None:
        return [fold(number)]
    nip = nip_digits(text)
    if nip is not None:
        return [nip]
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit():
        return [digits]
    words = list(dict.fromkeys(fold(text).split()))
    # A word inside another one ("zol" in "zolc") narrows nothing further.
    kept = [w for w in words if not any(w != other and w in other for other in words)]
    return kept[:MAX_WORDS]


@dataclass(frozen=True)
class BBox:
    """A bounding box in RFC 7946's order: west, south, east, north (WGS 84 degrees)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def __str__(self) -> str:
        return ",".join(f"{value:g}" for value in self.corners)

    @property
    def corners(self) -> tuple[float, float, float, float]:
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)


class NotABBox(ValueError):
    """The text is not a bounding box; str() says what is expected, in the user's language."""


_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{0,15})?|\.[0-9]{1,15})")
BBOX_FORM = _(
    "Give the area as four numbers separated by commas: the least longitude, the least "
    "latitude, the greatest longitude and the greatest latitude, in degrees (WGS 84, the "
    "order of RFC 7946), for example 18.9,50.2,19.2,50.35."
)


def parse_bbox(text: str) -> BBox | None:
    """The bounding box `text` states (None for an empty one); NotABBox if it is not one.

    The one reading of a bounding box for the registry page, its downloads and the API.
    """
    text = (text or "").strip()
    if not text:
        return None
    parts = [part.strip() for part in text.split(",")]
    # Plain decimals only: float() would also take "nan", "inf" and "1e999", none a place.
    if len(parts) != 4 or not all(_DECIMAL.fullmatch(part) for part in parts):
        raise NotABBox(str(BBOX_FORM))
    box = BBox(*(float(part) for part in parts))
    if not all(-180 <= lon <= 180 for lon in (box.min_lon, box.max_lon)) or not all(
        -90 <= lat <= 90 for lat in (box.min_lat, box.max_lat)
    ):
        raise NotABBox(
            " ".join(
                [
                    str(_("Longitudes are between −180 and 180, latitudes between −90 and 90.")),
                    str(BBOX_FORM),
                ]
            )
        )
    if not (box.min_lon < box.max_lon and box.min_lat < box.max_lat):
        raise NotABBox(
            " ".join(
                [
                    str(_("The least longitude and latitude come first, the greatest last.")),
                    str(BBOX_FORM),
                ]
            )
        )
    return box


def word_count(text: str) -> int:
    return len(dict.fromkeys(fold(text).split()))


def filter_certificates(
    *,
    queryset: QuerySet[Certificate],
    today: datetime.date,
    text: str = "",
    status: str = "",
    number: str = "",
    legal_form: str = "",
    kind: str = "",
    towns: tuple[str, ...] | list[str] = (),
    year: int | None = None,
    powiat: str = "",
    cpv: tuple[str, ...] | list[str] = (),
    bbox: BBox | None = None,
) -> QuerySet[Certificate]:
    """Narrow by search text, by the status shown on `today`, and by the other filters.

    `cpv`: 8-digit codes; a certificate with an item coded with one of them or with a code
    below one of them (55520000 finds 55521200) is kept. `bbox`: certificates of organisations
    located inside it (edges included); one not located is never inside.
    """
    if number:
        queryset = queryset.filter(number=number)
    if text.strip():
        words = search_words(text)
        if not words:  # only punctuation: nothing can contain it as a word
            return queryset.none()
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
    if status:
        queryset = queryset.filter(status_condition(status, today))
    if legal_form:
        queryset = queryset.filter(holder_legal_form=legal_form)
    if kind:
        # Exists, not a join: a certificate with two services is still one row.
        through = Certificate.items.through
        queryset = queryset.filter(
            Exists(through.objects.filter(certificate=OuterRef("pk"), applicationitem__kind=kind))
        )
    if towns:
        queryset = queryset.filter(holder_town__in=list(towns))
    if year:
        queryset = queryset.filter(year=year)
    if powiat:
        queryset = queryset.filter(holder_powiat=powiat)
    if cpv:
        # A range of the code column per code asked for (its index answers it), then the
        # certificates of those items; Exists keeps a certificate with two such items one row.
        coded = ItemCpvCode.objects.filter(
            cpv_codes.within(list(cpv), field="cpv_id"), item__certificates=OuterRef("pk")
        )
        queryset = queryset.filter(Exists(coded))
    if bbox is not None:
        # Where the organisation is now (the map's pin), by the index on (longitude, latitude).
        queryset = queryset.filter(
            organization__longitude__range=(bbox.min_lon, bbox.max_lon),
            organization__latitude__range=(bbox.min_lat, bbox.max_lat),
        )
    return queryset


def certificate_items(certificate_ids: list[int]) -> dict[int, list[dict]]:
    """The items of a batch of certificates (name, kind, cpv), in one query."""
    through = Certificate.items.through.objects.filter(certificate_id__in=certificate_ids).annotate(
        # The item's codes in the same query (a subquery per item), not one more per batch.
        codes=cpv_lists.codes_listed(OuterRef("applicationitem_id"))
    )
    items = defaultdict(list)
    for certificate_id, name, kind, codes in through.order_by("applicationitem_id").values_list(
        "certificate_id", "applicationitem__name", "applicationitem__kind", "codes"
    ):
        items[certificate_id].append(
            {"name": name, "kind": kind, "cpv": sorted(codes.split()) if codes else []}
        )
    return items


def order_certificates(queryset: QuerySet[Certificate], sort: str) -> QuerySet[Certificate]:
    return queryset.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


class CappedPaginator(Paginator):
    """Pages of the first COUNT_CAP matches at most: a broad search costs what a narrow one does.

    `count` is then COUNT_CAP and `capped` says there were more; pages past the cap do not
    exist (the open data downloads hold every match).
    """

    @cached_property
    def matches(self) -> int:
        """How many match, counting no further than one past the cap."""
        # Unordered: the order changes nothing in a count, and it lets PostgreSQL stop at the
        # cap in whatever order its index gives the rows.
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.matches, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.matches > COUNT_CAP

    def page(self, number):
        if not self.capped:
            self.object_list = _without_order_index(self.object_list)
        return super().page(number)


def _without_order_index(queryset: QuerySet) -> QuerySet:
    """The same order, in a form no index can give.

    With few matches (the count says so) reading them through the search's own index and
    sorting them is cheap, while walking the order's index backwards until a page is full means
    reading the whole table when the planner guesses the matches are many: 28 ms for a NIP
    whose 11 certificates it took for 1,010.
    """
    order = queryset.query.order_by
    if not order or not isinstance(order[0], str):
        return queryset
    name = order[0].removeprefix("-")
    first = Coalesce(F(name), F(name))  # the value itself, but not a column an index sorts
    first = first.desc() if order[0].startswith("-") else first.asc()
    return queryset.order_by(first, *order[1:])


def status_today(today: datetime.date) -> Case:
    """Certificate.status_on(today) as an expression, for lists read without model instances.

    Today's status only: a past day's comes from the history, which this does not read.
    """
    return Case(
        When(issued_on__gt=today, then=Value(VerificationResult.NOT_YET_VALID)),
        When(
            Q(valid_until__lt=today) & ~Q(status=CertificateStatus.REVOKED),
            then=Value(CertificateStatus.EXPIRED),
        ),
        default=F("status"),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Town:
    key: str  # folded: the value in URLs (?town=lodz)
    label: str  # the spelling shown
    spellings: tuple[str, ...]  # as typed by each organisation


def town_choices() -> list[Town]:
    """Towns certificates state; "Łódź" and "ŁÓDŹ " are one town."""
    return _filter_choices()["towns"]


def year_choices() -> list[int]:
    """Years with certificates, newest first."""
    return _filter_choices()["years"]


def _filter_choices() -> dict:
    # Reading the towns means a pass over every certificate: kept in the cache until a
    # certificate is issued or an organisation changes (domain.search forgets them then).
    # With the cache down they are read every time: a list kept in one process would not
    # hear of another's changes.
    cache = shared_cache()
    try:
        choices = cache.get(FILTER_CHOICES_CACHE_KEY)
    except Exception:
        logger.warning("The cache is unreachable: filter choices read from the database.")
        return {"towns": _towns(), "years": _years()}
    if choices is None:
        choices = {"towns": _towns(), "years": _years()}
        try:
            cache.set(FILTER_CHOICES_CACHE_KEY, choices, FILTER_CHOICES_MAX_AGE)
        except Exception:
            logger.warning("Could not keep the filter choices in the cache.")
    return choices


def _towns() -> list[Town]:
    # The towns certificates state (the holder's seat when issued), as the filter reads them.
    grouped: dict[str, list[str]] = {}
    # order_by(): the model's ordering would make DISTINCT run over more than the town.
    towns = Certificate.objects.order_by().values_list("holder_town", flat=True).distinct()
    for name in towns:
        key = fold(name)
        if key:
            grouped.setdefault(key, []).append(name)
    return [
        Town(key, _best_spelling(spellings), tuple(spellings))
        for key, spellings in sorted(grouped.items())
    ]


def _years() -> list[int]:
    span = Certificate.objects.aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return []
    return list(range(span["last"], span["first"] - 1, -1))


def town_spellings(town: str) -> tuple[str, ...]:
    """Every spelling of a town as organisations typed it, found by any spelling of it."""
    key = fold(town)
    return next((t.spellings for t in town_choices() if t.key == key), ())


def _best_spelling(spellings: list[str]) -> str:
    # Folding loses diacritics and capitals: show the spelling that kept them.
    return max(
        (s.strip() for s in spellings),
        key=lambda s: (sum(not c.isascii() for c in s), s.istitle(), -len(s), s),
    )
