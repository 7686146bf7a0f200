import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..choices import (
    CertificateStatus,
    CertificateTransition,
    LegalForm,
    Powiat,
    VerificationResult,
)
from .append_only import AppendOnlyModel
from .application import Application, ApplicationItem
from .identity import IDENTITY_FIELDS, Identity
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
    # Who it was issued to, as the organisation stood then: what the certificate states for
    # good, whatever the organisation's profile says later (certification.models.identity).
    holder_name = models.CharField(_("holder's full name"), max_length=300)
    holder_legal_form = models.CharField(
        _("holder's legal form"), max_length=40, choices=LegalForm.choices
    )
    holder_nip = models.CharField(_("holder's NIP"), max_length=10)
    holder_regon = models.CharField(_("holder's REGON"), max_length=14)
    holder_krs = models.CharField(_("holder's KRS number"), max_length=10, blank=True)
    holder_street = models.CharField(_("holder's street and number"), max_length=200)
    holder_postal_code = models.CharField(_("holder's postal code"), max_length=6)
    holder_town = models.CharField(_("holder's town"), max_length=100)
    holder_powiat = models.CharField(
        _("holder's powiat"), max_length=4, choices=Powiat.choices, blank=True
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=12, choices=CertificateStatus.choices, default="valid"
    )
    status_reason = models.TextField(_("reason"), blank=True)
    # Issued before the system, brought in from ROPS's own registry (manage.py import_registry):
    # no application went through the flow and no PDF was made here; the paper original stands.
    imported = models.BooleanField(
        _("imported from the registry kept before the system"), default=False
    )
    pdf = models.FileField(upload_to="certificates/", max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    predecessor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successors"
    )
    # Its place in the registry's Bitstring Status Lists (certification.credentials): list
    # index // STATUS_LIST_SIZE, bit index % STATUS_LIST_SIZE. Allocated once, at issue.
    status_list_index = models.PositiveIntegerField(
        _("status list index"), unique=True, editable=False
    )
    # Folded number, NIP, name and items the registry searches, and the folded organisation
    # name it sorts by ("Żółć" beside "Zolc"): kept by certification.domain.search.
    search_text = models.TextField(editable=False, blank=True, default="")
    sort_name = models.CharField(max_length=300, editable=False, blank=True, default="")

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="certificate_sequence"),
            # A certificate always says whom it was issued to.
            models.CheckConstraint(
                condition=~models.Q(holder_name="") & ~models.Q(holder_nip=""),
                name="certificate_states_its_holder",
            ),
        ]
        # The registry sorts by these; the search index is PostgreSQL's own (migration 0004).
        indexes = [
            models.Index(
                fields=["sort_name", "year", "sequence"], name="certificate_sort_name_idx"
            ),
            models.Index(fields=["issued_on"], name="certificate_issued_idx"),
            models.Index(fields=["valid_until"], name="certificate_valid_until_idx"),
            # Verification by the NIP a certificate was issued to.
            models.Index(fields=["holder_nip"], name="certificate_holder_nip_idx"),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    @staticmethod
    def holder_fields(organization: Organization) -> dict[str, str]:
        """The holder_* values that state `organization`'s identity as it is now."""
        return {f"holder_{name}": getattr(organization, name) for name in IDENTITY_FIELDS}

    @cached_property
    def holder(self) -> Identity:
        """Whom the certificate was issued to: what every public page and the PDF print."""
        return Identity.of(self, prefix="holder_")

    def status_on(self, day: datetime.date) -> str:
        """What a buyer asking about `day` is told (a VerificationResult value).

        Today's answer comes from the stored status, so lists need no extra query; a past day
        is answered from the status history, as it stood at the end of that day. Expiry is a
        matter of date, whatever the stored flag says.
        """
        if day < self.issued_on:
            return VerificationResult.NOT_YET_VALID
        status = self.status
        if day < timezone.localdate():
            change = self.status_change_on(day)
            # Certificates older than the history keep their stored status.
            status = change.status if change is not None else self.status
        if day > self.valid_until and status != CertificateStatus.REVOKED:
            return CertificateStatus.EXPIRED
        return status

    def status_change_on(self, day: datetime.date) -> "CertificateStatusChange | None":
        """The history entry in force at the end of `day`, if any."""
        end_of_day = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        )
        cached = getattr(self, "_prefetched_objects_cache", {}).get("status_changes")
        if cached is not None:
            earlier = [c for c in cached if c.effective < end_of_day]
            return max(earlier, key=lambda c: (c.effective, c.pk)) if earlier else None
        return (
            self.status_changes.filter(effective__lt=end_of_day)
            .order_by("-effective", "-pk")
            .first()
        )

    @property
    def public_status(self) -> str:
        return self.status_on(timezone.localdate())


class CertificateStatusChange(AppendOnlyModel):
    """One entry of a certificate's public status history, written by every transition.

    `effective` is when the status took effect, which for an expiry is the start of the day after
    `valid_until` even if the daily command ran later; `recorded_at` is when it was written.
    """

    append_only_message = "The certificate history is append-only."

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="status_changes"
    )
    transition = models.CharField(
        _("what happened"), max_length=12, choices=CertificateTransition.choices
    )
    status = models.CharField(_("status"), max_length=12, choices=CertificateStatus.choices)
    effective = models.DateTimeField(_("effective from"))
    reason = models.TextField(_("public reason"), blank=True)
    correction_until = models.DateField(_("end of the correction period"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective", "pk"]
        indexes = [
            models.Index(fields=["certificate", "effective"], name="certificate_history_idx")
        ]
        verbose_name = _("certificate status change")
        verbose_name_plural = _("certificate status history")

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.transition} {self.effective:%Y-%m-%d}"


class RenewalReminder(models.Model):
    """A renewal reminder e-mailed for a certificate; the unique pair makes sending idempotent."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="renewal_reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_on = models.DateField(_("sent on"))
    recipients = models.TextField(_("recipients"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["certificate", "-days_before"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="one_reminder_per_threshold"
            )
        ]
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")

    def __str__(self) -> str:
        return f"{self.certificate_id} −{self.days_before}"


# Bits per status list: the smallest the Bitstring Status List specification allows (16 KB),
# so that a list does not tell how many certificates there are.
STATUS_LIST_SIZE = 131_072


class StatusList(models.Model):
    """One Bitstring Status List of the registry's credentials (two credentials: revocation and
    suspension, for the certificates whose status_list_index falls in it).

    The bits are the certificates' statuses, read when the list is published. `version` goes up
    in the transaction of every status change of one of its certificates: a published list is
    cached under its version, so a cached list is never served after a change has committed.
    """

    number = models.PositiveIntegerField(_("list number"), unique=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed = models.DateTimeField(_("last changed"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("credential status list")
        verbose_name_plural = _("credential status lists")

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"
