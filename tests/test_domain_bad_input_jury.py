"""Bad input in the jury's stages gets a clear error and changes nothing."""

import pytest
from django.utils import translation

from certification.choices import CriterionScope, Declaration
from certification.domain import certificates, criteria, sessions
from certification.domain.errors import DomainError
from certification.models import Certificate, Criterion, Score
from workflows import services
from workflows.services import TaskNotAvailable

from . import factories, stages

pytestmark = pytest.mark.django_db


# --- scoring ------------------------------------------------------------------------------


def declared_task(c):
    application = stages.scoring_declared(c)
    return application, stages.open_task(application, stages.flow.score, owner=c.jurors[0])


def refused(c, application, task, scores) -> DomainError:
    """Scoring with these scores fails and leaves everything as it was."""
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.score(task_pk=task.pk, user=c.jurors[0], scores=scores)
    assert caught.value.field == "scores"
    assert stages.db_state(application) == before
    assert not Score.objects.filter(scorecard__assignment__application=application).exists()
    return caught.value


def test_domain_score_outside_criterion_range_is_refused():
    c = stages.cast()
    application, task = declared_task(c)
    criterion = Criterion.objects.filter(active=True, scope=CriterionScope.ORGANIZATION).first()
    scores = stages.full_scores(application)
    scores[criterion.pk, None] = (criterion.max_points + 1, "Wybitny produkt.")

    error = refused(c, application, task, scores)
    assert f"from {criterion.min_points} to {criterion.max_points} points" in str(error)


def test_domain_item_score_outside_range_names_the_item():
    c = stages.cast()
    application, task = declared_task(c)
    criterion = Criterion.objects.filter(active=True, scope=CriterionScope.ITEM).first()
    item = application.items.last()
    scores = stages.full_scores(application)
    scores[criterion.pk, item.pk] = (criterion.max_points + 1, "Wybitny produkt.")

    error = refused(c, application, task, scores)
    assert (
        f"“{criterion.name_en} ({item.name})” takes from {criterion.min_points} to "
        f"{criterion.max_points} points; you gave {criterion.max_points + 1}."
    ) in str(error)


def test_domain_score_without_justification_is_refused():
    c = stages.cast()
    application, task = declared_task(c)
    criterion = Criterion.objects.filter(active=True).last()
    scores = stages.full_scores(application)
    scores[criterion.pk, None] = (criterion.max_points, "   ")

    error = refused(c, application, task, scores)
    assert "Justify your score" in str(error)
    assert criterion.name_en in str(error)  # an English message names it in English


def test_domain_every_missing_score_is_named():
    c = stages.cast()
    application, task = declared_task(c)
    quality = Criterion.objects.filter(active=True, scope=CriterionScope.ITEM).first()
    first, second = application.items.all()
    scores = stages.full_scores(application)
    del scores[quality.pk, first.pk]
    del scores[quality.pk, second.pk]

    error = str(refused(c, application, task, scores))
    assert f"Score “{quality.name_en} ({first.name})”." in error
    assert f"Score “{quality.name_en} ({second.name})”." in error


def test_domain_score_for_an_item_of_another_application_is_refused():
    c = stages.cast()
    application, task = declared_task(c)
    criterion = Criterion.objects.filter(active=True, scope=CriterionScope.ITEM).first()
    stranger = factories.draft_application(items=1).items.get()
    scores = stages.full_scores(application)
    scores[criterion.pk, stranger.pk] = (5, "Cudzy produkt.")

    error = refused(c, application, task, scores)
    assert "names a product or service that is not in this application" in str(error)


def test_domain_item_score_on_an_organisation_criterion_is_refused():
    c = stages.cast()
    application, task = declared_task(c)
    criterion = Criterion.objects.filter(active=True, scope=CriterionScope.ORGANIZATION).first()
    scores = stages.full_scores(application)
    scores[criterion.pk, application.items.first().pk] = (3, "Dla produktu.")

    error = refused(c, application, task, scores)
    assert f"“{criterion.name_en}” is scored once for the organisation" in str(error)


def test_domain_score_on_a_criterion_of_another_version_is_refused():
    c = stages.cast()
    application, task = declared_task(c)
    draft = criteria.new_version(user=c.officer, note="Nowe kryteria.")
    scores = stages.full_scores(application)
    scores[draft.criteria.first().pk, None] = (3, "Nie ta wersja.")

    error = refused(c, application, task, scores)
    assert "a criterion this round does not use" in str(error)


def test_domain_score_before_declaring_is_refused():
    c = stages.cast()
    application = stages.scoring(c)
    task = stages.open_task(application, stages.flow.score, owner=c.jurors[0])
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.score(task_pk=task.pk, user=c.jurors[0], scores=stages.full_scores(application))

    assert "Declare your impartiality before scoring." in str(caught.value)
    assert stages.db_state(application) == before


@pytest.mark.parametrize("intruder", ["other assigned juror", "unassigned juror"])
@pytest.mark.parametrize("action", ["declare", "score"])
def test_domain_juror_cannot_act_on_another_jurors_task(intruder, action):
    c = stages.cast()
    application = stages.scoring_declared(c)
    task = stages.open_task(application, stages.flow.score, owner=c.jurors[0])
    user = c.jurors[1] if intruder == "other assigned juror" else factories.juror()
    before = stages.db_state(application)
    with pytest.raises(TaskNotAvailable):
        if action == "declare":
            services.declare(task_pk=task.pk, user=user, impartial=False, reason="Konflikt.")
        else:
            services.score(task_pk=task.pk, user=user, scores=stages.full_scores(application))

    assert stages.db_state(application) == before
    assert before["declarations"][0] == Declaration.IMPARTIAL


