"""Changes of the identity of an organisation that holds or held a certificate.

Its name, legal form, NIP, REGON, KRS number and address (models.IDENTITY_FIELDS) are what its
certificates print. A member asks for a change (one pending request at a time); an officer
compares the values and approves it, which changes the organisation, or refuses it with a
reason. Certificates keep stating the identity they were issued to (Certificate.holder_*).
"""

import copy
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import events
from ..choices import ChangeRequestStatus
from ..models import (
    IDENTITY_FIELDS,
    Certificate,
    Identity,
    Organization,
    OrganizationChangeRequest,
)
from ..permissions import is_officer
from . import audit, locations, search
from .errors import DomainError
from .organizations import check_profile, identity_changes, identity_locked, update_organization

# A reason longer than this is a paste gone wrong.
REASON_MAX_LENGTH = 2000


def _proposed(organization: Organization, fields: dict) -> Organization:
    """The organisation as it would be: checked by the same rules as the profile form."""
    proposed = copy.copy(organization)
    for name, value in fields.items():
        setattr(proposed, name, value)
    check_profile(proposed)
    return proposed


def pending_request(organization: Organization) -> OrganizationChangeRequest | None:
    return organization.change_requests.filter(status=ChangeRequestStatus.PENDING).first()


@transaction.atomic
def file_request(
    *, organization: Organization, user, allow_nothing: bool = False, **fields
) -> OrganizationChangeRequest | None:
    """A member asks for the identity fields in `fields` to change.

    ValidationError for values the profile form would refuse; DomainError for a non-member, an
    organisation whose identity is not locked (it edits its profile directly), a request
    already pending, or nothing changed (None instead with allow_nothing).
    """
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"Not identity fields: {sorted(unknown)}")
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    # Membership, not a role: a superuser or an officer who is no member asks for nothing.
    if not locked.members.filter(pk=user.pk).exists():
        raise DomainError(_("Only a member of the organisation can ask to change its details."))
    if not identity_locked(locked):
        raise DomainError(_("This organisation changes its details itself, without a request."))
    proposed = _proposed(locked, fields)
    changed = identity_changes(locked, proposed)
    if not changed:
        if allow_nothing:
            return None
        raise DomainError(_("The request changes nothing."))
    if pending_request(locked) is not None:
        raise DomainError(
            _(
                "A change request of this organisation's details is already waiting for an "
                "officer. You can ask for another change once it is decided."
            ),
            field=changed[0],
        )
    before = {name: getattr(locked, name) for name in changed}
    after = {name: getattr(proposed, name) for name in changed}
    try:
        with transaction.atomic():
            change_request = OrganizationChangeRequest.objects.create(
                organization=locked, before=before, after=after, requested_by=user
            )
    except IntegrityError:  # another member's request won the race for the one pending slot
        raise DomainError(
            _("A change request of this organisation's details is already waiting.")
        ) from None
    audit.record(
        actor=user,
        action="organization.change_requested",
        message=locked.name,
        organization=locked.pk,
        change_request=change_request.pk,
        before=before,
        after=after,
    )
    return change_request


@dataclass(frozen=True)
class ProfileSaved:
    organization: Organization
    saved: list[str]  # fields saved at once
    change_request: OrganizationChangeRequest | None  # filed for the locked identity fields


@transaction.atomic
def save_profile(*, organization: Organization, user, **fields) -> ProfileSaved:
    """What a member's profile form sends: saved at once, except a locked identity's fields,
    which become one change request for an officer. All or nothing: ValidationError or
    DomainError on bad data, as the profile form shows them."""
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    if not locked.members.filter(pk=user.pk).exists():
        raise DomainError(_("Only a member of the organisation can change its details."))
    if not identity_locked(locked):
        saved = update_organization(organization=locked, user=user, **fields)
        return ProfileSaved(saved, sorted(fields), None)
    identity = {name: value for name, value in fields.items() if name in IDENTITY_FIELDS}
    rest = {name: value for name, value in fields.items() if name not in IDENTITY_FIELDS}
    change_request = file_request(organization=locked, user=user, allow_nothing=True, **identity)
    if rest:
        locked = update_organization(organization=locked, user=user, **rest)
    return ProfileSaved(locked, sorted(rest), change_request)


def _locked_pending(change_request: OrganizationChangeRequest, officer):
    if officer is None or not is_officer(officer):
        raise DomainError(_("Only an officer can decide a change request."))
    locked = (
        OrganizationChangeRequest.objects.select_for_update()
        .select_related("organization")
        .get(pk=change_request.pk)
    )
    if not locked.is_pending:
        raise DomainError(_("This change request has already been decided."))
    if locked.organization.members.filter(pk=officer.pk).exists():
        raise DomainError(
            _("You are a member of this organisation: another officer must decide its request.")
        )
    return locked


