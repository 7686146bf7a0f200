"""/health/live and /health/ready, against real failures of the database, cache and storage."""

import os
import signal
import time

import pytest

from . import stages
from .ops_services import free_port, read_only_directory
from .redis_server import RedisServer, app_caches
from .settings_probe import run_with_settings

pytestmark = pytest.mark.django_db


def test_live_answers_without_login_and_is_never_cached(client):
    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_ready_names_each_check_when_all_answer(client):
    response = client.get("/health/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "storage": True,
        "queue": True,
    }
    assert "no-store" in response["Cache-Control"]


def test_ready_is_not_rate_limited(client, settings):
    settings.PUBLIC_RATE_LIMIT = "2/m"
    settings.API_RATE_LIMIT = "2/m"

    codes = {client.get("/health/ready").status_code for _ in range(5)}

    assert codes == {200}


def test_ready_says_degraded_naming_the_cache_once_redis_is_killed(client, settings):
    # The app's own cache set-up (it falls back on per-process memory): the check must still
    # see that the shared cache is gone, and the server stay in the balancer.
    redis = RedisServer()
    settings.CACHES = app_caches(redis.url)
    try:
        assert client.get("/health/ready").json()["status"] == "ok"
        redis.kill()
        response = client.get("/health/ready")
    finally:
        redis.kill()

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]


def test_a_frozen_redis_fails_the_check_within_the_timeout(client, settings):
    settings.HEALTH_CHECK_TIMEOUT = 1
    redis = RedisServer()
    caches = app_caches(redis.url)
    shared = caches["default"]["OPTIONS"]["SHARED"]
    shared["OPTIONS"] = {"socket_connect_timeout": 30, "socket_timeout": 30}
    settings.CACHES = caches
    os.kill(redis.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = client.get("/health/ready")
        took = time.monotonic() - started
    finally:
        os.kill(redis.process.pid, signal.SIGCONT)
        redis.kill()

    assert response.json()["checks"]["cache"]["error"] == "Timeout"
    assert took < 5  # the socket would have waited 30 s


def test_ready_says_degraded_naming_the_storage_when_media_root_is_read_only(
    client, settings, tmp_path, local_media
):
    with read_only_directory(tmp_path / "readonly") as media:
        settings.MEDIA_ROOT = media
        response = client.get("/health/ready")

    # Public pages still answer without the store: the server stays in the balancer.
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["failed"] == ["storage"]


def test_ready_answers_503_naming_the_database_it_cannot_reach(tmp_path):
    # A fresh process whose DATABASE_URL points at a port nobody listens on.
    shown = run_with_settings(
        "from django.test import Client; r = Client().get('/health/ready'); "
        "print(r.status_code, r.json()['failed'], r.json()['checks']['database']['error'])",
        drop=("DATABASE_URL", "CACHE_URL", "REDIS_URL", "S3_BUCKET"),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/zakup_unreachable",
        MEDIA_ROOT=str(tmp_path),
    )

    assert shown == "503 ['database'] OperationalError"


def test_live_answers_even_when_the_database_cannot_be_reached(tmp_path):
    shown = run_with_settings(
        "from django.test import Client; r = Client().get('/health/live'); print(r.status_code)",
        drop=("DATABASE_URL",),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/zakup_unreachable",
        MEDIA_ROOT=str(tmp_path),
    )

    assert shown == "200"


POSTGRES_URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.postgres
@pytest.mark.skipif(
    not POSTGRES_URL.startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL; run with DATABASE_URL=postgres://…",
)
def test_ready_follows_the_database_going_away_and_coming_back(tmp_path):
    # A throwaway database of its own on the real server, closed to new connections and its
    # sessions killed (as a failover or a restart does to the app), then opened again: the
    # same process reports it, and recovers without a restart.
    server = POSTGRES_URL.split("?")[0].rsplit("/", 1)[0]
    name = f"zakup_health_{os.getpid()}"
    code = f"""
import psycopg
from django.test import Client
admin = psycopg.connect({server + "/postgres"!r}, autocommit=True)
admin.execute("DROP DATABASE IF EXISTS {name}")
admin.execute("CREATE DATABASE {name}")
try:
    client = Client()
    seen = [client.get('/health/ready').status_code]
    admin.execute("ALTER DATABASE {name} ALLOW_CONNECTIONS false")
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    down = client.get('/health/ready')
    seen += [down.status_code, *down.json()['failed']]
    admin.execute("ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    seen.append(client.get('/health/ready').status_code)
    print(*seen)
finally:
    admin.execute("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
"""
    shown = run_with_settings(
        code,
        drop=("CACHE_URL", "REDIS_URL", "S3_BUCKET"),
        DATABASE_URL=f"{server}/{name}",
        MEDIA_ROOT=str(tmp_path),
    )

    assert shown == "200 503 database 200"


@pytest.mark.django_db(transaction=True)
def test_ready_says_degraded_naming_the_queue_when_jobs_pile_up(client, settings):
    # No worker runs in the test: what the applicants' submissions queue stays waiting. The
    # check counts on a connection of its own: the jobs must be committed, as in real life.
    settings.HEALTH_QUEUE_BACKLOG_MAX = 1
    cast = stages.cast()
    stages.submitted(cast)
    assert client.get("/health/ready").json()["status"] == "ok"

    stages.submitted(cast)
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["failed"] == ["queue"]
    assert response.json()["checks"]["queue"]["error"] == "QueueBacklog"
