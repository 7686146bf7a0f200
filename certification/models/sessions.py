from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import SessionStatus
from .application import Application


class JurySession(models.Model):
    """A meeting (posiedzenie) of the jury. Its agenda's applications are decided there."""

    # "3/2026": the third session of 2026.
    number = models.CharField(_("session number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("link to the online meeting"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The minutes (protokół), made when the session is closed; private, never a public URL.
    minutes = models.FileField(upload_to="minutes/", max_length=200, blank=True)
    minutes_sha256 = models.CharField(_("SHA-256 of the minutes"), max_length=64, blank=True)
    # How many times the agenda went out: the calendar invitation's SEQUENCE (RFC 5545) grows
    # with each sending, so a calendar replaces the earlier invitation instead of adding one.
    agenda_sent_count = models.PositiveIntegerField(_("times the agenda was sent"), default=0)
    agenda_sent_at = models.DateTimeField(_("agenda last sent"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="session_sequence"),
            models.CheckConstraint(
                condition=~models.Q(place="") | ~models.Q(online_link=""),
                name="session_has_a_place_or_link",
            ),
        ]
        verbose_name = _("jury session")
        verbose_name_plural = _("jury sessions")

    def __str__(self) -> str:
        return str(_("Session %(number)s") % {"number": self.number})


class AgendaItem(models.Model):
    """An application put on a session's agenda; decided there by one resolution."""

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="agenda")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # Set when the item is the second decision on a reconsideration request.
    reconsideration = models.OneToOneField(
        "certification.ReconsiderationRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_item",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="application_once_per_agenda"
            )
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.session.number}: {self.application}"


class Attendance(models.Model):
    """Whether a jury member was present at a session, as the chair recorded it."""

    session = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_attendance"
    )
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["member__last_name", "member__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.present}"
