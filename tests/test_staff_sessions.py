"""The session pages: scheduling, the agenda, attendance, resolutions per item, closing, the
minutes, and a juror's coming sessions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from certification.choices import ApplicationStatus, SessionStatus
from certification.domain import sessions
from certification.models import JurySession, Resolution

from . import factories, stages
from .mail import run_jobs
from .web import login, main_part

pytestmark = pytest.mark.django_db


def session_url(session) -> str:
    return reverse("staff_session", args=[session.pk])


def item_url(item) -> str:
    return reverse("staff_session_item", args=[item.session_id, item.pk])


def votes(app, **override) -> dict:
    data = {"votes_for": 3, "votes_against": 0, "votes_abstaining": 1, "justification": "Dobre."}
    for item in app.items.all():
        data[f"decision_{item.pk}"] = "granted"
        data[f"reason_{item.pk}"] = ""
    data.update(override)
    return data


# --- scheduling ------------------------------------------------------------------------------


def test_officer_schedules_a_session(client):
    c = stages.cast()
    login(client, c.officer)
    starts = (timezone.localtime() + datetime.timedelta(days=7)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("staff_sessions"),
        {"starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "ROPS, sala 3"},
        follow=True,
    )
    session = JurySession.objects.get()
    assert response.redirect_chain == [(session_url(session), 302)]
    assert f"Session {session.number} has been scheduled." in response.content.decode()
    assert session.starts_at == starts
    page = client.get(reverse("staff_sessions")).content.decode()
    assert f"Session {session.number}" in page


def test_session_without_a_place_or_link_is_refused_beside_the_field(client):
    c = stages.cast()
    response = login(client, c.officer).post(
        reverse("staff_sessions"), {"starts_at": "2026-12-20T10:00", "place": " "}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_place"' in page
    assert "Give the place of the session or the link to the online meeting." in page
    assert not JurySession.objects.exists()


def test_chair_sees_the_sessions_but_may_not_schedule(client):
    c = stages.cast()
    login(client, c.chair)
    page = client.get(reverse("staff_sessions")).content.decode()
    assert "Schedule a session" not in page
    assert client.post(reverse("staff_sessions"), {"place": "X"}).status_code == 404
    assert not JurySession.objects.exists()


# --- the session page ------------------------------------------------------------------------


def test_session_page_shows_the_items_scores_side_by_side(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    item = stages.on_agenda(c, app)
    page = main_part(login(client, c.chair).get(session_url(item.session)).content.decode())
    first, second = app.items.order_by("pk")
    assert f"Scores of {app.number} per product or service" in page
    header = page.split(f"Scores of {app.number} per product or service", 1)[1].split("</thead>")[0]
    assert header.index(escape(first.name)) < header.index(escape(second.name))
    assert "(8–8)" in page  # every juror gave 8 of 10: the spread shows
    assert "Granted" in page  # what the rule suggests
    assert f"Record the resolution on {app.number}" in page
    assert "4 present, 3 needed" in page


def test_officer_adds_and_removes_an_application_and_sends_the_agenda(client, mailoutbox):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    session = stages.schedule(c)
    login(client, c.officer)
    page = client.get(session_url(session)).content.decode()
    assert f"{app.number} — {app.organization.name}" in page

    client.post(reverse("staff_session_add", args=[session.pk]), {"application": app.pk})
    item = session.agenda.get()
    response = client.post(reverse("staff_session_send", args=[session.pk]), follow=True)
    assert "The agenda is on its way" in response.content.decode()
    run_jobs()
    assert len([m for m in mailoutbox if session.number in m.subject]) == 4
    client.post(reverse("staff_session_remove", args=[session.pk, item.pk]))
    assert not session.agenda.exists()


def test_an_application_being_scored_cannot_be_put_on_the_agenda(client):
    c = stages.cast()
    app = stages.scoring(c)
    session = stages.schedule(c)
    response = login(client, c.officer).post(
        reverse("staff_session_add", args=[session.pk]), {"application": app.pk}
    )
    page = response.content.decode()
    assert 'href="#id_application"' in page
    assert not session.agenda.exists()


def test_chair_records_attendance(client):
    c = stages.cast()
    session = stages.schedule(c)
    login(client, c.chair)
    client.post(
        reverse("staff_session_attendance", args=[session.pk]),
        {"present": [c.chair.pk, c.jurors[0].pk, c.jurors[1].pk]},
    )
    assert sessions.present_members(session) == {c.chair.pk, c.jurors[0].pk, c.jurors[1].pk}
    assert session.attendance.count() == 4


def test_chair_records_the_resolution_on_an_agenda_item(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    item = stages.on_agenda(c, app)
    first, second = app.items.order_by("pk")
    login(client, c.chair)
    page = client.get(item_url(item)).content.decode()
    assert "Members present: 4 (quorum 3); of them 4 may vote" in page
    response = client.post(
        item_url(item),
        votes(app, **{f"decision_{second.pk}": "refused", f"reason_{second.pk}": "Za mało."}),
        follow=True,
    )
    resolution = Resolution.objects.get(application=app)
    assert response.redirect_chain == [(session_url(item.session), 302)]
    assert f"Resolution No. {resolution.number} recorded: Granted for some items." in (
        response.content.decode()
    )
    assert resolution.item_decisions.get(item=second).reason == "Za mało."
    app.refresh_from_db()
    assert app.status == ApplicationStatus.GRANTED
    assert stages.open_nodes(app) == [stages.flow.issue]


def test_votes_beyond_those_present_are_refused_beside_the_votes(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    item = stages.on_agenda(c, app)
    before = stages.db_state(app)
    response = login(client, c.chair).post(item_url(item), votes(app, votes_for=5))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_votes_for"' in page
    assert "6 votes recorded, but only 4 members present may vote" in page
    assert stages.db_state(app) == before


def test_refusal_without_a_reason_is_refused_beside_the_reason(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    item = stages.on_agenda(c, app)
    second = app.items.order_by("pk").last()
    before = stages.db_state(app)
    response = login(client, c.chair).post(
        item_url(item), votes(app, **{f"decision_{second.pk}": "refused"})
    )
    page = response.content.decode()
    assert f'href="#id_reason_{second.pk}"' in page
    assert stages.db_state(app) == before


def test_resolution_without_a_quorum_is_refused_at_the_top(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    session = stages.schedule(c)
    item = sessions.add_to_agenda(officer=c.officer, session=session, application=app)
    sessions.record_attendance(user=c.officer, session=session, present=[c.chair.pk])
    before = stages.db_state(app)
    page = login(client, c.chair).post(item_url(item), votes(app, votes_for=1)).content.decode()
    assert "No quorum: 1 members present, 3 needed" in page
    assert stages.db_state(app) == before


def test_an_application_not_on_this_sessions_agenda_has_no_item_page(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    item = stages.on_agenda(c, app)
    other = stages.schedule(c)
    login(client, c.chair)
    wrong = reverse("staff_session_item", args=[other.pk, item.pk])
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, votes(app)).status_code == 404
    assert not Resolution.objects.exists()


def test_closing_with_undecided_items_names_them_and_changes_nothing(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    item = stages.on_agenda(c, app)
    response = login(client, c.chair).post(reverse("staff_session_close", args=[item.session_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"The session cannot be closed: no resolution yet on {app.number}." in page
    assert 'class="error-summary"' in page
    item.session.refresh_from_db()
    assert item.session.status == SessionStatus.SCHEDULED


def test_closed_session_offers_the_minutes_and_freezes_its_resolutions(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    resolution = stages.resolve(c, app)
    session = resolution.agenda_item.session
    run_jobs()
    login(client, c.officer)
    page = client.get(session_url(session)).content.decode()
    minutes = reverse("staff_minutes", args=[session.pk])
    assert minutes in page
    response = client.get(minutes)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # The closed session's item answers with the resolution, never a form.
    response = client.post(item_url(resolution.agenda_item), votes(app), follow=True)
    assert "The jury has already decided this item." in response.content.decode()
    assert Resolution.objects.get() == resolution
    for user in (c.jurors[0], c.applicant):
        client.force_login(user)
        assert client.get(minutes).status_code == 404


# --- a juror's coming sessions ---------------------------------------------------------------


def test_juror_reads_the_files_on_the_agenda_unless_in_conflict(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    conflicted_app = stages.awaiting_decision(stages.cast())
    session = stages.schedule(c, starts_at=timezone.now() + datetime.timedelta(days=3))
    for application in (app, conflicted_app):
        sessions.add_to_agenda(officer=c.officer, session=session, application=application)
    reader = factories.juror()
    conflicted_app.organization.members.add(reader)
    login(client, reader)
    page = client.get(reverse("my_sessions")).content.decode()
    assert reverse("staff_application", args=[app.pk]) in page
    assert reverse("staff_application", args=[conflicted_app.pk]) not in page
    assert "you belong to the applicant organisation" in page
    assert client.get(reverse("staff_application", args=[app.pk])).status_code == 200
    assert client.get(reverse("staff_application", args=[conflicted_app.pk])).status_code == 404
    sessions.remove_from_agenda(officer=c.officer, agenda_item=session.agenda.get(application=app))
    assert client.get(reverse("staff_application", args=[app.pk])).status_code == 404


def test_my_sessions_is_for_members_of_the_jury(client):
    c = stages.cast()
    assert login(client, c.officer).get(reverse("my_sessions")).status_code == 404


# --- speed -----------------------------------------------------------------------------------


def _queries_for_session_page(client, chair, session) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(session_url(session)).status_code == 200
    return len(queries)


def test_session_page_queries_do_not_grow_with_the_agenda(client):
    c = stages.cast()
    small, large = stages.schedule(c), stages.schedule(c)
    for session, count in ((small, 2), (large, 6)):
        for _ in range(count):
            stages.on_agenda(c, stages.awaiting_decision(c), session)
    stages.vote(c, small.agenda.first())
    stages.vote(c, large.agenda.first())
    login(client, c.officer)
    _queries_for_session_page(client, c.officer, small)  # warm caches (scheme rules, session)
    assert _queries_for_session_page(client, c.officer, small) == _queries_for_session_page(
        client, c.officer, large
    )
    login(client, c.chair)
    _queries_for_session_page(client, c.chair, small)
    assert _queries_for_session_page(client, c.chair, small) == _queries_for_session_page(
        client, c.chair, large
    )
