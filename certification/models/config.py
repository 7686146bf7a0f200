from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import CriterionScope
from .translated import translated


class SchemeRules(models.Model):
    """The scheme's configurable thresholds. One row, edited by the administrator."""

    min_activity_months = models.PositiveSmallIntegerField(
        _("minimum months of activity"), default=6
    )
    min_own_revenue_percent = models.DecimalField(
        _("minimum own-revenue share (%)"), max_digits=5, decimal_places=2, default=Decimal(30)
    )
    min_recommendations_per_item = models.PositiveSmallIntegerField(
        _("recommendation letters required per item"), default=2
    )
    corrections_days = models.PositiveSmallIntegerField(_("days given for corrections"), default=14)
    min_jurors = models.PositiveSmallIntegerField(
        _("jurors to assign"), default=3, validators=[MinValueValidator(1)]
    )
    quorum = models.PositiveSmallIntegerField(
        _("scorecards needed for a decision (quorum)"), default=3, validators=[MinValueValidator(1)]
    )
    pass_threshold_percent = models.DecimalField(
        _("pass threshold: weighted average in per cent of the maximum"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(60),
    )
    decision_target_days = models.PositiveSmallIntegerField(
        _("target days from a complete file to a decision"), default=90
    )
    certificate_validity_days = models.PositiveSmallIntegerField(
        _("certificate validity (days)"), default=365
    )
    session_quorum_percent = models.PositiveSmallIntegerField(
        _("session quorum: more than this per cent of the jury present"),
        default=50,
        validators=[MaxValueValidator(99)],
        help_text=_("50 means half of the active jury plus one."),
    )
    outlier_points = models.PositiveSmallIntegerField(
        _("flag a juror's score more than this many points away from the median"), default=2
    )
    reconsideration_days = models.PositiveSmallIntegerField(
        _("days to request reconsideration"), default=14, validators=[MinValueValidator(1)]
    )
    # A juror is told this when assigned, and reminded daily once it has passed.
    scoring_days = models.PositiveSmallIntegerField(
        _("days a juror has to score an application"), default=21, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("scheme rules")
        verbose_name_plural = _("scheme rules")

    def __str__(self) -> str:
        return str(_("Scheme rules"))

    @property
    def decision_target_months(self) -> int:
        """The target as applicants read it: "about 3 months"."""
        return round(self.decision_target_days / 30)

    @classmethod
    def current(cls) -> "SchemeRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


class CriteriaVersion(models.Model):
    """A set of criteria as it was in force. A scoring round keeps the version it started with;
    a version once used is never edited: editing makes a new one (certification.domain.criteria).
    """

    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    created = models.DateTimeField(auto_now_add=True)
    in_force_from = models.DateTimeField(_("in force from"), null=True, blank=True)
    note = models.TextField(_("what changed"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("criteria version")
        verbose_name_plural = _("criteria versions")

    def __str__(self) -> str:
        return str(_("Criteria, version %(n)d") % {"n": self.number})


class Criterion(models.Model):
    """One line of the jury's scorecard, in one version of the criteria."""

    version = models.ForeignKey(
        CriteriaVersion,
        on_delete=models.PROTECT,
        related_name="criteria",
        verbose_name=_("criteria version"),
    )
    scope = models.CharField(
        _("scored for"),
        max_length=12,
        choices=CriterionScope.choices,
        default=CriterionScope.ORGANIZATION,
    )

    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(
        _("name (English)"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the English pages; when empty, they show the Polish name."),
    )
    description_pl = models.TextField(_("what the juror looks at (Polish)"), blank=True)
    description_en = models.TextField(
        _("what the juror looks at (English)"),
        blank=True,
        help_text=_("When empty, the English pages show the Polish text."),
    )
    min_points = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_points = models.PositiveSmallIntegerField(_("highest score"))
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=Decimal(1))
    minimum_average = models.DecimalField(
        _("lowest acceptable average"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("An application whose average on this criterion is lower is not granted."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_points__gt=models.F("min_points")),
                name="criterion_range_not_empty",
            )
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    name = translated("name")
    description = translated("description", "What the juror looks at, in the request's language.")

    def __str__(self) -> str:
        return f"{self.name} ({self.min_points}–{self.max_points})"
