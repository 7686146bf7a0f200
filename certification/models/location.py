from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import LocationProposalStatus
from .organization import Organization


class LocationProposal(models.Model):
    """A member's point for their organisation on the map, shown once an officer confirms it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="location_proposals"
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=LocationProposalStatus.choices,
        default=LocationProposalStatus.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status="pending"),
                name="one_pending_location_proposal",
            )
        ]
        verbose_name = _("proposed location")
        verbose_name_plural = _("proposed locations")

    def __str__(self) -> str:
        return f"{self.organization} ({self.latitude}, {self.longitude})"

    @property
    def is_pending(self) -> bool:
        return self.status == LocationProposalStatus.PENDING
