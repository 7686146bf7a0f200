"""E-mails to the applicant organisation at each change of its application's stage.

The domain's funnel functions schedule these with `transaction.on_commit`, so a change that is
rolled back sends nothing, and each function reads what was committed, by primary key.

Language: no per-user language is stored, and the organisation reads Polish, so every message is
rendered in settings.LANGUAGE_CODE (Polish), whatever language the request that caused it used.

Templates: templates/emails/<event>_subject.txt and <event>_body.txt.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .choices import ResolutionOutcome
from .models import Application, Certificate, FormalReview, Organization, Resolution, SchemeRules


def recipients(organization: Organization) -> list[str]:
    """The contact e-mail first, then the active members' addresses; each address once."""
    addresses = [organization.email]
    addresses += (
        organization.members.filter(is_active=True).order_by("pk").values_list("email", flat=True)
    )
    seen, result = set(), []
    for address in addresses:
        key = (address or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            result.append(address.strip())
    return result


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _send(event: str, organization: Organization, context: dict) -> EmailMessage | None:
    to = recipients(organization)
    if not to:
        return None
    context = {
        **context,
        "organization": organization,
        "issuer": settings.CERTIFICATE_ISSUER,
        "applications_url": _url("my_applications"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{event}_subject.txt", context)
        body = render_to_string(f"emails/{event}_body.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        # The contact address is the addressee; members need not see each other's addresses.
        to=to[:1],
        bcc=to[1:],
    )
    message.send()
    return message


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
    return _send(
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
    return _send(
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
    return _send(
        "corrections_received", application.organization, _application_context(application)
    )


def formally_accepted(*, review_id: int):
    review = _review(review_id)
    application = review.application
    return _send(
        "formally_accepted",
        application.organization,
        {
            **_application_context(application),
            "decision_target_days": SchemeRules.current().decision_target_days,
        },
    )


def formally_rejected(*, review_id: int):
    """With the officer's reason."""
    review = _review(review_id)
    application = review.application
    return _send(
        "formally_rejected",
        application.organization,
        {**_application_context(application), "review": review},
    )


def jury_decision(*, resolution_id: int):
    """Granted, granted for some items, or refused; with the justification."""
    resolution = Resolution.objects.select_related("application__organization").get(
        pk=resolution_id
    )
    application = resolution.application
    granted = list(resolution.granted_items.all())
    granted_ids = {item.pk for item in granted}
    context = _application_context(application)
    return _send(
        "jury_decision",
        application.organization,
        {
            **context,
            "resolution": resolution,
            "granted": granted,
            "not_granted": [item for item in context["items"] if item.pk not in granted_ids],
            "is_granted": resolution.outcome == ResolutionOutcome.GRANTED,
            "is_partial": resolution.outcome == ResolutionOutcome.PARTIALLY_GRANTED,
        },
    )


def certificate_issued(*, certificate_id: int):
    """The number, validity, covered items, and links to the public page and the PDF."""
    # Imported here: the domain imports this module, so a top-level import would be circular.
    from .domain.certificates import number_to_slug

    certificate = Certificate.objects.select_related("application", "organization").get(
        pk=certificate_id
    )
    slug = number_to_slug(certificate.number)
    return _send(
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
