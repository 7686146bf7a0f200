import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import CertificateStatus
from .application import Application, ApplicationItem
from .organization import Organization


class Certificate(models.Model):
    """The licence to use the mark for named items, for a limited time."""

    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="certificates"
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate"
    )
    items = models.ManyToManyField(ApplicationItem, related_name="certificates")
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=12, choices=CertificateStatus.choices, default="valid"
    )
    status_reason = models.TextField(_("reason"), blank=True)
    pdf = models.FileField(upload_to="certificates/", max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    predecessor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successors"
    )

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="certificate_sequence")
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    def status_on(self, day: datetime.date) -> str:
        """The status a buyer sees: expiry is a matter of date, not of a stored flag."""
        if self.status == CertificateStatus.VALID and day > self.valid_until:
            return CertificateStatus.EXPIRED
        return self.status

    @property
    def public_status(self) -> str:
        return self.status_on(timezone.localdate())
