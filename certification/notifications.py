"""E-mails to the applicant organisation at each change of its application's stage, and the
invitation of a colleague.

Each function composes the messages (it does not send them): a background job
(certification/tasks.py) runs it for an event the domain announced, reads what was committed,
by primary key, and sends each message once.

Language: each recipient reads their e-mail in the language they use the service in
(User.language, saved when they switch the interface), whatever language the request that caused
it used. An address that is no member's, such as the organisation's contact address, gets
settings.LANGUAGE_CODE (Polish). When recipients differ in language, each language gets its own
message.

Templates: templates/emails/<event>_subject.txt and <event>_body.txt.
"""

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .choices import ResolutionOutcome
from .domain.addressees import address_key, addressees, language_of_address
from .domain.certificates import number_to_slug
from .domain.letter_decisions import Decision, reconsideration_deadline
from .domain.letters import file_name
from .domain.organization_changes import change_rows
from .models import (
    Application,
    Certificate,
    DecisionLetter,
    FormalReview,
    Invitation,
    LocationProposal,
    Organization,
    OrganizationChangeRequest,
    ReconsiderationRequest,
    Resolution,
    SchemeRules,
    User,
)
from .permissions import OFFICERS_GROUP


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _render(event: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"emails/{event}_subject.txt", context)
        body = render_to_string(f"emails/{event}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def _messages_by_language(
    event: str, context: dict, to: list[tuple[str, str]]
) -> list[tuple[str, EmailMessage]]:
    """One message per language, in the order each language first appears among `to`."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for address, language in to:
        by_language[language].append(address)
    sent = []
    for language, addresses in by_language.items():
        subject, body = _render(event, context, language)
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            # The first address (the contact one, if it is in this language) is the addressee;
            # members need not see each other's addresses.
            to=addresses[:1],
            bcc=addresses[1:],
        )
        sent.append((language, message))
    return sent


def _compose_per_language(
    event: str, context: dict, to: list[tuple[str, str]]
) -> list[EmailMessage]:
    return [message for _language, message in _messages_by_language(event, context, to)]


def _organization_context(organization: Organization, context: dict) -> dict:
    return {
        **context,
        "organization": organization,
        "issuer": settings.CERTIFICATE_ISSUER,
        "applications_url": _url("my_applications"),
    }


def _compose(event: str, organization: Organization, context: dict) -> list[EmailMessage]:
    context = _organization_context(organization, context)
    return _compose_per_language(event, context, addressees(organization))


def invitation(*, invitation_id: int, token: str) -> list[EmailMessage]:
    """Who invites to which organisation, and the link to join (with the raw token)."""
    invitation = Invitation.objects.select_related("organization", "invited_by").get(
        pk=invitation_id
    )
    # An invitee who already has an account reads it in their language; others in Polish.
    known = language_of_address(invitation.email)
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": (inviter.get_full_name() or inviter.username) if inviter else "",
        "accept_url": _url("invitation_accept", token),
        "issuer": settings.CERTIFICATE_ISSUER,
    }
    return _compose_per_language(
        "invitation", context, [(invitation.email, known or settings.LANGUAGE_CODE)]
    )


def _application(pk: int) -> Application:
    return Application.objects.select_related("organization").get(pk=pk)


def _application_context(application: Application) -> dict:
    return {
        "application": application,
        "items": list(application.items.all()),
        "application_url": _url("application_detail", application.pk),
    }


def application_submitted(*, application_id: int):
    """Confirmation with the number and what happens next."""
    application = _application(application_id)
    rules = SchemeRules.current()
    return _compose(
        "application_submitted",
        application.organization,
        {
            **_application_context(application),
            "corrections_days": rules.corrections_days,
            "decision_target_days": rules.decision_target_days,
        },
    )


def _review(pk: int) -> FormalReview:
    return FormalReview.objects.select_related("application__organization").get(pk=pk)


def returned_for_corrections(*, review_id: int):
    """The list of defects, each with the document it concerns, and the deadline."""
    review = _review(review_id)
    application = review.application
    defects = review.defects.select_related("document__document_type", "document__item")
    return _compose(
        "returned_for_corrections",
        application.organization,
        {
            **_application_context(application),
            "review": review,
            "defects": list(defects),
            "corrections_url": _url("corrections_start", application.pk),
        },
    )


def corrections_received(*, application_id: int):
    application = _application(application_id)
    return _compose(
        "corrections_received", application.organization, _application_context(application)
    )


def formally_accepted(*, review_id: int):
    review = _review(review_id)
    application = review.application
    return _compose(
        "formally_accepted",
        application.organization,
        {
            **_application_context(application),
            "decision_target_days": SchemeRules.current().decision_target_days,
        },
    )


def _formally_rejected_context(review: FormalReview) -> dict:
    return {**_application_context(review.application), "review": review}


def formally_rejected(*, review_id: int):
    """With the officer's reason. (Sent with its letter by decision_letter_mails; this is for
    jobs queued before letters existed.)"""
    review = _review(review_id)
    return _compose(
        "formally_rejected", review.application.organization, _formally_rejected_context(review)
    )


def _jury_decision_context(resolution: Resolution) -> dict:
    granted = list(resolution.granted_items())
    granted_ids = {item.pk for item in granted}
    context = _application_context(resolution.application)
    return {
        **context,
        "resolution": resolution,
        "granted": granted,
        "not_granted": [item for item in context["items"] if item.pk not in granted_ids],
        "is_granted": resolution.outcome == ResolutionOutcome.GRANTED,
        "is_partial": resolution.outcome == ResolutionOutcome.PARTIALLY_GRANTED,
    }


def jury_decision(*, resolution_id: int):
    """Granted, granted for some items, or refused; with the justification. (Sent with its
    letter by decision_letter_mails; this is for jobs queued before letters existed.)"""
    resolution = Resolution.objects.select_related("application__organization").get(
        pk=resolution_id
    )
    return _compose(
        "jury_decision",
        resolution.application.organization,
        _jury_decision_context(resolution),
    )


def decision_letter_mails(
    *, decision: Decision, letters: dict[str, DecisionLetter]
) -> list[tuple[DecisionLetter, EmailMessage]]:
    """The e-mail that tells the organisation of a decision, one per language, each with the
    decision letter (PDF) in its language attached, paired with that letter.

    `letters` maps each language of the organisation's e-mails to its letter; a language
    without one (a member who joined meanwhile) gets the letter in the service's language.
    """
    if decision.resolution is not None:
        event, context = "jury_decision", _jury_decision_context(decision.resolution)
    else:
        event, context = "formally_rejected", _formally_rejected_context(decision.review)
        if decision.final:
            context["reconsideration"] = decision.review.reconsideration
    organization = decision.application.organization
    context = _organization_context(
        organization,
        {
            **context,
            "final": decision.final,
            "reconsideration_deadline": reconsideration_deadline(decision),
            "letter_attached": True,
        },
    )
    fallback = letters.get(settings.LANGUAGE_CODE) or next(iter(letters.values()))
    composed = []
    for language, message in _messages_by_language(event, context, addressees(organization)):
        letter = letters.get(language, fallback)
        with letter.pdf.open("rb") as stored:
            message.attach(file_name(letter), stored.read(), "application/pdf")
        composed.append((letter, message))
    return composed


def certificate_issued(*, certificate_id: int):
    """The number, validity, covered items, and links to the public page and the PDF."""
    certificate = Certificate.objects.select_related("application", "organization").get(
        pk=certificate_id
    )
    slug = number_to_slug(certificate.number)
    return _compose(
        "certificate_issued",
        certificate.organization,
        {
            **_application_context(certificate.application),
            "certificate": certificate,
            "certificate_items": list(certificate.items.all()),
            "certificate_url": _url("certificate_detail", slug),
            "pdf_url": _url("certificate_pdf", slug),
        },
    )


def renewal_reminder(
    *, certificate_id: int, days_left: int, recipients: list[str]
) -> list[EmailMessage]:
    """The certificate expires soon: how to renew. `recipients` are those recorded as reminded."""
    certificate = Certificate.objects.select_related("organization").get(pk=certificate_id)
    language_of = {
        address_key(address): language for address, language in addressees(certificate.organization)
    }
    context = {
        "certificate": certificate,
        "days_left": days_left,
        "issuer": settings.CERTIFICATE_ISSUER,
        "applications_url": _url("my_applications"),
        "certificate_url": _url("certificate_detail", number_to_slug(certificate.number)),
    }
    to = [(a, language_of.get(address_key(a), settings.LANGUAGE_CODE)) for a in recipients]
    return _compose_per_language("renewal_reminder", context, to)


def organization_change_decided(*, change_request_id: int) -> list[EmailMessage]:
    """An officer approved or refused a change of the organisation's details (with the reason)."""
    change_request = OrganizationChangeRequest.objects.select_related("organization").get(
        pk=change_request_id
    )
    organization = change_request.organization
    return _compose(
        "organization_change_decided",
        organization,
        {
            "change_request": change_request,
            "rows": change_rows(change_request),
            "profile_url": _url("organization_edit", organization.pk),
        },
    )


