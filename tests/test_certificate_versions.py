"""Changes during validity: products or services added by an extension application through the
flow, or withdrawn by the holder; each change a new version of the same certificate, shown on
the public page and answered by the verification (page and API) for any day."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from certification.choices import ApplicationStatus
from certification.domain import applications, documents, item_codes, lifecycle, versions
from certification.domain.certificates import number_to_slug, verify
from certification.domain.errors import DomainError
from certification.models import (
    Application,
    AuditEvent,
    CertificateVersion,
    DocumentType,
)
from certification.signing import SIGNATURE_PARAMETER, sign, verify_signature
from workflows import driver

from . import factories, stages
from .mail import run_jobs, sent_mail

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    """Messages as the msgids give them (the domain speaks the caller's language)."""
    with translation.override("en"):
        yield


def add_new_item(application: Application, user, name: str = "Pranie „Czysto”"):
    """One new item on a draft, with its codes and recommendation letters: all it needs."""
    item = applications.add_item(
        application=application, user=user, name=name, kind="service", description="Pralnia."
    )
    item_codes.set_item_codes(item=item, user=user, codes=factories.cpv(factories.CATERING))
    recommendation = DocumentType.objects.get(code="recommendation")
    for k in range(2):
        documents.add_document(
            application=application,
            user=user,
            document_type=recommendation,
            item=item,
            uploaded=factories.pdf_upload(f"rekomendacja-{k}.pdf"),
        )
    return item


def extension_through_the_jury(c, certificate, *, grant: bool = True):
    extension, created = versions.start_extension(certificate=certificate, user=c.applicant)
    assert created and extension.extension_of == certificate
    new_item = add_new_item(extension, c.applicant)
    driver.submit(c, extension)
    driver.accept(c, extension)
    driver.assign_jury(c, extension)
    for juror in c.jurors:
        stages.score_as(extension, juror)
    stages.resolve(c, extension, grant=grant)
    extension.refresh_from_db()
    return extension, new_item


def test_extension_goes_through_review_and_jury_and_issues_version_2():
    c = stages.cast()
    certificate = stages.certified(c)
    old_items = list(certificate.items.all())
    old_pdf, valid_until = certificate.pdf.name, certificate.valid_until
    sent_mail().clear()

    extension, new_item = extension_through_the_jury(c, certificate)
    run_jobs()

    certificate.refresh_from_db()
    assert extension.status == ApplicationStatus.CERTIFIED
    assert stages.open_nodes(extension) == []  # nothing left to do: no officer's issue task
    assert (certificate.valid_until, certificate.number) == (valid_until, certificate.number)
    first, second = certificate.versions.order_by("number")
    assert set(first.items.all()) == set(old_items)
    assert set(second.items.all()) == {*old_items, new_item} == set(certificate.items.all())
    assert second.application == extension and second.change == "add"
    # Version 2 has a PDF of its own, printed with its number; version 1 keeps its file.
    assert first.pdf.name == old_pdf and second.pdf.name == certificate.pdf.name != old_pdf
    with certificate.pdf.open("rb") as pdf:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Pranie" in text and "Wersja 2" in text
    assert AuditEvent.objects.filter(
        action="certificate.version_issued", certificate=certificate, application=extension
    ).exists()
    assert any(f"{certificate.number}: wersja 2" in m.subject for m in sent_mail())


def test_extension_needs_no_organisation_documents_again():
    c = stages.cast()
    certificate = stages.certified(c)
    extension, _ = versions.start_extension(certificate=certificate, user=c.applicant)
    # Questionnaire copied; only the items are missing.
    problems = applications.completeness_problems(extension)
    assert [p.section for p in problems] == ["items"]
    add_new_item(extension, c.applicant)
    assert applications.completeness_problems(extension) == []


def test_extension_refused_leaves_the_certificate_as_it_was():
    c = stages.cast()
    certificate = stages.certified(c)
    extension, new_item = extension_through_the_jury(c, certificate, grant=False)
    assert extension.status == ApplicationStatus.REFUSED
    assert certificate.versions.count() == 1
    assert new_item not in certificate.items.all()


@pytest.mark.parametrize(
    ("status", "valid_until", "message"),
    [
        ("valid", -1, "expired on"),
        ("suspended", 30, "is suspended"),
        ("revoked", 30, "has been revoked"),
    ],
)
def test_no_extension_or_withdrawal_unless_valid(status, valid_until, message):
    user = factories.applicant()
    certificate = factories.certificate(
        organization=user.organizations.first(),
        items=("Catering", "Pranie"),
        issued_on=timezone.localdate() - 100 * DAY,
        valid_until=timezone.localdate() + valid_until * DAY,
        status=status,
    )
    item = certificate.items.first()
    before = (Application.objects.count(), CertificateVersion.objects.count())
    with pytest.raises(DomainError, match=message):
        versions.start_extension(certificate=certificate, user=user)
    with pytest.raises(DomainError, match=message):
        versions.withdraw_item(certificate=certificate, item=item, user=user)
    assert (Application.objects.count(), CertificateVersion.objects.count()) == before
    assert certificate.items.count() == 2


def test_extension_cannot_be_submitted_once_the_certificate_is_suspended():
    c = stages.cast()
    certificate = stages.certified(c)
    extension, _ = versions.start_extension(certificate=certificate, user=c.applicant)
    add_new_item(extension, c.applicant)
    lifecycle.suspend_certificate(
        certificate=certificate,
        user=c.officer,
        reason="Kontrola.",
        correction_until=timezone.localdate() + 14 * DAY,
    )
    with pytest.raises(DomainError, match="is suspended"):
        driver.submit(c, extension)
    extension.refresh_from_db()
    assert extension.status == ApplicationStatus.DRAFT


def test_withdrawal_takes_effect_at_once_as_a_new_version():
    user = factories.applicant()
    certificate = factories.certificate(
        organization=user.organizations.first(), items=("Catering", "Pranie")
    )
    catering, laundry = certificate.items.order_by("pk")
    sent_mail().clear()

    version = versions.withdraw_item(
        certificate=certificate, item=laundry, user=user, reason="Zamykamy pralnię."
    )
    run_jobs()

    certificate.refresh_from_db()
    assert version.number == 2 and version.change == "withdraw"
    assert list(certificate.items.all()) == [catering] == list(version.items.all())
    event = AuditEvent.objects.get(action="certificate.item_withdrawn")
    assert event.certificate == certificate and event.actor == user
    assert event.details["reason"] == "Zamykamy pralnię."
    assert certificate.pdf  # printed for version 2
    assert any(certificate.number in m.subject for m in sent_mail())


def test_withdrawal_of_the_last_item_or_of_one_not_covered_is_refused():
    user = factories.applicant()
    organization = user.organizations.first()
    certificate = factories.certificate(organization=organization, items=("Catering",))
    other = factories.certificate(organization=organization, items=("Pranie",))
    with pytest.raises(DomainError, match="last product or service.*revoke"):
        versions.withdraw_item(certificate=certificate, item=certificate.items.get(), user=user)
    with pytest.raises(DomainError, match="is not covered by certificate"):
        versions.withdraw_item(certificate=certificate, item=other.items.get(), user=user)
    assert certificate.versions.count() == 1 and certificate.items.count() == 1


def test_withdrawal_by_a_stranger_is_refused():
    certificate = factories.certificate(items=("Catering", "Pranie"))
    with pytest.raises(DomainError):
        versions.withdraw_item(
            certificate=certificate, item=certificate.items.first(), user=factories.applicant()
        )
    assert certificate.versions.count() == 1


def test_versions_are_never_changed():
    certificate = factories.certificate()
    version = certificate.versions.get()
    version.reason = "zmiana"
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        CertificateVersion.objects.filter(pk=version.pk).update(reason="x")
    with pytest.raises(PermissionError):
        version.delete()


def _withdrawn_ten_days_ago(user):
    """Issued 40 days ago with two items; one withdrawn 10 days ago."""
    today = timezone.localdate()
    certificate = factories.certificate(
        organization=user.organizations.first(),
        items=("Catering", "Pranie"),
        issued_on=today - 40 * DAY,
    )
    laundry = certificate.items.order_by("pk").last()
    versions.record_version(
        certificate=certificate,
        change="withdraw",
        items=[certificate.items.order_by("pk").first()],
        effective=lifecycle.start_of_day(today - 10 * DAY),
    )
    return certificate, laundry


def test_verification_answers_which_items_were_covered_on_a_date(client):
    user = factories.applicant()
    certificate, laundry = _withdrawn_ten_days_ago(user)
    today = timezone.localdate()

    then = verify(number_text=certificate.number, on_date=today - 20 * DAY)
    now = verify(number_text=certificate.number)
    before = verify(number_text=certificate.number, on_date=today - 50 * DAY)
    assert then.version.number == 1 and {i.name for i in then.items} == {"Catering", "Pranie"}
    assert now.version.number == 2 and [i.name for i in now.items] == ["Catering"]
    assert before.items == ()

    url = reverse("verify")
    day = (today - 20 * DAY).isoformat()
    page = client.get(url, {"number": certificate.number, "date": day}).content.decode()
    assert "Pranie" in page and "Wersja 1 od" in page
    page = client.get(url, {"number": certificate.number}).content.decode()
    assert "Pranie" not in page and "Wersja 2 od" in page

    api = client.get("/api/v1/verify", {"number": certificate.number, "date": day}).json()
    assert api["version"]["number"] == 1
    assert {i["name"] for i in api["version"]["items"]} == {"Catering", "Pranie"}
    assert [i["name"] for i in api["certificate"]["items"]] == ["Catering"]  # today's
    api = client.get("/api/v1/verify", {"number": certificate.number}).json()
    assert api["version"]["number"] == 2 and api["version"]["change"] == "withdraw"
    assert [i["name"] for i in api["version"]["items"]] == ["Catering"]


def test_public_page_lists_the_versions(client):
    user = factories.applicant()
    certificate, laundry = _withdrawn_ten_days_ago(user)
    today = timezone.localdate()
    page = client.get(
        reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    ).content.decode()
    assert f"Wersja 1 od {(today - 40 * DAY).isoformat()}" in page
    assert f"Wersja 2 od {(today - 10 * DAY).isoformat()}" in page
    # Version 1 listed both items; what the certificate covers now is the one left.
    assert page.count("Pranie") == 1


def test_public_page_queries_do_not_grow_with_versions(client):
    certificate = factories.certificate(items=("A", "B", "C", "D", "E"))
    url = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    items = list(certificate.items.order_by("pk"))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(1, 4):
        versions.record_version(certificate=certificate, change="withdraw", items=items[n:])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_qr_of_an_older_printout_still_verifies_as_its_version(client):
    user = factories.applicant()
    certificate = factories.certificate(
        organization=user.organizations.first(), items=("Catering", "Pranie")
    )
    old_token = sign(certificate)
    versions.withdraw_item(certificate=certificate, item=certificate.items.last(), user=user)
    certificate.refresh_from_db()

    check = verify_signature(certificate, old_token)
    assert check.is_valid and check.version == 1
    assert verify_signature(certificate, sign(certificate)).version is None  # the current one
    slug = number_to_slug(certificate.number)
    page = client.get(
        reverse("verify_number", args=[slug]), {SIGNATURE_PARAMETER: old_token}
    ).content.decode()
    assert "wersja 1" in page.lower() and "Pranie" not in page
    api = client.get(
        "/api/v1/verify", {"number": certificate.number, SIGNATURE_PARAMETER: old_token}
    ).json()
    assert api["signature"] == {
        "status": "valid",
        "key_id": check.key_id,
        "version": 1,
    }


def test_holder_pages_add_and_withdraw(client):
    user = factories.applicant()
    certificate = factories.certificate(
        organization=user.organizations.first(), items=("Catering", "Pranie")
    )
    client.force_login(user)
    detail = client.get(reverse("application_detail", args=[certificate.application_id]))
    assert reverse("certificate_extend", args=[certificate.pk]) in detail.content.decode()

    response = client.post(reverse("certificate_extend", args=[certificate.pk]))
    extension = Application.objects.get(extension_of=certificate)
    assert response.url == reverse("application_items", args=[extension.pk])
    # Twice: the same draft.
    client.post(reverse("certificate_extend", args=[certificate.pk]))
    assert Application.objects.filter(extension_of=certificate).count() == 1

    url = reverse("certificate_withdraw_item", args=[certificate.pk])
    assert client.post(url, {}).status_code == 400  # nothing chosen: nothing saved
    assert certificate.versions.count() == 1
    laundry = certificate.items.get(name="Pranie")
    response = client.post(url, {"item": laundry.pk, "reason": ""})
    assert response.status_code == 302
    assert list(certificate.items.values_list("name", flat=True)) == ["Catering"]
    last = certificate.items.get()
    response = client.post(url, {"item": last.pk})
    assert response.status_code == 400
    assert "ostatni" in response.content.decode() or "last" in response.content.decode()
    assert certificate.versions.count() == 2


def test_holder_pages_of_another_organisation_answer_404(client):
    certificate = factories.certificate(items=("Catering", "Pranie"))
    client.force_login(factories.applicant())
    assert client.post(reverse("certificate_extend", args=[certificate.pk])).status_code == 404
    url = reverse("certificate_withdraw_item", args=[certificate.pk])
    assert client.get(url).status_code == 404
