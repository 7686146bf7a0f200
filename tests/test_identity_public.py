"""What the public reads about a certificate's holder: the identity it was issued to, whatever
the organisation's profile says later (issue 8, §2)."""

import csv
import importlib
import io
import json
import shutil
import subprocess

import pytest
from django.apps import apps
from django.urls import reverse

from certification import signing
from certification.domain import organization_changes
from certification.domain.certificates import number_to_slug
from certification.models import Certificate, Organization
from certification.pdf import render_certificate_pdf, verification_url

from . import api, factories, stages
from .web import main_part

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NEW_NIP = factories.VALID_NIPS[2]
NEW_NAME = "Fundacja „Nowe Życie”"


def change_profile_behind_the_certificate(organization: Organization) -> None:
    """The organisation's profile changes after the issue (by any path: an approved request,
    the database). What a certificate states must not follow it."""
    Organization.objects.filter(pk=organization.pk).update(
        name=NEW_NAME, nip=NEW_NIP, town="Gliwice", krs="0000999999", street="ul. Inna 9"
    )


def approve(organization: Organization, **fields):
    member = organization.members.first() or factories.applicant(organization=organization)
    change_request = organization_changes.file_request(
        organization=organization, user=member, **fields
    )
    return organization_changes.approve_request(
        change_request=change_request, officer=factories.officer()
    )


@pytest.fixture
def issued():
    organization = factories.OrganizationFactory(nip=factories.VALID_NIPS[0])
    factories.applicant(organization=organization)
    certificate = factories.certificate(organization=organization, items=("Szycie toreb",))
    return certificate, organization.name, organization.nip


def detail(client, certificate) -> str:
    url = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    return main_part(client.get(url).content.decode())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_states_the_identity_the_certificate_was_issued_to(signing_key_in_tmp):
    certificate = stages.certified(stages.cast())
    issued_name, issued_nip = certificate.organization.name, certificate.organization.nip
    change_profile_behind_the_certificate(certificate.organization)

    # A re-render (a lost file, a new signing key) prints what the certificate states.
    certificate = Certificate.objects.get(pk=certificate.pk)
    pdf = render_certificate_pdf(certificate)

    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert issued_name in text and issued_nip in text
    assert NEW_NAME not in text and NEW_NIP not in text and "Inna" not in text


def test_signature_of_the_issued_certificate_stays_valid_after_an_approved_nip_change(
    issued, signing_key_in_tmp
):
    certificate, _name, _nip = issued
    token = verification_url(certificate).split("s=", 1)[1]
    approve(certificate.organization, nip=NEW_NIP)

    check = signing.verify_signature(Certificate.objects.get(pk=certificate.pk), token)

    assert check.is_valid


def test_verification_by_number_shows_the_issued_identity_and_the_holder_today(client, issued):
    certificate, issued_name, issued_nip = issued
    change_profile_behind_the_certificate(certificate.organization)

    page = main_part(client.get(reverse("verify"), {"number": certificate.number}).content.decode())

    summary = page.split('<dl class="summary">', 1)[1].split("</dl>", 1)[0]
    assert f"<dd>{issued_name}</dd>" in summary and f"<dd>{issued_nip}</dd>" in summary
    assert "<dd>Katowice</dd>" in summary
    assert "Since the certificate was issued, the organisation's details have changed" in page
    assert NEW_NAME in page.split("holder-now", 1)[1]


def test_verification_by_the_issued_nip_and_by_the_approved_new_nip(client, issued):
    certificate, issued_name, issued_nip = issued
    approve(certificate.organization, nip=NEW_NIP, name=NEW_NAME)

    by_old = main_part(client.get(reverse("verify"), {"number": issued_nip}).content.decode())
    by_new = main_part(client.get(reverse("verify"), {"number": NEW_NIP}).content.decode())

    # The NIP it was issued to still finds it, named as issued.
    assert certificate.number in by_old
    assert f"<dd>{issued_name}</dd>" in by_old and NEW_NAME not in by_old
    # The NIP ROPS approved finds it too, saying whom it was issued to.
    assert certificate.number in by_new
    assert f"<dd>{NEW_NAME}</dd>" in by_new
    assert f"Issued to {issued_name}, NIP {issued_nip}" in by_new


