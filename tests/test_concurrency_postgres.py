"""Races that only a database with row locks can settle: run on PostgreSQL.

The threads, barrier and rounds are tests/postgres.py's.
"""

from viewflow.workflow.status import PROCESS, STATUS

from certification.choices import ApplicationStatus
from certification.domain.errors import DomainError
from certification.models import Application, Certificate
from workflows import services

from . import factories, postgres, stages
from .postgres import ROUNDS, run_together, unexpected

pytestmark = postgres.MARKS


def test_concurrency_three_scorecards_at_once_join_into_one_resolution_task():
    for _round in range(ROUNDS):
        c = stages.cast()
        application = stages.scoring(c)
        tasks = []
        for juror in c.jurors:
            task = stages.open_task(application, stages.flow.score, owner=juror)
            services.declare(task_pk=task.pk, user=juror, impartial=True)
            tasks.append((task.pk, juror))
        scores = stages.full_scores(application)

        outcomes = run_together(
            *[
                lambda pk=pk, juror=juror, scores=scores: services.score(
                    task_pk=pk, user=juror, scores=scores
                )
                for pk, juror in tasks
            ]
        )

        assert unexpected(outcomes) == []
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DECISION
        assert stages.open_nodes(application) == [stages.flow.resolution]
        assert [t.status for t in stages.tasks_of(application, stages.flow.scoring_join)] == [
            STATUS.DONE
        ]
        assert len(stages.tasks_of(application, stages.flow.close_round)) == 1
        assert application.assignments.filter(scorecard__isnull=False).count() == 3


def test_concurrency_two_officers_issue_one_certificate():
    for _round in range(ROUNDS):
        c = stages.cast()
        application = stages.granted(c)
        task = stages.open_task(application, stages.flow.issue)
        officers = [c.officer, factories.officer()]

        outcomes = run_together(
            *[
                lambda officer=officer, pk=task.pk: services.issue_certificate(
                    task_pk=pk, user=officer
                )
                for officer in officers
            ]
        )

        assert unexpected(outcomes, allowed=DomainError) == []
        succeeded = [o.value for o in outcomes if o.error is None]
        refused = [o.error for o in outcomes if o.error is not None]
        assert len(succeeded) == 1 and len(refused) == 1
        assert isinstance(refused[0], services.TaskNotAvailable)
        assert str(refused[0])  # a message the view can show
        assert list(Certificate.objects.filter(application=application)) == succeeded
        application.refresh_from_db()
        assert application.status == ApplicationStatus.CERTIFIED
        assert application.process.status == PROCESS.DONE


def test_concurrency_certificates_of_two_applications_get_consecutive_numbers():
    issued = []
    for _round in range(ROUNDS):
        pair = []
        for _ in range(2):
            c = stages.cast()
            pair.append((stages.open_task(stages.granted(c), stages.flow.issue).pk, c.officer))

        outcomes = run_together(
            *[
                lambda pk=pk, officer=officer: services.issue_certificate(task_pk=pk, user=officer)
                for pk, officer in pair
            ]
        )

        assert unexpected(outcomes) == []
        issued.extend(o.value for o in outcomes)

    sequences = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 2 * ROUNDS + 1))
    year = issued[0].year
    assert sorted(c.number for c in issued) == [f"ZP/{year}/{n:04d}" for n in sequences]
    assert Application.objects.filter(status=ApplicationStatus.CERTIFIED).count() == 2 * ROUNDS
