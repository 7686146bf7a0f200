"""API rate limit per client address: a clear 429 with Retry-After, counted in the cache."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from certification.rate_limit import parse_rate

from . import api, factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/verify"


@pytest.fixture
def number(settings):
    settings.API_RATE_LIMIT = "3/m"
    return factories.certificate().number


def ask(client, number, **extra):
    return api.check(client.get(URL, {"number": number}, **extra))


def test_over_the_limit_answers_429_with_retry_after(number):
    client = api.client("en")
    answers = [ask(client, number) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    limited = answers[-1]
    assert limited["Content-Type"].startswith("application/json")
    assert limited.json() == {
        "message": "Too many requests from your address. Wait a moment and try again.",
        "code": "too_many_requests",
        "parameter": None,
    }
    assert 1 <= int(limited["Retry-After"]) <= 60


def test_limit_message_is_in_polish_by_default(number):
    client = api.client()
    for _ in range(3):
        ask(client, number)

    limited = ask(client, number)

    assert limited.status_code == 429
    # The message goes through gettext in the request's language (the catalogue comes later).
    assert limited["Content-Language"] == "pl"


def test_every_endpoint_counts_towards_the_same_limit(number):
    client = api.client()
    api.check(client.get("/api/v1/certificates"))
    api.check(client.get(f"/api/v1/certificates/{number.replace('/', '-')}"))
    ask(client, number)

    assert api.check(client.get("/api/v1/certificates")).status_code == 429
    assert api.check(client.get("/api/v1/certificates/ZP-2026-9999")).status_code == 429


def test_limit_is_per_client_address(number):
    first = api.client(REMOTE_ADDR="192.0.2.1")
    second = api.client(REMOTE_ADDR="192.0.2.2")
    for _ in range(3):
        ask(first, number)

    assert ask(first, number).status_code == 429
    assert ask(second, number).status_code == 200


def test_forged_forwarded_for_does_not_dodge_the_limit(number):
    client = api.client(REMOTE_ADDR="192.0.2.1")
    answers = [ask(client, number, headers={"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(4)]

    assert answers[-1].status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(number, settings):
    settings.TRUSTED_PROXIES = 1
    proxy = api.client(REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        ask(proxy, number, headers={"X-Forwarded-For": "203.0.113.1"})

    assert ask(proxy, number, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    assert ask(proxy, number, headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 200


def test_openapi_document_is_not_limited(number):
    client = api.client()
    for _ in range(3):
        ask(client, number)

    assert client.get(api.OPENAPI_URL).status_code == 200


def test_limit_off(number, settings):
    settings.API_RATE_LIMIT = "off"
    client = api.client()

    assert {ask(client, number).status_code for _ in range(10)} == {200}


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("120/m", (120, 60)), ("1000/5m", (1000, 300)), ("10/s", (10, 1)), ("5/d", (5, 86400))],
)
def test_rate_setting_is_read_as_count_per_period(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["120", "120/minute", "many/m", "/m"])
def test_rate_setting_that_makes_no_sense_is_refused(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)
