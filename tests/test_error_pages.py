"""Error pages speak the visitor's language and offer a way on, in the site's own design."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from . import stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


def test_unknown_address_answers_404_in_polish_with_ways_on(client):
    response = client.get("/rejestr/nie-ma-takiego/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Nie znaleziono strony · Zakup Prospołeczny</title>" in page
    assert "<h1>Nie znaleziono strony</h1>" in page
    for name in ("home", "registry", "verify"):  # in the page itself, not only the header's
        assert f'href="{reverse(name)}"' in main_part(page)


def test_404_in_english_for_an_english_visitor(english):
    page = english.get("/no-such-page/").content.decode()
    assert "<h1>Page not found</h1>" in page


def test_someone_elses_application_is_the_same_404_page(client):
    c = stages.cast()
    application = stages.submitted(c)
    response = login(client, c.jurors[0]).get(reverse("staff_application", args=[application.pk]))
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_form_sent_without_its_csrf_token_explains_what_to_do():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("login"), {"login": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Nie udało się wysłać formularza</h1>" in page
    assert "Nic nie zostało zapisane." in page


def test_server_error_page_stands_alone_in_the_visitors_language():
    request = RequestFactory().get("/")
    with translation.override("pl"):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="pl">' in page
    assert "<h1>Błąd serwera</h1>" in page
    assert f'href="{reverse("verify")}"' in main_part(page)
    with translation.override("en"):
        assert "<h1>Server error</h1>" in server_error(request).content.decode()


def test_request_for_a_foreign_host_gets_the_bad_request_page(client):
    response = client.get(reverse("registry"), HTTP_HOST="zakup.example.com")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Nie udało się zrozumieć żądania</h1>" in page
    assert "Nic nie zostało zmienione." in page


def test_server_error_page_needs_no_static_files(settings):
    # A deploy that forgot collectstatic fails with a missing manifest entry: the 500 page must
    # still render, so it links no static file.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = "/nonexistent-static-root"
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "/static/" not in response.content.decode()
