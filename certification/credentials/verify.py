"""Checking a credential someone presents (POST /api/v1/verify): is it this registry's, does
its proof hold, and what do the registry's status lists say of it now?

Only this registry's credentials are checked: one issued by anyone else is refused as such
(unknown issuer), before any JSON-LD processing. The status is read from the lists this
registry publishes, through the same code that publishes them; a status list that is not one
of them is refused, never fetched (so there is nothing to retry, and nothing can hang). Nothing
is stored. Never raises on bad input: every problem is an Error with a stable code and a
message in the request's language.
"""

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import registry
from ..choices import VerificationResult
from ..domain.certificates import parse_number
from ..models import STATUS_LIST_SIZE, Certificate
from . import did, proof, status_lists
from .jsonld import CREDENTIALS_V2, CanonicalizationError

logger = logging.getLogger(__name__)

# A credential of this registry has some 40 JSON objects (a few per product or service) and is
# 6 levels deep; far more is not one, and would only cost canonicalization time.
MAX_OBJECTS = 400
MAX_DEPTH = 12
DIGITS_RE = re.compile(r"^[0-9]{1,9}$")
DATE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class Error:
    code: str
    message: str


@dataclass
class Report:
    verified: bool = False  # proof of a published key, and both status lists read
    status: str | None = None  # a VerificationResult value once verified
    revoked: bool | None = None
    suspended: bool | None = None
    key_id: str | None = None
    certificate: Certificate | None = None
    errors: list[Error] = field(default_factory=list)

    def fail(self, code: str, message: str) -> "Report":
        self.errors.append(Error(code, message))
        self.verified = False
        return self


def _is_iri(value) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) < 300


def _context_problem(contexts: list) -> str | None:
    """The registry's credentials name the VC context and define plain terms inline (term:
    IRI, or term: {"@id": IRI, "@type": "@id"}); nothing else is read, so that no context is
    fetched and no definition (@vocab, @import, scoped contexts...) changes what was signed."""
    if len(contexts) > 2:
        return "more than one context of its own"
    inline = contexts[1] if len(contexts) == 2 else {}
    if not isinstance(inline, dict) or len(inline) > 100:
        return "a context that is not a list of terms"
    for term, definition in inline.items():
        plain = _is_iri(definition) or (
            isinstance(definition, dict)
            and definition.keys() == {"@id", "@type"}
            and _is_iri(definition["@id"])
            and definition["@type"] == "@id"
        )
        if term.startswith("@") or not plain:
            return f"the context term {term[:40]!r}"
    return None


def _shape_problem(value, depth: int = 0, counter: list | None = None) -> str | None:
    """Why `value` cannot be a credential of this registry, judged from its JSON alone."""
    counter = counter if counter is not None else [0]
    if depth > MAX_DEPTH:
        return "too deep"
    if isinstance(value, dict):
        counter[0] += 1
        if counter[0] > MAX_OBJECTS:
            return "too many objects"
        for key, item in value.items():
            if key == "@context" and depth == 0:
                continue  # checked by _context_problem
            # Keyword-like keys are dropped by JSON-LD (and so by the signature), and blank
            # node labels let a document make graphs that are costly to canonicalize.
            if key.startswith("@"):
                return f"the key {key[:40]!r}"
            problem = _shape_problem(item, depth + 1, counter)
            if problem:
                return problem
    elif isinstance(value, list):
        for item in value:
            problem = _shape_problem(item, depth + 1, counter)
            if problem:
                return problem
    elif isinstance(value, str) and value.startswith("_:"):
        return "a blank node label"
    return None


