"""POST /api/v1/verify: a presented verifiable credential, checked by the registry itself.
Every answer is checked against the OpenAPI document (tests/api.py)."""

import copy
import datetime
import json

import pytest
from django.utils import timezone

from certification.credentials import proof
from certification.domain import lifecycle
from certification.models import AuditEvent, Certificate, CertificateStatusChange, StatusList

from . import api, factories
from .vc import credential_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key_in_tmp")]

URL = "/api/v1/verify"


def post(client, body, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body, ensure_ascii=False)
    return api.check(client.post(URL, data, content_type=content_type))


@pytest.fixture
def client():
    return api.client("en")


def stored():
    """What a verification must never change."""
    return (
        AuditEvent.objects.count(),
        CertificateStatusChange.objects.count(),
        list(StatusList.objects.values_list("number", "version")),
        list(Certificate.objects.values_list("pk", "status")),
    )


def test_verify_accepts_a_fresh_credential(client):
    certificate = factories.certificate()

    answer = post(client, credential_of(client, certificate)).json()

    assert answer["verified"] is True
    assert (answer["status"], answer["revoked"], answer["suspended"]) == ("valid", False, False)
    assert answer["certificate"]["number"] == certificate.number
    assert answer["errors"] == []
    assert answer["key_id"]


def test_verify_accepts_application_vc_bodies(client):
    certificate = factories.certificate()

    response = post(client, credential_of(client, certificate), content_type="application/vc")

    assert response.json()["verified"] is True


def test_verify_reports_a_revocation_committed_after_the_download(client):
    certificate = factories.certificate()
    credential = credential_of(client, certificate)
    assert post(client, credential).json()["status"] == "valid"  # the list is cached now

    lifecycle.revoke_certificate(certificate=certificate, user=factories.officer(), reason="X.")

    answer = post(client, credential).json()
    assert (answer["verified"], answer["status"], answer["revoked"]) == (True, "revoked", True)
    assert answer["certificate"]["status"] == "revoked"


def test_verify_reports_a_suspension_and_its_end(client):
    certificate = factories.certificate()
    credential = credential_of(client, certificate)
    officer = factories.officer()
    lifecycle.suspend_certificate(
        certificate=certificate,
        user=officer,
        reason="Kontrola.",
        correction_until=timezone.localdate() + datetime.timedelta(days=14),
    )
    suspended = post(client, credential).json()
    lifecycle.reinstate_certificate(certificate=certificate, user=officer)
    reinstated = post(client, credential).json()

    assert (suspended["status"], suspended["suspended"]) == ("suspended", True)
    assert (reinstated["status"], reinstated["suspended"]) == ("valid", False)


def test_verify_says_an_expired_certificates_credential_is_expired(client):
    today = timezone.localdate()
    certificate = factories.certificate(
        issued_on=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=35),
    )

    answer = post(client, credential_of(client, certificate)).json()

    assert (answer["verified"], answer["status"]) == (True, "expired")


def test_verify_rejects_a_tampered_credential_and_saves_nothing(client):
    certificate = factories.certificate()
    tampered = copy.deepcopy(credential_of(client, certificate))
    tampered["validUntil"] = "2099-12-31T23:59:59+01:00"
    before = stored()

    response = post(client, tampered)
    answer = response.json()

    assert response.status_code == 200
    assert (answer["verified"], answer["status"]) == (False, None)
    assert [e["code"] for e in answer["errors"]] == ["invalid_signature"]
    assert "altered" in answer["errors"][0]["message"]
    assert stored() == before


def test_verify_rejects_a_credential_of_another_issuer(client):
    certificate = factories.certificate()
    other = credential_of(client, certificate)
    other["issuer"] = {"id": "did:web:example.org", "name": "Ktoś inny"}

    answer = post(client, other).json()

    assert answer["verified"] is False
    assert [e["code"] for e in answer["errors"]] == ["unknown_issuer"]
    assert "not issued by this registry" in answer["errors"][0]["message"]


def test_verify_rejects_a_key_the_registry_does_not_publish(client):
    credential = credential_of(client, factories.certificate())
    credential["proof"]["verificationMethod"] = credential["proof"]["verificationMethod"][:-8] + (
        "deadbeef"
    )

    answer = post(client, credential).json()

    assert [e["code"] for e in answer["errors"]] == ["unknown_key"]


def test_verify_refuses_a_status_list_the_registry_does_not_publish(client):
    """Signed by the registry's key, but naming a list that is not there: unreadable, not
    fetched, and said so."""
    credential = credential_of(client, factories.certificate())
    for entry in credential["credentialStatus"]:
        for key in ("id", "statusListCredential"):
            entry[key] = entry[key].replace("/0.json", "/9.json")
    resigned = proof.sign(credential)
    before = stored()

    answer = post(client, resigned).json()

    assert answer["verified"] is False
    assert [e["code"] for e in answer["errors"]] == ["unreadable_status_list"]
    assert "status list cannot be read" in answer["errors"][0]["message"]
    assert stored() == before


def test_verify_refuses_a_credential_with_a_status_list_elsewhere(client):
    credential = credential_of(client, factories.certificate())
    credential["credentialStatus"][0]["statusListCredential"] = "https://example.org/list.json"

    answer = post(client, proof.sign(credential)).json()

    assert [e["code"] for e in answer["errors"]] == ["unreadable_status_list"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            lambda c: c["@context"].append("https://example.org/context.jsonld"),
            "unreadable_credential",
        ),
        (lambda c: c["credentialSubject"].update({"@reverse": {"x": 1}}), "unreadable_credential"),
        (lambda c: c["credentialSubject"].update(id="_:b0"), "unreadable_credential"),
        (lambda c: c.pop("proof"), "no_proof"),
        (lambda c: c["proof"].update(cryptosuite="ecdsa-rdfc-2019"), "unsupported_proof"),
        (lambda c: c["proof"].update(proofValue="z123"), "malformed_proof"),
        (lambda c: c["proof"].update(proofValue="not base58 0OIl"), "malformed_proof"),
        (lambda c: c["proof"].update(proofPurpose="authentication"), "wrong_proof_purpose"),
        (lambda c: c.update(type=["Something"]), "not_a_credential"),
        (
            lambda c: c.update({"@context": "https://www.w3.org/ns/credentials/v2"}),
            "not_a_credential",
        ),
    ],
)
def test_verify_explains_what_is_wrong_with_a_credential(client, change, code):
    credential = credential_of(client, factories.certificate())
    change(credential)

    answer = post(client, credential).json()

    assert answer["verified"] is False
    assert [e["code"] for e in answer["errors"]] == [code]
    assert answer["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    ["", "{not json", "[]", '"a string"', "null", "[" * 5000 + "]" * 5000, "{}" * 2],
)
def test_verify_answers_400_to_a_body_that_is_not_a_json_object(client, body):
    response = post(client, body)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_body"


def test_verify_answers_413_to_a_huge_body(client):
    response = post(client, {"padding": "x" * 70_000})

    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_verify_answers_a_deeply_nested_object_without_a_server_error(client):
    credential = credential_of(client, factories.certificate())
    nested = {}
    for _ in range(300):
        nested = {"x": nested}
    credential["credentialSubject"]["deep"] = nested

    answer = post(client, credential).json()

    assert [e["code"] for e in answer["errors"]] == ["unreadable_credential"]


def test_verify_messages_are_polish_by_default():
    client = api.client()
    credential = credential_of(client, factories.certificate())
    credential["issuer"] = "did:web:example.org"

    answer = post(client, credential).json()

    assert "nie zostało wydane przez ten rejestr" in answer["errors"][0]["message"]
