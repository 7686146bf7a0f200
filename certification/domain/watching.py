"""Buyers watch the registry by e-mail, with no account: one certificate (and its renewals), every
certificate of one holder, or new certificates matching CPV codes (and a powiat).

Double opt-in: a subscription counts only once confirmed from the e-mailed link, so nobody can
sign up another person's mailbox. The raw confirmation token lives only in that e-mail, the
database keeps its SHA-256. Every later e-mail carries an unsubscribe link signed with the
site's secret key (nothing stored to leak; one click, RFC 8058). The page that takes an address
says the same whether or not it was subscribed already (it tells nobody who watches what).
"""

import datetime
import secrets

from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import CertificateTransition, Powiat, WatchKind
from ..models import Certificate, CertificateStatusChange, ItemCpvCode, Watch
from . import audit, cpv
from .errors import DomainError
from .invitations import hash_token, normalize_email
from .verification_by_nip import parse_nip

# Confirmation e-mails go out from the service's address to whatever address was typed: a cap
# keeps the form from being a way to flood someone's mailbox.
MAX_PENDING_PER_ADDRESS_PER_DAY = 5
MAX_SEARCH_CODES = 20
_UNSUBSCRIBE = signing.Signer(salt="certification.watch.unsubscribe")


def find(*, token: str) -> Watch | None:
    if not token:
        return None
    return Watch.objects.select_related("certificate").filter(token_hash=hash_token(token)).first()


def _same(watch: Watch) -> QuerySet[Watch]:
    return Watch.objects.filter(
        email=watch.email,
        kind=watch.kind,
        certificate=watch.certificate,
        nip=watch.nip,
        cpv_codes=watch.cpv_codes,
        powiat=watch.powiat,
    )


def _search_codes(text: str) -> str:
    codes = cpv.codes_or_error(text)  # names every wrong code; nothing is half-taken
    if not codes:
        raise DomainError(_("Give at least one CPV code to watch."), field="cpv")
    if len(codes) > MAX_SEARCH_CODES:
        raise DomainError(
            _("Watch at most %(max)d CPV codes at a time.") % {"max": MAX_SEARCH_CODES},
            field="cpv",
        )
    return " ".join(sorted(code.code for code in codes))


def subscribe(
    *,
    email: str,
    language: str,
    kind: str,
    certificate: Certificate | None = None,
    nip: str = "",
    cpv_text: str = "",
    powiat: str = "",
) -> tuple[Watch | None, str]:
    """A pending subscription and the raw token of its confirmation link.

    (None, "") when the address already watches the same thing: nothing to confirm again.
    """
    address = normalize_email(email)
    watch = Watch(email=address, language=language, kind=kind)
    if kind == WatchKind.CERTIFICATE:
        if certificate is None:
            raise DomainError(_("Choose the certificate to watch."), field="kind")
        watch.certificate = certificate
    elif kind == WatchKind.HOLDER:
        watch.nip = parse_nip(nip)  # NipError (a DomainError) says what is wrong
    elif kind == WatchKind.SEARCH:
        watch.cpv_codes = _search_codes(cpv_text)
        if powiat and powiat not in Powiat.values:
            raise DomainError(_("Choose a powiat from the list."), field="powiat")
        watch.powiat = powiat
    else:
        raise DomainError(_("Choose what to watch."), field="kind")
    with transaction.atomic():
        if _same(watch).filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True).exists():
            return None, ""
        since = timezone.now() - datetime.timedelta(days=1)
        pending = Watch.objects.filter(
            email=address, confirmed_at__isnull=True, created_at__gte=since
        ).count()
        if pending >= MAX_PENDING_PER_ADDRESS_PER_DAY:
            raise DomainError(
                _(
                    "This address has %(count)d subscriptions waiting for confirmation. Confirm "
                    "them from the e-mails we sent, or try again tomorrow."
                )
                % {"count": pending},
                field="email",
            )
        token = secrets.token_urlsafe(32)
        watch.token_hash = hash_token(token)
        watch.save()
        # The address is personal data: the append-only log keeps what was watched, not who.
        audit.record(
            actor=None,
            action="watch.requested",
            certificate=watch.certificate,
            message=watch.kind,
            watch=watch.pk,
        )
        events.announce(events.WATCH_REQUESTED, watch_id=watch.pk, token=token)
    return watch, token


