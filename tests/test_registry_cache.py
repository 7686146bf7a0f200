"""Registry searches (page and API) from the registry cache: repeated at no database cost, and
every committed change shows at the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from certification.domain import lifecycle

from . import api, factories
from .web import main_part

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.REGISTRY_CACHE_SECONDS = 300
    cache.clear()


def test_registry_page_repeated_costs_no_query(client, django_assert_num_queries):
    factories.certificate(items=("Pierogi ruskie",))
    first = client.get("/rejestr/", {"q": "pierogi"})

    with django_assert_num_queries(0):
        again = client.get("/rejestr/", {"q": "pierogi"})

    assert again.status_code == 200
    # The header (language form, CSRF token) is rendered anew; the registry itself is the same.
    assert main_part(again.content.decode()) == main_part(first.content.decode())
    assert "Pierogi ruskie" in again.content.decode()


def test_registry_page_shows_a_revocation_at_the_next_request(
    client, django_capture_on_commit_callbacks
):
    # "Ważny" and "Cofnięty" are also options of the status filter on every registry page:
    # the result row's status tag is what tells.
    certificate = factories.certificate(items=("Pierogi ruskie",))
    before = main_part(client.get("/rejestr/", {"q": "pierogi"}).content.decode())
    assert '<strong class="tag tag-valid">Ważny</strong>' in before
    assert "tag-revoked" not in before

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.revoke_certificate(
            certificate=certificate, user=factories.officer(), reason="Naruszenie zasad."
        )

    after = main_part(client.get("/rejestr/", {"q": "pierogi"}).content.decode())
    assert '<strong class="tag tag-revoked">Cofnięty</strong>' in after
    assert "tag-valid" not in after


def test_registry_page_cached_for_one_visitor_holds_nothing_of_theirs(
    client, django_assert_num_queries
):
    factories.certificate()
    officer = factories.officer(first_name="Urszula", last_name="Tajna")
    client.force_login(officer)
    officers_page = client.get("/rejestr/").content.decode()
    assert "Tajna" in officers_page  # the header names the officer: the page was theirs

    # A plain client: api.client() would clear the cache the officer's request filled.
    anonymous = Client()
    with django_assert_num_queries(0):  # the registry part comes from the officer's visit
        cache_page = anonymous.get("/rejestr/").content.decode()

    assert main_part(cache_page) == main_part(officers_page)
    assert "Tajna" not in cache_page
    assert "Urszula" not in cache_page
    assert 'name="csrfmiddlewaretoken"' not in main_part(cache_page)


def test_registry_page_cached_per_language(client):
    factories.certificate()
    polish = client.get("/rejestr/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/rejestr/").content.decode()

    assert "Rejestr certyfikatów" in polish
    assert "Registry of certificates" in english


def test_search_api_repeated_costs_no_query(django_assert_num_queries):
    factories.certificate(items=("Catering dla firm",))
    client = api.client()
    first = api.get(client, "/api/v1/certificates", q="catering")

    with django_assert_num_queries(0):
        again = api.get(client, "/api/v1/certificates", q="catering")

    assert again.json() == first.json()
    assert again.json()["count"] == 1


def test_search_api_shows_a_new_certificate_at_the_next_request(
    django_capture_on_commit_callbacks,
):
    factories.certificate(items=("Catering dla firm",))
    client = api.client()
    assert api.get(client, "/api/v1/certificates", q="catering").json()["count"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        factories.certificate(items=("Catering weselny",))

    assert api.get(client, "/api/v1/certificates", q="catering").json()["count"] == 2


def test_registry_page_with_unknown_parameters_is_not_kept(client):
    factories.certificate(items=("Pierogi ruskie",))
    client.get("/rejestr/", {"q": "pierogi", "utm_source": "1"})

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/rejestr/", {"q": "pierogi", "utm_source": "1"})

    assert again.status_code == 200
    assert len(queries) > 0  # computed again: junk parameters do not fill the cache


def test_registry_page_same_search_written_differently_is_kept_once(
    client, django_assert_num_queries
):
    factories.certificate(items=("Pierogi ruskie",))
    client.get("/rejestr/", {"q": "pierogi", "status": ""})

    with django_assert_num_queries(0):
        again = client.get("/rejestr/", {"q": "pierogi"})

    assert "Pierogi ruskie" in main_part(again.content.decode())


def test_search_api_links_and_cache_ignore_parameters_it_does_not_know(
    django_assert_num_queries,
):
    for n in range(3):
        factories.certificate(items=(f"Catering {n}",))
    client = api.client()
    first = api.get(client, "/api/v1/certificates", q="catering", page_size=2, utm_source="x")

    with django_assert_num_queries(0):  # the same question, other junk: from the cache
        again = api.get(client, "/api/v1/certificates", q="catering", page_size=2, utm="y")

    assert again.json() == first.json()
    assert first.json()["next"].endswith("/api/v1/certificates?q=catering&page_size=2&page=2")
