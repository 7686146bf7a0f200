"""Staff inbox and applications list: who sees what, the decision clock, filter, paging, queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus
from certification.models import Application, Organization

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db

INBOX = reverse("staff_inbox")
LIST = reverse("staff_applications")


def task_url(task) -> str:
    return reverse("staff_task", args=[task.pk])


def listed_application(status: str, *, complete_days_ago: int | None = None, decided=False):
    """A row for the list only (the list reads rows; it does not need the flow behind them)."""
    user = factories.UserFactory()
    now = timezone.now()
    app = Application.objects.create(
        organization=factories.OrganizationFactory(),
        created_by=user,
        social_goals="Cele społeczne.",
        status=status,
        submitted_at=None if status == ApplicationStatus.DRAFT else now,
    )
    if status != ApplicationStatus.DRAFT:
        app.number = f"W/{now.year}/{app.pk:05d}"
    if complete_days_ago is not None:
        app.complete_at = now - datetime.timedelta(days=complete_days_ago)
    if decided:
        app.decided_at = now
    app.save()
    return app


# --- inbox -------------------------------------------------------------------------------


def test_inbox_anonymous_is_sent_to_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_inbox_applicant_gets_404(client):
    c = stages.cast()
    stages.submitted(c)
    assert login(client, c.applicant).get(INBOX).status_code == 404


def test_inbox_officer_sees_the_review_task_with_its_application(client):
    c = stages.cast()
    app = stages.submitted(c)
    task = stages.open_task(app, stages.flow.formal_review)
    page = login(client, c.officer).get(INBOX).content.decode()
    assert "Formal review" in page
    assert app.number in page
    assert app.organization.name in page
    assert f'href="{task_url(task)}"' in page


def test_inbox_juror_sees_only_their_own_scoring_task(client):
    c = stages.cast()
    app = stages.scoring(c)
    mine = stages.open_task(app, stages.flow.score, owner=c.jurors[0])
    theirs = stages.open_task(app, stages.flow.score, owner=c.jurors[1])
    page = login(client, c.jurors[0]).get(INBOX).content.decode()
    assert f'href="{task_url(mine)}"' in page
    assert f'href="{task_url(theirs)}"' not in page
    assert "assigned to you" in page


def test_inbox_officer_does_not_get_the_jurors_scoring_tasks(client):
    c = stages.cast()
    app = stages.scoring(c)
    page = login(client, c.officer).get(INBOX).content.decode()
    assert "You have no open tasks." in page
    assert app.number not in page


def test_inbox_chair_sees_the_resolution_task_and_a_plain_juror_does_not(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    task = stages.open_task(app, stages.flow.resolution)
    assert f'href="{task_url(task)}"' in login(client, c.chair).get(INBOX).content.decode()
    client.logout()
    page = login(client, c.jurors[0]).get(INBOX).content.decode()
    assert f'href="{task_url(task)}"' not in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_inbox_query_count_does_not_grow_with_tasks(client):
    c = stages.cast()
    stages.submitted(c)
    login(client, c.officer)
    one = _queries(client, INBOX)
    for _ in range(9):
        c.applicant = factories.applicant()
        stages.submitted(c)
    page = client.get(INBOX).content.decode()
    assert page.count("Formal review") == 10
    assert _queries(client, INBOX) == one


# --- applications list ---------------------------------------------------------------------


def test_applications_list_hides_drafts_and_shows_the_clock(client):
    c = stages.cast()
    draft = listed_application(ApplicationStatus.DRAFT)
    waiting = listed_application(ApplicationStatus.SUBMITTED)
    running = listed_application(ApplicationStatus.SCORING, complete_days_ago=10)
    late = listed_application(ApplicationStatus.DECISION, complete_days_ago=100)
    page = login(client, c.officer).get(LIST).content.decode()
    assert f"draft #{draft.pk}" not in page
    assert "3 applications" in page
    assert waiting.number in page and running.number in page and late.number in page
    assert "Not started: the file is not complete yet" in page
    assert "Day 10 of 90" in page
    assert "80 days left" in page
    assert "Day 100 of 90" in page
    assert "overdue" in page
    assert f'href="{reverse("staff_application", args=[late.pk])}"' in page


def test_applications_list_clock_stops_at_the_decision(client):
    c = stages.cast()
    listed_application(ApplicationStatus.GRANTED, complete_days_ago=30, decided=True)
    page = login(client, c.officer).get(LIST).content.decode()
    assert "Decided after 30 days (target: 90 days)" in page


def test_applications_list_status_filter(client):
    c = stages.cast()
    submitted = listed_application(ApplicationStatus.SUBMITTED)
    scoring = listed_application(ApplicationStatus.SCORING, complete_days_ago=1)
    page = login(client, c.officer).get(LIST, {"status": "scoring"}).content.decode()
    assert scoring.number in page
    assert submitted.number not in page
    # The filter is a plain GET form: a labelled select and a real submit button.
    assert '<label for="id_status">' in page
    assert '<button type="submit"' in page


def test_applications_list_pages_with_real_links_keeping_the_filter(client):
    c = stages.cast()
    apps = [listed_application(ApplicationStatus.SUBMITTED) for _ in range(27)]
    login(client, c.officer)
    first = client.get(LIST, {"status": "submitted"}).content.decode()
    assert '<a href="?status=submitted&amp;page=2" rel="next">' in first
    assert "Page 1 of 2" in first
    second = client.get(LIST, {"status": "submitted", "page": 2}).content.decode()
    assert "Page 2 of 2" in second
    # Newest first: the two oldest are on page 2.
    assert apps[0].number in second and apps[1].number in second
    assert apps[0].number not in first


def test_applications_list_juror_sees_only_applications_declared_impartial(client):
    c = stages.cast()
    app = stages.scoring_declared(c)
    other = listed_application(ApplicationStatus.SCORING, complete_days_ago=3)
    page = login(client, c.jurors[0]).get(LIST).content.decode()
    assert app.number in page
    assert other.number not in page
    client.logout()
    page = login(client, c.jurors[1]).get(LIST).content.decode()
    assert "No applications to show." in page


def test_applications_list_applicant_gets_404(client):
    c = stages.cast()
    assert login(client, c.applicant).get(LIST).status_code == 404


def test_applications_list_query_count_does_not_grow_with_rows(client):
    c = stages.cast()
    listed_application(ApplicationStatus.SCORING, complete_days_ago=5)
    login(client, c.officer)
    one = _queries(client, LIST)
    for n in range(9):
        listed_application(ApplicationStatus.DECISION, complete_days_ago=n)
    assert client.get(LIST).content.decode().count("Day ") == 10
    assert _queries(client, LIST) == one


def test_applications_list_search_by_number_name_or_nip(client):
    c = stages.cast()
    wanted = listed_application(ApplicationStatus.SUBMITTED)
    other = listed_application(ApplicationStatus.SUBMITTED)
    Organization.objects.filter(pk=wanted.organization_id).update(
        name="Spółdzielnia Socjalna Zielnik"
    )
    nip = wanted.organization.nip
    login(client, c.officer)
    for text in (wanted.number, "socjalna ziel", f"PL {nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"):
        page = client.get(LIST, {"q": text}).content.decode()
        assert f'href="{reverse("staff_application", args=[wanted.pk])}"' in page, text
        assert f'href="{reverse("staff_application", args=[other.pk])}"' not in page, text
    page = client.get(LIST, {"q": "nie ma takiego"}).content.decode()
    assert "No applications to show." in page
    # The search is a labelled field of the same GET form, kept by the page links.
    assert '<label for="id_q">' in page


def test_applications_list_search_keeps_to_what_the_user_may_see(client):
    c = stages.cast()
    hidden = listed_application(ApplicationStatus.SCORING, complete_days_ago=2)
    page = login(client, c.jurors[0]).get(LIST, {"q": hidden.number}).content.decode()
    assert "No applications to show." in page
    assert f'href="{reverse("staff_application", args=[hidden.pk])}"' not in page


def test_applications_list_search_too_long_is_told_and_lists_all(client):
    c = stages.cast()
    app = listed_application(ApplicationStatus.SUBMITTED)
    page = login(client, c.officer).get(LIST, {"q": "x" * 101}).content.decode()
    assert "There is a problem" in page
    told = "Ensure this value has at most 100 characters (it has 101)."
    assert f'<li><a href="#id_q">Search: {told}</a></li>' in page  # the summary links the field
    assert f'<p class="error-message" id="id_q_error">{told}</p>' in page
    assert f'href="{reverse("staff_application", args=[app.pk])}"' in page
