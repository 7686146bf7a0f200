"""Webhooks for procurement platforms, against a real HTTP endpoint on loopback: signed JSON for
every registry change, retries with backoff, a delivery log, and no calls into private networks
when production's rule is on."""

import datetime
import hashlib
import hmac
import json

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certification.domain import lifecycle, webhooks
from certification.domain.errors import DomainError
from certification.models import AuditEvent, WebhookDelivery, WebhookEndpoint

from . import factories
from .mail import run_jobs
from .web import login
from .webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    yield server
    server.stop()


def suspend(certificate):
    return lifecycle.suspend_certificate(
        certificate=certificate,
        user=factories.officer(),
        reason="Kontrola.",
        correction_until=timezone.localdate() + datetime.timedelta(days=14),
    )


def time_passes() -> None:
    """The next attempt's time comes: the queued retries become ready."""
    DBTaskResult.objects.filter(run_after__isnull=False).update(run_after=timezone.now())


def test_an_officer_registers_a_platform_which_gets_each_change_signed(client, receiver):
    officer = factories.officer()
    login(client, officer)
    response = client.post(reverse("staff_webhooks"), {"name": "Platforma X", "url": receiver.url})
    endpoint = WebhookEndpoint.objects.get()
    assert response.url == reverse("staff_webhook", args=[endpoint.pk])
    assert endpoint.secret in client.get(response.url).content.decode()
    assert AuditEvent.objects.filter(action="webhook.registered").exists()
    certificate = factories.certificate()

    suspend(certificate)
    run_jobs()

    (request,) = receiver.received
    body = request.body
    timestamp = request.headers["X-ZP-Timestamp"]
    expected = hmac.new(
        endpoint.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert request.headers["X-ZP-Signature"] == f"sha256={expected}"
    assert abs(int(timestamp) - timezone.now().timestamp()) < 300
    event = json.loads(body)
    assert event["type"] == "certificate.suspended"
    assert event["certificate"]["number"] == certificate.number
    assert event["certificate"]["status"] == "suspended"
    assert event["reason"] == "Kontrola."
    assert request.headers["X-ZP-Event"] == "certificate.suspended"
    log = client.get(reverse("staff_webhook", args=[endpoint.pk])).content.decode()
    assert "delivered" in log and certificate.number in log


def test_a_failing_platform_is_tried_again_later_then_given_up_and_the_log_says_so(
    client, receiver
):
    endpoint = webhooks.register_endpoint(
        name="Platforma", url=receiver.url, user=factories.officer()
    )
    receiver.status = 503
    suspend(factories.certificate())
    run_jobs()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status) == (1, 503)
    wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert wait == webhooks.RETRY_AFTER[0]
    run_jobs()  # not yet its time: nothing is sent
    assert len(receiver.received) == 1

    for _ in range(webhooks.MAX_ATTEMPTS):  # bounded: one more round than attempts left
        time_passes()
        run_jobs()
    delivery.refresh_from_db()
    assert delivery.attempts == webhooks.MAX_ATTEMPTS == len(receiver.received)
    assert delivery.gave_up_at is not None and delivery.delivered_at is None
    login(client, factories.officer())
    assert "given up" in client.get(reverse("staff_webhook", args=[endpoint.pk])).content.decode()


def test_a_platform_back_after_an_outage_gets_the_change_it_missed(receiver):
    webhooks.register_endpoint(name="Platforma", url=receiver.url, user=factories.officer())
    receiver.status = 500
    suspend(factories.certificate())
    run_jobs()
    receiver.status = 204

    time_passes()
    run_jobs()

    delivery = WebhookDelivery.objects.get()
    assert delivery.delivered_at is not None and delivery.attempts == 2
    assert len({r.body for r in receiver.received}) == 1  # the same change, byte for byte


def test_a_redirect_is_not_followed(receiver):
    webhooks.register_endpoint(name="Platforma", url=receiver.url, user=factories.officer())
    receiver.redirect_to = "http://127.0.0.1:9/elsewhere"

    suspend(factories.certificate())
    run_jobs()

    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status == 302 and delivery.delivered_at is None
    assert len(receiver.received) == 1


def test_a_turned_off_endpoint_gets_nothing(receiver):
    officer = factories.officer()
    endpoint = webhooks.register_endpoint(name="Platforma", url=receiver.url, user=officer)
    webhooks.set_active(endpoint=endpoint, active=False, user=officer)

    suspend(factories.certificate())
    run_jobs()

    assert receiver.received == []


@override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False)
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://platforma.example.pl/zp", "https://"),
        ("https://127.0.0.1/zp", "on the internet"),
        ("https://localhost/zp", "on the internet"),
        ("https://10.1.2.3/zp", "on the internet"),
        ("https://[::1]/zp", "on the internet"),
        ("ftp://platforma.example.pl/zp", "full address"),
    ],
)
def test_production_refuses_endpoints_on_private_networks_and_plain_http(client, url, message):
    login(client, factories.officer())

    page = client.post(reverse("staff_webhooks"), {"name": "Platforma", "url": url})

    assert message in page.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_name_that_points_at_this_machine_is_refused_when_sending(receiver):
    endpoint = webhooks.register_endpoint(
        name="Platforma",
        url=receiver.url.replace("127.0.0.1", "localhost"),
        user=factories.officer(),
    )
    suspend(factories.certificate())

    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=False):
        run_jobs()

    assert receiver.received == []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert "non-public" in delivery.last_error


def test_only_an_officer_manages_endpoints(receiver):
    with pytest.raises(DomainError):
        webhooks.register_endpoint(name="Platforma", url=receiver.url, user=factories.applicant())
    assert not WebhookEndpoint.objects.exists()
