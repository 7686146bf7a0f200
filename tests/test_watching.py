"""Buyers watch the registry by e-mail, no account: subscribe, confirm, be told, unsubscribe."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.domain import lifecycle, watching
from certification.domain.certificates import number_to_slug
from certification.models import AuditEvent, Watch

from . import factories, stages
from .mail import run_jobs, sent_mail

pytestmark = pytest.mark.django_db

WATCH = reverse("watch")


def subscribe(client, query: dict, email="kupiec@example.pl", kind=None):
    data = {**query, "email": email}
    if kind:
        data["kind"] = kind
    return client.post(WATCH, data)


def confirm_link(message) -> str:
    return re.search(r"http://\S+/obserwuj/potwierdz/\S+/", message.body)[0]


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def buyer_mail(address="kupiec@example.pl") -> list:
    """What the buyer received (the holder's own e-mails go to the organisation)."""
    return [m for m in sent_mail() if address in m.to]


def suspend(certificate, reason="Brak rekomendacji."):
    return lifecycle.suspend_certificate(
        certificate=certificate,
        user=factories.officer(),
        reason=reason,
        correction_until=timezone.localdate() + datetime.timedelta(days=14),
    )


def test_a_buyer_subscribes_confirms_is_told_and_unsubscribes_in_one_click(client):
    certificate = factories.certificate()
    slug = number_to_slug(certificate.number)

    page = client.get(WATCH, {"certificate": slug}).content.decode()
    assert certificate.number in page
    response = subscribe(client, {"certificate": slug}, kind="certificate")
    assert "Sprawdź" in response.content.decode()  # "Check your e-mail", in Polish

    (confirmation,) = buyer_mail()
    assert certificate.number in confirmation.body
    # Before confirmation nothing is sent.
    suspend(certificate)
    assert len(buyer_mail()) == 1

    link = path_of(confirm_link(confirmation))
    assert (
        "Potwierdź" in client.get(link).content.decode()
    )  # a GET (a mail scanner) confirms nothing
    assert not Watch.objects.get().confirmed_at
    assert client.post(link).status_code == 200
    assert Watch.objects.get().confirmed_at

    lifecycle.reinstate_certificate(certificate=certificate, user=factories.officer())
    told = buyer_mail()[-1]
    assert certificate.number in told.subject
    unsubscribe = told.extra_headers["List-Unsubscribe"].strip("<>")
    assert told.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in told.body

    # The mail client's one-click POST carries no CSRF token.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(path_of(unsubscribe), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    before = len(buyer_mail())
    lifecycle.revoke_certificate(certificate=certificate, user=factories.officer(), reason="X.")
    assert len(buyer_mail()) == before


def test_the_e_mails_follow_the_language_the_buyer_subscribed_in(client, english):
    certificate = factories.certificate()
    subscribe(client, {"certificate": number_to_slug(certificate.number)}, kind="certificate")
    (confirmation,) = buyer_mail()
    assert "Confirm your subscription" in confirmation.subject
    client.post(path_of(confirm_link(confirmation)))

    suspend(certificate, reason="Kontrola.")

    told = buyer_mail()[-1]
    assert told.subject.startswith("Certificate suspended: ")
    assert "Reason: Kontrola." in told.body


def test_a_holder_watch_hears_of_a_renewal_and_nothing_of_other_holders(client):
    watched = factories.OrganizationFactory()
    first = factories.certificate(organization=watched)
    watch, token = watching.subscribe(
        email="a@example.pl", language="pl", kind="holder", nip=watched.nip
    )
    watching.confirm(token=token)
    run_jobs()
    mail.outbox.clear()

    suspend(factories.certificate())  # another holder
    assert buyer_mail("a@example.pl") == []
    renewal = factories.certificate(organization=watched)
    renewal.predecessor = first
    renewal.save(update_fields=["predecessor"])
    lifecycle.record_change(
        certificate=renewal,
        transition="issue",
        actor=None,
        effective=timezone.now(),
    )

    (told,) = buyer_mail("a@example.pl")
    assert renewal.number in told.subject
    assert first.number in told.body


def test_a_search_watch_hears_of_a_new_supplier_below_its_code_in_its_powiat(client):
    factories.cpv_vocabulary()
    watch, token = watching.subscribe(
        email="b@example.pl", language="pl", kind="search", cpv_text="55500000-5", powiat="2469"
    )
    watching.confirm(token=token)
    run_jobs()
    mail.outbox.clear()

    def issue(powiat):
        organization = factories.OrganizationFactory(powiat=powiat)
        certificate = factories.certificate(
            organization=organization, cpv_codes=(factories.CATERING,)
        )
        lifecycle.record_change(
            certificate=certificate, transition="issue", actor=None, effective=timezone.now()
        )
        return certificate

    elsewhere = issue("2461")
    here = issue("2469")
    suspend(here)  # a search watch hears of new suppliers only

    (told,) = buyer_mail("b@example.pl")
    assert here.number in told.subject
    assert elsewhere.number not in told.body


def test_a_certificate_issued_by_the_flow_reaches_its_holder_watchers(client):
    c = stages.cast()
    organization = c.applicant.organizations.get()
    watch, token = watching.subscribe(
        email="c@example.pl", language="pl", kind="holder", nip=organization.nip
    )
    watching.confirm(token=token)
    run_jobs()
    mail.outbox.clear()

    certificate = stages.certified(c)

    assert any(m.to == ["c@example.pl"] and certificate.number in m.subject for m in sent_mail())


@pytest.mark.parametrize(
    ("query", "email", "message"),
    [
        ({"nip": "5260250275"}, "kupiec@example.pl", "błędną cyfrę kontrolną"),
        ({"cpv": "12345678"}, "kupiec@example.pl", "12345678"),
        ({"nip": "5260250274"}, "kupiec@", "Wpisz adres e-mail"),
    ],
)
def test_bad_input_is_named_in_polish_and_nothing_is_saved(client, query, email, message):
    factories.cpv_vocabulary()
    before = AuditEvent.objects.count()

    response = subscribe(client, query, email=email)

    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page and message in page
    assert not Watch.objects.exists()
    assert AuditEvent.objects.count() == before
    assert sent_mail() == []


def test_an_address_cannot_be_flooded_with_confirmation_requests(client):
    for n in range(watching.MAX_PENDING_PER_ADDRESS_PER_DAY):
        subscribe(client, {"nip": factories.nip_for(n + 1)})
    response = subscribe(client, {"nip": factories.nip_for(99)})

    assert "czeka na potwierdzenie" in response.content.decode()
    assert Watch.objects.count() == watching.MAX_PENDING_PER_ADDRESS_PER_DAY


def test_subscribing_again_to_a_watched_thing_says_the_same_and_sends_nothing(client):
    organization = factories.OrganizationFactory()
    _, token = watching.subscribe(
        email="kupiec@example.pl", language="pl", kind="holder", nip=organization.nip
    )
    watching.confirm(token=token)
    run_jobs()
    mail.outbox.clear()

    response = subscribe(client, {"nip": organization.nip})

    assert "Sprawdź" in response.content.decode()
    assert Watch.objects.count() == 1
    assert sent_mail() == []


def test_the_audit_log_keeps_what_was_watched_not_who(client):
    organization = factories.OrganizationFactory()
    subscribe(client, {"nip": organization.nip}, email="tajny.kupiec@example.pl")

    event = AuditEvent.objects.get(action="watch.requested")
    assert "tajny.kupiec" not in str(event.details) + event.message


def test_a_forged_or_mangled_link_changes_nothing(client):
    organization = factories.OrganizationFactory()
    watch, token = watching.subscribe(
        email="kupiec@example.pl", language="pl", kind="holder", nip=organization.nip
    )

    assert client.post(reverse("watch_confirm", args=[token[:-2]])).status_code == 404
    forged = f"{watch.pk}:not-the-signature"
    assert client.post(reverse("watch_unsubscribe", args=[forged])).status_code == 404
    watch.refresh_from_db()
    assert watch.confirmed_at is None and watch.unsubscribed_at is None
