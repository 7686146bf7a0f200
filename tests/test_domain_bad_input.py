"""Bad input gets a clear error and changes nothing: no rows, no files, no audit events.

Organisations, submission and documents here; the jury's stages in test_domain_bad_input_jury.py.
"""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from viewflow.workflow.models import Process

from certification.choices import ApplicationStatus
from certification.domain import documents
from certification.domain.errors import DomainError
from certification.domain.organizations import register_organization
from certification.models import DocumentType
from workflows import services

from . import factories, stages

pytestmark = pytest.mark.django_db

CHECK_DIGIT = re.compile(r"check digit|cyfr\w* kontroln\w*", re.IGNORECASE)


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def organization_fields(**overrides) -> dict:
    fields = {
        "name": "Fundacja „Łączy nas praca”",
        "legal_form": "foundation",
        "nip": factories.VALID_NIPS[0],
        "regon": factories.VALID_REGON,
        "krs": "0000654321",
        "street": "ul. Mariacka 5",
        "postal_code": "40-014",
        "town": "Katowice",
        "registration_date": datetime.date(2020, 1, 15),
        "email": "fundacja@example.pl",
    }
    return fields | overrides


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


# --- organisation identifiers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nip", wrong_check_digit(factories.VALID_NIPS[0])),
        ("regon", wrong_check_digit(factories.VALID_REGON)),
    ],
)
def test_domain_register_organization_with_wrong_check_digit_is_refused(field, value):
    user = factories.UserFactory()
    before = stages.db_state()
    with pytest.raises(ValidationError) as caught:
        register_organization(user=user, **organization_fields(**{field: value}))

    assert list(caught.value.message_dict) == [field]
    with translation.override("en"):
        assert "check digit" in " ".join(caught.value.message_dict[field])
    with translation.override("pl"):
        assert CHECK_DIGIT.search(" ".join(caught.value.message_dict[field]))
    assert stages.db_state() == before
    assert not user.organizations.exists()


def test_domain_register_organization_with_valid_identifiers_succeeds():
    # The control case for the two above: the same data with correct check digits passes.
    user = factories.UserFactory()
    organization = register_organization(user=user, **organization_fields(nip="526-025-02-74"))
    assert organization.nip == "5260250274"
    assert list(user.organizations.all()) == [organization]


# --- submission ---------------------------------------------------------------------------


def test_domain_submit_empty_application_is_refused():
    c = stages.cast()
    application = factories.draft_application(user=c.applicant, complete=False)
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.submit(application=application, user=c.applicant)

    message = str(caught.value)
    assert "not complete" in message
    assert "Describe your social goals." in message
    assert "Name at least one product or service to certify." in message
    assert stages.db_state(application) == before
    assert before["status"] == ApplicationStatus.DRAFT
    assert not Process.objects.exists()


def test_domain_submit_without_required_document_names_it():
    c = stages.cast()
    application = factories.draft_application(user=c.applicant)
    statute = application.documents.get(document_type__code="statute")
    documents.remove_document(document=statute, user=c.applicant)
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.submit(application=application, user=c.applicant)

    assert DocumentType.objects.get(code="statute").name in str(caught.value)
    assert stages.db_state(application) == before
    assert before["number"] == ""


def test_domain_submit_twice_is_refused():
    c = stages.cast()
    application = stages.submitted(c)
    before = stages.db_state(application)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.submit(application=application, user=c.applicant)

    assert "already been submitted" in str(caught.value)
    assert stages.db_state(application) == before
    assert Process.objects.filter(certificationprocess__application=application).count() == 1


# --- documents ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (
            SimpleUploadedFile(
                "sprawozdanie.pdf",
                b"<!DOCTYPE html><html><body>Not a PDF</body></html>",
                content_type="application/pdf",
            ),
            "Only PDF, JPEG and PNG files are accepted",
        ),
        (
            SimpleUploadedFile("pusty.pdf", b"", content_type="application/pdf"),
            "The file is empty.",
        ),
    ],
    ids=["html-renamed-pdf", "zero-bytes"],
)
def test_domain_add_document_rejects_bad_file_and_stores_nothing(settings, upload, expected):
    c = stages.cast()
    application = factories.draft_application(user=c.applicant, complete=False)
    before, files_before = stages.db_state(application), stored_files(settings)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        documents.add_document(
            application=application,
            user=c.applicant,
            document_type=DocumentType.objects.get(code="financial_statement"),
            uploaded=upload,
        )

    assert expected in str(caught.value)
    assert caught.value.field == "file"
    assert stages.db_state(application) == before
    assert stored_files(settings) == files_before == []
