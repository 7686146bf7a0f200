"""Task pages after scoring: the jury's resolution and the certificate issue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus, ResolutionOutcome
from certification.domain.certificates import number_to_slug
from certification.models import Certificate, Resolution

from . import factories, stages
from .mail import run_jobs
from .web import login

pytestmark = pytest.mark.django_db


def url(task) -> str:
    return reverse("staff_task", args=[task.pk])


def resolution_data(app, **override) -> dict:
    data = {
        "number": "U/7/2026",
        "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "votes_for": 3,
        "votes_against": 0,
        "votes_abstaining": 1,
        "granted_items": [i.pk for i in app.items.all()],
        "justification": "Produkty wysokiej jakości.",
    }
    data.update(override)
    return data


# --- resolution ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["chair", "officer"])
def test_resolution_page_shows_the_score_summary_and_the_form(client, who):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    user = c.chair if who == "chair" else c.officer
    response = login(client, user).get(url(stages.open_task(app, "resolution")))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<title>Jury resolution: {app.number} ·" in page
    assert "80.00% of the maximum (pass threshold 60.00%)" in page
    assert "3 (quorum: 3)" in page
    assert "Passes" in page
    assert page.count("Scorecard of ") == 3
    for item in app.items.all():
        assert f'type="checkbox" name="granted_items" value="{item.pk}"' in page
    assert 'name="votes_against"' in page


def test_resolution_page_explains_why_the_rule_says_no(client):
    c = stages.cast()
    app = stages.scoring(c)
    for juror in c.jurors:
        stages.score_as(app, juror, points_share=0.2)
    page = login(client, c.chair).get(url(stages.open_task(app, "resolution"))).content.decode()
    assert "Does not pass" in page
    assert "below the pass threshold of 60.00%" in page
    assert "averages 2.00, below its minimum of 4.00" in page


@pytest.mark.parametrize("who", ["juror", "applicant", "other_juror"])
def test_resolution_page_is_404_for_others(client, who):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    user = {"juror": c.jurors[0], "applicant": c.applicant, "other_juror": factories.juror()}[who]
    assert login(client, user).get(url(stages.open_task(app, "resolution"))).status_code == 404


def test_resolution_granting_everything_leads_to_the_issue_task(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    task = stages.open_task(app, "resolution")
    response = login(client, c.chair).post(url(task), resolution_data(app), follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff_inbox")
    assert "Resolution U/7/2026 recorded: Granted." in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.GRANTED
    assert app.resolutions.get().votes_abstaining == 1
    assert stages.open_node_names(app) == ["issue"]


def test_resolution_for_some_items_grants_only_those(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    first = app.items.first()
    login(client, c.officer).post(
        url(stages.open_task(app, "resolution")), resolution_data(app, granted_items=[first.pk])
    )
    resolution = Resolution.objects.get(application=app)
    assert resolution.outcome == ResolutionOutcome.PARTIALLY_GRANTED
    assert list(resolution.granted_items()) == [first]


def test_resolution_refusing_waits_for_a_reconsideration_request(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    login(client, c.chair).post(
        url(stages.open_task(app, "resolution")),
        resolution_data(app, granted_items=[], votes_for=0, votes_against=3),
    )
    app.refresh_from_db()
    assert app.status == ApplicationStatus.REFUSED
    # The applicant's task, not staff's: the flow ends when its days pass unused.
    assert stages.open_node_names(app) == ["reconsideration_window"]


def test_resolution_with_a_future_date_changes_nothing(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(client, c.chair).post(
        url(stages.open_task(app, "resolution")), resolution_data(app, date=tomorrow.isoformat())
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The resolution&#x27;s date cannot be in the future." in page
    assert 'href="#id_date"' in page
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DECISION
    assert not Resolution.objects.filter(application=app).exists()
    assert stages.open_node_names(app) == ["resolution"]


def test_resolution_granting_against_the_votes_changes_nothing(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    response = login(client, c.chair).post(
        url(stages.open_task(app, "resolution")),
        resolution_data(app, votes_for=1, votes_against=2),
    )
    assert "Granting the mark needs more votes for than against." in response.content.decode()
    assert not Resolution.objects.filter(application=app).exists()


def test_second_resolution_attempt_is_refused(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    task = stages.open_task(app, "resolution")
    login(client, c.chair).post(url(task), resolution_data(app))
    for who in (c.chair, c.officer):
        # Both still see the decided application, so both are told why.
        response = login(client, who).post(
            url(task), resolution_data(app, number="U/8/2026"), follow=True
        )
        assert "This task has already been completed by someone else." in response.content.decode()
        client.logout()
    assert list(Resolution.objects.filter(application=app).values_list("number", flat=True)) == [
        "U/7/2026"
    ]


def test_opening_a_completed_task_again_leads_to_the_applications_file(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    task = stages.open_task(app, "resolution")
    login(client, c.chair).post(url(task), resolution_data(app))
    response = client.get(url(task), follow=True)
    assert response.redirect_chain == [(reverse("staff_application", args=[app.pk]), 302)]
    assert "This task has been completed. You are now viewing the application file." in (
        response.content.decode()
    )


def test_completed_task_of_an_application_out_of_sight_is_404(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    task = stages.open_task(app, "resolution")
    stages.resolve(c, app)
    assert login(client, factories.juror()).get(url(task)).status_code == 404


# --- certificate issue ---------------------------------------------------------------------


def test_issue_page_shows_granted_items_and_a_confirm_button(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    stages.resolve(c, app)
    response = login(client, c.officer).get(url(stages.open_task(app, "issue")))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Certificate issue" in page
    for item in app.items.all():
        assert item.name in page
    assert "Issue the certificate" in page


@pytest.mark.parametrize("who", ["chair", "juror", "applicant"])
def test_issue_page_is_404_for_others(client, who):
    c = stages.cast()
    app = stages.granted(c)
    user = {"chair": c.chair, "juror": c.jurors[0], "applicant": c.applicant}[who]
    assert login(client, user).get(url(stages.open_task(app, "issue"))).status_code == 404


def test_issue_names_the_certificate_in_the_message(client):
    c = stages.cast()
    app = stages.granted(c)
    response = login(client, c.officer).post(url(stages.open_task(app, "issue")), follow=True)
    certificate = Certificate.objects.get(application=app)
    slug = number_to_slug(certificate.number)
    # The officer lands on the certificate, valid at once; its PDF follows from the worker.
    assert response.redirect_chain == [(reverse("staff_certificate", args=[slug]), 302)]
    page = response.content.decode()
    assert f"Certificate {certificate.number} has been issued" in page
    assert "The PDF of this certificate is being prepared" in page
    app.refresh_from_db()
    assert app.status == ApplicationStatus.CERTIFIED
    assert stages.open_node_names(app) == []

    run_jobs()
    page = client.get(reverse("staff_certificate", args=[slug])).content.decode()
    pdf = reverse("certificate_pdf", args=[slug])
    assert f'<a href="{pdf}">Download certificate {certificate.number} (PDF)</a>' in page
    certificate.refresh_from_db()
    assert certificate.pdf_sha256
