"""Bad input in the jury's stages gets a clear error and changes nothing."""

import pytest
from django.utils import timezone, translation

from certification.choices import Declaration
from certification.domain import certificates, decision
from certification.domain.errors import DomainError
from certification.models import Certificate, Criterion
from workflows import services
from workflows.services import TaskNotAvailable

from . import factories, stages

pytestmark = pytest.mark.django_db


# --- scoring ------------------------------------------------------------------------------


def declared_task(c):
    application = stages.scoring_declared(c)
    return application, stages.open_task(application, "score", owner=c.jurors[0])


def test_domain_score_outside_criterion_range_is_refused():
    c = stages.cast()
    application, task = declared_task(c)
    criterion = Criterion.objects.filter(active=True).first()
    scores = stages.full_scores(application)
    scores[criterion.pk, None] = (criterion.max_points + 1, "Wybitny produkt.")
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.score(task_pk=task.pk, user=c.jurors[0], scores=scores)

    assert f"from {criterion.min_points} to {criterion.max_points} points" in str(caught.value)
    assert caught.value.field == "scores"
    assert stages.db_state(application) == before


def test_domain_score_without_justification_is_refused():
    c = stages.cast()
    application, task = declared_task(c)
    criterion = Criterion.objects.filter(active=True).last()
    scores = stages.full_scores(application)
    scores[criterion.pk, None] = (criterion.max_points, "   ")
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.score(task_pk=task.pk, user=c.jurors[0], scores=scores)

    assert "Justify your score" in str(caught.value)
    assert criterion.name in str(caught.value)
    assert stages.db_state(application) == before


def test_domain_score_before_declaring_is_refused():
    c = stages.cast()
    application = stages.scoring(c)
    task = stages.open_task(application, "score", owner=c.jurors[0])
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
    task = stages.open_task(application, "score", owner=c.jurors[0])
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
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        decision.record_resolution(
            application=application,
            user=c.chair,
            number="U/2/2026",
            date=timezone.localdate(),
            votes_for=0,
            votes_against=3,
            votes_abstaining=0,
            granted_items=[],
            justification="Zmiana zdania.",
        )

    assert "already decided" in str(caught.value)
    assert stages.db_state(application) == before
    assert application.resolutions.get().outcome == "granted"


def test_domain_second_certificate_is_refused():
    c = stages.cast()
    certificate = stages.certified(c)
    application = certificate.application
    issue_task = stages.tasks_of(application, "issue")[0]
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        certificates.issue_certificate(application=application, officer=c.officer)
    assert "already been issued" in str(caught.value)
    with pytest.raises(TaskNotAvailable):
        services.issue_certificate(task_pk=issue_task.pk, user=factories.officer())

    assert stages.db_state(application) == before
    assert list(Certificate.objects.values_list("number", flat=True)) == [certificate.number]


def test_domain_refused_resolution_leaves_the_task_free_for_the_officer():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    task = stages.open_task(application, "resolution")
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.record_resolution(
            task_pk=task.pk,
            user=c.chair,
            number="U/3/2026",
            date=timezone.localdate(),
            votes_for=3,
            votes_against=0,
            votes_abstaining=0,
            granted_items=factories.items_of(application),
            justification=" ",
        )

    assert caught.value.field == "justification"
    # The chair's failed attempt must not keep the task: it stays unassigned for anyone allowed.
    assert stages.db_state(application) == before
    assert services.open_task(task_pk=task.pk, user=c.officer).owner_id is None
