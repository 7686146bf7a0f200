"""Who a certificate was issued to, and the officer-approved requests that change it.

A certificate states the identity it was issued to (Certificate.holder_*). An organisation that
holds or held one changes those details only through an OrganizationChangeRequest that an
officer approves: otherwise a member could put another company's name and NIP on a certificate.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ChangeRequestStatus, LegalForm, Powiat

# The organisation's details a certificate prints (PDF, public page, registry, API, open data),
# plus its REGON: who the certificate was issued to. Order: as the profile form shows them.
IDENTITY_FIELDS = (
    "name",
    "legal_form",
    "nip",
    "regon",
    "krs",
    "street",
    "postal_code",
    "town",
    "powiat",
)


def _label(value: str, choices) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class Identity:
    """An organisation's identity as printed: a certificate's snapshot or today's profile."""

    name: str
    legal_form: str
    nip: str
    regon: str
    krs: str
    street: str
    postal_code: str
    town: str
    powiat: str

    @classmethod
    def of(cls, source, prefix: str = "") -> "Identity":
        return cls(**{name: getattr(source, prefix + name) for name in IDENTITY_FIELDS})

    @classmethod
    def of_values(cls, **values: str) -> "Identity":
        """An identity with only some values known (the rest empty), to show them."""
        return cls(**{name: values.get(name, "") for name in IDENTITY_FIELDS})

    def get_legal_form_display(self) -> str:
        return _label(self.legal_form, LegalForm)

    def get_powiat_display(self) -> str:
        return _label(self.powiat, Powiat) if self.powiat else ""

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.town}"


class OrganizationChangeRequest(models.Model):
    """A member's request to change the identity of an organisation that holds or held a
    certificate; it takes effect only when an officer approves it.

    `before` and `after` hold only the fields the request changes, as stored (NIP digits only).
    """

    organization = models.ForeignKey(
        "certification.Organization", on_delete=models.PROTECT, related_name="change_requests"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
    )
    before = models.JSONField(_("values before"))
    after = models.JSONField(_("requested values"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status=ChangeRequestStatus.PENDING),
                name="one_pending_change_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ChangeRequestStatus.REFUSED)
                | ~models.Q(refusal_reason=""),
                name="refused_change_request_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="change_request_queue")]
        verbose_name = _("change request of an organisation's details")
        verbose_name_plural = _("change requests of organisations' details")

    def __str__(self) -> str:
        return f"{self.organization_id} {self.status} {self.requested_at:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeRequestStatus.PENDING
