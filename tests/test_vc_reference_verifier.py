"""The registry's verifiable credentials, checked by the W3C reference implementation (npm
@digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite and the Bitstring Status List library,
tools/vc-verify) run by node: what a buyer's own tool would conclude, not what our code says
of itself. Skipped locally without node; CI installs it and must run them."""

import copy
import datetime

import pytest
from django.utils import timezone

from certification import signing_keys
from certification.credentials import status_lists
from certification.domain import lifecycle
from tests.test_signing_keys import write_public_pem

from . import factories
from .vc import credential_of, get_json, reference_verdict, require_verifier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key_in_tmp")]


@pytest.fixture(autouse=True)
def _verifier_present():
    require_verifier()


def test_reference_verifier_accepts_a_fresh_credential(client, tmp_path):
    certificate = factories.certificate(items=("Catering „Smaczne”", "Pranie | prasowanie 100%"))

    verdict = reference_verdict(client, credential_of(client, certificate), tmp_path)

    assert verdict == {"verified": True, "revoked": False, "suspended": False, "errors": []}


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("name", lambda c: c["credentialSubject"].update(name="Inna Spółdzielnia")),
        ("validUntil", lambda c: c.update(validUntil="2099-12-31T23:59:59+01:00")),
        ("item", lambda c: c["credentialSubject"]["hasCertification"]["about"].pop()),
        ("status index", lambda c: c["credentialStatus"][0].update(statusListIndex="7")),
    ],
)
def test_reference_verifier_rejects_a_tampered_credential(client, tmp_path, where, change):
    certificate = factories.certificate(items=("Catering", "Pranie"))
    tampered = copy.deepcopy(credential_of(client, certificate))
    change(tampered)

    verdict = reference_verdict(client, tampered, tmp_path)

    assert verdict["verified"] is False
    assert any("signature" in error.lower() for error in verdict["errors"]), verdict


def test_reference_verifier_reports_a_revoked_credential(client, tmp_path):
    certificate = factories.certificate()
    credential = credential_of(client, certificate)
    # The list is read (and cached) while the certificate is valid, before the revocation.
    assert reference_verdict(client, credential, tmp_path / "before")["revoked"] is False

    lifecycle.revoke_certificate(
        certificate=certificate, user=factories.officer(), reason="Nieprawdziwe oświadczenie."
    )

    verdict = reference_verdict(client, credential, tmp_path / "after")
    assert verdict["verified"] is True  # genuine, and the registry says it is revoked
    assert (verdict["revoked"], verdict["suspended"]) == (True, False)


def test_reference_verifier_follows_suspension_and_reinstatement(client, tmp_path):
    certificate = factories.certificate()
    credential = credential_of(client, certificate)
    officer = factories.officer()

    lifecycle.suspend_certificate(
        certificate=certificate,
        user=officer,
        reason="Kontrola jakości.",
        correction_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    suspended = reference_verdict(client, credential, tmp_path / "suspended")
    lifecycle.reinstate_certificate(certificate=certificate, user=officer)
    reinstated = reference_verdict(client, credential, tmp_path / "reinstated")

    assert (suspended["verified"], suspended["revoked"], suspended["suspended"]) == (
        True,
        False,
        True,
    )
    assert reinstated == {"verified": True, "revoked": False, "suspended": False, "errors": []}


def test_reference_verifier_accepts_a_credential_signed_before_a_key_rotation(
    client, tmp_path, settings
):
    certificate = factories.certificate()
    old_key = signing_keys.write_new_private_key(tmp_path / "2026.pem")
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "2026.pem")
    old_credential = credential_of(client, certificate)

    signing_keys.write_new_private_key(tmp_path / "2027.pem")
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "2027.pem")
    settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES = [
        str(write_public_pem(tmp_path / "2026.pub.pem", old_key))
    ]

    verdict = reference_verdict(client, old_credential, tmp_path / "verify")
    assert verdict == {"verified": True, "revoked": False, "suspended": False, "errors": []}
    # The status lists are signed by the new key: both keys are in the controller document.
    assert credential_of(client, certificate)["proof"] != old_credential["proof"]


def test_reference_verifier_rejects_a_credential_whose_status_list_cannot_be_read(client, tmp_path):
    certificate = factories.certificate()
    credential = credential_of(client, certificate)
    revocation_list = credential["credentialStatus"][0]["statusListCredential"]

    verdict = reference_verdict(client, credential, tmp_path, instead={revocation_list: None})

    assert verdict["verified"] is False
    assert any("StatusListCredential" in error for error in verdict["errors"]), verdict


def test_reference_verifier_rejects_an_expired_certificates_credential(client, tmp_path):
    today = timezone.localdate()
    certificate = factories.certificate(
        issued_on=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=35),
    )

    verdict = reference_verdict(client, credential_of(client, certificate), tmp_path)

    assert verdict["verified"] is False
    assert any("validUntil" in error for error in verdict["errors"]), verdict


def test_reference_verifier_refuses_a_forged_status_list(client, tmp_path):
    """A status list is itself a signed credential: one whose bits were changed by whoever
    served it (here: the revocation hidden) is refused, not believed."""
    certificate = factories.certificate(status="revoked", status_reason="Cofnięty.")
    credential = credential_of(client, certificate)
    url = credential["credentialStatus"][0]["statusListCredential"]
    forged = get_json(client, url)
    forged["credentialSubject"]["encodedList"] = status_lists.encode(set())

    verdict = reference_verdict(client, credential, tmp_path, instead={url: forged})

    assert verdict["verified"] is False
    assert any("not verified" in error for error in verdict["errors"]), verdict
    assert reference_verdict(client, credential, tmp_path / "genuine")["revoked"] is True
