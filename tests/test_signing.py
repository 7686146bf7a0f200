"""Certificate signatures: the payload, the token, and verification that never raises."""

import datetime

import pytest

from certification import signing
from certification.models import Certificate

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key_in_tmp")]


@pytest.fixture
def certificate():
    return factories.certificate(
        items=("Szycie toreb", "Catering „Smaczne” | obiady", "Żółć 100%"),
        issued_on=datetime.date(2026, 11, 28),
    )


def fresh(certificate) -> Certificate:
    return Certificate.objects.select_related("organization").get(pk=certificate.pk)


def test_signing_payload_is_the_documented_format(certificate):
    expected = (
        f"ZP1|{certificate.number}|{certificate.organization.nip}|2026-11-28|2027-11-27|"
        "Catering „Smaczne” %7C obiady|Szycie toreb|Żółć 100%25"
    )
    assert signing.payload(certificate) == expected.encode("utf-8")


def test_signing_payload_ignores_item_order_and_unicode_composition(certificate):
    decomposed = "Z\u0307o\u0301\u0142c\u0301 100%"  # "Żółć" typed with combining accents
    same = signing.payload_of(
        number=certificate.number,
        nip=certificate.organization.nip,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        items=[decomposed, "Szycie toreb", "Catering „Smaczne” | obiady"],
    )
    assert same == signing.payload(certificate)


def test_signing_token_is_short_ascii_and_round_trips(certificate):
    token = signing.sign(certificate)
    assert token.isascii() and len(token) == 95
    key_id, _, encoded = token.partition(".")
    assert len(key_id) == 8 and "=" not in encoded
    assert signing.sign(certificate) == token  # deterministic: re-rendering keeps the QR
    check = signing.verify_signature(fresh(certificate), token)
    assert check.status == signing.SignatureStatus.VALID
    assert check.is_valid and check.key_id == key_id
    assert check.as_dict() == {"status": "valid", "key_id": key_id, "version": None}


def test_signing_token_of_one_certificate_does_not_verify_another(certificate):
    other = factories.certificate(items=("Szycie toreb",))
    check = signing.verify_signature(other, signing.sign(certificate))
    assert check.status == signing.SignatureStatus.INVALID


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: setattr(c, "number", "ZP/2026/9999"),
        lambda c: setattr(c, "holder_nip", factories.VALID_NIPS[4]),
        lambda c: setattr(c, "issued_on", c.issued_on - datetime.timedelta(days=1)),
        lambda c: setattr(c, "valid_until", c.valid_until + datetime.timedelta(days=365)),
    ],
    ids=["number", "nip", "issued_on", "valid_until"],
)
def test_signing_tampered_field_is_invalid(certificate, tamper):
    token = signing.sign(certificate)
    copy = fresh(certificate)
    tamper(copy)
    check = signing.verify_signature(copy, token)
    assert check.status == signing.SignatureStatus.INVALID
    assert check.key_id == token[:8]


def test_signing_renamed_item_is_invalid(certificate):
    token = signing.sign(certificate)
    item = certificate.items.get(name="Szycie toreb")
    item.name = "Szycie toreb i plecaków"
    item.save()
    assert signing.verify_signature(fresh(certificate), token).status == "invalid"


def test_signing_added_item_is_invalid(certificate):
    token = signing.sign(certificate)
    extra = factories.certificate(items=("Usługi remontowe",)).items.get()
    certificate.items.add(extra)
    assert signing.verify_signature(fresh(certificate), token).status == "invalid"


def test_signing_flipped_signature_bit_is_invalid(certificate):
    token = signing.sign(certificate)
    flipped = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    assert signing.verify_signature(certificate, flipped).status == "invalid"


def test_signing_unknown_key_id_is_invalid(certificate):
    token = signing.sign(certificate)
    other_id = "00000000" if not token.startswith("00000000") else "11111111"
    check = signing.verify_signature(certificate, other_id + token[8:])
    assert (check.status, check.key_id) == ("invalid", other_id)


@pytest.mark.parametrize("token", ["", None])
def test_signing_no_token_is_missing(certificate, token):
    assert signing.verify_signature(certificate, token).status == "missing"


def test_signing_no_certificate_is_missing(certificate):
    assert signing.verify_signature(None, signing.sign(certificate)).status == "missing"


@pytest.mark.parametrize(
    "garbage",
    [
        "x",
        "A" * 10_000,
        "abcdef12." + "A" * 85,  # one character short
        "abcdef12." + "A" * 87,  # one too many
        "abcdef12." + "A" * 84 + "==",  # padded
        "abcdef12." + "+/" * 43,  # standard base64, not base64url
        "ABCDEF12." + "A" * 86,  # upper-case key id
        "abcdef12" + "A" * 87,  # no separator
        "abcdef12.Zażółć" + "A" * 80,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\x00" * 95,
        "abcdef12.." + "A" * 85,
    ],
)
def test_signing_garbage_is_malformed_never_an_exception(certificate, garbage):
    check = signing.verify_signature(certificate, garbage)
    assert check.status == signing.SignatureStatus.MALFORMED
    assert not check.is_valid and check.key_id == ""


def test_signing_non_string_is_malformed(certificate):
    assert signing.verify_signature(certificate, ["list"]).status == "malformed"


def test_signing_non_canonical_base64_is_malformed(certificate):
    token = signing.sign(certificate)
    # The last of 86 characters carries 2 bits of the signature and 4 unused ones.
    last = token[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    twin = alphabet[alphabet.index(last) ^ 1]
    assert signing.verify_signature(certificate, token[:-1] + twin).status == "malformed"