def confirm(*, token: str) -> Watch:
    with transaction.atomic():
        watch = _locked(token)
        if watch.unsubscribed_at is not None:
            raise DomainError(
                _("This subscription was cancelled. Subscribe again from the registry.")
            )
        if watch.confirmed_at is None:
            watch.confirmed_at = timezone.now()
            watch.save(update_fields=["confirmed_at"])
            audit.record(actor=None, action="watch.confirmed", message=watch.kind, watch=watch.pk)
    return watch


def unsubscribe_token(watch: Watch) -> str:
    return _UNSUBSCRIBE.sign(str(watch.pk))


def unsubscribe(*, token: str) -> Watch:
    """Idempotent: a second click (or a mail client's automatic POST) changes nothing."""
    try:
        pk = int(_UNSUBSCRIBE.unsign(token or ""))
    except (signing.BadSignature, ValueError):
        raise DomainError(
            _("This link is not valid. Copy the whole link from the e-mail.")
        ) from None
    with transaction.atomic():
        watch = Watch.objects.select_for_update().filter(pk=pk).first()
        if watch is None:
            raise DomainError(_("This subscription no longer exists."))
        if watch.unsubscribed_at is None:
            watch.unsubscribed_at = timezone.now()
            watch.save(update_fields=["unsubscribed_at"])
            audit.record(
                actor=None, action="watch.unsubscribed", message=watch.kind, watch=watch.pk
            )
    return watch


def _locked(token: str) -> Watch:
    watch = (
        Watch.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        if token
        else None
    )
    if watch is None:
        raise DomainError(
            _("This link is not valid. Copy the whole link from the e-mail, or subscribe again.")
        )
    return watch


def watchers_of(change: CertificateStatusChange) -> QuerySet[Watch]:
    """Confirmed subscriptions that `change` concerns, in a stable order (a retried job composes
    the same e-mails in the same order). Those confirmed after the change was recorded are left
    out, so a retry tomorrow tells nobody new of yesterday's change."""
    certificate = change.certificate
    concerns = Q(kind=WatchKind.CERTIFICATE, certificate=certificate)
    if change.transition == CertificateTransition.ISSUE and certificate.predecessor_id:
        concerns |= Q(kind=WatchKind.CERTIFICATE, certificate_id=certificate.predecessor_id)
    # The NIP it was issued to, and the holder's NIP today (after an approved change).
    nips = {certificate.holder_nip, certificate.organization.nip}
    concerns |= Q(kind=WatchKind.HOLDER, nip__in=nips)
    if change.transition == CertificateTransition.ISSUE:
        concerns |= _searches_matching(certificate)
    return Watch.objects.filter(
        concerns,
        confirmed_at__isnull=False,
        confirmed_at__lte=change.recorded_at,
        unsubscribed_at__isnull=True,
    ).order_by("pk")


def _searches_matching(certificate: Certificate) -> Q:
    """Searches whose codes cover one of the new certificate's item codes (and its powiat)."""
    codes = set(
        ItemCpvCode.objects.filter(item__certificates=certificate).values_list("cpv_id", flat=True)
    )
    if not codes:
        return Q(pk__in=[])
    # A watched code covers an item's code when the item's code starts with its significant
    # digits: the candidates are few (a search watch per buyer), so they are read and compared.
    matching = [
        watch.pk
        for watch in Watch.objects.filter(
            kind=WatchKind.SEARCH,
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
        ).filter(Q(powiat="") | Q(powiat=certificate.holder_powiat))
        if any(
            code.startswith(cpv.significant(watched))
            for watched in watch.cpv_codes.split()
            for code in codes
        )
    ]
    return Q(pk__in=matching)
