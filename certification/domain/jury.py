from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..choices import ApplicationStatus, Declaration
from ..models import (
    Application,
    Criterion,
    JurorAssignment,
    JuryMember,
    Membership,
    SchemeRules,
    Score,
    Scorecard,
)
from . import audit
from .errors import DomainError


def active_jurors():
    today = timezone.localdate()
    return (
        JuryMember.objects.filter(active=True, term_start__lte=today)
        .exclude(term_end__lt=today)
        .select_related("user")
    )


def members_of_applicant(application: Application) -> set[int]:
    """Users who are members of the applicant organisation: in conflict, never its jurors."""
    return set(
        Membership.objects.filter(organization_id=application.organization_id).values_list(
            "user_id", flat=True
        )
    )


def seats_taken(application: Application) -> int:
    """Assignments that count towards the jury: everyone not recused."""
    return application.assignments.exclude(declaration=Declaration.RECUSED).count()


@transaction.atomic
def assign_jurors(*, application: Application, officer, jurors: Iterable) -> list[JurorAssignment]:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.JURY_ASSIGNMENT:
        raise DomainError(_("This application is not awaiting jury assignment."))
    jurors = list(jurors)
    if len({j.pk for j in jurors}) != len(jurors):
        raise DomainError(_("A juror was chosen twice."), field="jurors")
    eligible = {m.user_id for m in active_jurors()}
    if any(j.pk not in eligible for j in jurors):
        raise DomainError(_("Only active members of the jury can be assigned."), field="jurors")
    conflicted = [j for j in jurors if j.pk in members_of_applicant(locked)]
    if conflicted:
        raise DomainError(
            _(
                "%(names)s cannot be assigned: a member of the applicant organisation has a "
                "conflict of interest."
            )
            % {"names": ", ".join(j.get_full_name() or j.username for j in conflicted)},
            field="jurors",
        )
    already = set(locked.assignments.values_list("juror_id", flat=True))
    if any(j.pk in already for j in jurors):
        raise DomainError(
            _("A chosen juror has already been assigned to this application."), field="jurors"
        )
    needed = SchemeRules.current().min_jurors - seats_taken(locked)
    if len(jurors) < max(needed, 1):
        n = max(needed, 1)
        raise DomainError(
            ngettext("Assign at least %(n)d more juror.", "Assign at least %(n)d more jurors.", n)
            % {"n": n},
            field="jurors",
        )
    assignments = [
        JurorAssignment.objects.create(application=locked, juror=j, assigned_by=officer)
        for j in jurors
    ]
    audit.change_status(
        application=locked,
        actor=officer,
        action="jury.assigned",
        to_state=ApplicationStatus.SCORING,
        jurors=[j.username for j in jurors],
    )
    return assignments


def _locked_assignment(assignment: JurorAssignment, juror) -> JurorAssignment:
    locked = (
        JurorAssignment.objects.select_for_update()
        .select_related("application")
        .get(pk=assignment.pk)
    )
    if locked.juror_id != juror.pk:
        raise DomainError(_("This application is not assigned to you."))
    if juror.pk in members_of_applicant(locked.application):
        raise DomainError(
            _("You are a member of the applicant organisation: you cannot judge its application.")
        )
    if locked.application.status != ApplicationStatus.SCORING:
        raise DomainError(_("This application is not being scored now."))
    return locked


@transaction.atomic
def declare_impartiality(
    *, assignment: JurorAssignment, juror, impartial: bool, reason: str = ""
) -> JurorAssignment:
    locked = _locked_assignment(assignment, juror)
    if locked.declaration != Declaration.PENDING:
        raise DomainError(_("You have already made your declaration for this application."))
    if not impartial and not reason.strip():
        raise DomainError(_("Describe the conflict of interest."), field="reason")
    locked.declaration = Declaration.IMPARTIAL if impartial else Declaration.RECUSED
    locked.recusal_reason = "" if impartial else reason.strip()
    locked.declared_at = timezone.now()
    locked.save(update_fields=["declaration", "recusal_reason", "declared_at"])
    audit.record(
        actor=juror,
        action="jury.declared_impartial" if impartial else "jury.recused",
        application=locked.application,
        message=locked.recusal_reason,
    )
    return locked


