"""A member invites a colleague, by e-mail, to join their organisation.

The raw token lives only in the e-mailed link; the database keeps its SHA-256, so a leaked copy
of the table cannot be used to join. An invitation is open until it is accepted, cancelled or
replaced (sending again to the same address cancels the earlier one), and it expires.
"""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import events
from ..models import Application, Invitation, Membership, Organization
from ..permissions import is_officer
from . import audit
from .errors import DomainError

VALID_DAYS = 14
# Invitation e-mails go out from the service's own address with text the inviter chose (the
# organisation's name): limits keep it from being a way to flood a mailbox or send spam.
MAX_PER_ORGANIZATION_PER_DAY = 20
MAX_PER_ADDRESS_PER_DAY = 3


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise DomainError(
            _("Enter an e-mail address in the right format, like name@example.pl."),
            field="email",
        ) from None
    return address


def find_invitation(*, token: str) -> Invitation | None:
    if not token:
        return None
    return (
        Invitation.objects.select_related("organization", "invited_by", "accepted_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def open_invitations(*, organization: Organization):
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, cancelled_at__isnull=True
    )


def inviter_name(invitation: Invitation) -> str:
    person = invitation.invited_by
    if person is None:
        return _("a member of the organisation")
    return person.get_full_name() or person.username


def is_expired(invitation: Invitation, *, now: datetime.datetime | None = None) -> bool:
    return invitation.expires_at <= (now or timezone.now())


def why_unusable(invitation: Invitation, *, user=None) -> str | None:
    """Why nobody (or, once used, nobody but its user) can accept this invitation; else None."""
    if invitation.accepted_at is not None:
        if user is not None and invitation.accepted_by_id == user.pk:
            return None  # a second click of the same person: nothing to refuse
        return _("This invitation has already been used.")
    if invitation.cancelled_at is not None:
        # Sending again cancels the earlier invitation to the same address: say which link works.
        if (
            open_invitations(organization=invitation.organization)
            .filter(email=invitation.email, created__gt=invitation.created)
            .exists()
        ):
            return _(
                "This link has been replaced by a newer invitation. Use the link in the most "
                "recent e-mail you received from us."
            )
        return _(
            "This invitation has been cancelled. If you should join %(organization)s, ask one "
            "of its members to invite you again."
        ) % {"organization": invitation.organization.name}
    # An officer's invitation to take over a paper application needs no inviting member.
    inviter_left = not (
        Membership.objects.filter(
            user_id=invitation.invited_by_id, organization_id=invitation.organization_id
        ).exists()
        or (invitation.invited_by is not None and is_officer(invitation.invited_by))
    )
    if inviter_left:
        return _(
            "The person who invited you is no longer a member of %(organization)s, so this "
            "invitation no longer works. Ask a current member to invite you again."
        ) % {"organization": invitation.organization.name}
    if is_expired(invitation):
        return _(
            "This invitation expired on %(date)s. Ask %(inviter)s or another member of "
            "%(organization)s to invite you again."
        ) % {
            "date": date_format(timezone.localtime(invitation.expires_at), "j E Y"),
            "inviter": inviter_name(invitation),
            "organization": invitation.organization.name,
        }
    return None


def wrong_account(invitation: Invitation, *, user) -> str | None:
    """Why this logged-in user is not the invited person; None when the e-mail matches."""
    own = (user.email or "").strip().lower()
    if own == invitation.email:
        return None
    if not own:
        return _(
            "Your account has no e-mail address, and this invitation was sent to %(invited)s. "
            "Log in with the account that uses %(invited)s, or create one."
        ) % {"invited": invitation.email}
    return _(
        "This invitation was sent to %(invited)s, but you are logged in as %(yours)s. Log out "
        "and log in with the account that uses %(invited)s, or ask %(inviter)s to invite "
        "%(yours)s instead."
    ) % {"invited": invitation.email, "yours": own, "inviter": inviter_name(invitation)}


@transaction.atomic
def invite_colleague(
    *, organization: Organization, email: str, invited_by
) -> tuple[Invitation, str]:
    """Invite an e-mail address to join; sending again replaces the open invitation.

    Returns the invitation and the raw token (for the link; it is not stored).
    """
    # The organisation's row lock queues concurrent invitations to it, so replacing an open
    # invitation never collides with another request's on the one-open-invitation constraint.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not organization.members.filter(pk=invited_by.pk).exists():
        raise DomainError(_("Only a member of the organisation can invite colleagues."))
    return _send(organization=organization, email=email, invited_by=invited_by)


@transaction.atomic
def invite_to_take_over(*, application: Application, email: str, officer) -> tuple[Invitation, str]:
    """An officer invites the PES of a paper application to take it over online.

    The invited person joins the organisation like a colleague would; from then on its members
    act on the application (permissions.acts_for_paper_applicant) and the officer no longer does.
    """
    organization = Organization.objects.select_for_update().get(pk=application.organization_id)
    if application.received_on_paper is None:
        raise DomainError(_("Only an application received on paper is taken over this way."))
    if not is_officer(officer) or organization.members.filter(pk=officer.pk).exists():
        raise DomainError(_("Only an officer can invite the organisation to take it over."))
    if organization.members.exists():
        raise DomainError(
            _(
                "%(organization)s already has an account in the service: its members see the "
                "application and invite their colleagues themselves."
            )
            % {"organization": organization.name},
            field="email",
        )
    invitation, token = _send(organization=organization, email=email, invited_by=officer)
    audit.record(
        actor=officer,
        action="application.takeover_invited",
        application=application,
        message=invitation.email,
        invitation=invitation.pk,
    )
    return invitation, token


def _send(*, organization: Organization, email: str, invited_by) -> tuple[Invitation, str]:
    """The invitation itself, to the locked organisation (the callers check who may send it)."""
    address = normalize_email(email)
    if organization.members.filter(email__iexact=address).exists():
        raise DomainError(
            _("%(email)s is already a member of %(organization)s.")
            % {"email": address, "organization": organization.name},
            field="email",
        )
    now = timezone.now()
    sent_today = Invitation.objects.filter(
        organization=organization, created__gt=now - datetime.timedelta(days=1)
    )
    if sent_today.count() >= MAX_PER_ORGANIZATION_PER_DAY:
        raise DomainError(
            _(
                "%(organization)s has sent %(count)d invitations in the last 24 hours, the most "
                "allowed. Try again tomorrow."
            )
            % {"organization": organization.name, "count": MAX_PER_ORGANIZATION_PER_DAY}
        )
    if sent_today.filter(email=address).count() >= MAX_PER_ADDRESS_PER_DAY:
        raise DomainError(
            _(
                "An invitation was sent to %(email)s %(count)d times in the last 24 hours. "
                "Ask the person to look in their spam folder, or try again tomorrow."
            )
            % {"email": address, "count": MAX_PER_ADDRESS_PER_DAY},
            field="email",
        )
    earlier = open_invitations(organization=organization).filter(email=address)
    replaced = list(earlier.values_list("pk", flat=True))
    earlier.update(cancelled_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=address,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=now + datetime.timedelta(days=VALID_DAYS),
    )
    audit.record(
        actor=invited_by,
        action="invitation.sent",
        message=address,
        organization=organization.pk,
        invitation=invitation.pk,
        replaced=replaced,
    )
    events.announce(events.MEMBER_INVITED, invitation_id=invitation.pk, token=token)
    return invitation, token


@transaction.atomic
def accept_invitation(*, token: str, user) -> Invitation:
    """Make the user a member. Accepting again (a double click) changes nothing."""
    found = find_invitation(token=token)
    if found is None:
        raise DomainError(_("This invitation link is not valid."))
    # Two clicks wait for each other here; the second finds the invitation already accepted.
    # Only this row is locked ("self"): invited_by is a nullable join PostgreSQL will not lock.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization", "invited_by")
        .get(pk=found.pk)
    )
    problem = why_unusable(invitation, user=user)
    if problem:
        raise DomainError(problem)
    if invitation.accepted_at is not None:
        return invitation
    problem = wrong_account(invitation, user=user)
    if problem:
        raise DomainError(problem)
    Membership.objects.get_or_create(user=user, organization=invitation.organization)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        actor=user,
        action="invitation.accepted",
        message=invitation.email,
        organization=invitation.organization_id,
        invitation=invitation.pk,
    )
    return invitation


@transaction.atomic
def cancel_invitation(*, invitation: Invitation, by) -> Invitation:
    """Withdraw an open invitation; its link stops working. Cancelling twice is harmless."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    )
    if not invitation.organization.members.filter(pk=by.pk).exists():
        raise DomainError(_("Only a member of the organisation can cancel its invitations."))
    if invitation.accepted_at is not None:
        raise DomainError(
            _("%(email)s has already accepted this invitation.") % {"email": invitation.email}
        )
    if invitation.cancelled_at is not None:
        return invitation
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    audit.record(
        actor=by,
        action="invitation.cancelled",
        message=invitation.email,
        organization=invitation.organization_id,
        invitation=invitation.pk,
    )
    return invitation