def location_decided(*, proposal_id: int) -> list[EmailMessage]:
    """An officer confirmed or rejected the pin a member proposed (with the reason, if any)."""
    proposal = LocationProposal.objects.select_related("organization").get(pk=proposal_id)
    return _compose(
        "location_decided",
        proposal.organization,
        {
            "proposal": proposal,
            "location_url": _url("organization_location", proposal.organization_id),
        },
    )


# Reconsideration (certification/domain/reconsideration.py).


def _reconsideration(pk: int) -> ReconsiderationRequest:
    return ReconsiderationRequest.objects.select_related(
        "application__organization", "contested_resolution", "contested_review"
    ).get(pk=pk)


def _officers_not_members(organization: Organization) -> list[tuple[str, str]]:
    """ROPS officers, in their languages; none who is a member of the applicant (conflict)."""
    officers = (
        User.objects.filter(groups__name=OFFICERS_GROUP, is_active=True)
        .exclude(email="")
        .exclude(organizations=organization)
        .order_by("pk")
        .values_list("email", "language")
    )
    return list(officers)


def reconsideration_filed(*, request_id: int) -> list[EmailMessage]:
    """The applicant's confirmation, and a notice to the officers who will take it on."""
    request = _reconsideration(request_id)
    application = request.application
    context = {
        **_application_context(application),
        "request": request,
        "attachments": list(request.attachments.all()),
        "by_jury": request.contested_resolution_id is not None,
    }
    messages = _compose("reconsideration_filed", application.organization, context)
    officers = _officers_not_members(application.organization)
    if officers:
        staff_context = {
            **context,
            "organization": application.organization,
            "issuer": settings.CERTIFICATE_ISSUER,
            "staff_url": _url("staff_application", application.pk),
        }
        messages += _compose_per_language("reconsideration_filed_staff", staff_context, officers)
    return messages


def reconsideration_decided(*, request_id: int) -> list[EmailMessage]:
    """An officer's second decision on a formal rejection, overturning it, with the answer.
    Upheld, it is told by the final letter's e-mail (tasks.send_decision_letters)."""
    request = _reconsideration(request_id)
    if request.upheld:
        return []
    application = request.application
    return _compose(
        "reconsideration_decided",
        application.organization,
        {**_application_context(application), "request": request},
    )


def certificate_items_added(*, certificate_id: int) -> list[EmailMessage]:
    """The certificate now covers the items the final resolution granted besides the first."""
    certificate = Certificate.objects.select_related("application", "organization").get(
        pk=certificate_id
    )
    slug = number_to_slug(certificate.number)
    return _compose(
        "certificate_items_added",
        certificate.organization,
        {
            **_application_context(certificate.application),
            "certificate": certificate,
            "certificate_items": list(certificate.items.all()),
            "certificate_url": _url("certificate_detail", slug),
            "pdf_url": _url("certificate_pdf", slug),
        },
    )