@transaction.atomic
def submit_scorecard(
    *,
    assignment: JurorAssignment,
    juror,
    scores: dict[int, tuple[int, str]],
    comment: str = "",
) -> Scorecard:
    """Scores per criterion id: (points, justification). All or nothing."""
    locked = _locked_assignment(assignment, juror)
    if locked.declaration != Declaration.IMPARTIAL:
        raise DomainError(_("Declare your impartiality before scoring."))
    if Scorecard.objects.filter(assignment=locked).exists():
        raise DomainError(_("You have already submitted your scorecard."))
    criteria = list(Criterion.objects.filter(active=True))
    errors = []
    for criterion in criteria:
        points, justification = scores.get(criterion.pk, (None, ""))
        if points is None:
            errors.append(_("Score “%(c)s”.") % {"c": criterion.name})
        elif not criterion.min_points <= points <= criterion.max_points:
            errors.append(
                _("“%(c)s” takes from %(lo)d to %(hi)d points; you gave %(p)d.")
                % {
                    "c": criterion.name,
                    "lo": criterion.min_points,
                    "hi": criterion.max_points,
                    "p": points,
                }
            )
        if not (justification or "").strip():
            errors.append(_("Justify your score for “%(c)s”.") % {"c": criterion.name})
    if errors:
        raise DomainError(" ".join(errors), field="scores")
    scorecard = Scorecard.objects.create(assignment=locked, comment=comment.strip())
    Score.objects.bulk_create(
        [
            Score(
                scorecard=scorecard,
                criterion=c,
                points=scores[c.pk][0],
                justification=scores[c.pk][1].strip(),
            )
            for c in criteria
        ]
    )
    audit.record(actor=juror, action="jury.scored", application=locked.application)
    return scorecard


@dataclass
class CriterionResult:
    criterion: Criterion
    # Shown to two decimals, cut down rather than rounded, so a shown 6.00 is never a 5.996
    # that fails a minimum of 6: what the page shows agrees with what the rule decided.
    average: Decimal | None
    meets_minimum: bool


@dataclass
class ScoreSummary:
    scorecards: int
    quorum: int
    criteria: list[CriterionResult] = field(default_factory=list)
    weighted_percent: Decimal | None = None  # shown; cut down to two decimals like averages
    pass_threshold: Decimal = Decimal(0)
    meets_threshold: bool = False  # decided on the exact figure, not the shown one

    @property
    def quorum_met(self) -> bool:
        return self.scorecards >= self.quorum

    @property
    def passes(self) -> bool:
        """What the outcome rule says; the jury's resolution decides."""
        return (
            self.quorum_met
            and self.weighted_percent is not None
            and self.meets_threshold
            and all(r.meets_minimum for r in self.criteria)
        )


def _shown(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_FLOOR
    )


def score_summary(application: Application) -> ScoreSummary:
    """The outcome rule on exact fractions; rounding is for display only."""
    rules = SchemeRules.current()
    scores = list(
        Score.objects.filter(scorecard__assignment__application=application).select_related(
            "criterion"
        )
    )
    count = Scorecard.objects.filter(assignment__application=application).count()
    summary = ScoreSummary(
        scorecards=count, quorum=rules.quorum, pass_threshold=rules.pass_threshold_percent
    )
    weighted_points = weighted_max = Fraction(0)
    for criterion in Criterion.objects.filter(active=True):
        points = [s.points for s in scores if s.criterion_id == criterion.pk]
        average = Fraction(sum(points), len(points)) if points else None
        summary.criteria.append(
            CriterionResult(
                criterion=criterion,
                average=_shown(average) if average is not None else None,
                meets_minimum=average is not None
                and average >= Fraction(criterion.minimum_average),
            )
        )
        if average is not None:
            weight = Fraction(criterion.weight)
            weighted_points += average * weight
            weighted_max += criterion.max_points * weight
    if weighted_max:
        percent = weighted_points * 100 / weighted_max
        summary.weighted_percent = _shown(percent)
        summary.meets_threshold = percent >= Fraction(rules.pass_threshold_percent)
    return summary


@transaction.atomic
def close_scoring_round(*, application: Application) -> bool:
    """After every assigned juror has scored or recused: decide, or go back to assignment."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SCORING:
        raise DomainError(_("This application is not being scored now."))
    summary = score_summary(locked)
    to_state = (
        ApplicationStatus.DECISION if summary.quorum_met else ApplicationStatus.JURY_ASSIGNMENT
    )
    audit.change_status(
        application=locked,
        actor=None,
        action="jury.round_closed",
        to_state=to_state,
        scorecards=summary.scorecards,
        quorum=summary.quorum,
    )
    return summary.quorum_met
