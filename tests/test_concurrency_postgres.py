"""Races that only a database with row locks can settle: run on PostgreSQL.

Each scenario starts real threads (each with its own connection) that wait at one barrier and
then act at the same moment, and repeats a few rounds to make an unlucky interleaving likely.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections
from viewflow.workflow.status import PROCESS, STATUS

from certification.choices import ApplicationStatus
from certification.domain.errors import DomainError
from certification.models import Application, Certificate
from workflows import services

from . import factories, stages

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (row locks); run with DATABASE_URL=postgres://…",
    ),
    # Committed for real, so that the threads see each other's work (conftest re-seeds).
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5
THREAD_TIMEOUT = 60


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_together(*calls: Callable[[], Any]) -> list[Outcome]:
    """Run the calls in parallel threads released at the same moment; collect what each got."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def worker(n: int, call: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()  # connect before the barrier, not during the race
            barrier.wait(timeout=THREAD_TIMEOUT)
            outcomes[n].value = call()
        except BaseException as error:  # reported by the test, never swallowed
            outcomes[n].error = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(n, call), name=f"race-{n}")
        for n, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a racing thread hung"
    return outcomes


def unexpected(outcomes: list[Outcome], allowed: type[BaseException] | None = None) -> list:
    return [
        repr(o.error)
        for o in outcomes
        if o.error is not None and not (allowed and isinstance(o.error, allowed))
    ]


def test_concurrency_three_scorecards_at_once_join_into_one_resolution_task():
    for _round in range(ROUNDS):
        c = stages.cast()
        application = stages.scoring(c)
        tasks = []
        for juror in c.jurors:
            task = stages.open_task(application, "score", owner=juror)
            services.declare(task_pk=task.pk, user=juror, impartial=True)
            tasks.append((task.pk, juror))

        outcomes = run_together(
            *[
                lambda pk=pk, juror=juror: services.score(
                    task_pk=pk, user=juror, scores=stages.full_scores()
                )
                for pk, juror in tasks
            ]
        )

        assert unexpected(outcomes) == []
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DECISION
        assert stages.open_node_names(application) == ["resolution"]
        assert [t.status for t in stages.tasks_of(application, "scoring_join")] == [STATUS.DONE]
        assert len(stages.tasks_of(application, "close_round")) == 1
        assert application.assignments.filter(scorecard__isnull=False).count() == 3


def test_concurrency_two_officers_issue_one_certificate():
    for _round in range(ROUNDS):
        c = stages.cast()
        application = stages.granted(c)
        task = stages.open_task(application, "issue")
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
            pair.append((stages.open_task(stages.granted(c), "issue").pk, c.officer))

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
