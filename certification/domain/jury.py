import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import events
from ..choices import ApplicationStatus, CriterionScope, Declaration
from ..models import (
    Application,
    JurorAssignment,
    JuryMember,
    Membership,
    SchemeRules,
    Score,
    Scorecard,
    ScorecardDraft,
)
from . import audit
from .criteria import criteria_of, current_version
from .errors import DomainError
from .jury_summary import (  # noqa: F401  (the summary's interface, named from here)
    ApplicationSummary,
    CriterionStats,
    ItemSummary,
    application_summary,
    summaries_for,
)


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
    if locked.criteria_version_id is None:
        # The round starts: it scores by the criteria in force now, whatever changes later.
        version = current_version()
        if version is None:
            raise DomainError(
                _("No version of the scoring criteria is in force. Ask the administrator.")
            )
        locked.criteria_version = version
        locked.save(update_fields=["criteria_version"])
    due_on = timezone.localdate() + datetime.timedelta(days=SchemeRules.current().scoring_days)
    assignments = [
        JurorAssignment.objects.create(
            application=locked, juror=j, assigned_by=officer, due_on=due_on
        )
        for j in jurors
    ]
    audit.change_status(
        application=locked,
        actor=officer,
        action="jury.assigned",
        to_state=ApplicationStatus.SCORING,
        jurors=[j.username for j in jurors],
        criteria_version=locked.criteria_version.number,
        scoring_due=due_on.isoformat(),
    )
    events.announce(
        events.JURORS_ASSIGNED,
        application_id=locked.pk,
        assignment_ids=[a.pk for a in assignments],
    )
    application.criteria_version = locked.criteria_version
    return assignments


def locked_assignment(assignment: JurorAssignment, juror) -> JurorAssignment:
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
    locked = locked_assignment(assignment, juror)
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


ScoreKey = tuple[int, int | None]  # (criterion id, item id; None for the organisation's)


def _score_errors(criteria, items, scores: dict[ScoreKey, tuple[int, str]]) -> list[str]:
    expected: dict[ScoreKey, tuple] = {}
    for criterion in criteria:
        if criterion.scope == CriterionScope.ITEM:
            for item in items:
                expected[criterion.pk, item.pk] = (criterion, item)
        else:
            expected[criterion.pk, None] = (criterion, None)
    by_pk = {c.pk: c for c in criteria}
    item_pks = {i.pk for i in items}
    errors = []
    for key in scores:
        if key in expected:
            continue
        if not (isinstance(key, tuple) and len(key) == 2):
            raise TypeError(f"scores are keyed by (criterion id, item id or None), not {key!r}")
        criterion_pk, item_pk = key
        criterion = by_pk.get(criterion_pk)
        if criterion is None:
            errors.append(_("A score was given for a criterion this round does not use."))
        elif item_pk is not None and criterion.scope == CriterionScope.ORGANIZATION:
            errors.append(
                _("“%(c)s” is scored once for the organisation, not for each item.")
                % {"c": criterion.name}
            )
        elif item_pk is not None and item_pk not in item_pks:
            errors.append(
                _("A score for “%(c)s” names a product or service that is not in this application.")
                % {"c": criterion.name}
            )
        else:
            errors.append(
                _("“%(c)s” is scored for each product or service, not once.")
                % {"c": criterion.name}
            )
    for key, (criterion, item) in expected.items():
        name = (
            criterion.name
            if item is None
            else _("%(c)s (%(item)s)") % {"c": criterion.name, "item": item.name}
        )
        points, justification = scores.get(key, (None, ""))
        if points is None:
            errors.append(_("Score “%(c)s”.") % {"c": name})
        elif not criterion.min_points <= points <= criterion.max_points:
            errors.append(
                _("“%(c)s” takes from %(lo)d to %(hi)d points; you gave %(p)d.")
                % {"c": name, "lo": criterion.min_points, "hi": criterion.max_points, "p": points}
            )
        if not (justification or "").strip():
            errors.append(_("Justify your score for “%(c)s”.") % {"c": name})
    return errors


@transaction.atomic
def submit_scorecard(
    *,
    assignment: JurorAssignment,
    juror,
    scores: dict[ScoreKey, tuple[int, str]],
    comment: str = "",
) -> Scorecard:
    """Scores keyed by (criterion id, item id or None): (points, justification).

    An organisation criterion is scored once (item None), an item criterion once for each
    product or service of the application. All or nothing.
    """
    locked = locked_assignment(assignment, juror)
    if locked.declaration != Declaration.IMPARTIAL:
        raise DomainError(_("Declare your impartiality before scoring."))
    if Scorecard.objects.filter(assignment=locked).exists():
        raise DomainError(_("You have already submitted your scorecard."))
    application = locked.application
    criteria = list(criteria_of(application.criteria_version))
    items = list(application.items.all())
    errors = _score_errors(criteria, items, scores)
    if errors:
        raise DomainError(" ".join(errors), field="scores")
    scorecard = Scorecard.objects.create(assignment=locked, comment=comment.strip())
    Score.objects.bulk_create(
        [
            Score(
                scorecard=scorecard,
                criterion_id=criterion_pk,
                item_id=item_pk,
                points=points,
                justification=justification.strip(),
            )
            for (criterion_pk, item_pk), (points, justification) in scores.items()
        ]
    )
    # The draft has served its purpose: what counts from now on is the scorecard.
    ScorecardDraft.objects.filter(assignment=locked).delete()
    audit.record(actor=juror, action="jury.scored", application=application)
    return scorecard


@transaction.atomic
def close_scoring_round(*, application: Application) -> bool:
    """After every assigned juror has scored or recused: decide, or go back to assignment."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SCORING:
        raise DomainError(_("This application is not being scored now."))
    summary = application_summary(locked)
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
