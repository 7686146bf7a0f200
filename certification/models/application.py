import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import REVIEW_RESULTS, ApplicationStatus, ItemKind, ReviewOutcome
from .organization import Organization
from .translated import translated


class Application(models.Model):
    """A request for the mark for one or more named products or services."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="applications"
    )
    number = models.CharField(_("application number"), max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    social_goals = models.TextField(_("social goals and how your activity pursues them"))
    employees_total = models.PositiveIntegerField(_("people employed in total"), default=0)
    employees_at_risk = models.PositiveIntegerField(
        _("of whom people at risk of social exclusion"), default=0
    )
    own_revenue_percent = models.DecimalField(
        _("own-revenue share of total revenue in the last accounting period (per cent)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    complete_at = models.DateTimeField(_("file complete"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    corrections_deadline = models.DateField(_("corrections deadline"), null=True, blank=True)
    # The criteria in force when its scoring round started (certification.domain.jury).
    criteria_version = models.ForeignKey(
        "certification.CriteriaVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("criteria version"),
    )
    # Set when an officer registered the application from paper: the day ROPS received it,
    # the date that counts for its deadlines (certification.domain.paper).
    received_on_paper = models.DateField(_("received on paper"), null=True, blank=True)
    renewal_of = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal_applications",
        verbose_name=_("renews certificate"),
    )
    # An extension ("zmiana zakresu"): more products or services for a valid certificate, which
    # gets a new version on a grant (certification.domain.versions).
    extension_of = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extension_applications",
        verbose_name=_("adds to certificate"),
    )

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=~models.Q(number=""),
                name="unique_application_number",
            )
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.number or str(_("draft #%(pk)s") % {"pk": self.pk})

    @property
    def on_paper(self) -> bool:
        return self.received_on_paper is not None


class ApplicationItem(models.Model):
    """A named product or service that the application asks to certify."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("product or service")
        verbose_name_plural = _("products and services")

    def __str__(self) -> str:
        return self.name


class DocumentType(models.Model):
    """A kind of attachment, and how many of it the application needs."""

    code = models.SlugField(_("code"), unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(
        _("name (English)"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the English pages; when empty, they show the Polish name."),
    )
    help_text_pl = models.TextField(_("explanation for the applicant (Polish)"), blank=True)
    help_text_en = models.TextField(
        _("explanation for the applicant (English)"),
        blank=True,
        help_text=_("When empty, the English pages show the Polish explanation."),
    )
    required = models.BooleanField(_("required"), default=True)
    per_item = models.BooleanField(
        _("one set per product or service"),
        default=False,
        help_text=_("For example, recommendation letters are given for each item."),
    )
    min_count = models.PositiveSmallIntegerField(_("minimum number of files"), default=1)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    review_checklist = models.TextField(
        _("what the officer checks"),
        blank=True,
        help_text=_(
            "The formal criteria of this document, one per line, listed for the officer in the "
            "formal review. Left empty: the general list (signed, current, matches the "
            "applicant's data, legible and complete)."
        ),
    )
    issue_date_required = models.BooleanField(
        _("asks for the issue date"),
        default=False,
        help_text=_("The applicant gives the date the document was issued when attaching it."),
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("maximum age in months"),
        null=True,
        blank=True,
        help_text=_(
            "For example 3 for a KRS extract. Checked when the application is submitted and "
            "when corrections are sent; needs the issue date."
        ),
    )
    max_age_days = models.PositiveSmallIntegerField(
        _("maximum age in days"),
        null=True,
        blank=True,
        help_text=_("Added to the months, or used alone (for example 30)."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    name = translated("name")
    help_text = translated("help_text", "The explanation in the language of the request.")

    def __str__(self) -> str:
        return self.name

    @property
    def has_max_age(self) -> bool:
        return bool(self.max_age_months or self.max_age_days)

    def clean(self):
        if self.has_max_age and not self.issue_date_required:
            raise ValidationError(
                {
                    "issue_date_required": _(
                        "A maximum age can be checked only when the issue date is asked for."
                    )
                }
            )


def document_upload_to(instance: "Document", filename: str) -> str:
    # Never keep a path or name from the user in the storage key: only the extension.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    """An uploaded attachment. Superseded versions are kept for the audit."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        ApplicationItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("product or service"),
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, verbose_name=_("document type")
    )
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["document_type__position", "item_id", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None


class FormalReview(models.Model):
    """One pass of the officer's formal review, with its outcome.

    No officer: the formal rejection that follows a missed corrections deadline, which the
    scheme's rules make automatic; `deadline` is then the deadline that was missed.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    deadline = models.DateField(_("corrections deadline"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("applicant's answer"), blank=True)

    class Meta:
        ordering = ["created"]
        verbose_name = _("formal review")
        verbose_name_plural = _("formal reviews")

    def __str__(self) -> str:
        return f"{self.application} — {self.result_display}"

    @property
    def result_display(self) -> str:
        """The outcome as what happened ("returned for corrections"), not as the form's
        command ("Return to the applicant…"): how histories and messages name it."""
        return str(REVIEW_RESULTS.get(self.outcome, self.get_outcome_display()))

    @property
    def deadline_missed(self) -> bool:
        return self.officer_id is None and self.outcome == ReviewOutcome.REJECT


class Defect(models.Model):
    """One thing the applicant must correct."""

    review = models.ForeignKey(FormalReview, on_delete=models.CASCADE, related_name="defects")
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="defects"
    )
    description = models.TextField(_("what is wrong"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("defect")
        verbose_name_plural = _("defects")

    def __str__(self) -> str:
        return self.description[:80]
