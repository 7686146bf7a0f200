"""The jury assignment page shows each juror's load (issue 11 §7): the applications they have
yet to score and the nearest due date among them, in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.models import JurorAssignment

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


def page_url(application) -> str:
    return reverse("staff_task", args=[stages.open_task(application, stages.flow.assign_jury).pk])


def label(page: str, user) -> str:
    """The text of the checkbox label of `user`."""
    after = page.split(f'value="{user.pk}"', 1)[1]
    return after.split("<label", 1)[1].split(">", 1)[1].split("</label>", 1)[0]


def test_each_juror_shows_open_assignments_and_the_nearest_due_date(client):
    c = stages.cast()
    first = stages.scoring(c)
    c.applicant = factories.applicant()
    second = stages.scoring(c)
    stages.score_as(first, c.jurors[0])
    near = datetime.date(2030, 1, 15)
    JurorAssignment.objects.filter(application=second, juror=c.jurors[1]).update(due_on=near)
    c.applicant = factories.applicant()
    waiting = stages.awaiting_jury(c)

    page = main_part(login(client, c.officer).get(page_url(waiting)).text)

    due = JurorAssignment.objects.get(application=second, juror=c.jurors[0]).due_on
    name = c.jurors[0].get_full_name()
    assert label(page, c.jurors[0]) == (f"{name}: 1 application to score, due {due:%d.%m.%Y}")
    assert label(page, c.jurors[1]).endswith(
        f": 2 applications to score, the nearest due {min(near, due):%d.%m.%Y}"
    )
    assert label(page, c.chair) == f"{c.chair.get_full_name()} (chair): no applications to score"


def test_polish_labels(client):
    c = stages.cast()
    stages.scoring(c)
    c.applicant = factories.applicant()
    waiting = stages.awaiting_jury(c)
    login(client, c.officer)
    client.cookies["django_language"] = "pl"

    page = client.get(page_url(waiting)).text

    assert "1 wniosek do oceny, termin" in label(page, c.jurors[0])
    assert "brak wniosków do oceny" in label(page, c.chair)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_assignments(client):
    c = stages.cast()
    stages.scoring(c)
    c.applicant = factories.applicant()
    waiting = stages.awaiting_jury(c)
    url = page_url(waiting)
    login(client, c.officer)
    one = _queries(client, url)
    for _ in range(3):
        c.applicant = factories.applicant()
        stages.scoring(c)
    c.jurors.append(factories.juror())

    assert "4 applications to score" in label(client.get(url).text, c.jurors[0])
    assert _queries(client, url) == one
