from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from certification.models import Application


class CertificationProcess(Process):
    """One viewflow process per submitted application."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("certification process")
        verbose_name_plural = _("certification processes")
