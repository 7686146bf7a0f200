"""The outcome rule decides per item on exact averages; what the pages show agrees with it."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from certification.choices import ApplicationStatus, CriterionScope, Declaration
from certification.domain.criteria import current_version
from certification.domain.jury import application_summary, summaries_for
from certification.domain.jury_summary import Precise, precise_if_misleading, shown
from certification.models import (
    Criterion,
    JurorAssignment,
    SchemeRules,
    Score,
    Scorecard,
)
from certification.templatetags.figures import figure_text

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


def only_criteria(*specs: dict) -> list[Criterion]:
    """Only these criteria are in use (in the version in force), in this order."""
    Criterion.objects.update(active=False)
    version = current_version()
    return [
        Criterion.objects.create(version=version, position=n, **spec)
        for n, spec in enumerate(specs)
    ]


def rules(**values) -> None:
    SchemeRules.objects.filter(pk=SchemeRules.current().pk).update(**values)


def scored_application(
    points_per_juror: list[tuple[int, ...]], *, minimum=Decimal(0), threshold=Decimal(0)
):
    """The cast and their application, scored by every juror: each gives one row of points,
    one per organisation criterion. Only the criteria made here are in use."""
    criteria = [{"name_pl": "Jakość", "max_points": 10, "minimum_average": minimum}]
    if len(points_per_juror[0]) == 2:
        criteria.append({"name_pl": "Zakorzenienie", "max_points": 5})
    criteria = only_criteria(*criteria)
    rules(pass_threshold_percent=threshold)
    c = stages.cast()
    application = stages.scoring(c)
    for juror, points in zip(c.jurors, points_per_juror, strict=True):
        task = stages.open_task(application, stages.flow.score, owner=juror)
        stages.services.declare(task_pk=task.pk, user=juror, impartial=True)
        scores = {(k.pk, None): (p, "Uzasadnienie.") for k, p in zip(criteria, points, strict=True)}
        stages.services.score(task_pk=task.pk, user=juror, scores=scores)
    return c, application


def scored(points_per_juror: list[tuple[int, ...]], **rules):
    """The summary of the first item of an application scored as in scored_application."""
    _, application = scored_application(points_per_juror, **rules)
    summary = application_summary(application)
    first, second = summary.items
    # Organisation criteria only: every item has the same figures.
    assert [s.mean for s in first.criteria] == [s.mean for s in second.criteria]
    assert first.passes == second.passes
    return first


def test_weighted_percent_comes_from_the_points_not_from_rounded_averages():
    # Averages 23/3 and 11/3 of 10 + 5 points: 75.555…%, where rounded averages gave 75.60%.
    item = scored([(7, 3), (8, 4), (8, 4)])
    # Shown rounded half up, as people round; no limit near them, so nothing more is said.
    assert item.weighted_percent == Decimal("75.56")
    assert [r.mean for r in item.criteria] == [Decimal("7.67"), Decimal("3.67")]
    assert [r.mean_precise for r in item.criteria] == [None, None]
    assert item.weighted_percent_precise is None


def test_average_just_under_the_minimum_fails_and_carries_its_exact_figure():
    # 17/3 = 5.666…: below a minimum of 5.67, though it rounds to 5.67.
    item = scored([(6,), (6,), (5,)], minimum=Decimal("5.67"))
    (result,) = item.criteria
    assert result.mean == Decimal("5.67")
    assert result.mean_precise == Precise(Decimal("5.666"), exact=False)
    assert result.meets_minimum is False
    assert item.passes is False


def test_percent_just_under_the_threshold_fails_and_is_shown_under_it():
    item = scored([(6,), (6,), (5,)], threshold=Decimal("56.67"))
    assert item.weighted_percent == Decimal("56.67")
    assert item.weighted_percent_precise == Precise(Decimal("56.666"), exact=False)
    assert item.meets_threshold is False
    assert item.passes is False


def test_percent_exactly_at_the_threshold_passes():
    item = scored([(6,), (6,), (6,)], minimum=Decimal("6.00"), threshold=Decimal("60.00"))
    assert item.weighted_percent == Decimal("60.00")
    assert item.passes is True


def test_median_spread_and_outliers_more_than_the_set_points_from_the_median():
    rules(outlier_points=2)
    c, application = scored_application([(2,), (8,), (10,)])
    (stats,) = application_summary(application).items[0].criteria
    assert (stats.median, stats.low, stats.high) == (Decimal("8.00"), 2, 10)
    # 2 is 6 away from the median 8: flagged; 10 is exactly 2 away: not "more than" 2.
    assert stats.outliers == [(c.jurors[0], 2)]


def test_median_of_an_even_count_is_the_middle_of_the_two():
    only_criteria({"name_pl": "Jakość", "max_points": 10})
    c = stages.cast()
    application = stages.scoring(c)
    for juror, points in zip(c.jurors[:2], (5, 8), strict=True):
        task = stages.open_task(application, stages.flow.score, owner=juror)
        stages.services.declare(task_pk=task.pk, user=juror, impartial=True)
        scores = dict.fromkeys(stages.full_scores(application), (points, "Uzasadnienie."))
        stages.services.score(task_pk=task.pk, user=juror, scores=scores)
    summary = application_summary(application)
    (stats,) = summary.items[0].criteria
    assert stats.median == Decimal("6.50")
    assert summary.scored_by == c.jurors[:2]
    assert summary.waiting_for == [c.jurors[2]]
    assert summary.quorum_met is False
    assert summary.suggested_outcome == "refused"


def scored_per_item(points: dict[int, tuple[int, int]], *, minimum=Decimal("5.00")):
    """An item criterion with a minimum; each juror gives (points for item 1, for item 2)."""
    org, per_item = only_criteria(
        {"name_pl": "Wartość społeczna", "max_points": 10},
        {
            "name_pl": "Jakość",
            "max_points": 10,
            "minimum_average": minimum,
            "scope": CriterionScope.ITEM,
        },
    )
    c = stages.cast()
    application = stages.scoring(c)
    first, second = application.items.all()
    for n, juror in enumerate(c.jurors):
        task = stages.open_task(application, stages.flow.score, owner=juror)
        stages.services.declare(task_pk=task.pk, user=juror, impartial=True)
        stages.services.score(
            task_pk=task.pk,
            user=juror,
            scores={
                (org.pk, None): (8, "Społecznie cenne."),
                (per_item.pk, first.pk): (points[n][0], "Pierwszy."),
                (per_item.pk, second.pk): (points[n][1], "Drugi."),
            },
        )
    return c, application


def test_items_are_judged_each_on_its_own_criteria_and_the_suggestion_follows():
    _, application = scored_per_item({0: (9, 3), 1: (8, 4), 2: (9, 5)})
    summary = application_summary(application)
    first, second = summary.items
    assert [s.criterion.name for s in first.criteria] == ["Wartość społeczna", "Jakość"]
    assert [s.mean for s in first.criteria] == [Decimal("8.00"), Decimal("8.67")]
    assert [s.mean for s in second.criteria] == [Decimal("8.00"), Decimal("4.00")]
    assert (first.passes, second.passes) == (True, False)
    assert summary.suggested_outcome == "partially_granted"


def test_every_item_passing_suggests_granting_and_none_suggests_refusing():
    _, application = scored_per_item({0: (9, 6), 1: (8, 6), 2: (9, 7)})
    assert application_summary(application).suggested_outcome == "granted"


def test_no_item_passing_suggests_refusing():
    _, application = scored_per_item({0: (1, 3), 1: (2, 4), 2: (3, 5)})
    assert application_summary(application).suggested_outcome == "refused"


def test_recused_juror_is_listed_apart():
    c = stages.cast()
    application = stages.scoring(c)
    task = stages.open_task(application, stages.flow.score, owner=c.jurors[0])
    stages.services.declare(task_pk=task.pk, user=c.jurors[0], impartial=False, reason="Konflikt.")
    stages.score_as(application, c.jurors[1])
    summary = application_summary(application)
    assert summary.recused == [c.jurors[0]]
    assert summary.scored_by == [c.jurors[1]]
    assert summary.waiting_for == [c.jurors[2]]


def test_staff_file_shows_each_item_with_the_average_under_the_minimum_and_that_it_fails(client):
    rules(outlier_points=1)
    c, application = scored_application([(6,), (6,), (5,)], minimum=Decimal("5.67"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECISION  # every juror scored
    stages.open_task(application, stages.flow.resolution)

    response = login(client, c.chair).get(reverse("staff_application", args=[application.pk]))

    assert response.status_code == 200
    page = main_part(response.content.decode())
    summary = page.split('<section aria-labelledby="score-summary-title">', 1)[1]
    summary = summary.split('<section aria-labelledby="decision-title">', 1)[0]
    for item in application.items.all():
        assert f'<h3 id="score-item-{item.pk}">{item.name}</h3>' in summary
    # The average rounded half up, with its exact figure: 5.67 alone would seem to meet 5.67.
    assert summary.count("<td>5.67 (exactly 5.666…) / 10</td>") == 2
    assert "<td>6.00</td>" in summary  # the median
    assert "<td>5–6</td>" in summary  # lowest–highest
    assert "<td>5.67</td>" in summary  # the minimum
    assert summary.count("<strong>Does not pass</strong>") == 2
    assert "<li>“Jakość” averages 5.67 (exactly 5.666…), below its minimum of 5.67.</li>" in (
        summary
    )
    assert "Passes" not in summary
    assert "<strong>Refused</strong>" in summary  # the suggestion for the whole application
    # The juror who gave 5 is 1 from the median 6: not more than 1, so nobody is flagged.
    assert "points</strong>" not in summary


def test_staff_file_flags_an_outlier_in_words(client):
    rules(outlier_points=2)
    c, application = scored_application([(2,), (8,), (9,)])
    stages.open_task(application, stages.flow.resolution)
    page = main_part(
        login(client, c.chair)
        .get(reverse("staff_application", args=[application.pk]))
        .content.decode()
    )
    name = c.jurors[0].get_full_name() or c.jurors[0].username
    assert f"<strong>{name}: 2 points</strong>" in page
    assert "differ from the median by more than 2 points" in page


def _scored_directly(applications: int, *, items: int = 3, jurors: list) -> list:
    """Applications with items, assignments and scorecards made straight in the database:
    the query count is about reading them, not about the flow that writes them."""
    version = current_version()
    criteria = list(version.criteria.filter(active=True))
    made = []
    for _n in range(applications):
        application = factories.draft_application(items=items)
        application.criteria_version = version
        application.save(update_fields=["criteria_version"])
        for juror in jurors:
            assignment = JurorAssignment.objects.create(
                application=application,
                juror=juror,
                assigned_by=juror,
                declaration=Declaration.IMPARTIAL,
            )
            card = Scorecard.objects.create(assignment=assignment)
            Score.objects.bulk_create(
                Score(
                    scorecard=card,
                    criterion=criterion,
                    item=item,
                    points=criterion.max_points // 2,
                    justification="x",
                )
                for criterion in criteria
                for item in (
                    application.items.all() if criterion.scope == CriterionScope.ITEM else [None]
                )
            )
        made.append(application)
    return made


def test_summaries_take_the_same_number_of_queries_for_2_and_for_10_applications():
    jurors = [factories.juror() for _ in range(4)]
    Criterion.objects.filter(version=current_version(), position__in=[0, 2]).update(
        scope=CriterionScope.ITEM
    )
    apps = _scored_directly(10, jurors=jurors)
    SchemeRules.current()  # the rules row exists: reading it is one query either way

    with CaptureQueriesContext(connection) as two:
        few = summaries_for(apps[:2])
    with CaptureQueriesContext(connection) as ten:
        many = summaries_for(apps)

    assert len(two) == len(ten)
    assert len(many) == 10 and len(few) == 2
    one = many[apps[-1].pk]
    assert len(one.items) == 3 and len(one.scored_by) == 4
    assert all(len(i.criteria) == 5 for i in one.items)


def test_averages_are_rounded_half_up_and_an_exact_figure_is_added_only_when_it_misleads():
    # 26/3 = 8.666…: 8.67 as people round. Against a minimum of 8.67 it fails, so 8.67 alone
    # would contradict the verdict: the exact figure goes with it.
    fails = scored([(9,), (9,), (8,)], minimum=Decimal("8.67")).criteria[0]
    assert (fails.mean, fails.meets_minimum) == (Decimal("8.67"), False)
    assert fails.mean_precise == Precise(Decimal("8.666"), exact=False)
    # Against 8.66 it passes and 8.67 says so: nothing more.
    passes = scored([(9,), (9,), (8,)], minimum=Decimal("8.66")).criteria[0]
    assert (passes.mean, passes.meets_minimum, passes.mean_precise) == (
        Decimal("8.67"),
        True,
        None,
    )


def test_half_is_rounded_up_and_an_exact_short_figure_gets_no_ellipsis():
    assert shown(Fraction(65, 8)) == Decimal("8.13")  # 8.125
    assert precise_if_misleading(Fraction(65, 8), Decimal("8.13")) == Precise(
        Decimal("8.125"), exact=True
    )
    assert precise_if_misleading(Fraction(65, 8), Decimal("8.12")) is None


def test_figures_are_written_the_polish_way_with_the_exact_figure_when_needed():
    with translation.override("pl"):
        assert figure_text(Decimal("8.67"), Precise(Decimal("8.666"), exact=False)) == (
            "8,67 (dokładnie 8,666…)"
        )
        assert figure_text(Decimal("75.56"), None, unit="%") == "75,56%"
        assert figure_text(None) == "—"
    with translation.override("en"):
        assert figure_text(Decimal("8.13"), Precise(Decimal("8.125"), exact=True)) == (
            "8.13 (exactly 8.125)"
        )
