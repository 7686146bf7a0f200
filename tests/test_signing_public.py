"""What the public sees of signatures: the published keys and the line on the page."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from certification import signing

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dev_key_in_tmp(signing_key_in_tmp, settings):
    settings.SITE_URL = "https://zakup-prospoleczny.example.pl"


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_public_key_pem_is_published_cacheable_and_checks_a_signature(client):
    certificate = factories.certificate(items=("Catering „Smaczne”",))
    token = signing.sign(certificate)
    response = client.get("/klucze/certyfikaty.pem")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content.startswith(b"-----BEGIN PUBLIC KEY-----")
    key = serialization.load_pem_public_key(response.content)
    key.verify(b64url_decode(token.split(".")[1]), signing.payload(certificate))


def test_public_key_json_describes_the_key_and_the_format(client):
    token = signing.sign(factories.certificate())
    response = client.get("/klucze/certyfikaty.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    data = response.json()
    assert data["algorithm"] == "Ed25519"
    assert data["key_id"] == token.split(".")[0]
    assert data["payload_format"] == "ZP1"
    assert "ZP1|<certificate number>|<NIP>" in data["payload_description"]
    assert data["signature_parameter"] == "s"
    assert data["public_key_pem_url"] == "https://zakup-prospoleczny.example.pl" + reverse(
        "signing_key_pem"
    )
    pem = client.get("/klucze/certyfikaty.pem").content
    raw = serialization.load_pem_public_key(pem).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert b64url_decode(data["public_key"]) == raw and "=" not in data["public_key"]
    assert data["keys"] == [
        {
            "key_id": data["key_id"],
            "algorithm": "Ed25519",
            "public_key": data["public_key"],
            "public_key_pem": pem.decode(),
            "current": True,
        }
    ]


@pytest.mark.parametrize("url", ["/klucze/certyfikaty.pem", "/klucze/certyfikaty.json"])
def test_public_key_endpoints_take_head_but_not_post(client, url):
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def render_signature_line(certificate, query: dict) -> str:
    request = RequestFactory().get("/weryfikacja/x/", query)
    with translation.override("en"):
        return render_to_string(
            "public/_signature.html", signing.signature_context(certificate, request)
        )


def test_signature_line_valid_names_the_key():
    certificate = factories.certificate()
    token = signing.sign(certificate)
    html = render_signature_line(certificate, {"s": token})
    assert (
        f"The registry's digital signature on this certificate is valid (key {token[:8]})." in html
    )
    assert "message-error" not in html


def test_signature_line_invalid_warns_to_compare_with_the_registry():
    certificate = factories.certificate()
    token = signing.sign(factories.certificate(items=("Inny produkt",)))
    html = render_signature_line(certificate, {"s": token})
    assert "The signature does not match: this copy may have been altered" in html
    assert "message-error" in html


@pytest.mark.parametrize("token", ["A" * 10_000, "<b>x</b>", "abc.def"])
def test_signature_line_malformed_says_it_could_not_be_checked(token):
    html = render_signature_line(factories.certificate(), {"s": token})
    assert "damaged or incomplete" in html
    assert "<b>x</b>" not in html and "A" * 100 not in html


def test_signature_line_says_nothing_without_a_signature():
    assert render_signature_line(factories.certificate(), {}).strip() == ""
    assert render_signature_line(None, {"s": "abc"}).strip() == ""


def test_verification_page_from_the_qr_link_confirms_the_signature():
    from certification.pdf import verification_url

    certificate = factories.certificate()
    url = verification_url(certificate).removeprefix(settings.SITE_URL)
    visitor = Client()
    visitor.cookies["django_language"] = "en"
    html = visitor.get(url).content.decode()
    assert "digital signature on this certificate is valid" in html


def test_verification_page_with_a_forged_signature_warns():
    from certification.pdf import verification_url

    genuine, other = factories.certificate(), factories.certificate()
    forged = verification_url(other).split("?s=")[1]
    visitor = Client()
    visitor.cookies["django_language"] = "en"
    html = visitor.get(
        reverse("verify_number", args=[genuine.number.replace("/", "-")]), {"s": forged}
    ).content.decode()
    assert "The signature does not match" in html
