"""A certificate as a W3C Verifiable Credential (Data Model 2.0), signed by the registry.

The credential states what the certificate states: its number, the holder as issued (name, NIP,
REGON, KRS, legal form, address), the products and services it covers, and its validity as
validFrom/validUntil (the issue day's start to the end of its last day, in the registry's time
zone). Its status (suspended, revoked) is not in it: credentialStatus points at the bit of the
registry's status lists (status_lists.py) that says it at the time of asking.

It is made from the certificate when asked for and signed by the current key, with no creation
time, so the same certificate and key give the same bytes. The terms outside the VC context are
schema.org's where it has them (an inline context: nothing to fetch), and the registry's own
vocabulary for the rest.
"""

import datetime
import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..domain.certificates import number_to_slug
from ..models import Certificate
from . import did, proof, status_lists
from .jsonld import CREDENTIALS_V2

CREDENTIAL_TYPE = "ZakupProspolecznyCertificate"
SCHEMA = "https://schema.org/"


def vocabulary() -> str:
    """The registry's own terms (type, REGON, KRS, legal form): IRIs under its address."""
    return f"{settings.SITE_URL}/poswiadczenia/slownik#"


def context() -> dict:
    """The inline context: the terms of credentialSubject, none of them the VC context's
    protected ones (name stays schema.org's name through it)."""
    own = vocabulary()
    return {
        CREDENTIAL_TYPE: f"{own}{CREDENTIAL_TYPE}",
        "Organization": f"{SCHEMA}Organization",
        "PostalAddress": f"{SCHEMA}PostalAddress",
        "Certification": f"{SCHEMA}Certification",
        "Product": f"{SCHEMA}Product",
        "Service": f"{SCHEMA}Service",
        "taxID": f"{SCHEMA}taxID",
        "regon": f"{own}regon",
        "krs": f"{own}krs",
        "legalForm": f"{own}legalForm",
        "address": f"{SCHEMA}address",
        "streetAddress": f"{SCHEMA}streetAddress",
        "postalCode": f"{SCHEMA}postalCode",
        "addressLocality": f"{SCHEMA}addressLocality",
        "addressCountry": f"{SCHEMA}addressCountry",
        "hasCertification": f"{SCHEMA}hasCertification",
        "certificationIdentification": f"{SCHEMA}certificationIdentification",
        "url": {"@id": f"{SCHEMA}url", "@type": "@id"},
        "about": f"{SCHEMA}about",
    }


def contexts() -> list:
    return [CREDENTIALS_V2, context()]


# Control characters are escaped differently by URDNA2015 and RDFC-1.0 canonical N-Quads:
# a credential never carries one (none belongs in a name or an address anyway).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _text(value: str) -> str:
    return _CONTROL.sub(" ", value).strip()


def credential_url(certificate: Certificate) -> str:
    path = reverse("certificate_credential", args=[number_to_slug(certificate.number)])
    return f"{settings.SITE_URL}{path}"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def validity(certificate: Certificate) -> tuple[str, str]:
    """validFrom and validUntil: the issue day's first second to the last day's last one."""
    start = _start_of(certificate.issued_on)
    end = _start_of(certificate.valid_until + datetime.timedelta(days=1)) - datetime.timedelta(
        seconds=1
    )
    return start.isoformat(), end.isoformat()


def unsigned_credential(certificate: Certificate) -> dict:
    holder = certificate.holder
    valid_from, valid_until = validity(certificate)
    page = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    organization = {
        "type": "Organization",
        "name": _text(holder.name),
        "legalForm": holder.legal_form,
        "taxID": holder.nip,
        "regon": holder.regon,
    }
    if holder.krs:
        organization["krs"] = holder.krs
    organization["address"] = {
        "type": "PostalAddress",
        "streetAddress": _text(holder.street),
        "postalCode": holder.postal_code,
        "addressLocality": _text(holder.town),
        "addressCountry": "PL",
    }
    items = sorted(certificate.items.all(), key=lambda item: (item.name, item.pk))
    organization["hasCertification"] = {
        "type": "Certification",
        "name": "Zakup Prospołeczny",
        "certificationIdentification": certificate.number,
        "url": f"{settings.SITE_URL}{page}",
        "about": [
            {
                "type": "Service" if item.kind == "service" else "Product",
                "name": _text(item.name),
            }
            for item in items
        ],
    }
    return {
        "@context": contexts(),
        "id": credential_url(certificate),
        "type": ["VerifiableCredential", CREDENTIAL_TYPE],
        "name": f"Zakup Prospołeczny {certificate.number}",
        "issuer": {"id": did.did(), "name": _text(settings.CERTIFICATE_ISSUER)},
        "validFrom": valid_from,
        "validUntil": valid_until,
        "credentialSubject": organization,
        "credentialStatus": status_lists.entries(certificate),
    }


def credential(certificate: Certificate) -> dict:
    """The signed credential; items should be prefetched."""
    return proof.sign(unsigned_credential(certificate))