def _decided(change_request: OrganizationChangeRequest, *, status: str, officer) -> None:
    change_request.status = status
    change_request.decided_by = officer
    change_request.decided_at = timezone.now()
    change_request.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
    events.announce(events.ORGANIZATION_CHANGE_DECIDED, change_request_id=change_request.pk)


@transaction.atomic
def approve_request(
    *, change_request: OrganizationChangeRequest, officer
) -> OrganizationChangeRequest:
    """The organisation takes the requested values; its certificates keep the issued ones."""
    locked = _locked_pending(change_request, officer)
    organization = Organization.objects.select_for_update().get(pk=locked.organization_id)
    current = {name: getattr(organization, name) for name in locked.before}
    if current != locked.before:
        raise DomainError(
            _(
                "The organisation's details have changed since this request was made. Refuse "
                "it and ask the organisation for a new one."
            )
        )
    before_name = organization.name
    try:
        proposed = _proposed(organization, locked.after)
    except ValidationError as error:
        raise DomainError(
            _("The requested values are no longer acceptable: %(problems)s")
            % {"problems": " ".join(error.messages)}
        ) from None
    moved = locations.follow_address(organization=proposed, before=locked.before, actor=officer)
    proposed.save(update_fields=list(locked.after) + (locations.LOCATION_FIELDS if moved else []))
    # Its certificates are found by its name and NIP today too (the issued ones stay).
    search.refresh_organization(organization=proposed)
    _decided(locked, status=ChangeRequestStatus.APPROVED, officer=officer)
    audit.record(
        actor=officer,
        action="organization.change_approved",
        message=before_name,
        organization=organization.pk,
        change_request=locked.pk,
        before=locked.before,
        after=locked.after,
    )
    return locked


@transaction.atomic
def refuse_request(
    *, change_request: OrganizationChangeRequest, officer, reason: str
) -> OrganizationChangeRequest:
    """The organisation stays as it is; the applicant is told the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the refusal."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            _("The reason can have at most %(max)d characters.") % {"max": REASON_MAX_LENGTH},
            field="reason",
        )
    locked = _locked_pending(change_request, officer)
    locked.refusal_reason = reason
    _decided(locked, status=ChangeRequestStatus.REFUSED, officer=officer)
    audit.record(
        actor=officer,
        action="organization.change_refused",
        message=locked.organization.name,
        organization=locked.organization_id,
        change_request=locked.pk,
        before=locked.before,
        after=locked.after,
        reason=reason,
    )
    return locked


@dataclass(frozen=True)
class LaterIdentity:
    """What a certificate's page adds about its holder after the issue."""

    now: object | None  # the organisation's Identity today, when it differs from the issued one
    changed_on: object | None  # the day of the last approved change, when `now` is given
    # Names the organisation went by, oldest first: neither today's nor the one the certificate
    # states (both are shown already).
    earlier_names: list[str]


def later_identity(certificate: Certificate) -> LaterIdentity:
    """The holder's approved changes since issue and its earlier names (one query)."""
    organization = certificate.organization
    approved = list(
        organization.change_requests.filter(status=ChangeRequestStatus.APPROVED)
        .order_by("decided_at", "pk")
        .values_list("before", "decided_at")
    )
    names = [before["name"] for before, _day in approved if "name" in before]
    shown = {organization.name, certificate.holder_name}
    earlier = [n for n in dict.fromkeys(names) if n not in shown]
    now = organization.identity
    if now == certificate.holder:
        return LaterIdentity(None, None, earlier)
    changed_on = timezone.localdate(approved[-1][1]) if approved else None
    return LaterIdentity(now, changed_on, earlier)


@dataclass(frozen=True)
class ChangeRow:
    """One changed field of a request, as people read it."""

    name: str
    label: str
    before: str
    after: str
    now: str  # the organisation's value today


def _shown(name: str, value: str) -> str:
    identity_display = {
        "legal_form": lambda v: Identity.of_values(legal_form=v).get_legal_form_display(),
        "powiat": lambda v: Identity.of_values(powiat=v).get_powiat_display(),
    }
    return identity_display[name](value) if name in identity_display and value else value


def change_rows(change_request: OrganizationChangeRequest) -> list[ChangeRow]:
    """The request's changed fields in the profile form's order, with labels and display values."""
    organization = change_request.organization
    return [
        ChangeRow(
            name=name,
            label=str(capfirst(Organization._meta.get_field(name).verbose_name)),
            before=_shown(name, change_request.before.get(name, "")),
            after=_shown(name, change_request.after.get(name, "")),
            now=_shown(name, getattr(organization, name)),
        )
        for name in IDENTITY_FIELDS
        if name in change_request.after
    ]
