"""The Atom feed of registry changes (/rejestr/zmiany.atom) as a feed reader reads it."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.choices import CertificateTransition
from certification.domain import lifecycle
from certification.domain.certificates import number_to_slug

from . import factories, stages

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("registry_changes_feed")


def read_feed(client, query: str = "", **headers) -> ET.Element:
    response = client.get(FEED + query, **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(feed: ET.Element) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary") or "",
            "id": entry.findtext(f"{ATOM}id"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def issued(certificate):
    """The issue entry the flow writes (factories.certificate makes the row alone)."""
    lifecycle.record_change(
        certificate=certificate,
        transition=CertificateTransition.ISSUE,
        actor=None,
        effective=lifecycle.start_of_day(certificate.issued_on),
    )
    return certificate


def test_a_suspension_reaches_the_feed_reader_with_its_reason_and_link(client, english):
    c = stages.cast()
    certificate = stages.certified(c)
    until = timezone.localdate() + datetime.timedelta(days=14)
    lifecycle.suspend_certificate(
        certificate=certificate, user=c.officer, reason="Brak rekomendacji.", correction_until=until
    )

    feed = read_feed(client)

    assert feed.findtext(f"{ATOM}title") == "“Zakup Prospołeczny” registry: changes"
    newest, oldest = entries(feed)
    holder = certificate.holder_name
    assert newest["title"] == f"{certificate.number}, {holder}: suspended"
    assert "Reason: Brak rekomendacji." in newest["summary"]
    assert f"{until:%-d} " in newest["summary"]  # the end of the correction period
    assert oldest["title"] == f"{certificate.number}, {holder}: issued"
    slug = number_to_slug(certificate.number)
    assert newest["link"] == f"{settings.SITE_URL}/rejestr/{slug}/"
    assert newest["id"] != oldest["id"]


def test_the_feed_is_in_polish_by_default(client):
    certificate = issued(factories.certificate())
    lifecycle.revoke_certificate(
        certificate=certificate, user=factories.officer(), reason="Naruszenie zasad."
    )

    titles = [e["title"] for e in entries(read_feed(client))]

    assert titles[0].endswith(": cofnięty")
    assert titles[1].endswith(": wydany")


def test_a_holder_feed_shows_that_holder_alone_and_its_renewal(client, english):
    watched = factories.OrganizationFactory()
    first = issued(factories.certificate(organization=watched))
    renewal = factories.certificate(organization=watched)
    renewal.predecessor = first
    renewal.save(update_fields=["predecessor"])
    issued(renewal)
    other = issued(factories.certificate())
    lifecycle.suspend_certificate(
        certificate=other,
        user=factories.officer(),
        reason="Inny.",
        correction_until=timezone.localdate() + datetime.timedelta(days=7),
    )

    titles = [e["title"] for e in entries(read_feed(client, f"?q={watched.nip}"))]

    assert titles == [
        f"{renewal.number}, {renewal.holder_name}: renewed (follows {first.number})",
        f"{first.number}, {first.holder_name}: issued",
    ]


def test_a_search_for_valid_certificates_still_tells_of_their_suspension(client, english):
    certificate = issued(factories.certificate(cpv_codes=(factories.CATERING,)))
    lifecycle.suspend_certificate(
        certificate=certificate,
        user=factories.officer(),
        reason="Kontrola.",
        correction_until=timezone.localdate() + datetime.timedelta(days=7),
    )

    titles = [e["title"] for e in entries(read_feed(client, "?status=valid&cpv=55500000-5"))]

    assert [t.rsplit(": ", 1)[1] for t in titles] == ["suspended", "issued"]


def test_codes_nobody_supplies_give_an_empty_feed_and_junk_a_plain_message(client):
    issued(factories.certificate(cpv_codes=(factories.CATERING,)))
    factories.cpv_vocabulary()

    assert entries(read_feed(client, "?cpv=03000000-1")) == []
    response = client.get(FEED + "?cpv=12345678")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "rozpoznano" in response.content.decode()  # "No code was recognised", in Polish


def test_the_feed_costs_the_same_queries_for_five_changes_or_fifty(client, english):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            read_feed(client)
        return len(queries)

    for _ in range(5):
        issued(factories.certificate())
    few = count()
    for _ in range(45):
        issued(factories.certificate())
    many = count()

    assert many == few
    assert len(entries(read_feed(client))) == 50


def test_the_registry_page_links_the_feed_of_its_search(client, english):
    issued(factories.certificate())

    page = client.get(reverse("registry") + "?q=catering").content.decode()

    assert f'href="{FEED}?q=catering"' in page
