"""PostgreSQL restarted under the app: a connection kept between requests (conn_max_age, as
production runs) that the server dropped costs a reconnect, not a 500.

The requests go through Django's WSGI handler as gunicorn calls it (the test client skips the
request_started/finished signals that manage kept connections), in the test's thread, so the
kept connection is the test's own; pg_terminate_backend drops it from another session.
"""

import io
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from . import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: DATABASE_URL=postgres://…"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def connections_kept():
    """conn_max_age=600, as README tells production to run."""
    before = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 600
    yield
    connection.settings_dict["CONN_MAX_AGE"] = before
    connection.close()


def get(path: str) -> int:
    """The status of one GET, the way a WSGI server calls the app."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    statuses = []
    body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()  # request_finished: the connection is kept, not closed
    return int(statuses[0].split()[0])


def terminate(pid: int) -> None:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_request_after_postgresql_dropped_the_kept_connection_answers_normally(
    connections_kept,
):
    factories.certificate()
    assert get("/rejestr/") == 200
    pid = connection.connection.info.backend_pid  # the connection the app kept

    terminate(pid)

    assert get("/rejestr/") == 200
    assert connection.connection.info.backend_pid != pid
