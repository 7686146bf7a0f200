"""The registry's search text and sort name: folded columns per certificate, kept current by
the domain; and the staff's search of applications.

Databases disagree on case and accents: SQLite's LIKE folds only ASCII letters, PostgreSQL's
depends on the collation, and neither turns "ł" into "l". So the text a certificate is found by
is folded once, in Python, when it is written (`refresh`), and every query is folded the same
way (certification.registry). On PostgreSQL a trigram index makes the substring search fast
(migration 0004).
"""

import unicodedata
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet

from ..models import Application, Certificate, Organization
from .verification_by_nip import nip_digits

# Letters NFKD does not decompose into a base letter and a mark.
_EXTRA = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"})
# Quotation marks of every style are noise in a name: „Żółć” and "Zolc" are the same word.
_QUOTES = str.maketrans(dict.fromkeys("\"'„”“‟«»‚‘’‛`´", " "))

BATCH_SIZE = 1000
SORT_NAME_LENGTH = Certificate._meta.get_field("sort_name").max_length
# The registry's towns and years (certification.registry), which only change with the above.
FILTER_CHOICES_CACHE_KEY = "registry:filter-choices"


def fold(text: str) -> str:
    """Lower case, without diacritics or quotation marks, single-spaced: "Łódź" → "lodz"."""
    text = (text or "").casefold().translate(_EXTRA).translate(_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def text_for(certificate: Certificate) -> str:
    """What a certificate is found by: number (as written and as in URLs), the NIP and name it
    was issued to, the holder's NIP and name today if an officer approved a change since, items.

    One field a line, so that a query never matches across the end of one field and the start
    of the next. Items must be loaded (or prefetched) with the certificate.
    """
    number = fold(certificate.number)
    holder, now = certificate.holder, certificate.organization
    names = dict.fromkeys([holder.nip, fold(holder.name), now.nip, fold(now.name)])
    return "\n".join(
        [
            number,
            number.replace("/", "-"),
            *names,
            *(fold(item.name) for item in certificate.items.all()),
        ]
    )


def sort_name_for(certificate: Certificate) -> str:
    return fold(certificate.holder_name)[:SORT_NAME_LENGTH]


def refresh(*, certificates: Iterable[Certificate]) -> int:
    """Recompute and store what the registry searches and sorts the given certificates by;
    returns how many changed.

    Called by issue_certificate and update_organization, in their transactions; also usable
    in bulk (a generator, a repair after a data import) with a queryset of any size. A new
    certificate or a changed organisation may change the registry's list of towns and years.
    """
    forget_filter_choices()
    transaction.on_commit(forget_filter_choices)  # and once more for what was read meanwhile
    changed = []
    total = 0
    for certificate in certificates:
        text, sort_name = text_for(certificate), sort_name_for(certificate)
        if (text, sort_name) != (certificate.search_text, certificate.sort_name):
            certificate.search_text, certificate.sort_name = text, sort_name
            changed.append(certificate)
        if len(changed) >= BATCH_SIZE:
            total += _save(changed)
            changed = []
    return total + _save(changed)


def refresh_organization(*, organization: Organization) -> int:
    """After the organisation's name or NIP changed: every one of its certificates."""
    return refresh(
        certificates=Certificate.objects.filter(organization=organization)
        .select_related("organization")
        .prefetch_related("items")
    )


def refresh_all(*, batch_size: int = BATCH_SIZE) -> int:
    """Every certificate, in batches (memory stays flat at any registry size)."""
    queryset = Certificate.objects.select_related("organization").prefetch_related("items")
    return refresh(certificates=queryset.order_by("pk").iterator(chunk_size=batch_size))


def forget_filter_choices() -> None:
    cache.delete(FILTER_CHOICES_CACHE_KEY)


def _save(certificates: list[Certificate]) -> int:
    if certificates:
        Certificate.objects.bulk_update(certificates, ["search_text", "sort_name"])
    return len(certificates)


def applications_matching(applications: QuerySet[Application], *, text: str):
    """Staff lists: applications whose number or organisation's name contains the text, or
    whose organisation has that NIP (typed with dashes, spaces or "PL" as people copy it).

    Fewer applications than certificates, and only staff search them, so a plain
    case-insensitive match serves (on SQLite it folds ASCII letters only).
    """
    text = " ".join((text or "").split())
    if not text:
        return applications
    found = Q(number__icontains=text) | Q(organization__name__icontains=text)
    digits = nip_digits(text)
    if digits:
        found |= Q(organization__nip=digits)
    return applications.filter(found)
