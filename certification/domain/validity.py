"""Whether what a certificate covers may change now: shared by the extension application's
submission (applications.py) and the versions (versions.py)."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from ..choices import CertificateStatus, VerificationResult
from ..models import Certificate


def unchangeable_because(certificate: Certificate, *, today: datetime.date) -> str | None:
    """Why what the certificate covers cannot change now (only a valid one can), or None."""
    status = certificate.status_on(today)
    if status == VerificationResult.VALID:
        return None
    number = certificate.number
    if status == CertificateStatus.EXPIRED:
        return _(
            "Certificate %(number)s expired on %(date)s: products and services can be added "
            "or withdrawn only while a certificate is valid. Apply for a renewal or a new "
            "certificate instead."
        ) % {"number": number, "date": formats.date_format(certificate.valid_until, "j E Y")}
    if status == CertificateStatus.SUSPENDED:
        return _(
            "Certificate %(number)s is suspended: products and services can be added or "
            "withdrawn only while a certificate is valid."
        ) % {"number": number}
    return _(
        "Certificate %(number)s has been revoked: products and services can be added or "
        "withdrawn only while a certificate is valid."
    ) % {"number": number}
