"""A certificate's verifiable credential as the app serves it, its controller document
(did:web) and its status lists: addresses, content, caching, and the certificate pages."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification import signing_keys
from certification.credentials import did, proof, status_lists
from certification.credentials.certificate import credential_url
from certification.domain import lifecycle
from certification.models import STATUS_LIST_SIZE, Certificate, StatusList

from . import factories, stages
from .test_signing_keys import write_public_pem
from .vc import credential_of, get_json, path_of
from .web import login, main_part

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key_in_tmp")]


def test_credential_states_what_the_certificate_states(client):
    certificate = factories.certificate(items=("Catering „Smaczne”", "Pranie"))

    response = client.get(path_of(credential_url(certificate)))
    credential = json.loads(response.content)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["type"] == ["VerifiableCredential", "ZakupProspolecznyCertificate"]
    assert credential["id"] == credential_url(certificate)
    assert credential["issuer"]["id"] == did.did()
    subject = credential["credentialSubject"]
    assert (subject["name"], subject["taxID"]) == (certificate.holder_name, certificate.holder_nip)
    assert subject["hasCertification"]["certificationIdentification"] == certificate.number
    assert sorted(item["name"] for item in subject["hasCertification"]["about"]) == [
        "Catering „Smaczne”",
        "Pranie",
    ]
    assert credential["validFrom"].startswith(certificate.issued_on.isoformat() + "T00:00:00")
    assert credential["validUntil"].startswith(certificate.valid_until.isoformat() + "T23:59:59")
    assert [s["statusPurpose"] for s in credential["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof.verify(credential) == signing_keys.current_public_key().key_id


def test_credential_is_the_same_on_every_download(client):
    """No creation time, and Ed25519 is deterministic: a certificate has one credential per key."""
    certificate = factories.certificate()

    assert credential_of(client, certificate) == credential_of(Client(), certificate)


def test_credential_asked_as_application_vc_is_served_as_such(client):
    certificate = factories.certificate()

    response = client.get(
        path_of(credential_url(certificate)), headers={"Accept": "application/vc"}
    )

    assert response["Content-Type"] == "application/vc; charset=utf-8"


def test_credential_download_link_names_a_file(client):
    certificate = factories.certificate()

    response = client.get(path_of(credential_url(certificate)) + "?pobierz")

    assert response["Content-Disposition"] == 'attachment; filename="ZP-{}.vc.json"'.format(
        certificate.number.removeprefix("ZP/").replace("/", "-")
    )


def test_credential_of_a_number_not_in_the_registry_is_404(client):
    factories.certificate()

    for slug in ("ZP-2020-0999", "not-a-number"):
        response = client.get(reverse("certificate_credential", args=[slug]))
        assert response.status_code == 404


def test_each_certificate_gets_its_own_status_list_index_once(client):
    first, second = factories.certificate(), factories.certificate()
    officer = factories.officer()
    lifecycle.revoke_certificate(certificate=first, user=officer, reason="Cofnięty.")

    first.refresh_from_db()
    assert (first.status_list_index, second.status_list_index) == (0, 1)
    assert credential_of(client, second)["credentialStatus"][0]["statusListIndex"] == "1"


def test_issue_through_the_flow_allocates_the_next_index_and_its_list():
    factories.certificate()
    certificate = stages.certified(stages.cast())

    assert certificate.status_list_index == 1
    assert StatusList.objects.filter(number=0).exists()


def test_index_past_the_first_list_goes_to_the_second(client):
    certificate = factories.certificate()
    Certificate.objects.filter(pk=certificate.pk).update(status_list_index=STATUS_LIST_SIZE + 5)
    certificate.refresh_from_db()
    lifecycle.revoke_certificate(certificate=certificate, user=factories.officer(), reason="X.")

    entry = credential_of(client, certificate)["credentialStatus"][0]
    listed = get_json(client, entry["statusListCredential"])

    assert entry["statusListCredential"].endswith("/status/revocation/1.json")
    assert entry["statusListIndex"] == "5"
    raw = status_lists.decode(listed["credentialSubject"]["encodedList"])
    assert status_lists.bit_of(raw, 5) and not status_lists.bit_of(raw, 4)


def test_did_web_names_the_host_and_port_and_is_served_where_it_resolves(client, settings):
    settings.SITE_URL = "https://zakup.example.pl:8443"

    response = client.get("/.well-known/did.json")
    document = json.loads(response.content)

    assert did.did() == "did:web:zakup.example.pl%3A8443"
    assert did.document_url() == "https://zakup.example.pl:8443/.well-known/did.json"
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert document["id"] == "did:web:zakup.example.pl%3A8443"
    key = signing_keys.current_public_key()
    assert document["assertionMethod"] == [f"did:web:zakup.example.pl%3A8443#{key.key_id}"]
    assert document["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")


def test_did_web_without_a_port_is_the_bare_host(settings):
    settings.SITE_URL = "https://zakup.example.pl"

    assert did.did() == "did:web:zakup.example.pl"


def test_controller_document_lists_every_published_key_after_a_rotation(client, settings, tmp_path):
    old = signing_keys.write_new_private_key(tmp_path / "old.pem")
    signing_keys.write_new_private_key(tmp_path / "new.pem")
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "new.pem")
    settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES = [
        str(write_public_pem(tmp_path / "old.pub.pem", old))
    ]

    document = json.loads(client.get("/.well-known/did.json").content)

    published = [key.key_id for key in signing_keys.public_keys()]
    assert [m["id"].split("#")[1] for m in document["verificationMethod"]] == published
    assert document["assertionMethod"] == [m["id"] for m in document["verificationMethod"]]
    assert len(published) == 2


def test_status_list_shows_revocation_and_suspension_bits(client):
    revoked = factories.certificate()
    suspended = factories.certificate()
    valid = factories.certificate()
    officer = factories.officer()
    lifecycle.revoke_certificate(certificate=revoked, user=officer, reason="Cofnięty.")
    lifecycle.suspend_certificate(
        certificate=suspended,
        user=officer,
        reason="Kontrola.",
        correction_until=timezone.localdate() + datetime.timedelta(days=14),
    )

    bits = {}
    for purpose in ("revocation", "suspension"):
        listed = get_json(client, status_lists.list_url(purpose, 0))
        assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert listed["credentialSubject"]["statusPurpose"] == purpose
        assert proof.verify(listed)
        raw = status_lists.decode(listed["credentialSubject"]["encodedList"])
        assert len(raw) * 8 == STATUS_LIST_SIZE
        bits[purpose] = [
            status_lists.bit_of(raw, c.status_list_index) for c in (revoked, suspended, valid)
        ]

    assert bits == {"revocation": [True, False, False], "suspension": [False, True, False]}


def test_status_list_is_never_stale_after_a_revocation_commits(client):
    """The list is cached; the revocation's own transaction raised its version."""
    certificate = factories.certificate()
    url = path_of(status_lists.list_url("revocation", 0))
    before = client.get(url)
    assert client.get(url, headers={"If-None-Match": before["ETag"]}).status_code == 304

    lifecycle.revoke_certificate(certificate=certificate, user=factories.officer(), reason="X.")

    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    raw = status_lists.decode(json.loads(after.content)["credentialSubject"]["encodedList"])
    assert status_lists.bit_of(raw, certificate.status_list_index)


