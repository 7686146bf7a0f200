"""Changes during validity: a certificate's versions (same number, same end date).

A holder adds products or services by an extension application ("zmiana zakresu"), which goes
through the formal review and the jury like any other (workflows/flows.py); on a grant the
certificate gets a new version covering them too. A holder withdraws a product or service
itself, at once (see `withdraw_item`). Each version is a row kept for good (models/
certificate_version.py) with the items it covered, from when, and its own PDF.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import ApplicationStatus, VersionChange
from ..models import Application, ApplicationItem, Certificate, CertificateVersion
from . import applications, audit, decision, search
from .errors import DomainError
from .membership import check_member
from .validity import unchangeable_because

# An extension in one of these states no longer stands in the way of another.
_FINISHED = {ApplicationStatus.CERTIFIED, ApplicationStatus.REFUSED, ApplicationStatus.REJECTED}


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def version_on(certificate: Certificate, day: datetime.date) -> CertificateVersion | None:
    """The version in force at the end of `day` (None before the first)."""
    end = _end_of_day(day)
    cached = getattr(certificate, "_prefetched_objects_cache", {}).get("versions")
    if cached is not None:
        earlier = [v for v in cached if v.effective < end]
        return max(earlier, key=lambda v: v.number) if earlier else None
    return certificate.versions.filter(effective__lt=end).order_by("-number").first()


def pending_extension(certificate: Certificate) -> Application | None:
    """The certificate's extension application still under way, if any."""
    return certificate.extension_applications.exclude(status__in=_FINISHED).order_by("-pk").first()


def _locked_for_member(certificate: Certificate, user, message: str) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    check_member(organization_id=locked.organization_id, user=user, message=message)
    return locked


@transaction.atomic
def start_extension(*, certificate: Certificate, user) -> tuple[Application, bool]:
    """A draft extension application for the certificate: (the draft, whether it is new).

    Only the new products or services are asked for (with their recommendation letters); the
    questionnaire is copied from the certificate's application and the organisation's documents
    are those of its file. Asked twice, the extension already under way is returned.
    """
    locked = _locked_for_member(
        certificate,
        user,
        _("Only a member of the organisation can add to its certificate."),
    )
    problem = unchangeable_because(locked, today=timezone.localdate())
    if problem:
        raise DomainError(problem)
    pending = pending_extension(locked)
    if pending is not None:
        return pending, False
    previous = locked.application
    draft = applications.create_application(organization=locked.organization, user=user)
    for name in applications.QUESTIONNAIRE_FIELDS:
        setattr(draft, name, getattr(previous, name))
    draft.extension_of = locked
    draft.save(update_fields=[*applications.QUESTIONNAIRE_FIELDS, "extension_of"])
    audit.record(
        actor=user,
        action="certificate.extension_started",
        certificate=locked,
        message=str(draft),
        application_pk=draft.pk,
    )
    return draft, True


def _next_number(certificate: Certificate) -> int:
    return (certificate.versions.aggregate(m=Max("number"))["m"] or 0) + 1


def record_version(
    *,
    certificate: Certificate,
    change: str,
    items: list[ApplicationItem],
    actor=None,
    application: Application | None = None,
    reason: str = "",
    effective: datetime.datetime | None = None,
) -> CertificateVersion:
    """A new version of the locked `certificate`, covering `items` from now (the caller's
    transaction). The PDF of the version before stays with that version; the new one's is made
    by a job (announced by the caller)."""
    version = CertificateVersion.objects.create(
        certificate=certificate,
        number=_next_number(certificate),
        change=change,
        effective=effective or timezone.now(),
        application=application,
        reason=reason,
        actor=actor,
    )
    version.items.set(items)
    if version.number > 1:
        certificate.items.set(items)
        search.refresh(certificates=[certificate])
        # The current PDF lists the items of the version before: it stays that version's.
        certificate.pdf = ""
        certificate.pdf_sha256 = ""
        certificate.save(update_fields=["pdf", "pdf_sha256"])
    return version


@transaction.atomic
def grant_extension(*, application: Application) -> CertificateVersion:
    """The jury granted (some of) an extension application's items: the certificate it adds to
    gets a new version covering them too, until the same date; the application is certified.
    The system does this on the jury's decision (no person acts), through the flow."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.extension_of_id is None:
        raise DomainError(_("This application does not add to a certificate."))
    certificate = Certificate.objects.select_for_update().get(pk=locked.extension_of_id)
    problem = unchangeable_because(certificate, today=timezone.localdate())
    if problem:
        raise DomainError(problem)
    resolution = decision.in_force(locked)
    granted = list(resolution.granted_items()) if resolution else []
    if not granted:
        raise DomainError(_("The jury has not granted the mark to this application."))
    covered = list(certificate.items.all())
    version = record_version(
        certificate=certificate,
        change=VersionChange.ADD,
        items=covered + [item for item in granted if item not in covered],
        application=locked,
    )
    audit.record(
        actor=None,
        action="certificate.version_issued",
        application=locked,
        certificate=certificate,
        message=", ".join(item.name for item in granted),
        version=version.number,
        items=[item.pk for item in granted],
    )
    audit.change_status(
        application=locked,
        actor=None,
        action="application.certified",
        to_state=ApplicationStatus.CERTIFIED,
        message=certificate.number,
    )
    events.announce(events.CERTIFICATE_VERSION_ISSUED, version_id=version.pk)
    return version


@transaction.atomic
def withdraw_item(
    *, certificate: Certificate, item: ApplicationItem, user, reason: str = ""
) -> CertificateVersion:
    """The holder gives up the mark for one product or service: a new version without it, at
    once.

    No officer confirms it: it only narrows what the holder may claim, needs no assessment, and
    a wait would leave the registry vouching for something the holder has given up. The change
    is audited and e-mailed to the organisation; ROPS sees it in the certificate's history.
    """
    locked = _locked_for_member(
        certificate,
        user,
        _("Only a member of the organisation can withdraw a product or service."),
    )
    problem = unchangeable_because(locked, today=timezone.localdate())
    if problem:
        raise DomainError(problem)
    covered = list(locked.items.all())
    if item not in covered:
        raise DomainError(
            _("“%(item)s” is not covered by certificate %(number)s.")
            % {"item": item.name, "number": locked.number}
        )
    if len(covered) == 1:
        raise DomainError(
            _(
                "“%(item)s” is the last product or service of certificate %(number)s: a "
                "certificate cannot cover nothing. To stop using the mark altogether, ask ROPS "
                "to revoke the certificate."
            )
            % {"item": item.name, "number": locked.number}
        )
    version = record_version(
        certificate=locked,
        change=VersionChange.WITHDRAW,
        items=[i for i in covered if i != item],
        actor=user,
        reason=reason.strip(),
    )
    audit.record(
        actor=user,
        action="certificate.item_withdrawn",
        certificate=locked,
        message=item.name,
        version=version.number,
        item=item.pk,
        reason=reason.strip(),
    )
    events.announce(events.CERTIFICATE_VERSION_ISSUED, version_id=version.pk)
    return version


@transaction.atomic
def attach_version_pdf(*, certificate: Certificate) -> None:
    """The certificate's PDF just attached is its newest version's too (kept with it when a
    later version comes)."""
    version = certificate.versions.order_by("-number").first()
    if version is not None and not version.pdf:
        version.pdf = certificate.pdf.name
        version.pdf_sha256 = certificate.pdf_sha256
        version.save(update_fields=["pdf", "pdf_sha256"])
