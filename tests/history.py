"""Certificates with a status history, built day by day in the past (tests of status_on and of
verification on a past date)."""

import datetime

from django.utils import timezone

from certification.choices import CertificateTransition
from certification.domain import lifecycle
from certification.models import Certificate

from . import factories

TODAY = timezone.localdate()


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def at_noon(day: datetime.date) -> datetime.datetime:
    return lifecycle.start_of_day(day) + datetime.timedelta(hours=12)


def with_history(*events, issued: int = 200, valid_days: int = 364) -> Certificate:
    """A certificate issued `issued` days ago whose history holds `events`:
    (transition, status after it, day, reason)."""
    issued_on = ago(issued)
    certificate = factories.certificate(
        issued_on=issued_on, valid_until=issued_on + datetime.timedelta(days=valid_days)
    )
    lifecycle.record_change(
        certificate=certificate,
        transition=CertificateTransition.ISSUE,
        actor=None,
        effective=at_noon(issued_on),
    )
    for transition, status, day, reason in events:
        certificate.status = status
        certificate.status_reason = reason
        certificate.save(update_fields=["status", "status_reason"])
        lifecycle.record_change(
            certificate=certificate,
            transition=transition,
            actor=None,
            effective=at_noon(day),
            reason=reason,
            correction_until=day + datetime.timedelta(days=30) if status == "suspended" else None,
        )
    return certificate


SUSPENDED_THEN_REINSTATED = (
    ("suspend", "suspended", ago(100), "Brak aktualnych rekomendacji."),
    ("reinstate", "valid", ago(80), ""),
)
