"""Renewal from the applicant's pages: the button near expiry, the POST, the double POST."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus
from certification.domain import renewal
from certification.models import Application

from . import factories
from .web import login

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BUTTON = "Renew this certificate"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def near_expiry(**kwargs):
    """A certificate 30 days from its end: inside the renewal window."""
    return factories.certificate(
        issued_on=days(-334),
        valid_until=days(30),
        items=("Catering „Smaczne”", "Szycie toreb"),
        **kwargs,
    )


def member_of(certificate):
    return factories.applicant(certificate.organization)


def renew_url(certificate) -> str:
    return reverse("certificate_renew", args=[certificate.pk])


def pages(client, certificate) -> dict[str, str]:
    return {
        "list": client.get(reverse("my_applications")).content.decode(),
        "detail": client.get(
            reverse("application_detail", args=[certificate.application_id])
        ).content.decode(),
    }


def test_button_shown_on_both_pages_when_the_certificate_nears_expiry(client):
    certificate = near_expiry()
    login(client, member_of(certificate))

    for name, html in pages(client, certificate).items():
        assert f'action="{renew_url(certificate)}"' in html, name
        assert BUTTON in html, name
        assert 'name="csrfmiddlewaretoken"' in html, name
    assert f"It expires on {certificate.valid_until:%-d} " in pages(client, certificate)["list"]


def test_button_shown_shortly_after_expiry(client):
    certificate = factories.certificate(
        issued_on=days(-375), valid_until=days(-11), status="expired"
    )
    login(client, member_of(certificate))

    html = pages(client, certificate)["detail"]

    assert BUTTON in html
    assert f"Certificate {certificate.number} expired on " in html


def test_button_not_shown_for_a_new_certificate_but_when_it_will_be(client):
    certificate = factories.certificate(valid_until=days(200))
    login(client, member_of(certificate))

    shown = pages(client, certificate)

    assert all(BUTTON not in html for html in shown.values())
    opens = renewal.member_renewal_opens_on(certificate)
    assert opens == days(140)
    assert f"You will be able to renew this certificate from {opens:%-d} " in shown["detail"]


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_button_not_shown_for_a_suspended_or_revoked_certificate(client, status):
    certificate = near_expiry(status=status, status_reason="Powód.")
    login(client, member_of(certificate))

    assert all(BUTTON not in html for html in pages(client, certificate).values())


def test_button_not_shown_long_after_expiry(client):
    certificate = factories.certificate(
        issued_on=days(-500), valid_until=days(-136), status="expired"
    )
    login(client, member_of(certificate))

    assert all(BUTTON not in html for html in pages(client, certificate).values())


def test_button_replaced_by_the_renewal_under_way(client):
    certificate = near_expiry()
    member = member_of(certificate)
    draft = renewal.start_renewal(certificate=certificate, user=member)
    login(client, member)

    shown = pages(client, certificate)

    assert all(BUTTON not in html for html in shown.values())
    assert "The renewal of this certificate has been started:" in shown["detail"]
    assert f'href="{reverse("application_detail", args=[draft.pk])}"' in shown["detail"]


def test_post_makes_a_prefilled_draft_and_says_what_to_upload(client):
    certificate = near_expiry()
    login(client, member_of(certificate))

    response = client.post(renew_url(certificate), follow=True)

    draft = Application.objects.get(renewal_of=certificate)
    assert response.redirect_chain == [(reverse("application_edit", args=[draft.pk]), 302)]
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.social_goals == certificate.application.social_goals
    assert sorted(draft.items.values_list("name", flat=True)) == [
        "Catering „Smaczne”",
        "Szycie toreb",
    ]
    html = response.content.decode()
    assert f"renews certificate {certificate.number}." in html
    assert "the 2 products and services of the certificate" in html
    assert "Documents are not copied: upload current ones again" in html


def test_double_post_lands_on_the_same_draft(client):
    certificate = near_expiry()
    login(client, member_of(certificate))

    first = client.post(renew_url(certificate))
    second = client.post(renew_url(certificate), follow=True)

    draft = Application.objects.get(renewal_of=certificate)  # one, not two
    assert first["Location"] == reverse("application_edit", args=[draft.pk])
    assert second.redirect_chain == [(reverse("application_edit", args=[draft.pk]), 302)]
    assert (
        f"The renewal of certificate {certificate.number} has already been started"
        in second.content.decode()
    )


def test_post_too_early_is_refused_with_a_message(client):
    certificate = factories.certificate(valid_until=days(200))
    login(client, member_of(certificate))

    response = client.post(renew_url(certificate), follow=True)

    assert response.redirect_chain == [
        (reverse("application_detail", args=[certificate.application_id]), 302)
    ]
    assert f"Certificate {certificate.number} can be renewed from " in response.content.decode()
    assert not Application.objects.filter(renewal_of=certificate).exists()


def test_someone_elses_certificate_is_404(client):
    certificate = near_expiry()
    login(client, factories.applicant())  # a member of another organisation

    assert client.post(renew_url(certificate)).status_code == 404
    assert (
        client.get(reverse("application_detail", args=[certificate.application_id])).status_code
        == 404
    )
    assert not Application.objects.filter(renewal_of=certificate).exists()


def test_renewal_needs_a_post_with_the_csrf_token():
    certificate = near_expiry()
    client = login(Client(enforce_csrf_checks=True), member_of(certificate))

    assert client.get(renew_url(certificate)).status_code == 405
    assert client.post(renew_url(certificate)).status_code == 403
    assert not Application.objects.filter(renewal_of=certificate).exists()

    page = client.get(reverse("my_applications")).content.decode()
    form = page[page.index(f'action="{renew_url(certificate)}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    assert client.post(renew_url(certificate), {"csrfmiddlewaretoken": token}).status_code == 302
    assert Application.objects.filter(renewal_of=certificate).count() == 1


def test_anonymous_is_sent_to_log_in(client):
    certificate = near_expiry()

    response = client.post(renew_url(certificate))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not Application.objects.filter(renewal_of=certificate).exists()


def test_list_query_count_does_not_grow_with_renewable_certificates(client):
    first = near_expiry()
    member = member_of(first)
    login(client, member)
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("my_applications")).content.decode()
    assert html.count(BUTTON) == 1
    for _ in range(3):
        near_expiry(organization=first.organization)

    with CaptureQueriesContext(connection) as four:
        html = client.get(reverse("my_applications")).content.decode()

    assert html.count(BUTTON) == 4
    assert len(four) == len(one)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks); run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_double_click_at_the_same_moment_gives_one_draft():
    from .postgres import post_together

    for _round in range(3):
        certificate = near_expiry()
        member = member_of(certificate)
        clients = [Client(), Client()]
        for each in clients:
            each.force_login(member)

        responses = post_together(clients, renew_url(certificate))

        draft = Application.objects.get(renewal_of=certificate)  # one, not two
        editor = reverse("application_edit", args=[draft.pk])
        assert [(r.status_code, r["Location"]) for r in responses] == [(302, editor)] * 2
