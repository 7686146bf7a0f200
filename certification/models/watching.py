"""Buyers watching the registry: e-mail subscriptions (double opt-in) and webhook endpoints of
procurement platforms with their delivery log. Kept by certification/domain/watching.py and
webhooks.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Powiat, WatchKind
from .certificate import Certificate, CertificateStatusChange


class Watch(models.Model):
    """One address told of one certificate's, one holder's or one search's changes.

    A subscription counts once confirmed from the e-mailed link; the raw token of that link (also
    the unsubscribe link of every later e-mail) lives only in e-mails, the database keeps its
    SHA-256.
    """

    email = models.EmailField(_("e-mail address"), db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    kind = models.CharField(_("what is watched"), max_length=12, choices=WatchKind.choices)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, null=True, blank=True, related_name="watches"
    )
    nip = models.CharField(_("holder's NIP"), max_length=10, blank=True, db_index=True)
    cpv_codes = models.CharField(
        _("CPV codes"), max_length=500, blank=True, help_text=_("8-digit codes, space-separated")
    )
    powiat = models.CharField(_("powiat"), max_length=4, choices=Powiat.choices, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("registry subscription")
        verbose_name_plural = _("registry subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="certificate", certificate__isnull=False)
                    | models.Q(kind="holder") & ~models.Q(nip="")
                    | models.Q(kind="search") & ~models.Q(cpv_codes="")
                ),
                name="watch_names_what_it_watches",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class WebhookEndpoint(models.Model):
    """A procurement platform's address that receives the registry's changes as signed JSON."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address (URL)"), max_length=500)
    # The shared HMAC key: the receiver needs the same bytes, so it is kept, not hashed.
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One registry change sent (or being sent) to one endpoint: the log an officer reads."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    change = models.ForeignKey(CertificateStatusChange, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    gave_up_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "change"], name="one_delivery_per_change")
        ]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.endpoint_id} {self.event} {self.change_id}"
