import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import LetterKind, ReconsiderationStatus
from .application import Application, FormalReview
from .jury import Resolution


class ReconsiderationRequest(models.Model):
    """The applicant's one reasoned request to reconsider a refusal, partial grant or formal
    rejection, filed within the scheme's deadline. The second decision is final."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="reconsiderations"
    )
    # Exactly one of the two: what is contested.
    contested_resolution = models.OneToOneField(
        Resolution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconsideration",
    )
    contested_review = models.OneToOneField(
        FormalReview,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconsideration",
    )
    reasons = models.TextField(_("reasons for reconsideration"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField(_("deadline for the request"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReconsiderationStatus.choices,
        default=ReconsiderationStatus.PENDING,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # A formal rejection is reconsidered by an officer, not the jury: their answer.
    officer_answer = models.TextField(_("officer's answer"), blank=True)
    upheld = models.BooleanField(_("first decision upheld"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contested_resolution__isnull=True)
                ^ models.Q(contested_review__isnull=True),
                name="reconsideration_contests_one_decision",
            )
        ]
        verbose_name = _("reconsideration request")
        verbose_name_plural = _("reconsideration requests")

    def __str__(self) -> str:
        return str(_("Reconsideration of %(application)s") % {"application": self.application})


def reconsideration_upload_to(instance: "ReconsiderationAttachment", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"reconsiderations/{instance.request.application_id}/{uuid.uuid4().hex}{suffix}"


class ReconsiderationAttachment(models.Model):
    request = models.ForeignKey(
        ReconsiderationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=reconsideration_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment to a reconsideration request")
        verbose_name_plural = _("attachments to reconsideration requests")

    def __str__(self) -> str:
        return self.original_name


class LetterTemplate(models.Model):
    """The administrator's text of one kind of decision letter in one language."""

    kind = models.CharField(_("kind of letter"), max_length=20, choices=LetterKind.choices)
    final = models.BooleanField(_("second, final decision (after reconsideration)"), default=False)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "final", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "final", "language"], name="one_letter_text_per_kind"
            )
        ]
        verbose_name = _("decision letter text")
        verbose_name_plural = _("decision letter texts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class DecisionLetter(models.Model):
    """A letter as sent: the PDF is kept for good, in the applicant's and the staff file."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("kind of letter"), max_length=20, choices=LetterKind.choices)
    final = models.BooleanField(_("final decision"), default=False)
    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    review = models.ForeignKey(
        FormalReview, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    # The day by which reconsideration may be requested; none on a grant or a final decision.
    reconsideration_deadline = models.DateField(null=True, blank=True)
    pdf = models.FileField(upload_to="letters/", max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolution__isnull=True) ^ models.Q(review__isnull=True),
                name="letter_answers_one_decision",
            ),
            # One letter per decision and language, however often its job runs.
            models.UniqueConstraint(
                fields=["resolution", "language"],
                condition=models.Q(resolution__isnull=False),
                name="one_letter_per_resolution_and_language",
            ),
            models.UniqueConstraint(
                fields=["review", "final", "language"],
                condition=models.Q(review__isnull=False),
                name="one_letter_per_review_and_language",
            ),
        ]
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.application}"
