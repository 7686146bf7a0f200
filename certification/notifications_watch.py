"""E-mails to buyers who watch the registry (domain/watching.py): the confirmation link of a new
subscription, and one e-mail per subscriber for each change it concerns, each in the language
the subscriber chose, with a one-click unsubscribe link (RFC 8058 headers)."""

from django.conf import settings
from django.core.mail import EmailMessage

from .choices import CertificateTransition, WatchKind
from .domain import watching
from .domain.certificates import number_to_slug
from .models import CertificateStatusChange, Watch
from .notifications import _render, _url


def _message(event: str, watch: Watch, context: dict, *, unsubscribe: bool) -> EmailMessage:
    subject, body = _render(event, {**context, "watch": watch}, watch.language)
    headers = {}
    if unsubscribe:
        link = _url("watch_unsubscribe", watching.unsubscribe_token(watch))
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[watch.email],
        headers=headers,
    )


def _watched(watch: Watch) -> dict:
    return {
        "is_certificate": watch.kind == WatchKind.CERTIFICATE,
        "is_holder": watch.kind == WatchKind.HOLDER,
        "codes": watch.cpv_codes.split(),
        "powiat": watch.get_powiat_display() if watch.powiat else "",
        "issuer": settings.CERTIFICATE_ISSUER,
    }


def watch_requested(*, watch_id: int, token: str) -> list[EmailMessage]:
    watch = Watch.objects.select_related("certificate").get(pk=watch_id)
    if watch.confirmed_at is not None or watch.unsubscribed_at is not None:
        return []  # confirmed or cancelled before the e-mail left: nothing to ask
    context = {**_watched(watch), "confirm_url": _url("watch_confirm", token)}
    return [_message("watch_requested", watch, context, unsubscribe=False)]


def registry_changed(*, change_id: int) -> list[tuple[int, EmailMessage]]:
    """(subscription id, its e-mail) for every subscriber the change concerns."""
    change = CertificateStatusChange.objects.select_related(
        "certificate__organization", "certificate__predecessor"
    ).get(pk=change_id)
    certificate = change.certificate
    context = {
        "change": change,
        "certificate": certificate,
        "renewal": change.transition == CertificateTransition.ISSUE
        and certificate.predecessor_id is not None,
        "certificate_url": _url("certificate_detail", number_to_slug(certificate.number)),
        "items": list(certificate.items.all()),
    }
    return [
        (
            watch.pk,
            _message(
                "registry_changed",
                watch,
                {
                    **context,
                    **_watched(watch),
                    "unsubscribe_url": _url("watch_unsubscribe", watching.unsubscribe_token(watch)),
                },
                unsubscribe=True,
            ),
        )
        for watch in watching.watchers_of(change)
    ]
