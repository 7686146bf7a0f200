"""Sending one webhook delivery over HTTP: the JSON body, its HMAC-SHA256 signature, and the
checks that keep an endpoint from pointing the service at its own network.

A receiver checks: `X-ZP-Signature` is "sha256=" + hex HMAC-SHA256(secret, timestamp + "." +
body), with the timestamp from `X-ZP-Timestamp` (Unix seconds; refuse one more than five minutes
away from its clock, so a captured request cannot be replayed later). docs/webhooks.md.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

from .models import WebhookDelivery

USER_AGENT = "ZakupProspoleczny-Webhook/1"


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(
        delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead anywhere, this network included: a 3xx is an answer, not a hop.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _refused_target(url: str) -> str:
    """Why the address may not be called now ("" if it may): every address its name resolves
    to must be public, unless WEBHOOK_ALLOW_PRIVATE_TARGETS (development, tests)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) address"
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return ""
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        return f"name not resolved: {error}"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return f"{parts.hostname} resolves to a non-public address ({address})"
    return ""


def send(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery once: (HTTP status, "") on an answer, (None, why) when there was none."""
    endpoint = delivery.endpoint
    refused = _refused_target(endpoint.url)
    if refused:
        return None, refused
    body = body_of(delivery)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-ZP-Event": delivery.event,
            "X-ZP-Delivery": str(delivery.pk),
            "X-ZP-Timestamp": timestamp,
            "X-ZP-Signature": signature(endpoint.secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))
