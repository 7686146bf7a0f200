"""The versions of a certificate: what it covered from when, kept for good.

A certificate keeps its number and end date for life; what it covers may change while it is
valid (items added on an extension application, or withdrawn at the holder's request). Each change
is a new version, a row never changed afterwards except to attach the PDF made for it (once);
`Certificate.items` is a copy of the newest version's items, for the registry and search.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import VersionChange
from .application import Application, ApplicationItem
from .certificate import Certificate

_IMMUTABLE = "A certificate version is never changed: a change is a new version."


class CertificateVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(_IMMUTABLE)

    def delete(self):
        raise PermissionError(_IMMUTABLE)


class CertificateVersion(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    change = models.CharField(_("what changed"), max_length=10, choices=VersionChange.choices)
    effective = models.DateTimeField(_("in force from"))
    items = models.ManyToManyField(ApplicationItem, related_name="+")
    # The extension application whose grant made it, if any.
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(upload_to="certificates/", max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateVersionQuerySet.as_manager()

    class Meta:
        ordering = ["certificate", "number"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "number"], name="one_version_number")
        ]
        verbose_name = _("certificate version")
        verbose_name_plural = _("certificate versions")

    def __str__(self) -> str:
        return f"{self.certificate_id} v{self.number}"

    def save(self, *args, **kwargs):
        # Written once; later only its PDF is attached (certification.domain.versions).
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"pdf", "pdf_sha256"}:
            raise PermissionError(_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(_IMMUTABLE)

    @property
    def valid_from(self) -> datetime.date:
        return timezone.localdate(self.effective)
