"""The outcome rule decides on exact averages; what the pages show agrees with it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from certification.choices import ApplicationStatus
from certification.domain.criteria import current_version
from certification.domain.jury import score_summary
from certification.models import Criterion, SchemeRules

from . import stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


def scored_application(
    points_per_juror: list[tuple[int, ...]], *, minimum=Decimal(0), threshold=Decimal(0)
):
    """The cast and their application, scored by every juror: each gives one row of points.

    Only the criteria made here are in use.
    """
    Criterion.objects.update(active=False)
    version = current_version()
    criteria = [
        Criterion.objects.create(
            version=version, name="Jakość", max_points=10, minimum_average=minimum
        )
    ]
    if len(points_per_juror[0]) == 2:
        criteria.append(
            Criterion.objects.create(version=version, name="Zakorzenienie", max_points=5)
        )
    SchemeRules.objects.filter(pk=SchemeRules.current().pk).update(pass_threshold_percent=threshold)
    c = stages.cast()
    application = stages.scoring(c)
    for juror, points in zip(c.jurors, points_per_juror, strict=True):
        task = stages.open_task(application, "score", owner=juror)
        stages.services.declare(task_pk=task.pk, user=juror, impartial=True)
        scores = {k.pk: (p, "Uzasadnienie.") for k, p in zip(criteria, points, strict=True)}
        stages.services.score(task_pk=task.pk, user=juror, scores=scores)
    return c, application


def scored(points_per_juror: list[tuple[int, ...]], **rules):
    """The score summary of an application scored as in scored_application."""
    _, application = scored_application(points_per_juror, **rules)
    return score_summary(application)


def test_weighted_percent_comes_from_the_points_not_from_rounded_averages():
    # Averages 23/3 and 11/3 of 10 + 5 points: 75.555…%, where rounded averages gave 75.60%.
    summary = scored([(7, 3), (8, 4), (8, 4)])
    assert summary.weighted_percent == Decimal("75.55")
    assert [r.average for r in summary.criteria] == [Decimal("7.66"), Decimal("3.66")]


def test_average_just_under_the_minimum_fails_and_is_shown_under_it():
    # 17/3 = 5.666…: below a minimum of 5.67, though it rounds to 5.67.
    summary = scored([(6,), (6,), (5,)], minimum=Decimal("5.67"))
    (result,) = summary.criteria
    assert result.average == Decimal("5.66")
    assert result.meets_minimum is False
    assert summary.passes is False


def test_staff_file_shows_the_average_under_the_minimum_and_that_it_fails(client):
    c, application = scored_application([(6,), (6,), (5,)], minimum=Decimal("5.67"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECISION  # every juror scored
    stages.open_task(application, "resolution")

    response = login(client, c.chair).get(reverse("staff_application", args=[application.pk]))

    assert response.status_code == 200
    page = main_part(response.content.decode())
    summary = page.split('<section aria-labelledby="score-summary-title">', 1)[1]
    summary = summary.split("</section>", 1)[0]
    assert "<td>5.66 / 10</td>" in summary  # the average, cut down, not rounded up to 5.67
    assert "<td>5.67</td>" in summary  # the minimum
    assert "<strong>Does not pass</strong>" in summary
    assert "<li>“Jakość” averages 5.66, below its minimum of 5.67.</li>" in summary
    assert "Passes" not in summary


def test_percent_just_under_the_threshold_fails_and_is_shown_under_it():
    summary = scored([(6,), (6,), (5,)], threshold=Decimal("56.67"))
    assert summary.weighted_percent == Decimal("56.66")
    assert summary.meets_threshold is False
    assert summary.passes is False


def test_percent_exactly_at_the_threshold_passes():
    summary = scored([(6,), (6,), (6,)], minimum=Decimal("6.00"), threshold=Decimal("60.00"))
    assert summary.weighted_percent == Decimal("60.00")
    assert summary.passes is True
