"""Races at a jury session, settled by row locks: run on PostgreSQL.

The threads, barrier and rounds are tests/postgres.py's.
"""

from certification.choices import SessionStatus
from certification.domain import sessions
from certification.domain.errors import DomainError
from certification.models import JurySession, Resolution

from . import postgres, stages
from .mail import polish
from .postgres import ROUNDS, run_together, unexpected

pytestmark = postgres.MARKS


def test_concurrency_two_people_record_one_items_resolution():
    for _round in range(ROUNDS):
        c = stages.cast()
        application = stages.awaiting_decision(c)
        item = stages.on_agenda(c, application)

        outcomes = run_together(
            *[
                lambda user=user, grant=grant, c=c, item=item: stages.vote(
                    c, item, by=user, grant=grant
                )
                for user, grant in ((c.chair, True), (c.officer, False))
            ]
        )

        assert unexpected(outcomes, allowed=DomainError) == []
        recorded = [o.value for o in outcomes if o.error is None]
        refused = [o.error for o in outcomes if o.error is not None]
        assert len(recorded) == 1 and len(refused) == 1
        assert str(refused[0])  # a message the page can show
        assert list(Resolution.objects.filter(application=application)) == recorded
        application.refresh_from_db()
        assert application.status == ("granted" if recorded[0].outcome == "granted" else "refused")
        assert len(stages.tasks_of(application, stages.flow.resolution)) == 1


def test_concurrency_two_people_close_a_session_once():
    for _round in range(ROUNDS):
        c = stages.cast()
        item = stages.on_agenda(c, stages.awaiting_decision(c))
        stages.vote(c, item)

        outcomes = run_together(
            *[
                lambda user=user, item=item: sessions.close_session(user=user, session=item.session)
                for user in (c.chair, c.officer)
            ]
        )

        assert unexpected(outcomes, allowed=DomainError) == []
        assert len([o for o in outcomes if o.error is None]) == 1
        refusal = str(next(o.error for o in outcomes if o.error))
        assert refusal == polish(
            "Session %(number)s has already been closed.", number=item.session.number
        )
        assert JurySession.objects.get(pk=item.session_id).status == SessionStatus.CLOSED


def test_concurrency_recording_while_closing_leaves_no_resolution_in_a_closed_session():
    for _round in range(ROUNDS):
        c = stages.cast()
        session = stages.schedule(c)
        decided = stages.on_agenda(c, stages.awaiting_decision(c), session)
        stages.vote(c, decided)
        late = stages.on_agenda(c, stages.awaiting_decision(c), session)

        outcomes = run_together(
            lambda c=c, late=late: stages.vote(c, late),
            lambda c=c, session=session: sessions.close_session(user=c.officer, session=session),
        )

        assert unexpected(outcomes, allowed=DomainError) == []
        session.refresh_from_db()
        voted, closed = outcomes
        # Either the vote came first and the session closed with both items decided, or the
        # close came first and was refused for the undecided item: never a closed session
        # with an undecided item, nor a resolution after closing.
        if closed.error is None:
            assert voted.error is None
            assert session.status == SessionStatus.CLOSED
        else:
            assert session.status == SessionStatus.SCHEDULED
        assert Resolution.objects.filter(agenda_item__session=session).count() == (
            2 if voted.error is None else 1
        )


def test_concurrency_sessions_and_resolutions_get_consecutive_numbers():
    c = stages.cast()
    outcomes = run_together(*[lambda: stages.schedule(c) for _ in range(4)])
    assert unexpected(outcomes) == []
    assert sorted(o.value.sequence for o in outcomes) == [1, 2, 3, 4]

    items = [stages.on_agenda(c, stages.awaiting_decision(c)) for _ in range(ROUNDS)]
    outcomes = run_together(*[lambda item=item: stages.vote(c, item) for item in items])
    assert unexpected(outcomes) == []
    assert sorted(o.value.sequence for o in outcomes) == list(range(1, ROUNDS + 1))