# --- decision and certificate -------------------------------------------------------------


def test_domain_second_resolution_is_refused():
    c = stages.cast()
    application = stages.granted(c)
    resolution = application.resolutions.get()
    session = stages.schedule(c)
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.add_to_agenda(officer=c.officer, session=session, application=application)

    assert f"already been decided by resolution {resolution.number}" in str(caught.value)
    assert caught.value.field == "application"
    assert stages.db_state(application) == before
    assert application.resolutions.get().outcome == "granted"


def test_domain_second_certificate_is_refused():
    c = stages.cast()
    certificate = stages.certified(c)
    application = certificate.application
    issue_task = stages.tasks_of(application, stages.flow.issue)[0]
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        certificates.issue_certificate(application=application, officer=c.officer)
    assert "already been issued" in str(caught.value)
    with pytest.raises(TaskNotAvailable):
        services.issue_certificate(task_pk=issue_task.pk, user=factories.officer())

    assert stages.db_state(application) == before
    assert list(Certificate.objects.values_list("number", flat=True)) == [certificate.number]


def resolution_call(c, agenda_item, **override):
    application = agenda_item.application
    arguments = {
        "user": c.chair,
        "agenda_item": agenda_item,
        "votes_for": 3,
        "votes_against": 0,
        "votes_abstaining": 0,
        "decisions": stages.decisions(application, application.items.all()),
        "justification": "Produkty wysokiej jakości.",
    }
    arguments.update(override)
    return services.record_session_resolution(**arguments)


def test_domain_refused_resolution_leaves_the_task_free_for_the_officer():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    task = stages.open_task(application, stages.flow.resolution)
    agenda_item = stages.on_agenda(c, application)
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        resolution_call(c, agenda_item, justification=" ")

    assert caught.value.field == "justification"
    # The chair's failed attempt must not keep the task: it stays unassigned for anyone allowed.
    assert stages.db_state(application) == before
    assert services.open_task(task_pk=task.pk, user=c.officer).owner_id is None


def test_domain_votes_beyond_the_members_present_are_refused():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    agenda_item = stages.on_agenda(c, application)  # 4 present: 3 jurors and the chair
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        resolution_call(c, agenda_item, votes_for=4, votes_against=0, votes_abstaining=1)

    assert "5 votes recorded, but only 4 members present may vote" in str(caught.value)
    assert caught.value.field == "votes_for"
    assert stages.db_state(application) == before


def test_domain_resolution_without_a_quorum_is_refused():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    session = stages.schedule(c)
    agenda_item = sessions.add_to_agenda(
        officer=c.officer, session=session, application=application
    )
    # 4 active members: the quorum is 3; two are present.
    sessions.record_attendance(
        user=c.officer, session=session, present=[c.chair.pk, c.jurors[0].pk]
    )
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        resolution_call(c, agenda_item, votes_for=2)

    assert str(caught.value) == (
        "No quorum: 2 members present, 3 needed (more than 50% of the 4 active members of the "
        "jury)."
    )
    assert stages.db_state(application) == before


def test_domain_resolution_before_the_attendance_is_refused():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    session = stages.schedule(c)
    agenda_item = sessions.add_to_agenda(
        officer=c.officer, session=session, application=application
    )
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        resolution_call(c, agenda_item)

    assert "Record the attendance of the session first." in str(caught.value)
    assert stages.db_state(application) == before


def test_domain_resolution_on_an_application_no_longer_on_the_agenda_is_refused():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    agenda_item = stages.on_agenda(c, application)
    sessions.remove_from_agenda(officer=c.officer, agenda_item=agenda_item)
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        resolution_call(c, agenda_item)

    assert "This application is not on the agenda of the session." in str(caught.value)
    assert stages.db_state(application) == before


def test_domain_resolution_missing_an_item_or_a_reason_is_refused():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    first, second = application.items.order_by("pk")
    other = stages.awaiting_decision(stages.cast())
    agenda_item = stages.on_agenda(c, application)
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        resolution_call(c, agenda_item, decisions={first.pk: (True, "")})
    assert f"Decide whether “{second.name}” is granted the mark." == str(caught.value)
    assert caught.value.field == f"decision_{second.pk}"
    with translation.override("en"), pytest.raises(DomainError) as caught:
        resolution_call(c, agenda_item, decisions={first.pk: (True, ""), second.pk: (False, " ")})
    assert caught.value.field == f"reason_{second.pk}"
    foreign = {i.pk: (True, "") for i in [*application.items.all(), *other.items.all()]}
    with translation.override("en"), pytest.raises(DomainError) as caught:
        resolution_call(c, agenda_item, decisions=foreign)
    assert "Only products and services of this application can be decided." in str(caught.value)
    assert stages.db_state(application) == before


def test_domain_closing_with_undecided_items_is_refused():
    c = stages.cast()
    session = stages.schedule(c)
    decided, undecided = stages.awaiting_decision(c), stages.awaiting_decision(c)
    stages.vote(c, stages.on_agenda(c, decided, session))
    stages.on_agenda(c, undecided, session)
    before = stages.db_state(undecided)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        sessions.close_session(user=c.chair, session=session)

    assert f"no resolution yet on {undecided.number}" in str(caught.value)
    assert decided.number not in str(caught.value)
    session.refresh_from_db()
    assert session.status == "scheduled"
    assert stages.db_state(undecided) == before