def test_status_list_may_be_stored_but_must_be_revalidated(client):
    factories.certificate()

    response = client.get(path_of(status_lists.list_url("suspension", 0)))

    assert response["Cache-Control"] in ("public, no-cache", "no-cache, public")
    assert response["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "/poswiadczenia/status/expiry/0.json",
        "/poswiadczenia/status/revocation/7.json",
    ],
)
def test_status_list_that_does_not_exist_is_404(client, path):
    factories.certificate()

    assert client.get(path).status_code == 404


def test_public_certificate_page_offers_the_credential_and_its_qr_code(client):
    certificate = factories.certificate()
    client.cookies["django_language"] = "en"

    page = main_part(
        client.get(
            reverse("certificate_detail", args=[certificate.number.replace("/", "-")])
        ).content.decode()
    )

    assert "Download as a verifiable credential (JSON)" in page
    assert f'href="{path_of(credential_url(certificate))}?pobierz"' in page
    assert '<svg role="img"' in page and "verifiable credential</title>" in page
    assert credential_url(certificate) in page


def test_applicants_application_page_offers_the_credential(client):
    certificate = factories.certificate()
    member = factories.applicant(certificate.organization)
    login(client, member)

    page = main_part(
        client.get(
            reverse("application_detail", args=[certificate.application_id])
        ).content.decode()
    )

    assert "Download as a verifiable credential (JSON)" in page
    assert f'href="{path_of(credential_url(certificate))}?pobierz"' in page
    assert '<svg role="img"' in page


def test_credential_page_texts_are_translated_to_polish(client):
    certificate = factories.certificate()

    page = client.get(reverse("certificate_detail", args=[certificate.number.replace("/", "-")]))

    assert "Pobierz jako poświadczenie weryfikowalne (JSON)" in page.content.decode()
