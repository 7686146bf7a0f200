"""What the public sees of the lifecycle: the history on the certificate page, registry statuses."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.domain import lifecycle
from certification.domain.certificates import number_to_slug

from . import factories, stages

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate()


def detail(client, certificate) -> str:
    url = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_page_shows_the_whole_history_with_public_reasons(client):
    c = stages.cast()
    # A name no page could hold by chance (Faker's "Lis" or "Kot" could be part of other text).
    c.officer.first_name, c.officer.last_name = "Urszula", "Urzędniczkowska"
    c.officer.save(update_fields=["first_name", "last_name"])
    certificate = stages.certified(c)
    until = TODAY + datetime.timedelta(days=14)
    lifecycle.suspend_certificate(
        certificate=certificate,
        user=c.officer,
        reason="Brak aktualnych rekomendacji.",
        correction_until=until,
    )
    lifecycle.reinstate_certificate(certificate=certificate, user=c.officer, note="Uzupełniono.")
    lifecycle.revoke_certificate(
        certificate=certificate, user=c.officer, reason="Naruszenie zasad znaku."
    )
    html = detail(client, certificate)
    assert '<h2 id="history-title">History of the certificate</h2>' in html
    positions = [
        html.index(label)
        for label in (
            ">Certificate issued<",
            ">Certificate suspended<",
            ">Certificate reinstated<",
            ">Certificate revoked<",
        )
    ]
    assert positions == sorted(positions)
    assert "Reason: Brak aktualnych rekomendacji." in html
    assert f"Correction period until {until.day} " in html
    assert "Reason: Uzupełniono." in html
    assert "Reason: Naruszenie zasad znaku." in html
    assert 'class="status-banner revoked"' in html
    # Officers' names are not public.
    assert c.officer.last_name not in html
    assert c.officer.first_name not in html


def test_revoked_and_expired_stay_in_the_registry_with_their_status(client):
    revoked = factories.certificate(status="revoked", status_reason="Powód.")
    expired = factories.certificate(
        issued_on=TODAY - datetime.timedelta(days=400),
        valid_until=TODAY - datetime.timedelta(days=36),
    )
    lifecycle.expire_certificate(certificate=expired, today=TODAY)
    html = client.get(reverse("registry")).content.decode()
    assert revoked.number in html and expired.number in html
    assert 'class="tag tag-revoked"' in html
    assert 'class="tag tag-expired"' in html
    expired_page = detail(client, expired)
    assert 'class="status-banner expired"' in expired_page
    assert ">Certificate expired<" in expired_page


def test_registry_page_query_count_unchanged_by_history(client, django_assert_max_num_queries):
    officer = factories.officer()
    for _ in range(3):
        lifecycle.suspend_certificate(
            certificate=factories.certificate(),
            user=officer,
            reason="Powód.",
            correction_until=TODAY + datetime.timedelta(days=5),
        )
    with django_assert_max_num_queries(10) as counted:
        client.get(reverse("registry"))
    for _ in range(5):
        lifecycle.revoke_certificate(
            certificate=factories.certificate(), user=officer, reason="Powód."
        )
    with django_assert_max_num_queries(len(counted.captured_queries)):
        client.get(reverse("registry"))
