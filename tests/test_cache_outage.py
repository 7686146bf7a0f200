"""Redis stopped under the app: pages answer from the database, logins work, and every rate
limit (ours and allauth's) still holds, counted per process until the cache is back.

A real redis-server on a free port, with CACHES made by config/settings.py from its URL; the
test kills it by its pid.
"""

import os
import signal
import time

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from certification.domain import lifecycle

from . import api, factories
from .factories import UserFactory
from .redis_server import RedisServer, app_caches
from .web import main_part

pytestmark = pytest.mark.django_db

PASSWORD = "Zielona-Łąka-2024"


@pytest.fixture
def redis(settings):
    server = RedisServer()
    settings.CACHES = app_caches(server.url)
    settings.REGISTRY_CACHE_SECONDS = 300
    yield server
    server.kill()


def test_the_app_uses_the_real_redis_until_it_stops(redis):
    cache.set("probe", 1)
    assert cache.get("probe") == 1
    redis.kill()
    assert cache.get("probe") is None  # answered, from this process's own memory


def test_registry_page_and_verification_answer_from_the_database_with_redis_stopped(
    redis, client, django_capture_on_commit_callbacks
):
    certificate = factories.certificate(items=("Pierogi ruskie",))
    before = main_part(client.get("/rejestr/", {"q": "pierogi"}).content.decode())
    assert '<strong class="tag tag-valid">Ważny</strong>' in before
    redis.kill()

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.revoke_certificate(
            certificate=certificate, user=factories.officer(), reason="Naruszenie zasad."
        )
    page = client.get("/rejestr/", {"q": "pierogi"})
    plain = client.get("/rejestr/")
    verified = api.get(api.client(), "/api/v1/verify", number=certificate.number)

    assert page.status_code == plain.status_code == 200
    assert '<strong class="tag tag-revoked">Cofnięty</strong>' in main_part(page.text)
    assert verified.status_code == 200
    assert verified.json()["result"] == "revoked"


def test_login_works_with_redis_stopped_and_failed_logins_are_still_limited(redis):
    user = UserFactory(username="urzednik", email="urzednik@rops.example.pl", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    redis.kill()

    owner = Client(REMOTE_ADDR="203.0.113.7")
    owner.post(reverse("login"), {"login": user.username, "password": PASSWORD})
    guesser = Client(REMOTE_ADDR="198.51.100.1")
    guesses = [
        guesser.post(reverse("login"), {"login": user.username, "password": f"guess-{n}"})
        for n in range(6)
    ]

    assert "_auth_user_id" in owner.session
    assert owner.get(reverse("dashboard")).status_code in (200, 302)  # sessions: the database
    assert {g.status_code for g in guesses} == {200}
    assert "Zbyt wiele nieudanych prób logowania" in guesses[-1].text
    assert "Zbyt wiele nieudanych prób logowania" not in guesses[-2].text


def test_public_page_and_api_limits_still_hold_with_redis_stopped(redis, settings):
    settings.PUBLIC_RATE_LIMIT = "3/m"
    settings.API_RATE_LIMIT = "3/m"
    redis.kill()

    visitor = Client(REMOTE_ADDR="192.0.2.1")
    pages = [visitor.get(reverse("registry")).status_code for _ in range(4)]
    caller = api.client(REMOTE_ADDR="192.0.2.1")
    calls = [caller.get("/api/v1/certificates") for _ in range(4)]

    assert pages == [200, 200, 200, 429]
    assert [c.status_code for c in calls] == [200, 200, 200, 429]
    assert Client(REMOTE_ADDR="192.0.2.2").get(reverse("registry")).status_code == 200


class Hung(BaseException):
    """Raised by the alarm: not an error the cache could mistake for an outage."""


def test_a_stuck_redis_costs_a_request_about_a_second_not_a_hang(redis, client):
    factories.certificate()
    assert client.get("/rejestr/").status_code == 200

    def give_up(signum, frame):
        raise Hung("the request waited 20 s for the stuck cache")

    previous = signal.signal(signal.SIGALRM, give_up)
    os.kill(redis.process.pid, signal.SIGSTOP)  # it accepts connections and never answers
    started = time.monotonic()
    signal.alarm(20)
    try:
        response = client.get("/rejestr/")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        os.kill(redis.process.pid, signal.SIGCONT)

    assert response.status_code == 200
    assert time.monotonic() - started < 5


def test_a_revocation_made_while_redis_was_stuck_is_not_hidden_by_answers_it_kept(
    redis, settings, client, django_capture_on_commit_callbacks
):
    # A stuck (not restarted) Redis keeps its entries: the answer "valid" stored before the
    # revocation must not be served once it answers again.
    settings.CACHE_RETRY_SECONDS = 0  # try the shared cache again at once
    certificate = factories.certificate(items=("Pierogi ruskie",))
    before = main_part(client.get("/rejestr/", {"q": "pierogi"}).content.decode())
    assert '<strong class="tag tag-valid">Ważny</strong>' in before

    os.kill(redis.process.pid, signal.SIGSTOP)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            lifecycle.revoke_certificate(
                certificate=certificate, user=factories.officer(), reason="Naruszenie zasad."
            )
    finally:
        os.kill(redis.process.pid, signal.SIGCONT)
    after = main_part(client.get("/rejestr/", {"q": "pierogi"}).content.decode())

    assert '<strong class="tag tag-revoked">Cofnięty</strong>' in after
