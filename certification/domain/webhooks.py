"""Webhooks for procurement platforms: a registered endpoint gets every registry change as JSON,
signed with HMAC-SHA256 over a timestamp and the body, retried with backoff, logged per delivery.

Delivery is at least once: a receiver keeps the `id` of the changes it has applied. The sending
itself (network) is certification/webhook_delivery.py's; this module decides and records.
"""

import datetime
import ipaddress
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CertificateStatusChange, WebhookDelivery, WebhookEndpoint
from ..permissions import is_officer
from . import audit
from .certificates import number_to_slug
from .errors import DomainError

# Waits before the 2nd, 3rd, … attempt; after the last one the delivery is given up (and stays in
# the log): about two days in all, so a platform down over a weekend night still gets it.
RETRY_AFTER = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
    datetime.timedelta(hours=12),
    datetime.timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1

EVENT_NAMES = {
    "issue": "certificate.issued",
    "suspend": "certificate.suspended",
    "reinstate": "certificate.reinstated",
    "revoke": "certificate.revoked",
    "expire": "certificate.expired",
}


def _check_officer(user) -> None:
    if not is_officer(user):
        raise DomainError(_("Only an officer of ROPS may manage webhook endpoints."))


def check_url(url: str) -> str:
    """An http(s) address; https and a public host unless WEBHOOK_ALLOW_PRIVATE_TARGETS.

    Names are resolved again at each delivery (webhook_delivery.py): a name that points at this
    network later is refused then.
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError(
            _("Enter the endpoint's full address, like https://platforma.example.pl/zp."),
            field="url",
        )
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        if parts.scheme != "https":
            raise DomainError(_("The endpoint's address must start with https://."), field="url")
        try:
            address = ipaddress.ip_address(parts.hostname.strip("[]"))
        except ValueError:
            address = None
        if (address is not None and not address.is_global) or parts.hostname == "localhost":
            raise DomainError(
                _("The endpoint must be on the internet, not on this server's own network."),
                field="url",
            )
    return url


def register_endpoint(*, name: str, url: str, user) -> WebhookEndpoint:
    _check_officer(user)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the platform the endpoint belongs to."), field="name")
    url = check_url(url)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            name=name[:200], url=url, secret=secrets.token_hex(32), created_by=user
        )
        audit.record(actor=user, action="webhook.registered", message=name, endpoint=endpoint.pk)
    return endpoint


def set_active(*, endpoint: WebhookEndpoint, active: bool, user) -> WebhookEndpoint:
    _check_officer(user)
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if locked.active != active:
            locked.active = active
            locked.save(update_fields=["active"])
            audit.record(
                actor=user,
                action="webhook.activated" if active else "webhook.deactivated",
                message=locked.name,
                endpoint=locked.pk,
            )
    return locked


def payload(change: CertificateStatusChange) -> dict:
    """What a platform is told: the change and the certificate as the registry shows it."""
    certificate = change.certificate
    slug = number_to_slug(certificate.number)
    return {
        "id": f"change-{change.pk}",
        "type": EVENT_NAMES[change.transition],
        "occurred_at": change.effective.isoformat(),
        "reason": change.reason,
        "correction_until": change.correction_until.isoformat()
        if change.correction_until
        else None,
        "certificate": {
            "number": certificate.number,
            "status": change.status,
            "holder": {"name": certificate.holder_name, "nip": certificate.holder_nip},
            "issued_on": certificate.issued_on.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "renews": certificate.predecessor.number if certificate.predecessor_id else None,
            "url": settings.SITE_URL + reverse("certificate_detail", args=[slug]),
        },
    }


def queue_deliveries(*, change_id: int) -> list[WebhookDelivery]:
    """One delivery per active endpoint for the change (once, whatever the retries), and the
    deliveries of it still to be tried."""
    change = CertificateStatusChange.objects.select_related("certificate__predecessor").get(
        pk=change_id
    )
    body = payload(change)
    with transaction.atomic():
        for endpoint in WebhookEndpoint.objects.filter(active=True):
            WebhookDelivery.objects.get_or_create(
                endpoint=endpoint, change=change, defaults={"event": body["type"], "payload": body}
            )
        return list(
            WebhookDelivery.objects.filter(
                change=change, delivered_at__isnull=True, gave_up_at__isnull=True, attempts=0
            )
        )


def record_attempt(
    *, delivery: WebhookDelivery, status: int | None, error: str = ""
) -> WebhookDelivery:
    """Delivered on a 2xx answer; otherwise the next attempt's time, or given up after the last."""
    now = timezone.now()
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        locked.attempts += 1
        locked.last_attempt_at = now
        locked.last_status = status
        locked.last_error = error[:500]
        if status is not None and 200 <= status < 300:
            locked.delivered_at, locked.next_attempt_at = now, None
        elif locked.attempts >= MAX_ATTEMPTS:
            locked.gave_up_at, locked.next_attempt_at = now, None
        else:
            locked.next_attempt_at = now + RETRY_AFTER[locked.attempts - 1]
        locked.save()
    return locked
