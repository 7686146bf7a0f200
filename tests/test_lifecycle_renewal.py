"""Renewal: a draft pre-filled from the certificate, and the new certificate continuing the line
(through the real flow)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from certification.choices import ApplicationStatus
from certification.domain import documents, renewal
from certification.domain.certificates import number_to_slug
from certification.domain.errors import DomainError
from certification.models import Application, AuditEvent, DocumentType
from workflows import services

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def attach_documents(application: Application, user) -> None:
    """What a renewal must bring anew: current documents (they are not copied)."""
    types = {t.code: t for t in DocumentType.objects.all()}
    for item in application.items.all():
        for k in range(2):
            documents.add_document(
                application=application,
                user=user,
                document_type=types["recommendation"],
                item=item,
                uploaded=factories.pdf_upload(f"rekomendacja-{item.pk}-{k}.pdf"),
            )
    for code in ("krs_extract", "statute", "financial_statement"):
        documents.add_document(
            application=application,
            user=user,
            document_type=types[code],
            uploaded=factories.pdf_upload(f"{code}.pdf"),
        )


def certify(c: stages.Cast, application: Application):
    """Drive an existing draft through the real flow to its certificate."""
    services.submit(application=application, user=c.applicant)
    services.formal_review(
        task_pk=stages.open_task(application, stages.flow.formal_review).pk,
        user=c.officer,
        outcome="accept",
    )
    services.assign_jury(
        task_pk=stages.open_task(application, stages.flow.assign_jury).pk,
        user=c.officer,
        jurors=c.jurors,
    )
    for juror in c.jurors:
        stages.score_as(application, juror)
    stages.resolve(c, application)
    return services.issue_certificate(
        task_pk=stages.open_task(application, stages.flow.issue).pk, user=c.officer
    )


def test_start_renewal_prefills_questionnaire_and_items_but_not_documents():
    c = stages.cast()
    certificate = stages.certified(c)
    previous = certificate.application
    draft = renewal.start_renewal(certificate=certificate, user=c.applicant)
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.renewal_of == certificate
    assert draft.organization == certificate.organization
    assert draft.created_by == c.applicant
    for name in ("social_goals", "employees_total", "employees_at_risk", "own_revenue_percent"):
        assert getattr(draft, name) == getattr(previous, name)
    copied = list(draft.items.values_list("name", "kind", "description"))
    assert copied == list(certificate.items.values_list("name", "kind", "description"))
    assert not draft.documents.exists()
    event = AuditEvent.objects.get(action="certificate.renewal_started")
    assert (event.certificate, event.actor, event.details) == (
        certificate,
        c.applicant,
        {"application_pk": draft.pk},
    )


def test_renewal_through_the_flow_links_predecessor_and_successor(client):
    c = stages.cast()
    first = stages.certified(c)
    draft = renewal.start_renewal(certificate=first, user=c.applicant)
    attach_documents(draft, c.applicant)
    second = certify(c, draft)
    assert second.predecessor == first
    assert list(first.successors.all()) == [second]
    assert second.number != first.number
    renewed = AuditEvent.objects.get(action="certificate.renewed")
    assert (renewed.certificate, renewed.message) == (first, second.number)

    # The public pages link the two, both ways.
    first_url = reverse("certificate_detail", args=[number_to_slug(first.number)])
    second_url = reverse("certificate_detail", args=[number_to_slug(second.number)])
    client.cookies["django_language"] = "en"
    first_page = client.get(first_url).content.decode()
    assert "Renewed by a new certificate" in first_page
    assert f'href="{second_url}"' in first_page
    second_page = client.get(second_url).content.decode()
    assert "Issued as the renewal of an earlier certificate" in second_page
    assert f'href="{first_url}"' in second_page


def test_renewed_certificate_gets_no_further_reminders_nor_a_second_renewal():
    c = stages.cast()
    first = stages.certified(c)
    draft = renewal.start_renewal(certificate=first, user=c.applicant)
    attach_documents(draft, c.applicant)
    certify(c, draft)
    with pytest.raises(DomainError, match="has already been renewed"):
        renewal.start_renewal(certificate=first, user=c.applicant)
    reminder_day = first.valid_until - datetime.timedelta(days=30)
    assert first not in [d.certificate for d in renewal.due_reminders(today=reminder_day)]


def test_start_renewal_twice_is_refused_while_the_first_is_open():
    certificate = factories.certificate()
    member = factories.applicant(certificate.organization)
    draft = renewal.start_renewal(certificate=certificate, user=member)
    with pytest.raises(DomainError, match="already exists") as error:
        renewal.start_renewal(certificate=certificate, user=member)
    assert str(draft) in str(error.value)
    assert Application.objects.filter(renewal_of=certificate).count() == 1


def test_start_renewal_allowed_again_after_a_refused_renewal():
    certificate = factories.certificate()
    member = factories.applicant(certificate.organization)
    draft = renewal.start_renewal(certificate=certificate, user=member)
    Application.objects.filter(pk=draft.pk).update(status=ApplicationStatus.REFUSED)
    assert renewal.start_renewal(certificate=certificate, user=member).pk != draft.pk


@pytest.mark.parametrize("who", ["other applicant", "officer", "juror"])
def test_only_a_member_of_the_organisation_can_renew(who):
    certificate = factories.certificate()
    user = {
        "other applicant": factories.applicant,
        "officer": factories.officer,
        "juror": factories.juror,
    }[who]()
    with pytest.raises(DomainError, match="Only a member of the organisation"):
        renewal.start_renewal(certificate=certificate, user=user)
    assert not Application.objects.filter(renewal_of=certificate).exists()


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_suspended_or_revoked_certificate_cannot_be_renewed(status):
    certificate = factories.certificate(status=status, status_reason="Powód.")
    member = factories.applicant(certificate.organization)
    with pytest.raises(DomainError, match="suspended or revoked certificate cannot be renewed"):
        renewal.start_renewal(certificate=certificate, user=member)


@pytest.mark.parametrize(("expired_days_ago", "allowed"), [(1, True), (90, True), (91, False)])
def test_expired_certificate_renewable_only_for_a_while(expired_days_ago, allowed):
    valid_until = TODAY - datetime.timedelta(days=expired_days_ago)
    certificate = factories.certificate(
        issued_on=valid_until - datetime.timedelta(days=364),
        valid_until=valid_until,
        status="expired",
    )
    member = factories.applicant(certificate.organization)
    if allowed:
        assert renewal.start_renewal(certificate=certificate, user=member).renewal_of == certificate
    else:
        with pytest.raises(DomainError, match="apply for a new certificate instead"):
            renewal.start_renewal(certificate=certificate, user=member)


def test_renewal_draft_opens_in_the_members_editor(client):
    certificate = factories.certificate()
    member = factories.applicant(certificate.organization)
    draft = renewal.start_renewal(certificate=certificate, user=member)
    login(client, member)
    listing = client.get(reverse("my_applications")).content.decode()
    editor = reverse("application_edit", args=[draft.pk])
    assert f'href="{editor}"' in listing
    assert client.get(editor).status_code == 200