def _issuer_id(credential: dict):
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _parse_time(text) -> datetime.datetime | None:
    if not isinstance(text, str) or not DATE_TIME_RE.match(text):
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def verify_credential(credential, *, now: datetime.datetime | None = None) -> Report:
    """The verdict on a presented credential (the parsed JSON body)."""
    report = Report()
    if not isinstance(credential, dict):
        return report.fail(
            "not_a_credential", _("This is not a credential: expected a JSON object.")
        )
    contexts = credential.get("@context")
    types = credential.get("type")
    if (
        not isinstance(contexts, list)
        or not contexts
        or contexts[0] != CREDENTIALS_V2
        or not isinstance(types, list)
        or "VerifiableCredential" not in types
    ):
        return report.fail(
            "not_a_credential",
            _(
                "This is not a verifiable credential of the W3C Data Model 2.0: its @context "
                "must start with %(context)s and its type include VerifiableCredential."
            )
            % {"context": CREDENTIALS_V2},
        )
    issuer = _issuer_id(credential)
    if issuer != did.did():
        return report.fail(
            "unknown_issuer",
            _(
                "The credential was not issued by this registry (its issuer is not %(did)s). "
                "Only this registry's credentials can be checked here."
            )
            % {"did": did.did()},
        )
    problem = _context_problem(contexts) or _shape_problem(credential)
    if problem:
        logger.info("A presented credential has %s.", problem)
        return report.fail(
            "unreadable_credential",
            _(
                "The credential cannot be read as one of this registry's: it holds content or "
                "context definitions that the registry never puts in a credential."
            ),
        )
    try:
        report.key_id = proof.verify(credential)
    except proof.ProofError as error:
        return report.fail(error.code, _proof_message(error.code))
    except CanonicalizationError as error:
        logger.info("A presented credential could not be canonicalized: %s", error)
        return report.fail(
            "unreadable_credential",
            _("The credential is not valid JSON-LD that this registry can check."),
        )
    # The proof holds: what follows was signed by this registry.
    report.certificate = _certificate_of(credential)
    if report.certificate is None:
        return report.fail(
            "unknown_certificate",
            _("The registry has no certificate with the number this credential names."),
        )
    _read_statuses(credential, report)
    if report.errors:
        return report
    report.verified = True
    now = now or timezone.now()
    valid_from = _parse_time(credential.get("validFrom"))
    valid_until = _parse_time(credential.get("validUntil"))
    if report.revoked:
        report.status = VerificationResult.REVOKED
    elif valid_until is not None and now > valid_until:
        report.status = VerificationResult.EXPIRED
    elif valid_from is not None and now < valid_from:
        report.status = VerificationResult.NOT_YET_VALID
    elif report.suspended:
        report.status = VerificationResult.SUSPENDED
    else:
        report.status = VerificationResult.VALID
    return report


def _proof_message(code: str) -> str:
    messages = {
        "no_proof": _("The credential carries no proof (or more than one)."),
        "unsupported_proof": _(
            "The credential's proof is not a DataIntegrityProof of the eddsa-rdfc-2022 suite, "
            "the only kind this registry issues."
        ),
        "wrong_proof_purpose": _("The credential's proof is not made for assertions."),
        "unknown_key": _(
            "The credential's proof names a key this registry does not publish (see "
            "/.well-known/did.json)."
        ),
        "malformed_proof": _("The credential's proof value is not an Ed25519 signature."),
        "invalid_signature": _(
            "The signature does not match the credential: it was altered after it was issued, "
            "or it was not signed by this registry."
        ),
    }
    return messages.get(code, messages["invalid_signature"])


def _certificate_of(credential: dict) -> Certificate | None:
    subject = credential.get("credentialSubject")
    certification = subject.get("hasCertification") if isinstance(subject, dict) else None
    number = (
        certification.get("certificationIdentification")
        if isinstance(certification, dict)
        else None
    )
    number = parse_number(number) if isinstance(number, str) else None
    if number is None:
        return None
    return registry.public_certificates().filter(number=number).first()


def _read_statuses(credential: dict, report: Report) -> None:
    entries = credential.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries]
    unreadable = _(
        "The credential's status list cannot be read: it is not one that this registry "
        "publishes. Its status cannot be confirmed."
    )
    found = set()
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            continue
        purpose = entry.get("statusPurpose")
        index = entry.get("statusListIndex")
        number = _list_number(entry.get("statusListCredential"), purpose)
        in_range = isinstance(index, str) and bool(DIGITS_RE.match(index))
        in_range = in_range and int(index) < STATUS_LIST_SIZE
        published = None
        if number is not None and in_range:
            published = status_lists.published(purpose=purpose, number=number)
        if published is None:
            report.fail("unreadable_status_list", unreadable)
            return
        raw = status_lists.decode(published.credential["credentialSubject"]["encodedList"])
        bit = status_lists.bit_of(raw, int(index))
        if purpose == status_lists.REVOCATION:
            report.revoked = bit
        else:
            report.suspended = bit
        found.add(purpose)
    if found != set(status_lists.PURPOSES):
        report.fail(
            "unreadable_status_list",
            _("The credential does not name its place in both of this registry's status lists."),
        )


def _list_number(url, purpose) -> int | None:
    """The list number of one of this registry's status list URLs, else None."""
    if purpose not in status_lists.PURPOSES or not isinstance(url, str) or len(url) > 300:
        return None
    prefix = status_lists.list_url(purpose, 0).removesuffix("0.json")
    number = url.removeprefix(prefix).removesuffix(".json")
    if not (url.startswith(prefix) and url.endswith(".json") and DIGITS_RE.match(number)):
        return None
    return int(number)
