"""The public registry's search as a query, one for every interface.

The registry page (certification.forms.public) and the JSON API (certification.api) filter with
these same functions, so a certificate found on one is found on the other. Domain level: imports
only choices and models.
"""

import datetime
import re

from django.db.models import Q, QuerySet

from .choices import CertificateStatus
from .models import Certificate


def public_certificates() -> QuerySet[Certificate]:
    """Every certificate the public may see, with what a list row shows."""
    return Certificate.objects.select_related("organization").prefetch_related("items")


def filter_certificates(
    *,
    queryset: QuerySet[Certificate],
    text: str = "",
    status: str = "",
    number: str = "",
    today: datetime.date,
) -> QuerySet[Certificate]:
    """Narrow by search text (name, NIP, number, item), by the status shown on `today` and by
    an exact certificate number (canonical, as parse_number gives it)."""
    if number:
        queryset = queryset.filter(number=number)
    text = text.strip()
    if text:
        queryset = queryset.filter(_search(text)).distinct()
    if status:
        queryset = queryset.filter(_status_on(status, today))
    return queryset


def _search(text: str) -> Q:
    condition = Q(organization__name__icontains=text) | Q(items__name__icontains=text)
    # Numbers and NIPs are typed with whatever separators the reader has at hand.
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit():
        condition |= Q(organization__nip__contains=digits)
    number = re.sub(r"\s", "", text).replace("-", "/")
    condition |= Q(number__icontains=number)
    return condition


def _status_on(status: str, day: datetime.date) -> Q:
    # The same rule as Certificate.status_on, as a query: expiry is a matter of date.
    if status == CertificateStatus.VALID:
        return Q(status=CertificateStatus.VALID, valid_until__gte=day)
    if status == CertificateStatus.EXPIRED:
        return Q(status=CertificateStatus.VALID, valid_until__lt=day) | Q(
            status=CertificateStatus.EXPIRED
        )
    return Q(status=status)
