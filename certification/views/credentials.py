"""The verifiable credentials' public addresses: a certificate's credential, the registry's
controller document (did:web) and its status lists. Any tool may fetch them (CORS open)."""

import json

import segno
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from .. import registry
from ..credentials import certificate as certificate_credential
from ..credentials import did, status_lists
from ..domain import certificates

# Media types of VC Data Model 2.0 and DID Core; a browser that asks for neither gets JSON.
VC_MEDIA_TYPE = "application/vc"
DID_MEDIA_TYPE = "application/did+ld+json"
DOCUMENT_CACHE_SECONDS = 3600  # the keys: as /klucze/ (a rotation shows the same day)
CREDENTIAL_CACHE_SECONDS = 3600


def credential_context(certificate) -> dict:
    """For templates/public/_credential.html: the download link and a QR code of the address."""
    url = certificate_credential.credential_url(certificate)
    svg = segno.make(url, error="m").svg_inline(
        scale=3,
        border=2,
        dark="#000",
        light="#fff",
        omitsize=True,
        title=gettext("QR code of the address of certificate %(number)s's verifiable credential")
        % {"number": certificate.number},
    )
    return {
        "credential_url": url,
        "credential_path": reverse(
            "certificate_credential", args=[certificates.number_to_slug(certificate.number)]
        ),
        # segno writes the SVG (escaping the title); role="img" makes its title its name.
        "credential_qr": mark_safe(svg.replace("<svg ", '<svg role="img" ', 1)),  # noqa: S308
    }


def _json(request, document: dict, media_type: str) -> HttpResponse:
    accepted = request.headers.get("Accept", "")
    content_type = media_type if media_type in accepted else "application/json"
    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def certificate_credential_json(request, slug: str):
    """The certificate as a signed credential: for every certificate the registry shows."""
    number = certificates.parse_number(slug)
    certificate = registry.public_certificates().filter(number=number).first() if number else None
    if certificate is None:
        raise Http404("No such certificate in the registry.")
    response = _json(request, certificate_credential.credential(certificate), VC_MEDIA_TYPE)
    if request.GET.get("pobierz") is not None:  # the page's download link
        name = certificates.number_to_slug(certificate.number)
        response["Content-Disposition"] = f'attachment; filename="{name}.vc.json"'
    patch_cache_control(response, public=True, max_age=CREDENTIAL_CACHE_SECONDS)
    return response


@require_safe
def did_document(request):
    response = _json(request, did.controller_document(), DID_MEDIA_TYPE)
    patch_cache_control(response, public=True, max_age=DOCUMENT_CACHE_SECONDS)
    return response


@require_safe
def status_list(request, purpose: str, number: int):
    """A status list credential. Caches may keep it but must ask again before each use
    (no-cache, with an ETag that changes with every status change): a revocation is never
    hidden behind a cached copy."""
    found = status_lists.published(purpose=purpose, number=number)
    if found is None:
        raise Http404("No such status list.")
    if found.etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = _json(request, found.credential, VC_MEDIA_TYPE)
    response["ETag"] = found.etag
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, no_cache=True)
    return response
