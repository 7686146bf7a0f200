"""Public pages answer without login, in Polish by default, with the links a visitor needs."""

import pytest
from django.test import Client
from django.urls import reverse

from . import factories
from .web import main_part

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize("name", ["home", "registry", "verify"])
def test_public_page_answers_without_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_public_pages_default_to_polish_even_for_an_english_browser():
    response = Client(headers={"accept-language": "en-GB,en;q=0.9"}).get(reverse("home"))
    assert '<html lang="pl">' in response.content.decode()


def test_language_switch_turns_pages_english():
    visitor = Client(headers={"accept-language": "pl"})
    visitor.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in visitor.get(reverse("home")).content.decode()


def test_home_has_verify_box_registry_and_login(client):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("verify")}"' in html
    assert 'name="number"' in html
    assert '<label for="id_number">Certificate number' in html
    assert f'href="{reverse("registry")}"' in html
    assert f'href="{reverse("login")}"' in html
    # The header links to both on every page: the home page's own text must too.
    main = main_part(html)
    assert f'<a href="{reverse("registry")}">Browse the registry of certificates</a>' in main
    assert f'<a href="{reverse("login")}">Log in</a>' in main


def test_home_verify_box_leads_to_the_result(client):
    certificate = factories.certificate()
    response = client.get(reverse("verify"), {"number": certificate.number})
    assert response.status_code == 200
    assert certificate.organization.name in response.content.decode()


def test_home_for_logged_in_user_links_to_account(client):
    client.force_login(factories.applicant())
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("dashboard")}"' in html


def test_public_pages_refuse_post(client):
    assert client.post(reverse("verify"), {"number": "ZP/2026/0001"}).status_code == 405


@pytest.mark.parametrize(
    "name,title",
    [
        ("home", "Certificates of the mark: verify and browse"),
        ("registry", "Registry of certificates"),
        ("verify", "Verify a certificate"),
    ],
)
def test_public_pages_have_specific_titles(client, name, title):
    html = client.get(reverse(name)).content.decode()
    assert f"<title>{title} · Zakup Prospołeczny</title>" in html


def test_site_icon_is_linked_and_served_for_favicon_ico(client):
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    assert finders.find("favicon.svg")  # collected with the other static files
    icon = static("favicon.svg")
    assert (
        f'<link rel="icon" href="{icon}" type="image/svg+xml">' in client.get("/").content.decode()
    )
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, icon)
