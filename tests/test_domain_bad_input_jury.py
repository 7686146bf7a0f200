"""Bad input in the jury's stages gets a clear error and changes nothing."""

import pytest
from django.utils import timezone, translation

from certification.choices import CriterionScope, Declaration
from certification.domain import certificates, criteria, decision
from certification.domain.errors import DomainError
from certification.models import Certificate, Criterion, Score
from workflows import services
from workflows.services import TaskNotAvailable

from . import factories, stages

pytestmark = pytest.mark.django_db


# --- scoring ------------------------------------------------------------------------------


def declared_task(c):
    application = stages.scoring_declared(c)
    return application, stages.open_task(application, "score", owner=c.jurors[0])


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
        f"“{criterion.name} ({item.name})” takes from {criterion.min_points} to "
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
    assert criterion.name in str(error)


def test_domain_every_missing_score_is_named():
    c = stages.cast()
    application, task = declared_task(c)
    quality = Criterion.objects.filter(active=True, scope=CriterionScope.ITEM).first()
    first, second = application.items.all()
    scores = stages.full_scores(application)
    del scores[quality.pk, first.pk]
    del scores[quality.pk, second.pk]

    error = str(refused(c, application, task, scores))
    assert f"Score “{quality.name} ({first.name})”." in error
    assert f"Score “{quality.name} ({second.name})”." in error


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
    assert f"“{criterion.name}” is scored once for the organisation" in str(error)


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
