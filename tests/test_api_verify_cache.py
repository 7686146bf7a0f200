"""Cached verification answers (certification/registry_cache.py) and the signature check.

The cache is on here, as in production with Redis; every change to what verification says must
show at the next question, by whatever path it was made.
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from certification import signing
from certification.domain import lifecycle

from . import api, factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/verify"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.REGISTRY_CACHE_SECONDS = 300
    cache.clear()


@pytest.fixture
def client():
    return api.client()


def ask(client, certificate, **params):
    return api.get(client, URL, number=certificate.number, **params).json()


def test_repeated_question_is_answered_without_the_database(client, django_assert_num_queries):
    certificate = factories.certificate()
    first = ask(client, certificate)

    with django_assert_num_queries(0):
        again = ask(client, certificate)

    assert again == first
    assert again["result"] == "valid"


def test_suspension_shows_at_the_next_question(client, django_capture_on_commit_callbacks):
    certificate = factories.certificate()
    assert ask(client, certificate)["result"] == "valid"

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.suspend_certificate(
            certificate=certificate,
            user=factories.officer(),
            reason="Brak sprawozdania.",
            correction_until=days(14),
        )

    body = ask(client, certificate)
    assert body["result"] == "suspended"
    assert body["reason"] == "Brak sprawozdania."


def test_revocation_shows_at_the_next_question(client, django_capture_on_commit_callbacks):
    certificate = factories.certificate()
    assert ask(client, certificate)["result"] == "valid"

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.revoke_certificate(
            certificate=certificate, user=factories.officer(), reason="Naruszenie regulaminu."
        )

    assert ask(client, certificate)["result"] == "revoked"


def test_organisation_renamed_outside_the_funnels_shows_at_once(
    client, django_capture_on_commit_callbacks
):
    certificate = factories.certificate()
    ask(client, certificate)
    organization = certificate.organization

    with django_capture_on_commit_callbacks(execute=True):
        organization.name = "Spółdzielnia Socjalna Nowa Nazwa"
        organization.save()  # as Django admin does

    # The certificate keeps the name it was issued to; the holder's name today is beside it.
    assert ask(client, certificate)["certificate"]["holder_now"]["name"] == (
        "Spółdzielnia Socjalna Nowa Nazwa"
    )


def test_change_not_yet_committed_is_not_cached_as_current(client):
    # Without the commit the version stays: the answer in the cache is still the committed one.
    certificate = factories.certificate()
    ask(client, certificate)

    lifecycle.revoke_certificate(certificate=certificate, user=factories.officer(), reason="R.")

    assert ask(client, certificate)["result"] == "valid"


def test_answer_is_cached_per_language_and_per_date(client):
    certificate = factories.certificate(issued_on=days(-30))
    polish = ask(client, certificate)
    english = api.get(
        api.client(language="en"), URL, number=certificate.number
    ).json()  # a new client clears the cache, so ask Polish again below
    assert english["result_label"] == "Valid"
    assert ask(client, certificate)["result_label"] == polish["result_label"] == "Ważny"

    before_issue = ask(client, certificate, date=days(-31).isoformat())
    assert before_issue["result"] == "not_yet_valid"
    assert ask(client, certificate)["result"] == "valid"


def test_cache_unreachable_answers_from_the_database(client, settings):
    certificate = factories.certificate()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    settings.API_RATE_LIMIT = "off"

    response = api.get(client, URL, number=certificate.number)

    assert response.status_code == 200
    assert response.json()["result"] == "valid"


def test_signature_from_the_qr_code_holds(client):
    certificate = factories.certificate()
    token = signing.sign(certificate)

    body = ask(client, certificate, s=token)

    assert body["signature"]["status"] == "valid"
    assert body["signature"]["key_id"] == token.split(".")[0]


def test_altered_signature_is_invalid_even_when_the_genuine_one_was_cached(client):
    certificate = factories.certificate()
    token = signing.sign(certificate)
    ask(client, certificate, s=token)
    key_id, signature = token.split(".")
    other = "A" if signature[0] != "A" else "B"
    altered = f"{key_id}.{other}{signature[1:]}"

    # The first character carries six bits of the signature: still well-formed, but not it.
    assert ask(client, certificate, s=altered)["signature"]["status"] == "invalid"


@pytest.mark.parametrize(
    ("token", "status"),
    [(None, "missing"), ("nonsense", "malformed"), ("<script>", "malformed")],
)
def test_signature_status_without_a_genuine_token(client, token, status):
    certificate = factories.certificate()
    params = {"s": token} if token is not None else {}

    response = api.get(client, URL, number=certificate.number, **params)

    assert response.status_code == 200
    assert response.json()["signature"]["status"] == status
    assert b"<script>" not in response.content


def test_signature_of_an_unknown_number_is_missing(client):
    body = api.get(client, URL, number="ZP/2020/9999", s="0" * 8 + "." + "A" * 86).json()

    assert body["result"] == "unknown"
    assert body["signature"]["status"] == "missing"
