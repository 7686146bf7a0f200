"""Jury sessions in the domain: numbering, agenda, quorum, votes, per-item decisions, closing,
corrections, the agenda e-mail with its calendar invitation, and the minutes."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone, translation

from certification.choices import (
    ApplicationStatus,
    Declaration,
    ReconsiderationStatus,
    ResolutionOutcome,
    SessionStatus,
)
from certification.domain import audit, decision, sessions
from certification.domain.errors import DomainError
from certification.models import ReconsiderationRequest, Resolution

from . import factories, stages
from .mail import run_jobs, sent_mail

pytestmark = pytest.mark.django_db


def test_quorum_is_more_than_the_percentage_of_the_active_jury():
    assert sessions.quorum_needed(active=7, percent=50) == 4
    assert sessions.quorum_needed(active=8, percent=50) == 5
    assert sessions.quorum_needed(active=3, percent=66) == 2
    assert sessions.quorum_needed(active=0, percent=50) == 1


def test_sessions_and_resolutions_are_numbered_within_their_year():
    c = stages.cast()
    year = timezone.localdate().year
    first = stages.schedule(c)
    second = stages.schedule(c)
    next_year = stages.schedule(c, starts_at=timezone.now().replace(year=year + 1, month=6, day=1))
    assert [first.number, second.number, next_year.number] == [
        f"1/{year}",
        f"2/{year}",
        f"1/{year + 1}",
    ]
    numbers = [stages.resolve(c, stages.awaiting_decision(c)).number for _ in range(2)]
    assert numbers == [f"1/{year}", f"2/{year}"]


def test_resolution_decides_each_item_and_moves_the_application():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    first, second = application.items.order_by("pk")
    resolution = stages.resolve(c, application, only=[first])

    application.refresh_from_db()
    assert resolution.outcome == ResolutionOutcome.PARTIALLY_GRANTED
    assert application.status == ApplicationStatus.GRANTED
    assert application.decided_at is not None
    assert list(resolution.granted_items()) == [first]
    refused = resolution.item_decisions.get(item=second)
    assert (refused.granted, refused.reason) == (False, "Nie spełnia kryteriów.")
    assert resolution.agenda_item.session.status == SessionStatus.CLOSED
    assert not resolution.is_final
    assert stages.open_nodes(application) == [stages.flow.issue]


def test_refusal_of_every_item_refuses_the_application():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    resolution = stages.resolve(c, application, grant=False)
    application.refresh_from_db()
    assert resolution.outcome == ResolutionOutcome.REFUSED
    assert application.status == ApplicationStatus.REFUSED
    # The applicant may still ask for reconsideration; the flow waits for that.
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]


def test_officer_may_record_the_resolution_as_the_sessions_secretary():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    resolution = stages.resolve(c, application, by=c.officer)
    assert resolution.recorded_by == c.officer
    task = stages.tasks_of(application, stages.flow.resolution)[0]
    assert task.owner == c.officer


def test_one_session_decides_several_applications():
    c = stages.cast()
    session = stages.schedule(c)
    apps = [stages.awaiting_decision(c) for _ in range(2)]
    items = [stages.on_agenda(c, app, session) for app in apps]
    assert [i.position for i in items] == [1, 2]
    stages.vote(c, items[0])
    stages.vote(c, items[1], grant=False)
    sessions.close_session(user=c.chair, session=session)
    for app, status in zip(
        apps, (ApplicationStatus.GRANTED, ApplicationStatus.REFUSED), strict=True
    ):
        app.refresh_from_db()
        assert app.status == status


def test_recused_members_and_members_of_the_applicant_do_not_vote():
    c = stages.cast()
    application = stages.awaiting_jury(c)
    recused = factories.juror()
    from workflows import services

    services.assign_jury(
        task_pk=stages.open_task(application, stages.flow.assign_jury).pk,
        user=c.officer,
        jurors=[*c.jurors, recused],
    )
    task = stages.open_task(application, stages.flow.score, owner=recused)
    services.declare(task_pk=task.pk, user=recused, impartial=False, reason="Znam prezesa.")
    for juror in c.jurors:
        stages.score_as(application, juror)
    member = factories.juror()
    application.organization.members.add(member)
    item = stages.on_agenda(c, application)  # everyone present: 6 active members
    session = item.session
    assert len(sessions.present_members(session)) == 6
    assert len(sessions.entitled_voters(session, application)) == 4
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.record_session_resolution(
            user=c.chair,
            agenda_item=item,
            votes_for=5,
            votes_against=0,
            votes_abstaining=0,
            decisions=stages.decisions(application, application.items.all()),
            justification="Uzasadnienie.",
        )
    assert "5 votes recorded, but only 4 members present may vote" in str(caught.value)
    assert caught.value.field == "votes_for"
    services.record_session_resolution(
        user=c.chair,
        agenda_item=item,
        votes_for=3,
        votes_against=0,
        votes_abstaining=1,
        decisions=stages.decisions(application, application.items.all()),
        justification="Uzasadnienie.",
    )
    assert application.assignments.get(juror=recused).declaration == Declaration.RECUSED


def test_agenda_takes_only_applications_whose_scoring_is_finished_and_once():
    c = stages.cast()
    session = stages.schedule(c)
    scoring = stages.scoring(c)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.add_to_agenda(officer=c.officer, session=session, application=scoring)
    assert "its scoring is not finished" in str(caught.value)
    assert caught.value.field == "application"

    ready = stages.awaiting_decision(c)
    sessions.add_to_agenda(officer=c.officer, session=session, application=ready)
    other = stages.schedule(c)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.add_to_agenda(officer=c.officer, session=other, application=ready)
    assert f"already on the agenda of session {session.number}" in str(caught.value)


def test_agenda_is_prepared_by_officers_only():
    c = stages.cast()
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.schedule_session(
            officer=c.chair, starts_at=timezone.now(), place="Sala", online_link=""
        )
    assert "Only a ROPS officer" in str(caught.value)


def test_removed_from_the_agenda_while_undecided_but_not_after():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    item = stages.on_agenda(c, application)
    sessions.remove_from_agenda(officer=c.officer, agenda_item=item)
    assert sessions.open_agenda_item(application) is None

    item = stages.on_agenda(c, application, stages.schedule(c))
    stages.vote(c, item)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.remove_from_agenda(officer=c.officer, agenda_item=item)
    assert "already decided" in str(caught.value)


def test_closed_sessions_resolutions_cannot_change():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    item = stages.on_agenda(c, application)
    other = stages.awaiting_decision(c)
    other_item = stages.on_agenda(c, other, item.session)
    stages.vote(c, item)
    sessions.remove_from_agenda(officer=c.officer, agenda_item=other_item)
    sessions.close_session(user=c.chair, session=item.session)
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.record_attendance(user=c.chair, session=item.session, present=[])
    assert "is closed: its record can no longer change" in str(caught.value)
    with pytest.raises(DomainError):
        sessions.add_to_agenda(officer=c.officer, session=item.session, application=other)
    with pytest.raises(DomainError):
        sessions.close_session(user=c.chair, session=item.session)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.record_resolution(
            user=c.chair,
            agenda_item=item,
            votes_for=0,
            votes_against=3,
            votes_abstaining=0,
            decisions=stages.decisions(application, []),
            justification="Zmiana zdania.",
        )
    assert "is closed: its record can no longer change" in str(caught.value)
    with pytest.raises(DomainError):
        sessions.correct_resolution(
            user=c.chair,
            agenda_item=item,
            votes_for=3,
            votes_against=0,
            votes_abstaining=0,
            reasons={},
            justification="Sprostowanie.",
        )
    assert stages.db_state(application) == before
    assert application.resolutions.get().outcome == "granted"


def test_correction_keeps_the_outcome_and_items_and_supersedes_the_old_record():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    first, second = application.items.order_by("pk")
    old = stages.resolve(c, application, only=[first])
    session = stages.schedule(c)
    item = sessions.add_correction_to_agenda(officer=c.officer, session=session, resolution=old)
    stages.everyone_present(c, session)

    new = sessions.correct_resolution(
        user=c.chair,
        agenda_item=item,
        votes_for=3,
        votes_against=1,
        votes_abstaining=0,
        reasons={second.pk: "Brak drugiego listu polecającego."},
        justification="Sprostowanie: głosowało czterech członków.",
    )

    assert new.supersedes == old
    assert new.outcome == old.outcome
    assert list(new.granted_items()) == [first]
    assert new.item_decisions.get(item=second).reason == "Brak drugiego listu polecającego."
    assert decision.in_force(application) == new
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    sessions.close_session(user=c.chair, session=session)


def test_correction_needs_the_old_session_closed_and_reasons_for_refusals():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    _first, second = application.items.order_by("pk")
    old = stages.resolve(c, application, only=[_first], close=False)
    session = stages.schedule(c)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.add_correction_to_agenda(officer=c.officer, session=session, resolution=old)
    assert "is still open" in str(caught.value)

    sessions.close_session(user=c.chair, session=old.agenda_item.session)
    item = sessions.add_correction_to_agenda(officer=c.officer, session=session, resolution=old)
    stages.everyone_present(c, session)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.correct_resolution(
            user=c.chair,
            agenda_item=item,
            votes_for=3,
            votes_against=0,
            votes_abstaining=0,
            reasons={},
            justification="Sprostowanie.",
        )
    assert caught.value.field == f"reason_{second.pk}"
    assert decision.in_force(application) == old


def test_reconsideration_decision_is_final_and_decides_the_request():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    first = stages.resolve(c, application, grant=False)
    # The request as h/recon's filing leaves it (its flow glue is not this test's subject).
    request = ReconsiderationRequest.objects.create(
        application=application,
        contested_resolution=first,
        reasons="Nie zgadzamy się z oceną.",
        filed_by=c.applicant,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )
    audit.change_status(
        application=application,
        actor=c.applicant,
        action="reconsideration.filed",
        to_state=ApplicationStatus.RECONSIDERATION,
    )
    session = stages.schedule(c)
    item = sessions.add_to_agenda(officer=c.officer, session=session, application=application)
    assert item.reconsideration == request
    stages.everyone_present(c, session)
    second = sessions.record_resolution(
        user=c.chair,
        agenda_item=item,
        votes_for=3,
        votes_against=1,
        votes_abstaining=0,
        decisions=stages.decisions(application, application.items.all()),
        justification="Wnioskodawca wyjaśnił wątpliwości.",
    )
    assert second.is_final
    request.refresh_from_db()
    assert request.status == ReconsiderationStatus.DECIDED
    assert request.decided_at is not None
    assert request.upheld is False
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED


def test_reconsidered_certified_application_stays_certified():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    first_item = application.items.order_by("pk").first()
    first = stages.resolve(c, application, only=[first_item])
    from workflows import services

    services.issue_certificate(
        task_pk=stages.open_task(application, stages.flow.issue).pk, user=c.officer
    )
    ReconsiderationRequest.objects.create(
        application=application,
        contested_resolution=first,
        reasons="Drugi produkt też spełnia kryteria.",
        filed_by=c.applicant,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )
    application.refresh_from_db()
    audit.change_status(
        application=application,
        actor=c.applicant,
        action="reconsideration.filed",
        to_state=ApplicationStatus.RECONSIDERATION,
    )
    item = stages.on_agenda(c, application)
    sessions.record_resolution(
        user=c.chair,
        agenda_item=item,
        votes_for=3,
        votes_against=0,
        votes_abstaining=0,
        decisions=stages.decisions(application, [first_item]),
        justification="Podtrzymujemy.",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CERTIFIED
    assert item.reconsideration.__class__.objects.get(pk=item.reconsideration_id).upheld is True


def test_agenda_goes_to_every_active_member_with_a_calendar_invitation(settings):
    settings.SITE_URL = "https://zakup.example.pl"
    c = stages.cast()
    inactive = factories.juror()
    inactive.jury_member.active = False
    inactive.jury_member.save()
    session = stages.schedule(c, starts_at=timezone.now() + datetime.timedelta(days=10))
    application = stages.awaiting_decision(c)
    sessions.add_to_agenda(officer=c.officer, session=session, application=application)
    sent_mail().clear()

    sessions.send_agenda(officer=c.officer, session=session)
    first = [m for m in sent_mail() if session.number in m.subject]
    sessions.send_agenda(officer=c.officer, session=session)
    both = [m for m in sent_mail() if session.number in m.subject]

    members = {j.email for j in [*c.jurors, c.chair]}
    assert {m.to[0] for m in first} == members
    assert inactive.email not in {m.to[0] for m in both}
    assert application.number in first[0].body
    invitations = [m.attachments[0] for m in both]
    assert invitations[0].filename == f"posiedzenie-{session.sequence}-{session.year}.ics"
    assert invitations[0].mimetype == "text/calendar"
    text = invitations[0].content
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    uid = f"UID:jury-session-{session.pk}@zakup.example.pl"
    start = session.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert uid in lines and f"DTSTART:{start}" in lines
    assert "LOCATION:ROPS Katowice\\, sala 12" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    sequences = sorted(
        {
            line
            for m in invitations
            for line in m.content.split("\r\n")
            if line.startswith("SEQUENCE:")
        }
    )
    assert sequences == ["SEQUENCE:0", "SEQUENCE:1"]
    assert all(uid in m.content for m in invitations)


def test_sending_an_empty_agenda_is_refused():
    c = stages.cast()
    session = stages.schedule(c)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.send_agenda(officer=c.officer, session=session)
    assert "The agenda is empty" in str(caught.value)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_closing_makes_the_minutes_with_every_resolution(tmp_path):
    c = stages.cast()
    session = stages.schedule(c)
    apps = [stages.awaiting_decision(c) for _ in range(2)]
    items = [stages.on_agenda(c, app, session) for app in apps]
    granted = stages.vote(c, items[0])
    refused = stages.vote(c, items[1], grant=False)
    sessions.close_session(user=c.officer, session=session)
    run_jobs()

    session.refresh_from_db()
    assert session.minutes and len(session.minutes_sha256) == 64
    path = tmp_path / "minutes.pdf"
    with session.minutes.open("rb") as stored:
        path.write_bytes(stored.read())
    import hashlib

    assert hashlib.sha256(path.read_bytes()).hexdigest() == session.minutes_sha256
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = " ".join(text.split())
    assert f"Protokół z posiedzenia nr {session.number}" in text
    for resolution in (granted, refused):
        assert f"Uchwała nr {resolution.number}" in text
        assert resolution.application.number in text
    assert "Nie spełnia kryteriów." in text
    assert c.chair.get_full_name() in text
    assert "3 za, 0 przeciw, 0 wstrzymujących się" in text
    assert Resolution.objects.filter(agenda_item__session=session).count() == 2
