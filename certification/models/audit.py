from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnlyModel


class AuditEvent(AppendOnlyModel):
    """Append-only record of a state change or an access to a private document.

    The database itself refuses UPDATE, DELETE and TRUNCATE on this table (triggers of migration
    0009), and each event carries the hash of the one before (certification.audit_chain), so
    that whoever lifts the triggers still cannot change the past unnoticed: `audit_verify`.
    """

    append_only_message = "The audit log is append-only."

    # Set by audit.record while it holds the chain's lock, so time follows the chain.
    timestamp = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=60)
    application = models.ForeignKey(
        "certification.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    certificate = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    message = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    # Unique: two events can never name the same predecessor, so the chain cannot fork.
    previous_hash = models.CharField(max_length=64, unique=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["timestamp", "pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action}"
