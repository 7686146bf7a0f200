"""Officer pages of the certificate lifecycle: list, certificate page, suspend/reinstate/revoke."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.domain.certificates import number_to_slug
from certification.models import AuditEvent, CertificateStatusChange

from . import factories
from .web import login

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = reverse("staff_certificates")


def page_url(certificate) -> str:
    return reverse("staff_certificate", args=[number_to_slug(certificate.number)])


def post(client, certificate, action, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(page_url(certificate), data)


# --- who may enter ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["list", "page"])
def test_anonymous_is_sent_to_login(client, url):
    certificate = factories.certificate()
    response = client.get(LIST if url == "list" else page_url(certificate))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["applicant", "member", "juror", "chair"])
@pytest.mark.parametrize("url", ["list", "page"])
def test_non_officers_get_404(client, role, url):
    certificate = factories.certificate()
    user = {
        "applicant": factories.applicant,
        "member": lambda: factories.applicant(certificate.organization),
        "juror": factories.juror,
        "chair": lambda: factories.juror(chair=True),
    }[role]()
    login(client, user)
    assert client.get(LIST if url == "list" else page_url(certificate)).status_code == 404


@pytest.mark.parametrize("role", ["member", "juror"])
def test_non_officer_post_gets_404_and_changes_nothing(client, role):
    certificate = factories.certificate()
    user = factories.applicant(certificate.organization) if role == "member" else factories.juror()
    login(client, user)
    response = post(client, certificate, "revoke", reason="Próba.")
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    assert not AuditEvent.objects.filter(certificate=certificate).exists()


# --- list ------------------------------------------------------------------------------


def test_list_shows_certificates_with_their_status(client):
    valid = factories.certificate()
    revoked = factories.certificate(status="revoked", status_reason="Powód.")
    past = factories.certificate(
        issued_on=TODAY - datetime.timedelta(days=400),
        valid_until=TODAY - datetime.timedelta(days=2),
    )
    html = login(client, factories.officer()).get(LIST).content.decode()
    for certificate in (valid, revoked, past):
        assert f'href="{page_url(certificate)}"' in html
        assert certificate.organization.name in html
    assert html.count('class="tag tag-valid"') == 1
    assert html.count('class="tag tag-revoked"') == 1
    assert html.count('class="tag tag-expired"') == 1  # past its date, not yet marked


def test_list_filters_by_status(client):
    factories.certificate()
    revoked = factories.certificate(status="revoked", status_reason="Powód.")
    html = login(client, factories.officer()).get(LIST, {"status": "revoked"}).content.decode()
    assert "1 certificate" in html
    assert revoked.number in html


def test_list_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    login(client, factories.officer())
    for _ in range(3):
        factories.certificate()
    with django_assert_max_num_queries(9) as few:  # the header's notifications count among them
        client.get(LIST)
    for _ in range(10):
        factories.certificate()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


# --- the certificate page and its actions -------------------------------------------------


def test_page_of_a_valid_certificate_offers_suspend_and_revoke(client):
    certificate = factories.certificate()
    html = login(client, factories.officer()).get(page_url(certificate)).content.decode()
    assert f"<title>Certificate {certificate.number}: status and actions ·" in html
    assert 'name="action" value="suspend"' in html
    assert 'name="action" value="revoke"' in html
    assert 'name="action" value="reinstate"' not in html
    assert '<label for="id_suspend-reason">' in html
    assert '<label for="id_suspend-correction_until">' in html


def test_suspend_through_the_page(client):
    officer = factories.officer()
    certificate = factories.certificate()
    login(client, officer)
    until = TODAY + datetime.timedelta(days=21)
    response = post(
        client,
        certificate,
        "suspend",
        reason="Brak aktualnych rekomendacji.",
        correction_until=until.strftime("%d.%m.%Y"),
    )
    assert response.status_code == 302
    assert response.url == page_url(certificate)
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    change = certificate.status_changes.get()
    assert (change.reason, change.correction_until, change.actor) == (
        "Brak aktualnych rekomendacji.",
        until,
        officer,
    )
    html = client.get(response.url).content.decode()
    assert f"Certificate {certificate.number} has been suspended." in html
    assert 'class="tag tag-suspended"' in html
    assert until.strftime("%Y-%m-%d") in html  # the correction period is shown
    assert 'name="action" value="reinstate"' in html
    assert 'name="action" value="suspend"' not in html
    assert "Certificate suspended" in html  # the history


def test_a_suspension_without_reason_and_with_a_past_end_names_both_at_once(client):
    certificate = factories.certificate()
    login(client, factories.officer())
    response = post(
        client,
        certificate,
        "suspend",
        reason="",
        correction_until=(TODAY - datetime.timedelta(days=1)).strftime("%d.%m.%Y"),
    )
    html = response.content.decode()
    assert "Give the reason. It is shown publicly in the registry." in html
    assert "The correction period must end after today." in html  # not on a second sending
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_reinstate_and_revoke_through_the_page(client):
    certificate = factories.certificate(status="suspended", status_reason="Powód.")
    login(client, factories.officer())
    assert post(client, certificate, "reinstate", note="Poprawiono.").status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    assert post(client, certificate, "revoke", reason="Naruszenie zasad.").status_code == 302
    certificate.refresh_from_db()
    assert (certificate.status, certificate.status_reason) == ("revoked", "Naruszenie zasad.")
    html = client.get(page_url(certificate)).content.decode()
    assert "This certificate can no longer be suspended, reinstated or revoked." in html
    assert 'name="action"' not in html


def test_missing_reason_and_bad_date_shown_in_the_error_summary(client):
    certificate = factories.certificate()
    login(client, factories.officer())
    response = post(client, certificate, "suspend", reason="", correction_until="31.02.2027")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Certificate" in html
    assert 'class="error-summary"' in html
    assert 'href="#id_suspend-reason"' in html
    assert 'href="#id_suspend-correction_until"' in html
    assert "Give the reason. It is shown publicly in the registry." in html
    assert "Enter the end of the correction period as a date" in html
    assert not CertificateStatusChange.objects.exists()


def test_correction_period_in_the_past_is_refused_beside_the_field(client):
    certificate = factories.certificate()
    login(client, factories.officer())
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    html = post(
        client, certificate, "suspend", reason="Powód.", correction_until=yesterday
    ).content.decode()
    assert 'href="#id_suspend-correction_until"' in html
    assert "The correction period must end after today." in html
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_forbidden_transition_from_a_stale_page_shows_the_domain_message(client):
    """Someone else revoked it meanwhile; the officer's reinstate form was still open."""
    certificate = factories.certificate(status="revoked", status_reason="Powód.")
    login(client, factories.officer())
    response = post(client, certificate, "reinstate", note="")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert "Only a suspended certificate can be reinstated" in html
    certificate.refresh_from_db()
    assert certificate.status == "revoked"


def test_unknown_action_is_a_bad_request(client):
    certificate = factories.certificate()
    login(client, factories.officer())
    assert post(client, certificate, "delete").status_code == 400


@pytest.mark.parametrize("slug", ["ZP-2020-9999", "nonsense", "x" * 5000])
def test_unknown_certificate_is_404(client, slug):
    login(client, factories.officer())
    assert client.get(reverse("staff_certificate", args=[slug])).status_code == 404


def test_lowercase_slug_redirects_to_canonical(client):
    certificate = factories.certificate()
    login(client, factories.officer())
    slug = number_to_slug(certificate.number).lower()
    response = client.get(reverse("staff_certificate", args=[slug]))
    assert response.status_code == 302
    assert response.url == page_url(certificate)
