"""Verifiable credentials: a certificate's credential, the did:web controller document and the
status lists (certification.credentials, docs/security.md)."""

from django.urls import path

from .views import credentials
from .views.rate_limited import public_rate_limit as limited

urlpatterns = [
    # The address did:web resolution reads for did:web:<SITE_URL's host>.
    path(".well-known/did.json", credentials.did_document, name="did_document"),
    # Not limited: every verifier of every credential reads them, and they are cached.
    path(
        "poswiadczenia/status/<str:purpose>/<int:number>.json",
        credentials.status_list,
        name="vc_status_list",
    ),
    path(
        "rejestr/<slug:slug>/poswiadczenie.json",
        limited(credentials.certificate_credential_json),
        name="certificate_credential",
    ),
]
