"""What the applicant reads: their answers before submitting, their certificate after."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from certification.domain.certificates import number_to_slug
from workflows import services

from . import stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


def test_certified_application_links_the_certificate_page_and_its_pdf(client):
    c = stages.cast()
    certificate = stages.certified(c)
    slug = number_to_slug(certificate.number)
    page = main_part(
        login(client, c.applicant)
        .get(reverse("application_detail", args=[certificate.application.pk]))
        .content.decode()
    )
    public = reverse("certificate_detail", args=[slug])
    assert f'<a href="{public}">{certificate.number}</a>' in page
    assert "(status today: valid)" in page
    pdf = reverse("certificate_pdf", args=[slug])
    assert f'<a href="{pdf}">Download certificate {certificate.number} (PDF)</a>' in page
    assert client.get(pdf)["Content-Type"] == "application/pdf"


def test_before_the_worker_made_the_pdf_the_applicant_reads_that_it_is_being_prepared(client):
    c = stages.cast()
    application = stages.granted(c)
    certificate = services.issue_certificate(
        task_pk=stages.open_task(application, stages.flow.issue).pk, user=c.officer
    )
    page = main_part(
        login(client, c.applicant)
        .get(reverse("application_detail", args=[application.pk]))
        .content.decode()
    )
    assert "(status today: valid)" in page
    assert "The PDF of this certificate is being prepared" in page
    assert reverse("certificate_pdf", args=[number_to_slug(certificate.number)]) not in page


def test_certificate_issue_is_one_entry_of_the_applicants_history(client):
    c = stages.cast()
    certificate = stages.certified(c)
    page = main_part(
        login(client, c.applicant)
        .get(reverse("application_detail", args=[certificate.application.pk]))
        .content.decode()
    )
    assert page.count("<strong>Certificate issued</strong>") == 1


def test_check_page_writes_the_revenue_share_the_polish_way(client, draft):
    draft.own_revenue_percent = Decimal("42.5")
    draft.save(update_fields=["own_revenue_percent"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    page = client.get(reverse("application_check", args=[draft.pk])).content.decode()
    assert "42,50" in page
    assert "42.50" not in page
