"""The officers' reports: how the scheme is doing, for a calendar year and as it stands today.

Read-only. Every figure is one aggregate query (or one values_list), so the number of queries
does not grow with the number of applications or certificates. A year is a calendar year in
the project's time zone; "today" figures (stages, certificate statuses) ignore the year.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import (
    FINAL_STATUSES,
    ApplicationStatus,
    CertificateStatus,
    Powiat,
    ResolutionOutcome,
    ReviewOutcome,
)
from ..models import Application, Certificate, FormalReview, Resolution, SchemeRules
from .lifecycle import start_of_day, status_condition
from .report_trends import Trends, build_trends

# "Expiring soon": the first renewal reminder goes out this many days before expiry.
EXPIRING_WITHIN_DAYS = 60

NOT_GIVEN = _("not given")


@dataclass(frozen=True)
class Figure:
    """One labelled count: `code` is the stored value, `label` what people read."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ApplicationFigures:
    submitted: int  # submitted in the year
    by_stage: list[Figure]  # standing in each stage today, drafts left out
    resolutions: list[Figure]  # recorded in the year, by outcome
    rejections: int  # formal rejections in the year
    rejections_deadline_missed: int  # of which: the corrections deadline was missed

    @property
    def resolutions_total(self) -> int:
        return sum(f.count for f in self.resolutions)


@dataclass(frozen=True)
class OverdueApplication:
    pk: int
    number: str
    organization: str
    status: str
    complete_on: datetime.date
    days: int


@dataclass(frozen=True)
class DecisionTime:
    target_days: int
    decided: int  # decided in the year, with a complete-file date to count from
    median_days: float | None
    longest_days: int | None
    within_target: int
    overdue: list[OverdueApplication]  # open today, past the target, oldest first


@dataclass(frozen=True)
class CertificateFigures:
    issued: int  # issued in the year
    by_status: list[Figure]  # today
    expiring_soon: int  # valid today, expiring within EXPIRING_WITHIN_DAYS
    by_powiat: list[Figure]  # valid today, by the organisation's powiat
    expiring_within_days: int = EXPIRING_WITHIN_DAYS


@dataclass(frozen=True)
class Report:
    year: int
    today: datetime.date
    applications: ApplicationFigures
    decision_time: DecisionTime
    certificates: CertificateFigures
    trends: Trends


def report_years(*, today: datetime.date) -> list[int]:
    """The years a report can be asked for, newest first: from the first submitted application
    or issued certificate to this year."""
    first_submitted = Application.objects.aggregate(first=Min("submitted_at"))["first"]
    first_issued = Certificate.objects.aggregate(first=Min("issued_on"))["first"]
    starts = [today.year]
    if first_submitted is not None:
        starts.append(timezone.localtime(first_submitted).year)
    if first_issued is not None:
        starts.append(first_issued.year)
    return list(range(today.year, min(starts) - 1, -1))


def application_figures(*, year: int) -> ApplicationFigures:
    stages = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
    # An application decided twice (a correction, a reconsideration) counts once, by the
    # resolution in force: decision.in_force's rule, as a subquery.
    in_force = (
        Resolution.objects.filter(application=OuterRef("pk"), superseded_by__isnull=True)
        .order_by("-date", "-pk")
        .values("outcome")[:1]
    )
    counts = Application.objects.annotate(outcome_in_force=Subquery(in_force)).aggregate(
        submitted=Count("pk", filter=Q(submitted_at__year=year)),
        **{f"stage_{s.value}": Count("pk", filter=Q(status=s)) for s in stages},
        **{
            f"resolution_{o.value}": Count(
                "pk", filter=Q(decided_at__year=year, outcome_in_force=o)
            )
            for o in ResolutionOutcome
        },
    )
    rejections = FormalReview.objects.filter(
        outcome=ReviewOutcome.REJECT, created__year=year
    ).aggregate(
        total=Count("pk"),
        deadline_missed=Count("pk", filter=Q(officer__isnull=True)),
    )
    return ApplicationFigures(
        submitted=counts["submitted"],
        by_stage=[Figure(s.value, s.label, counts[f"stage_{s.value}"]) for s in stages],
        resolutions=[
            Figure(o.value, o.label, counts[f"resolution_{o.value}"]) for o in ResolutionOutcome
        ],
        rejections=rejections["total"],
        rejections_deadline_missed=rejections["deadline_missed"],
    )


def _days(start: datetime.datetime, end: datetime.date) -> int:
    """Whole days on the decision clock, as the staff pages count them."""
    return (end - timezone.localdate(start)).days


def decision_time(*, year: int, today: datetime.date, target_days: int) -> DecisionTime:
    """The clock from a complete file to the decision (DESIGN.md §3) for the year's decisions,
    and the applications open today whose clock has passed the target."""
    decided = Application.objects.filter(
        decided_at__year=year, complete_at__isnull=False
    ).values_list("complete_at", "decided_at")
    days = [_days(complete, timezone.localdate(done)) for complete, done in decided]
    # Past the target: more than target_days whole days since the file was complete.
    late = (
        Application.objects.filter(
            complete_at__lt=start_of_day(today - datetime.timedelta(days=target_days)),
            decided_at__isnull=True,
        )
        .exclude(status__in=[ApplicationStatus.DRAFT, *FINAL_STATUSES])
        .order_by("complete_at", "pk")
        .values_list("pk", "number", "organization__name", "status", "complete_at")
    )
    labels = dict(ApplicationStatus.choices)
    overdue = [
        OverdueApplication(
            pk=pk,
            number=number,
            organization=organization,
            status=labels.get(status, status),
            complete_on=timezone.localdate(complete_at),
            days=_days(complete_at, today),
        )
        for pk, number, organization, status, complete_at in late
    ]
    return DecisionTime(
        target_days=target_days,
        decided=len(days),
        median_days=statistics.median(days) if days else None,
        longest_days=max(days) if days else None,
        within_target=sum(1 for d in days if d <= target_days),
        overdue=overdue,
    )


def certificate_figures(*, year: int, today: datetime.date) -> CertificateFigures:
    conditions = {status: status_condition(status, today) for status in CertificateStatus}
    soon = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    counts = Certificate.objects.aggregate(
        issued=Count("pk", filter=Q(issued_on__year=year)),
        expiring_soon=Count(
            "pk", filter=conditions[CertificateStatus.VALID] & Q(valid_until__lte=soon)
        ),
        **{status.value: Count("pk", filter=q) for status, q in conditions.items()},
    )
    per_powiat = (
        Certificate.objects.filter(conditions[CertificateStatus.VALID])
        .values("organization__powiat")
        .annotate(count=Count("pk"))
        .values_list("organization__powiat", "count")
    )
    names = dict(Powiat.choices)
    by_powiat = sorted(
        (Figure(code, names.get(code) or NOT_GIVEN, count) for code, count in per_powiat),
        # Most certificates first, ties in TERYT order; "not given" after the named powiats.
        key=lambda f: (-f.count, f.code not in names, f.code),
    )
    return CertificateFigures(
        issued=counts["issued"],
        by_status=[Figure(s.value, s.label, counts[s.value]) for s in CertificateStatus],
        expiring_soon=counts["expiring_soon"],
        by_powiat=by_powiat,
    )


def build_report(*, year: int, today: datetime.date) -> Report:
    return Report(
        year=year,
        today=today,
        applications=application_figures(year=year),
        decision_time=decision_time(
            year=year, today=today, target_days=SchemeRules.current().decision_target_days
        ),
        certificates=certificate_figures(year=year, today=today),
        trends=build_trends(year=year, today=today),
    )
