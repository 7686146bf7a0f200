"""RFC 9116: a researcher finds where to report a vulnerability at a well-known address."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def fields(response) -> dict[str, str]:
    lines = response.content.decode().splitlines()
    return dict(line.split(": ", 1) for line in lines if line)


def test_security_txt_names_the_contact_and_a_future_expiry(client, settings):
    settings.SECURITY_CONTACT = "mailto:cert@rops.example.pl"
    settings.SITE_URL = "https://zakup.example.pl"

    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response)
    assert found["Contact"] == "mailto:cert@rops.example.pl"
    assert found["Canonical"] == "https://zakup.example.pl/.well-known/security.txt"
    assert found["Preferred-Languages"] == "pl, en"
    expires = datetime.strptime(found["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    # RFC 9116: in the future, and less than a year away.
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)
