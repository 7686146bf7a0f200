"""The daily digest: one e-mail per person with the notifications they chose to receive that way
(not urgent, User.notification_mode = digest) since their last digest, in their language.

Sent by the daily reminders (management command reminders_daily, run by the job worker at
07:00). Never twice: the pending notifications are locked while the digest is sent and marked
digested in the same transaction, so a second run at the same time waits, then finds them sent.
A failed send leaves them pending for the next run.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .domain.inbox_kinds import render
from .models import Notification, User


def _pending(user_id: int):
    return Notification.objects.filter(
        recipient_id=user_id, in_digest=True, digested_at__isnull=True
    )


def compose(user: User, notifications: list[Notification]) -> EmailMessage:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "rows": [
                {
                    "text": render(n.kind, n.params),
                    "url": settings.SITE_URL + n.link if n.link else "",
                    "created_at": n.created_at,
                }
                for n in notifications
            ],
            "notifications_url": settings.SITE_URL + reverse("notifications"),
            "issuer": settings.CERTIFICATE_ISSUER,
        }
        subject = render_to_string("emails/notifications_digest_subject.txt", context)
        body = render_to_string("emails/notifications_digest_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def send_digest(*, user_id: int) -> bool:
    """Send the user's digest of what is pending, if anything is; True when one was sent."""
    with transaction.atomic():
        pending = list(_pending(user_id).select_for_update().order_by("created_at", "pk"))
        if not pending:
            return False
        user = User.objects.get(pk=user_id)
        sent = bool(user.email and user.is_active)
        if sent:
            compose(user, pending).send()
        _pending(user_id).filter(pk__in=[n.pk for n in pending]).update(digested_at=timezone.now())
    return sent


def send_digests() -> int:
    """Every person's digest; how many were sent."""
    users = (
        Notification.objects.filter(in_digest=True, digested_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    return sum(send_digest(user_id=user_id) for user_id in list(users))
