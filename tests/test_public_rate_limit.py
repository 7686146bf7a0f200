"""Public pages that read the registry are limited per client address: over the limit the
visitor gets a 429 page in their language that says how long to wait, and nothing else runs."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from certification.domain.certificates import number_to_slug
from certification.rate_limit import check_settings

from . import factories
from .settings_probe import run_with_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit_of_three(settings):
    settings.PUBLIC_RATE_LIMIT = "3/m"


def test_fourth_page_in_a_minute_answers_429_in_polish_with_retry_after(limit_of_three):
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    codes = [visitor.get(reverse("registry")).status_code for _ in range(3)]
    limited = visitor.get(reverse("verify"), {"number": "ZP/2026/0001"})

    assert codes == [200, 200, 200]
    assert limited.status_code == 429
    wait = int(limited["Retry-After"])
    assert 1 <= wait <= 60
    page = limited.content.decode()
    assert "<h1>Zbyt wiele zapytań</h1>" in page
    assert f"{wait} sekund" in page


def test_limit_is_per_client_address(limit_of_three):
    certificate = factories.certificate()
    detail = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(3):
        first.get(detail)

    assert first.get(detail).status_code == 429
    assert second.get(detail).status_code == 200


def test_forged_forwarded_for_does_not_dodge_the_limit(limit_of_three):
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    codes = [
        visitor.get(reverse("registry"), headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(4)
    ]
    assert codes[-1] == 429


def test_home_page_is_not_limited(limit_of_three):
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    for _ in range(3):
        visitor.get(reverse("registry"))
    assert visitor.get(reverse("home")).status_code == 200


def test_pages_and_api_count_separately(limit_of_three, settings):
    settings.API_RATE_LIMIT = "3/m"
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    for _ in range(3):
        visitor.get(reverse("registry"))
    assert visitor.get("/api/v1/certificates").status_code == 200


def test_limit_off(settings):
    settings.PUBLIC_RATE_LIMIT = "off"
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    assert {visitor.get(reverse("registry")).status_code for _ in range(10)} == {200}


def test_setting_that_makes_no_sense_stops_the_start_and_names_itself(settings):
    settings.PUBLIC_RATE_LIMIT = "300/min"
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_RATE_LIMIT must look like"):
        check_settings()


def test_ipv6_client_counts_by_its_64_block(limit_of_three):
    codes = [
        Client(REMOTE_ADDR=f"2001:db8:1:2::{n}").get(reverse("registry")).status_code
        for n in range(1, 5)
    ]
    assert codes == [200, 200, 200, 429]
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").get(reverse("registry")).status_code == 200


def test_badge_on_member_websites_is_not_limited(limit_of_three):
    certificate = factories.certificate()
    badge = reverse("certificate_badge_svg", args=[number_to_slug(certificate.number)])
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    for _ in range(3):
        visitor.get(reverse("registry"))
    response = visitor.get(badge)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")


def trusted_proxies(**env) -> int:
    """TRUSTED_PROXIES as the app reads it, started with these variables only."""
    return int(
        run_with_settings(
            "from django.conf import settings; print(settings.TRUSTED_PROXIES)",
            drop=("TRUSTED_PROXIES", "DJANGO_ENV"),
            **env,
        )
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 60 + "production-only-for-this-test",
    "DJANGO_ALLOWED_HOSTS": "zakup.example.pl",
    "SITE_URL": "https://zakup.example.pl",
}


def test_production_trusts_the_tls_proxy_in_front_by_default():
    # Else every visitor would share the proxy's address, and so one counter.
    assert trusted_proxies(**PRODUCTION) == 1
    assert trusted_proxies() == 0  # development: runserver, no proxy
    assert trusted_proxies(**PRODUCTION, TRUSTED_PROXIES="2") == 2
    assert trusted_proxies(**PRODUCTION, API_TRUSTED_PROXIES="0") == 0  # the older name
