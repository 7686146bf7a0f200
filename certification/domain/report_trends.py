"""More of the officers' reports: time spent in each stage, breakdowns by legal form and by kind
of item, and the year month by month (issue 11 §8). Read-only, a fixed number of queries
whatever the number of applications or certificates (reports.py's rule).

Time in a stage is read from the audit log: every status change of an application is an event
with the status it left and the one it entered (audit.change_status), so a stay in a stage runs
from the event that entered it to the next event of the same application, which leaves it. A
stay counts in the year it ended; stays still going on today are not counted. The draft stage
has no event entering it and is left out. The 90th percentile is the "inclusive" one of
Python's statistics.quantiles (linear between the ranks; the value itself with one stay).
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3

from ..choices import ApplicationStatus, CertificateStatus, ItemKind, LegalForm
from ..models import Application, ApplicationItem, AuditEvent, Certificate
from .lifecycle import status_condition

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class StageTime:
    code: str
    label: str
    stays: int  # stays in the stage that ended in the year
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Breakdown:
    """One row of a breakdown: by legal form, or by kind of item."""

    code: str
    label: str
    applications: int  # submitted in the year (items: their items)
    issued: int  # certificates issued in the year (items: the items they cover)
    valid_today: int  # valid certificates today (items: the items they cover)


@dataclass(frozen=True)
class Month:
    number: int
    label: str
    short: str
    submitted: int
    decided: int
    issued: int


@dataclass(frozen=True)
class Trends:
    stage_times: list[StageTime]
    by_legal_form: list[Breakdown]
    by_item_kind: list[Breakdown]
    months: list[Month]

    @property
    def months_peak(self) -> int:
        return max((max(m.submitted, m.decided, m.issued) for m in self.months), default=0)


def _p90(days: list[float]) -> float:
    if len(days) == 1:
        return days[0]
    return statistics.quantiles(days, n=10, method="inclusive")[8]


def stage_times(*, year: int) -> list[StageTime]:
    """Median and 90th percentile of the days spent in each stage, for stays ended in `year`."""
    stages = [s.value for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
    moved_in_year = AuditEvent.objects.filter(
        timestamp__year=year, application__isnull=False, from_state__in=stages
    ).values("application_id")
    events = (
        AuditEvent.objects.filter(
            application_id__in=moved_in_year,
            to_state__in=ApplicationStatus.values,
            action__startswith="application.",
        )
        .order_by("application_id", "timestamp", "pk")
        .values_list("application_id", "from_state", "to_state", "timestamp")
    )
    stays: dict[str, list[float]] = defaultdict(list)
    previous = None
    for application_id, from_state, to_state, timestamp in events:
        if (
            previous is not None
            and previous[0] == application_id
            and previous[2] == from_state
            and timezone.localtime(timestamp).year == year
        ):
            stays[from_state].append((timestamp - previous[3]).total_seconds() / SECONDS_PER_DAY)
        previous = (application_id, from_state, to_state, timestamp)
    result = []
    for status in ApplicationStatus:
        if status == ApplicationStatus.DRAFT:
            continue
        days = sorted(stays.get(status.value, []))
        result.append(
            StageTime(
                code=status.value,
                label=status.label,
                stays=len(days),
                median_days=statistics.median(days) if days else None,
                p90_days=_p90(days) if days else None,
            )
        )
    return result


def by_legal_form(*, year: int, today: datetime.date) -> list[Breakdown]:
    valid = status_condition(CertificateStatus.VALID, today)
    applications = dict(
        Application.objects.filter(submitted_at__year=year)
        .order_by()
        .values("organization__legal_form")
        .annotate(n=Count("pk"))
        .values_list("organization__legal_form", "n")
    )
    certificates = {
        form: (issued, now)
        for form, issued, now in Certificate.objects.order_by()
        .values("holder_legal_form")
        .annotate(issued=Count("pk", filter=Q(issued_on__year=year)), now=Count("pk", filter=valid))
        .values_list("holder_legal_form", "issued", "now")
    }
    rows = []
    for form in LegalForm:
        issued, now = certificates.get(form.value, (0, 0))
        counts = (applications.get(form.value, 0), issued, now)
        if any(counts):
            rows.append(Breakdown(form.value, form.label, *counts))
    return rows


def by_item_kind(*, year: int, today: datetime.date) -> list[Breakdown]:
    valid = status_condition(CertificateStatus.VALID, today)
    applications = dict(
        ApplicationItem.objects.filter(application__submitted_at__year=year)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    certificates = {
        kind: (issued, now)
        for kind, issued, now in Certificate.objects.filter(items__isnull=False)
        .order_by()
        .values("items__kind")
        .annotate(
            issued=Count("items", filter=Q(issued_on__year=year)),
            now=Count("items", filter=valid),
        )
        .values_list("items__kind", "issued", "now")
    }
    return [
        Breakdown(
            kind.value,
            kind.label,
            applications.get(kind.value, 0),
            *certificates.get(kind.value, (0, 0)),
        )
        for kind in ItemKind
    ]


def _per_month(queryset, field: str) -> dict[int, int]:
    return dict(
        queryset.order_by()
        .annotate(month=ExtractMonth(field))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )


def monthly(*, year: int) -> list[Month]:
    submitted = _per_month(Application.objects.filter(submitted_at__year=year), "submitted_at")
    decided = _per_month(Application.objects.filter(decided_at__year=year), "decided_at")
    issued = _per_month(Certificate.objects.filter(issued_on__year=year), "issued_on")
    return [
        Month(
            number=m,
            label=str(MONTHS[m]),
            short=str(MONTHS_3[m]),
            submitted=submitted.get(m, 0),
            decided=decided.get(m, 0),
            issued=issued.get(m, 0),
        )
        for m in range(1, 13)
    ]


def build_trends(*, year: int, today: datetime.date) -> Trends:
    return Trends(
        stage_times=stage_times(year=year),
        by_legal_form=by_legal_form(year=year, today=today),
        by_item_kind=by_item_kind(year=year, today=today),
        months=monthly(year=year),
    )
