"""Races that only a database with row locks can settle: the scaffolding of the *_postgres tests.

Each scenario starts real threads (each with its own connection) that wait at one barrier and
then act at the same moment, and repeats a few rounds to make an unlucky interleaving likely.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

# A module's pytestmark: PostgreSQL only, and committed for real, so that the threads see each
# other's work (tests/conftest.py re-seeds the configuration after the flush).
MARKS = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (row locks); run with DATABASE_URL=postgres://…",
    ),
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


def logged_in_clients(user, n: int = 2) -> list[Client]:
    """n browsers of one user (two tabs, or a double click)."""
    clients = [Client() for _ in range(n)]
    for client in clients:
        client.force_login(user)
    return clients


def post_together(clients: list[Client], url: str, data: dict | None = None) -> list:
    """POST from every client at the same moment; the responses, in the clients' order.

    A request that raises (rather than answering with an error page) fails the test here.
    """
    outcomes = run_together(*[lambda c=client: c.post(url, data or {}) for client in clients])
    assert unexpected(outcomes) == []
    return [o.value for o in outcomes]