def test_api_states_the_issued_identity_and_the_holder_today(issued):
    certificate, issued_name, issued_nip = issued
    approve(certificate.organization, nip=NEW_NIP, name=NEW_NAME)
    client = api.client()

    one = api.get(client, f"/api/v1/certificates/{number_to_slug(certificate.number)}").json()
    by_old = api.get(client, "/api/v1/verify/nip", nip=issued_nip).json()
    by_new = api.get(client, "/api/v1/verify/nip", nip=NEW_NIP).json()
    listed = api.get(client, "/api/v1/certificates", q=NEW_NAME).json()

    assert (one["organization"]["name"], one["organization"]["nip"]) == (issued_name, issued_nip)
    assert (one["holder_now"]["name"], one["holder_now"]["nip"]) == (NEW_NAME, NEW_NIP)
    assert by_old["organization"]["name"] == issued_name
    assert [c["certificate"]["number"] for c in by_old["certificates"]] == [certificate.number]
    assert by_new["organization"]["nip"] == NEW_NIP
    (held,) = by_new["certificates"]
    assert held["certificate"]["organization"]["nip"] == issued_nip
    assert [c["organization"]["name"] for c in listed["results"]] == [issued_name]


def test_api_holder_now_is_null_while_nothing_changed(issued):
    certificate, _name, _nip = issued
    one = api.get(api.client(), f"/api/v1/certificates/{number_to_slug(certificate.number)}")
    assert one.json()["holder_now"] is None


def test_open_data_states_the_issued_identity(client, issued):
    certificate, issued_name, issued_nip = issued
    change_profile_behind_the_certificate(certificate.organization)

    text = b"".join(client.get(reverse("registry_csv")).streaming_content).decode()
    (row,) = csv.DictReader(io.StringIO(text[1:]), delimiter=";")
    data = json.loads(b"".join(client.get(reverse("registry_json")).streaming_content))

    assert (row["organization_name"], row["nip"], row["town"]) == (
        issued_name,
        issued_nip,
        "Katowice",
    )
    (entry,) = data["certificates"]
    assert (entry["organization_name"], entry["nip"]) == (issued_name, issued_nip)


def test_registry_lists_the_issued_name_and_finds_it_by_both_names(client, issued):
    certificate, issued_name, issued_nip = issued
    approve(certificate.organization, nip=NEW_NIP, name=NEW_NAME, town="Gliwice")

    for query in (issued_nip, NEW_NIP, "nowe zycie", issued_name):
        page = main_part(client.get(reverse("registry"), {"q": query}).content.decode())
        assert certificate.number in page, query
        assert issued_name in page and NEW_NAME not in page
    # The town filter reads the town the certificate states.
    page = client.get(reverse("registry"), {"town": "katowice"}).content.decode()
    assert certificate.number in main_part(page)


def test_public_page_states_the_issued_identity_and_the_organisations_earlier_names(client, issued):
    certificate, issued_name, issued_nip = issued
    organization = certificate.organization
    approve(organization, name="Fundacja „Drugie Imię”")
    approve(organization, name=NEW_NAME, nip=NEW_NIP)
    later = factories.certificate(organization=Organization.objects.get(pk=organization.pk))

    first = detail(client, certificate)
    newest = detail(client, later)

    assert f"<dd>{issued_name}</dd>" in first and f"<dd>{issued_nip}</dd>" in first
    # Today's name and NIP beside it, and the name between.
    today = first.split("holder-now", 1)[1]
    assert NEW_NAME in today and NEW_NIP in today
    assert "Earlier names of the organisation</dt><dd>Fundacja „Drugie Imię”</dd>" in first
    # The newest certificate, issued under today's name, shows both earlier ones.
    assert f"<dd>{NEW_NAME}</dd>" in newest and "holder-now" not in newest
    assert f"<dd>{issued_name}; Fundacja „Drugie Imię”</dd>" in newest


def test_data_migration_fills_the_holder_from_the_organisation(issued):
    certificate, _name, _nip = issued
    Certificate.objects.filter(pk=certificate.pk).update(holder_town="", holder_krs="")
    migration = importlib.import_module("certification.migrations.0008_certificate_holder_identity")

    migration.fill_holders(apps, None)

    certificate.refresh_from_db()
    assert (certificate.holder_town, certificate.holder_krs) == ("Katowice", "0000123456")
