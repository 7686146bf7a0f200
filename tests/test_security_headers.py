"""What every answer tells the browser: a Content-Security-Policy that allows no inline script
or style (so injected markup cannot run), which browser features are off, that a page made for
a logged-in person is kept nowhere, and how the language cookie travels."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from certification.domain.certificates import number_to_slug
from certification.models import User

from . import factories, stages
from .settings_probe import run_with_settings
from .web import login

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Inline scripts, styles and event handlers of a page; an element with a nonce is allowed."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        inline_script = tag == "script" and "src" not in attributes
        # A JSON data block is never run (the API docs page keeps its settings in one).
        data_block = attributes.get("type") == "application/json"
        if (inline_script and not data_block or tag == "style") and "nonce" not in attributes:
            self.found.append(f"<{tag}>")
        self.found += [f"{tag}[{name}]" for name in attributes if name == "style"]
        self.found += [f"{tag}[{name}]" for name in attributes if name.startswith("on")]


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def assert_strict_policy(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    for name in ("script-src", "style-src"):
        assert policy[name][0] == "'self'"
        assert all(v == "'self'" or v.startswith("'nonce-") for v in policy[name]), policy[name]
    assert "unsafe" not in response["Content-Security-Policy"]


def page_types():
    """(client, address) for one page of each kind: public, account, applicant, staff, admin,
    the API docs."""
    c = stages.cast()
    application = stages.submitted(c)
    draft = factories.draft_application(user=c.applicant, complete=False)
    certificate = factories.certificate()
    admin = User.objects.create_superuser("admin", "admin@example.pl", "haslo-testowe-123")
    slug = number_to_slug(certificate.number)
    anonymous = Client()
    return [
        (anonymous, reverse("home")),
        (anonymous, reverse("registry")),
        (anonymous, reverse("offers_map")),
        (anonymous, reverse("verify")),
        (anonymous, reverse("certificate_detail", args=[slug])),
        (anonymous, reverse("certificate_badge", args=[slug])),
        (anonymous, reverse("login")),
        (anonymous, reverse("account_signup")),
        (anonymous, reverse("account_reset_password")),
        (anonymous, "/nie-ma-takiej-strony/"),
        (anonymous, "/api/v1/docs"),
        (login(Client(), c.applicant), reverse("my_applications")),
        (login(Client(), c.applicant), reverse("application_questionnaire", args=[draft.pk])),
        (login(Client(), c.officer), reverse("staff_inbox")),
        (login(Client(), c.officer), reverse("staff_application", args=[application.pk])),
        (login(Client(), admin), reverse("admin:index")),
        (login(Client(), admin), reverse("admin:certification_organization_changelist")),
    ]


def test_every_kind_of_page_forbids_inline_code_and_has_none():
    for client, address in page_types():
        response = client.get(address)
        assert response.status_code in (200, 404), address
        assert_strict_policy(response)
        assert inline_code(response.content.decode()) == [], address


def test_server_error_page_styles_itself_with_the_nonce_of_its_policy(settings):
    settings.ROOT_URLCONF = "tests.urls_server_error"
    response = Client(raise_request_exception=False).get("/awaria/")

    assert response.status_code == 500
    assert_strict_policy(response)
    nonce = next(v for v in directives(response)["style-src"] if v.startswith("'nonce-"))
    assert f'<style nonce="{nonce[7:-1]}">' in response.content.decode()


def test_badge_image_may_load_and_run_nothing():
    certificate = factories.certificate()
    response = Client().get(
        reverse("certificate_badge_svg", args=[number_to_slug(certificate.number)])
    )
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_browser_features_the_service_does_not_use_are_off():
    response = Client().get(reverse("registry"))
    features = dict(part.strip().split("=") for part in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "fullscreen"):
        assert features[feature] == "()"


def test_pages_of_a_logged_in_person_are_kept_nowhere():
    c = stages.cast()
    application = stages.submitted(c)
    certificate = factories.certificate()
    officer = login(Client(), c.officer)
    applicant = login(Client(), c.applicant)
    for client, address in [
        (applicant, reverse("my_applications")),
        (applicant, reverse("application_detail", args=[application.pk])),
        (officer, reverse("staff_application", args=[application.pk])),
        # Public pages too: their header names the person logged in.
        (officer, reverse("registry")),
        (officer, reverse("certificate_detail", args=[number_to_slug(certificate.number)])),
    ]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert response["Cache-Control"] == "private, no-store", address


def test_a_page_that_shows_what_a_visitors_session_holds_is_kept_nowhere():
    # Not logged in yet, but the session holds who signed up: the next page names their address.
    visitor = Client()
    signed_up = visitor.post(
        reverse("account_signup"),
        {
            "email": "anna.nowak@example.pl",
            "password1": "Zielona-Łąka-2024",
            "password2": "Zielona-Łąka-2024",
        },
        follow=True,
    )
    assert "anna.nowak@example.pl" in signed_up.content.decode()
    assert signed_up["Cache-Control"] == "private, no-store"


def test_a_page_for_an_anonymous_visitor_keeps_its_own_caching():
    certificate = factories.certificate()
    slug = number_to_slug(certificate.number)
    assert "no-store" not in Client().get(reverse("registry")).get("Cache-Control", "")
    badge = Client().get(reverse("certificate_badge_svg", args=[slug]))
    assert "public" in badge["Cache-Control"]


def test_language_cookie_is_for_this_site_and_no_script():
    response = Client().post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # development over plain HTTP still switches the language


def test_language_cookie_is_sent_only_over_https_in_production(tmp_path):
    key = tmp_path / "signing-key.pem"
    run_with_settings(
        "from django.core.management import call_command; "
        f"call_command('generate_signing_key', out='{key}')"
    )
    printed = run_with_settings(
        "from django.test import Client; "
        "r = Client().post('/i18n/setlang/', {'language': 'en', 'next': '/'}, secure=True, "
        "HTTP_HOST='zakup.example.pl'); "
        "c = r.cookies['django_language']; print(c['secure'], c['httponly'], c['samesite'])",
        drop=("DJANGO_ENV",),
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x" * 60 + "production-only-for-this-test",
        DJANGO_ALLOWED_HOSTS="zakup.example.pl",
        SITE_URL="https://zakup.example.pl",
        CERTIFICATE_SIGNING_KEY_FILE=str(key),
    )
    assert printed.splitlines()[-1] == "True True Lax"
