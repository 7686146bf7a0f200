"""The chair's summary of the scores: per product or service, as the certificate is granted.

The outcome rule is decided on exact fractions. What pages show is rounded half up to two
decimals, as people round (26/3 is 8.67, not 8.66). Where that rounding would contradict the
verdict next to it (26/3 = 8.666… is below a minimum of 8.67, yet shows as 8.67), the figure
also carries its first three decimals cut down (8.666), which the page adds: "8.67 (exactly
8.666…)". Every figure comes from the criteria version the application's scoring round
started with.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..choices import CriterionScope, Declaration, ResolutionOutcome
from ..models import (
    Application,
    ApplicationItem,
    Criterion,
    JurorAssignment,
    SchemeRules,
    Score,
    User,
)


@dataclass(frozen=True)
class Precise:
    """A figure with three decimals, cut down (never rounded up): 8.666 for 26/3."""

    value: Decimal
    exact: bool  # False when more decimals follow (the page adds "…")


@dataclass
class CriterionStats:
    criterion: Criterion
    mean: Decimal | None  # shown: rounded half up to 2 decimals
    median: Decimal | None
    low: int | None  # the spread: lowest and highest points given
    high: int | None
    meets_minimum: bool  # decided on the exact mean
    # Jurors whose points differ from the median by more than SchemeRules.outlier_points.
    outliers: list[tuple[User, int]] = field(default_factory=list)
    points: list[tuple[User, int]] = field(default_factory=list)  # every juror's, in order
    exact_mean: Fraction | None = None
    # Only when the rounded mean would seem to meet the minimum it fails: see `Precise`.
    mean_precise: Precise | None = None


@dataclass
class ItemSummary:
    item: ApplicationItem
    # The organisation's criteria (the same figures for every item), then this item's own.
    criteria: list[CriterionStats]
    weighted_percent: Decimal | None  # shown: rounded half up to 2 decimals
    meets_threshold: bool  # decided on the exact figure
    passes: bool  # what the outcome rule suggests: grant this item
    # Only when the rounded percentage would seem to meet the threshold it fails.
    weighted_percent_precise: Precise | None = None

    @property
    def failed_minimums(self) -> list[CriterionStats]:
        return [s for s in self.criteria if s.mean is not None and not s.meets_minimum]

    @property
    def unscored(self) -> list[CriterionStats]:
        return [s for s in self.criteria if s.mean is None]


@dataclass
class ApplicationSummary:
    application: Application
    scorecards: int
    quorum: int
    quorum_met: bool
    scored_by: list[User]  # jurors who submitted their scorecard
    waiting_for: list[User]  # assigned, impartial or not yet declared, not yet submitted
    recused: list[User]
    items: list[ItemSummary]
    pass_threshold: Decimal = Decimal(0)
    outlier_points: int = 0
    organization_criteria: list[CriterionStats] = field(default_factory=list)

    @property
    def suggested_outcome(self) -> str:
        """The rule's suggestion (a ResolutionOutcome value); the jury's resolution decides."""
        passing = [i for i in self.items if i.passes]
        if self.items and len(passing) == len(self.items):
            return ResolutionOutcome.GRANTED.value
        if passing:
            return ResolutionOutcome.PARTIALLY_GRANTED.value
        return ResolutionOutcome.REFUSED.value

    def get_suggested_outcome_display(self) -> str:
        return str(ResolutionOutcome(self.suggested_outcome).label)

    @property
    def has_outliers(self) -> bool:
        return any(s.outliers for i in self.items for s in i.criteria)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def shown(value: Fraction) -> Decimal:
    """Two decimals, rounded half up: 8.67 for 26/3, 8.13 for 8.125."""
    return _decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def precise_if_misleading(value: Fraction, limit: Decimal) -> Precise | None:
    """More decimals when the rounded figure would contradict the verdict against `limit`.

    A limit has two decimals, so only a figure just below it can round up onto it (8.666…
    against 8.67); cut down to three decimals it is plainly below (8.666). Rounding half up
    never takes a figure that meets the limit below it, so nothing else can mislead.
    """
    if value >= Fraction(limit) or shown(value) < limit:
        return None
    cut = _decimal(value).quantize(Decimal("0.001"), rounding=ROUND_FLOOR)
    return Precise(value=cut, exact=Fraction(cut) == value)


def _stats(criterion: Criterion, points: list[tuple[User, int]], outlier_points: int):
    if not points:
        return CriterionStats(criterion, None, None, None, None, False)
    values = [p for _u, p in points]
    mean = Fraction(sum(values), len(values))
    median = statistics.median(Fraction(v) for v in values)
    return CriterionStats(
        criterion=criterion,
        mean=shown(mean),
        median=shown(median),
        low=min(values),
        high=max(values),
        meets_minimum=mean >= Fraction(criterion.minimum_average),
        outliers=[(u, p) for u, p in points if abs(p - median) > outlier_points],
        points=points,
        exact_mean=mean,
        mean_precise=precise_if_misleading(mean, criterion.minimum_average),
    )


def _item_summary(item, stats: list[CriterionStats], *, quorum_met: bool, threshold: Decimal):
    weighted = weighted_max = Fraction(0)
    for s in stats:
        if s.exact_mean is not None:
            weight = Fraction(s.criterion.weight)
            weighted += s.exact_mean * weight
            weighted_max += s.criterion.max_points * weight
    percent = weighted * 100 / weighted_max if weighted_max else None
    meets_threshold = percent is not None and percent >= Fraction(threshold)
    return ItemSummary(
        item=item,
        criteria=stats,
        weighted_percent=shown(percent) if percent is not None else None,
        meets_threshold=meets_threshold,
        weighted_percent_precise=(
            precise_if_misleading(percent, threshold) if percent is not None else None
        ),
        passes=quorum_met
        and meets_threshold
        and bool(stats)
        and all(s.meets_minimum for s in stats),
    )


def summaries_for(applications: list[Application]) -> dict[int, ApplicationSummary]:
    """Summaries of many applications in a constant number of queries (six)."""
    applications = list(applications)
    if not applications:
        return {}
    rules = SchemeRules.current()
    ids = [a.pk for a in applications]
    # Read from the database, not from the objects given: a caller's copy made before the
    # round started would not know its version yet.
    version_of = dict(
        Application.objects.filter(pk__in=ids).values_list("pk", "criteria_version_id")
    )
    versions = {v for v in version_of.values() if v}
    criteria_by_version = defaultdict(list)
    for criterion in Criterion.objects.filter(version_id__in=versions, active=True):
        criteria_by_version[criterion.version_id].append(criterion)
    items_by_app = defaultdict(list)
    for item in ApplicationItem.objects.filter(application_id__in=ids):
        items_by_app[item.application_id].append(item)
    assignments_by_app = defaultdict(list)
    jurors = {}
    for assignment in JurorAssignment.objects.filter(application_id__in=ids).select_related(
        "juror", "scorecard"
    ):
        assignments_by_app[assignment.application_id].append(assignment)
        jurors[assignment.juror_id] = assignment.juror
    # (application, criterion, item or None) -> [(juror, points)], in the order jurors submitted
    points = defaultdict(list)
    rows = (
        Score.objects.filter(scorecard__assignment__application_id__in=ids)
        .order_by("scorecard__submitted_at", "scorecard_id")
        .values_list(
            "scorecard__assignment__application_id",
            "criterion_id",
            "item_id",
            "scorecard__assignment__juror_id",
            "points",
        )
    )
    for app_id, criterion_id, item_id, juror_id, value in rows:
        points[app_id, criterion_id, item_id].append((jurors[juror_id], value))

    summaries = {}
    for application in applications:
        assignments = assignments_by_app[application.pk]
        submitted = [a for a in assignments if _has_scorecard(a)]
        quorum_met = len(submitted) >= rules.quorum
        criteria = criteria_by_version.get(version_of.get(application.pk), [])
        org_stats = [
            _stats(c, points[application.pk, c.pk, None], rules.outlier_points)
            for c in criteria
            if c.scope == CriterionScope.ORGANIZATION
        ]
        items = []
        for item in items_by_app[application.pk]:
            own = [
                _stats(c, points[application.pk, c.pk, item.pk], rules.outlier_points)
                for c in criteria
                if c.scope == CriterionScope.ITEM
            ]
            stats = sorted(org_stats + own, key=lambda s: (s.criterion.position, s.criterion.pk))
            items.append(
                _item_summary(
                    item, stats, quorum_met=quorum_met, threshold=rules.pass_threshold_percent
                )
            )
        summaries[application.pk] = ApplicationSummary(
            application=application,
            scorecards=len(submitted),
            quorum=rules.quorum,
            quorum_met=quorum_met,
            scored_by=[a.juror for a in submitted],
            waiting_for=[
                a.juror
                for a in assignments
                if not _has_scorecard(a) and a.declaration != Declaration.RECUSED
            ],
            recused=[a.juror for a in assignments if a.declaration == Declaration.RECUSED],
            items=items,
            pass_threshold=rules.pass_threshold_percent,
            outlier_points=rules.outlier_points,
            organization_criteria=org_stats,
        )
    return summaries


def _has_scorecard(assignment: JurorAssignment) -> bool:
    return hasattr(assignment, "scorecard")  # the reverse one-to-one, already selected


def application_summary(application: Application) -> ApplicationSummary:
    return summaries_for([application])[application.pk]
