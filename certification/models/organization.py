import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import LegalForm, LocationSource, NotificationMode, Powiat
from ..validators import validate_krs, validate_nip, validate_postal_code, validate_regon
from .identity import Identity


class User(AbstractUser):
    """A person. Roles come from groups (officers), jury membership and organisation membership."""

    # What the e-mails to this person are written in; set from the interface language they use.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # What is not urgent is e-mailed at once or gathered in one daily e-mail (inbox_kinds.py).
    notification_mode = models.CharField(
        _("e-mails of notifications"),
        max_length=10,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_perm(self, perm, obj=None) -> bool:
        # Django answers every has_perm of an active superuser with yes before asking any
        # backend; the project's own rules (certification/permissions.py) are roles, not
        # configuration rights, so they alone decide. Django's model permissions are unchanged.
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class Organization(models.Model):
    """A social economy entity (PES) that applies for the mark."""

    name = models.CharField(_("full name"), max_length=300)
    legal_form = models.CharField(_("legal form"), max_length=40, choices=LegalForm.choices)
    nip = models.CharField(_("NIP"), max_length=10, unique=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, validators=[validate_regon])
    krs = models.CharField(_("KRS number"), max_length=10, blank=True, validators=[validate_krs])
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[validate_postal_code]
    )
    town = models.CharField(_("town"), max_length=100)
    # Blank for organisations registered before it was asked, and for those outside the region.
    powiat = models.CharField(
        _("powiat (county)"), max_length=4, choices=Powiat.choices, blank=True
    )
    # Where the map shows it (WGS 84, RFC 7946): found from the town and powiat in the shipped
    # gazetteer, or a pin the organisation moved and an officer confirmed. Empty: not on the map.
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    # Set with the point (domain/locations.py): a confirmed pin survives until the address changes.
    location_source = models.CharField(
        _("location source"), max_length=10, choices=LocationSource.choices, blank=True
    )
    registration_date = models.DateField(_("registration date"))
    email = models.EmailField(_("contact e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organizations",
        verbose_name=_("members"),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["longitude", "latitude"], name="organization_location_idx")]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def identity(self) -> Identity:
        """The identity a certificate issued today would state."""
        return Identity.of(self)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class Invitation(models.Model):
    """A member's invitation of a colleague (by e-mail) to join their organisation.

    Only the SHA-256 of the token is kept: the link in the e-mail is the only copy of the token.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"
