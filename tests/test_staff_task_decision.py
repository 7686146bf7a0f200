"""Task pages after scoring: the jury's resolution and the certificate issue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from certification.choices import ApplicationStatus
from certification.domain.certificates import number_to_slug
from certification.models import Certificate, SchemeRules

from . import factories, stages
from .mail import run_jobs
from .web import login, main_part

pytestmark = pytest.mark.django_db


def url(task) -> str:
    return reverse("staff_task", args=[task.pk])


# --- resolution: the task page leads to the session ----------------------------------------


@pytest.mark.parametrize("who", ["chair", "officer"])
def test_resolution_page_shows_the_score_summary(client, who):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    user = c.chair if who == "chair" else c.officer
    response = login(client, user).get(url(stages.open_task(app, stages.flow.resolution)))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<title>Jury resolution: {app.number} ·" in page
    assert "80.00% of the maximum (pass threshold 60.00%)" in page
    assert "3 (quorum: 3)" in page
    assert "Passes" in page
    assert page.count("Scorecard of ") == 3
    # No resolution is recorded here any more: the jury decides at a session.
    assert 'name="votes_for"' not in page
    assert "The jury decides at a session" in page


def test_resolution_page_explains_why_the_rule_says_no(client):
    c = stages.cast()
    app = stages.scoring(c)
    for juror in c.jurors:
        stages.score_as(app, juror, points_share=0.2)
    page = (
        login(client, c.chair)
        .get(url(stages.open_task(app, stages.flow.resolution)))
        .content.decode()
    )
    assert "Does not pass" in page
    assert "below the pass threshold of 60.00%" in page


@pytest.mark.parametrize("who", ["juror", "applicant", "other_juror"])
def test_resolution_page_is_404_for_others(client, who):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    user = {"juror": c.jurors[0], "applicant": c.applicant, "other_juror": factories.juror()}[who]
    assert (
        login(client, user).get(url(stages.open_task(app, stages.flow.resolution))).status_code
        == 404
    )


def test_officer_puts_the_application_on_a_sessions_agenda_from_the_task(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    session = stages.schedule(c)
    task = stages.open_task(app, stages.flow.resolution)
    page = login(client, c.officer).get(url(task)).content.decode()
    assert "The application is on no session's agenda yet." in page
    assert f"Session {session.number}," in page

    response = client.post(url(task), {"session": session.pk}, follow=True)

    assert response.redirect_chain == [(reverse("staff_session", args=[session.pk]), 302)]
    assert f"Application {app.number} is on the agenda of session {session.number}." in (
        response.content.decode()
    )
    page = client.get(url(task)).content.decode()
    assert f"The application is on the agenda of session {session.number}" in page
    assert reverse("staff_session", args=[session.pk]) in page


def test_chair_is_told_the_application_waits_for_an_agenda(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    stages.schedule(c)
    page = (
        login(client, c.chair)
        .get(url(stages.open_task(app, stages.flow.resolution)))
        .content.decode()
    )
    assert "a ROPS officer puts it on the agenda of a session" in page
    assert 'name="session"' not in page


def test_putting_on_the_agenda_without_a_session_chosen_changes_nothing(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    stages.schedule(c)
    task = stages.open_task(app, stages.flow.resolution)
    before = stages.db_state(app)
    response = login(client, c.officer).post(url(task), {"session": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_session"' in page
    assert stages.db_state(app) == before


def test_chairs_inbox_links_to_the_session(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    item = stages.on_agenda(c, app)
    page = login(client, c.chair).get(reverse("staff_inbox")).content.decode()
    session_url = reverse("staff_session", args=[item.session_id])
    assert f'<a href="{session_url}">Jury resolution</a>' in page
    assert f"On the agenda of session {item.session.number}" in page


def test_opening_a_completed_task_again_leads_to_the_applications_file(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    task = stages.open_task(app, stages.flow.resolution)
    stages.resolve(c, app)
    response = login(client, c.chair).get(url(task), follow=True)
    assert response.redirect_chain == [(reverse("staff_application", args=[app.pk]), 302)]
    assert "This task has been completed. You are now viewing the application file." in (
        response.content.decode()
    )


def test_completed_task_of_an_application_out_of_sight_is_404(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    task = stages.open_task(app, stages.flow.resolution)
    stages.resolve(c, app)
    assert login(client, factories.juror()).get(url(task)).status_code == 404


# --- certificate issue ---------------------------------------------------------------------


def test_issue_page_shows_granted_items_and_a_confirm_button(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    stages.resolve(c, app)
    response = login(client, c.officer).get(url(stages.open_task(app, stages.flow.issue)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Certificate issue" in page
    for item in app.items.all():
        assert item.name in page
    assert "Issue the certificate" in page


def test_issue_page_shows_the_validity_dates_before_the_officer_confirms(client):
    SchemeRules.objects.filter(pk=SchemeRules.current().pk).update(certificate_validity_days=365)
    c = stages.cast()
    app = stages.granted(c)
    page = login(client, c.officer).get(url(stages.open_task(app, stages.flow.issue)))
    today = timezone.localdate()
    last = today + datetime.timedelta(days=364)
    preview = page.content.decode().split('id="validity-preview">', 1)[1].split("</p>", 1)[0]
    assert f"valid from {date_format(today, 'j E Y')} to {date_format(last, 'j E Y')}" in " ".join(
        preview.split()
    )
    client.post(url(stages.open_task(app, stages.flow.issue)))
    certificate = Certificate.objects.get(application=app)
    assert (certificate.issued_on, certificate.valid_until) == (today, last)


@pytest.mark.parametrize("who", ["chair", "juror", "applicant"])
def test_issue_page_is_404_for_others(client, who):
    c = stages.cast()
    app = stages.granted(c)
    user = {"chair": c.chair, "juror": c.jurors[0], "applicant": c.applicant}[who]
    assert login(client, user).get(url(stages.open_task(app, stages.flow.issue))).status_code == 404


def test_issue_names_the_certificate_in_the_message(client):
    c = stages.cast()
    app = stages.granted(c)
    response = login(client, c.officer).post(
        url(stages.open_task(app, stages.flow.issue)), follow=True
    )
    certificate = Certificate.objects.get(application=app)
    slug = number_to_slug(certificate.number)
    # The officer lands on the certificate's confirmation panel, valid at once; its PDF
    # follows from the worker.
    landing = reverse("staff_certificate", args=[slug]) + "?wydano=1"
    assert response.redirect_chain == [(landing, 302)]
    page = main_part(response.content.decode())
    assert f"Certificate {certificate.number} has been issued" in page
    panel = page.split('id="issued-title"', 1)[1].split("</section>", 1)[0]
    assert f"<dd>{certificate.number}</dd>" in panel
    dates = (
        date_format(certificate.issued_on, "j E Y"),
        date_format(certificate.valid_until, "j E Y"),
    )
    assert "from {} to {}".format(*dates) in panel
    assert '<dd id="pdf-status">being generated: it takes a moment.' in panel
    assert f'href="{reverse("certificate_detail", args=[slug])}"' in panel
    assert f'<a class="button" href="{reverse("staff_inbox")}">' in panel
    # Suspending and revoking are there, but folded away and not the main button.
    rest = page.split("</section>", 1)[1]
    assert '<details class="lifecycle">' in rest
    assert 'class="button secondary">Suspend the certificate</button>' in rest
    app.refresh_from_db()
    assert app.status == ApplicationStatus.CERTIFIED
    assert stages.open_nodes(app) == []

    run_jobs()
    page = client.get(reverse("staff_certificate", args=[slug])).content.decode()
    pdf = reverse("certificate_pdf", args=[slug])
    assert f'<a href="{pdf}">Download certificate {certificate.number} (PDF)</a>' in page
    assert 'id="issued-title"' not in page  # the panel only on arrival from the issue
    page = client.get(landing).content.decode()
    assert f'<dd id="pdf-status">ready: <a href="{pdf}">' in page
    certificate.refresh_from_db()
    assert certificate.pdf_sha256
