"""E-mails to the organisation about its certificate's life after issue (suspension with its
correction period, reinstatement, revocation, expiry) and the warning before a corrections
deadline: each says what happened and what to do next.

Composed by the `notify` job (tasks.py) like notifications.py's, from what is committed when the
job runs, in each recipient's language.
"""

import datetime

from django.core.mail import EmailMessage
from django.utils import timezone

from .choices import ApplicationStatus
from .domain.certificates import number_to_slug
from .domain.renewal import RENEWAL_GRACE_DAYS
from .models import Application, AuditEvent, CertificateStatusChange, CertificateVersion
from .notifications import _application_context, _compose, _url


def _certificate_change(event: str, change_id: int) -> list[EmailMessage]:
    change = CertificateStatusChange.objects.select_related(
        "certificate__organization", "certificate__application"
    ).get(pk=change_id)
    certificate = change.certificate
    slug = number_to_slug(certificate.number)
    return _compose(
        event,
        certificate.organization,
        {
            "certificate": certificate,
            "change": change,
            "certificate_items": list(certificate.items.all()),
            "certificate_url": _url("certificate_detail", slug),
            "grace_days": RENEWAL_GRACE_DAYS,
        },
    )


def certificate_suspended(*, change_id: int) -> list[EmailMessage]:
    """The reason, the end of the correction period, and what happens if nothing changes."""
    return _certificate_change("certificate_suspended", change_id)


def certificate_reinstated(*, change_id: int) -> list[EmailMessage]:
    return _certificate_change("certificate_reinstated", change_id)


def certificate_revoked(*, change_id: int) -> list[EmailMessage]:
    return _certificate_change("certificate_revoked", change_id)


def certificate_expired(*, change_id: int) -> list[EmailMessage]:
    """The mark may no longer be used; a renewal is still possible for a while."""
    return _certificate_change("certificate_expired", change_id)


def certificate_version_issued(*, version_id: int) -> list[EmailMessage]:
    """A new version: what changed, what the certificate covers now, its end date unchanged."""
    version = CertificateVersion.objects.select_related(
        "certificate__organization", "application"
    ).get(pk=version_id)
    certificate = version.certificate
    slug = number_to_slug(certificate.number)
    return _compose(
        "certificate_version_issued",
        certificate.organization,
        {
            "certificate": certificate,
            "version": version,
            "version_items": list(version.items.all()),
            "certificate_url": _url("certificate_detail", slug),
            "pdf_url": _url("certificate_pdf", slug),
        },
    )


def corrections_deadline_near(
    *, application_id: int, deadline: str, today: str | None = None
) -> list[EmailMessage]:
    """A few days before the corrections deadline, if the corrections have not come yet.
    `today` is the day the daily job warned for (the days left are counted from it)."""
    application = Application.objects.select_related("organization").get(pk=application_id)
    day = datetime.date.fromisoformat(deadline)
    if (
        application.status != ApplicationStatus.CORRECTIONS
        or application.corrections_deadline != day
    ):
        return []  # corrected, or the deadline moved, meanwhile: nothing to warn of
    return _compose(
        "corrections_deadline_near",
        application.organization,
        {
            **_application_context(application),
            "deadline": day,
            "days_left": (
                day - (datetime.date.fromisoformat(today) if today else timezone.localdate())
            ).days,
            "corrections_url": _url("corrections_start", application.pk),
        },
    )


def corrections_deadline_extended(
    *, application_id: int, audit_event_id: int
) -> list[EmailMessage]:
    """The officer gave more time: the new deadline and the reason (domain/deadlines.py)."""
    application = Application.objects.select_related("organization").get(pk=application_id)
    extension = AuditEvent.objects.get(pk=audit_event_id, application=application)
    if application.status != ApplicationStatus.CORRECTIONS:
        return []  # corrected (or rejected) meanwhile: the new date no longer matters
    return _compose(
        "corrections_deadline_extended",
        application.organization,
        {
            **_application_context(application),
            "deadline": datetime.date.fromisoformat(extension.details["deadline"]),
            "reason": extension.message,
            "corrections_url": _url("corrections_start", application.pk),
        },
    )
