"""A person's notifications: what the service told them, listed under "Notifications" in the
header, read or not (domain/inbox.py writes them in the event's transaction)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One event told to one person. The text is not stored: `kind` and `params` (numbers,
    dates) are rendered when shown, in the language the reader then uses (domain/inbox_kinds.py).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    params = models.JSONField(_("details"), default=dict, blank=True)
    # A path on this site the recipient may open (checked when written), or empty.
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Waiting for the recipient's daily digest (not urgent, the recipient asked for a digest);
    # digested_at is set when the digest carrying it was sent.
    in_digest = models.BooleanField(default=False)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(in_digest=True, digested_at__isnull=True),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
