from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Declaration, ResolutionOutcome
from .application import Application, ApplicationItem
from .config import Criterion


class JuryMember(models.Model):
    """A person appointed to the jury (Kapituła) for a term."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_member"
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class JurorAssignment(models.Model):
    """A juror asked to score one application; starts with the impartiality declaration."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    # The day the scorecard is expected: the scheme's scoring days after assignment, fixed when
    # assigned (a later change of the rules moves no juror's date); shown in the task lists.
    due_on = models.DateField(_("scorecard due on"), null=True, blank=True)
    declaration = models.CharField(
        _("impartiality declaration"),
        max_length=12,
        choices=Declaration.choices,
        default=Declaration.PENDING,
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    recusal_reason = models.TextField(_("reason for recusal"), blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "juror"], name="one_assignment_per_juror"
            )
        ]
        verbose_name = _("juror assignment")
        verbose_name_plural = _("juror assignments")

    def __str__(self) -> str:
        return f"{self.juror} → {self.application}"


class Scorecard(models.Model):
    """One juror's scores for one application, visible to others only after it is submitted."""

    assignment = models.OneToOneField(
        JurorAssignment, on_delete=models.CASCADE, related_name="scorecard"
    )
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self) -> str:
        return str(self.assignment)


class ScorecardDraft(models.Model):
    """A juror's unfinished scorecard: seen by nobody else, counted nowhere.

    A separate table from Scorecard, so that no summary, quorum or decision can ever read a
    draft by mistake: everything that counts asks for a Scorecard. Deleted when the juror
    submits the scorecard.
    """

    assignment = models.OneToOneField(
        JurorAssignment, on_delete=models.CASCADE, related_name="scorecard_draft"
    )
    # The form's fields as the juror typed them (points_<criterion>[_<item>],
    # justification_…, comment): a draft may be incomplete or not yet valid.
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scorecard draft")
        verbose_name_plural = _("scorecard drafts")

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    """Points for one criterion: for the organisation, or for one item (the criterion's scope)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    item = models.ForeignKey(
        ApplicationItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scores",
        verbose_name=_("product or service"),
    )
    points = models.PositiveSmallIntegerField(_("points"))
    justification = models.TextField(_("justification"))

    class Meta:
        ordering = ["criterion__position", "criterion_id", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"],
                condition=models.Q(item__isnull=True),
                name="one_score_per_criterion",
            ),
            models.UniqueConstraint(
                fields=["scorecard", "criterion", "item"],
                condition=models.Q(item__isnull=False),
                name="one_score_per_criterion_and_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


class Resolution(models.Model):
    """A resolution (uchwała) of the jury on one agenda item of a session.

    Immutable once its session is closed: a mistake is corrected by a new resolution that
    names the old one (`supersedes`). A decision on reconsideration is final (`is_final`).
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="resolutions"
    )
    # Every resolution since sessions exist is taken on an agenda item; the ones recorded
    # before (migration 0010) have none.
    agenda_item = models.OneToOneField(
        "certification.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolution",
    )
    number = models.CharField(_("resolution number"), max_length=50)
    # "Uchwała nr 12/2026": the 12th of 2026; none on resolutions recorded before sessions.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    date = models.DateField(_("date of the resolution"))
    votes_for = models.PositiveSmallIntegerField(_("votes for"))
    votes_against = models.PositiveSmallIntegerField(_("votes against"))
    votes_abstaining = models.PositiveSmallIntegerField(_("abstentions"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=ResolutionOutcome.choices)
    justification = models.TextField(_("justification"))
    is_final = models.BooleanField(_("final (decision on reconsideration)"), default=False)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects resolution"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="resolution_sequence",
            )
        ]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def __str__(self) -> str:
        return self.number

    def granted_items(self):
        return ApplicationItem.objects.filter(decisions__resolution=self, decisions__granted=True)


class ItemDecision(models.Model):
    """What a resolution decided for one product or service; a refusal gives its reason."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="item_decisions"
    )
    item = models.ForeignKey(ApplicationItem, on_delete=models.PROTECT, related_name="decisions")
    granted = models.BooleanField(_("granted"))
    reason = models.TextField(_("reason for refusing this item"), blank=True)

    class Meta:
        ordering = ["item_id"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "item"], name="one_decision_per_item"),
            models.CheckConstraint(
                condition=models.Q(granted=True) | ~models.Q(reason=""),
                name="refused_item_has_reason",
            ),
        ]
        verbose_name = _("decision on an item")
        verbose_name_plural = _("decisions on items")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.granted}"
