"""Applications received on paper: an officer registers them for the PES, with scans.

Registration builds the application with the same domain functions a PES uses (items, codes,
documents: the same file checks and the same completeness rules) and submits it, all in one
transaction: a broken rule leaves nothing behind, no organisation, no file. The officer acts
for the PES on it until someone of the organisation has an account (permissions.
acts_for_paper_applicant): then its members take it over like any application of theirs.
"""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Application, CpvCode, Document, DocumentType, Organization
from ..permissions import is_officer
from ..storage import discard
from ..validators import normalize_digits
from . import applications, audit, documents, item_codes, locations
from .errors import DomainError
from .organizations import check_profile


@dataclass(frozen=True)
class PaperItem:
    name: str
    kind: str
    description: str
    codes: list[CpvCode]


@dataclass(frozen=True)
class PaperFile:
    """A scan; `item` is the index in the registered items for a per-item document type."""

    document_type: DocumentType
    uploaded: UploadedFile
    item: int | None = None


def find_organization(nip: str) -> Organization | None:
    digits = normalize_digits(nip or "")
    return Organization.objects.filter(nip=digits).first() if digits else None


def check_received_on(received_on: datetime.date) -> None:
    if received_on > timezone.localdate():
        raise DomainError(
            _("The date the paper application was received cannot be in the future."),
            field="received_on",
        )


def _organization(*, officer, nip: str, fields: dict) -> Organization:
    """The organisation with this NIP, or a new one (no member yet) with `fields`."""
    existing = (
        Organization.objects.select_for_update().filter(nip=normalize_digits(nip or "")).first()
    )
    if existing is not None:
        return existing
    organization = Organization(**{**fields, "nip": nip})
    check_profile(organization)  # ValidationError naming the field: bad NIP, REGON, KRS …
    locations.place(organization)
    organization.save()
    audit.record(
        actor=officer,
        action="organization.registered",
        message=organization.name,
        organization=organization.pk,
        on_paper=True,
    )
    return organization


def _received_at(received_on: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(received_on, datetime.time()))


@transaction.atomic
def _register(
    *,
    officer,
    nip: str,
    organization_fields: dict,
    received_on: datetime.date,
    answers: dict,
    items: list[PaperItem],
    files: list[PaperFile],
    stored: list[Document],
) -> Application:
    organization = _organization(officer=officer, nip=nip, fields=organization_fields)
    twin = Application.objects.filter(organization=organization, received_on_paper=received_on)
    if twin.exists():
        raise DomainError(
            _(
                "An application of %(organization)s received on paper on %(date)s is already "
                "registered (%(number)s). Open it from the list of applications instead."
            )
            % {
                "organization": organization.name,
                "date": date_format(received_on, "SHORT_DATE_FORMAT"),
                "number": twin.first().number,
            },
            field="received_on",
        )
    application = Application.objects.create(
        organization=organization,
        created_by=officer,
        social_goals="",
        received_on_paper=received_on,
    )
    audit.record(
        actor=officer,
        action="application.created",
        application=application,
        to_state=application.status,
        on_paper=True,
    )
    applications.update_questionnaire(application=application, user=officer, **answers)
    made = [
        item_codes.add_item_with_codes(
            application=application,
            user=officer,
            name=item.name,
            kind=item.kind,
            description=item.description,
            codes=item.codes,
        )
        for item in items
    ]
    for scan in files:
        try:
            document = documents.add_document(
                application=application,
                user=officer,
                document_type=scan.document_type,
                uploaded=scan.uploaded,
                item=made[scan.item] if scan.item is not None else None,
            )
        except DomainError as error:
            # Many scans are sent at once: say which one.
            raise DomainError(
                _("%(type)s, file “%(name)s”: %(problem)s")
                % {"type": scan.document_type.name, "name": scan.uploaded.name, "problem": error}
            ) from error
        stored.append(document)
    application = applications.submit_application(application=application, user=officer)
    # The day ROPS received the paper is the day that counts, whenever it is typed in.
    application.submitted_at = _received_at(received_on)
    application.number = f"W/{received_on.year}/{application.pk:05d}"
    application.save(update_fields=["submitted_at", "number"])
    officer_name = officer.get_full_name() or officer.username
    audit.record(
        actor=officer,
        action="application.registered_from_paper",
        application=application,
        message=_("registered from a paper application by %(officer)s") % {"officer": officer_name},
        received_on=received_on.isoformat(),
    )
    return application


def register_paper_application(
    *,
    officer,
    nip: str,
    organization_fields: dict,
    received_on: datetime.date,
    answers: dict,
    items: list[PaperItem],
    files: list[PaperFile],
) -> Application:
    """Register and submit an application received on paper; its caller (the workflow) starts
    the process in the same transaction. DomainError or ValidationError (organisation data)
    when a rule is broken: then nothing is saved and no scan is kept."""
    if officer is None or not is_officer(officer):
        raise DomainError(_("Only an officer can register an application received on paper."))
    check_received_on(received_on)
    if not items:
        raise DomainError(_("Name at least one product or service to certify."), field="items")
    stored: list[Document] = []
    try:
        return _register(
            officer=officer,
            nip=nip,
            organization_fields=organization_fields,
            received_on=received_on,
            answers=answers,
            items=items,
            files=files,
            stored=stored,
        )
    except Exception:
        for document in stored:
            discard(document.file.storage, document.file.name)
        raise


def unclaimed(application: Application) -> bool:
    """A paper application whose organisation has no account yet: the officer acts for it."""
    return application.on_paper and not application.organization.members.exists()
