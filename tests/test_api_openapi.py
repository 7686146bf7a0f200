"""The OpenAPI document the app serves, and that the API tests' check really bites."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from openapi_core.exceptions import OpenAPIError
from openapi_spec_validator import validate

from . import api, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return api.client()


@pytest.fixture
def document(client):
    response = client.get(api.OPENAPI_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    validate(document)  # raises on any breach of the OpenAPI specification


def test_document_describes_the_six_operations(document):
    operations = {
        (path, method): operation["operationId"]
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }

    assert operations == {
        ("/api/v1/certificates/{number}", "get"): "getCertificate",
        ("/api/v1/verify", "get"): "verifyCertificate",
        ("/api/v1/verify", "post"): "verifyCredential",
        ("/api/v1/certificates", "get"): "searchCertificates",
        ("/api/v1/verify/nip", "get"): "verifyByNip",
        ("/api/v1/cpv-codes", "get"): "suggestCpvCodes",
    }


def test_document_states_the_body_a_credential_is_verified_from(document):
    operation = document["paths"]["/api/v1/verify"]["post"]
    body = operation["requestBody"]

    assert body["required"] is True
    assert body["content"]["application/json"]["schema"]["type"] == "object"
    assert "eddsa-rdfc-2022" in body["description"]
    assert {"200", "400", "413", "429"} <= set(operation["responses"])


def test_document_lists_every_status_a_buyer_can_be_told(document):
    schemas = document["components"]["schemas"]
    result = schemas["VerificationOut"]["properties"]["result"]["enum"]

    assert {"valid", "expired", "suspended", "revoked", "unknown"} <= set(result)


def test_document_declares_errors_and_retry_after(document):
    for methods in document["paths"].values():
        for operation in methods.values():
            responses = operation["responses"]
            assert {"200", "400", "429"} <= set(responses)
            assert responses["429"]["headers"]["Retry-After"]["required"] is True
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }


def test_verify_by_nip_answers_match_the_document(client):
    certificate = factories.certificate()
    nip = certificate.organization.nip

    found = api.get(client, "/api/v1/verify/nip", nip=nip)  # api.get checks each answer
    unknown = api.get(client, "/api/v1/verify/nip", nip=factories.VALID_NIPS[1])
    wrong = api.get(client, "/api/v1/verify/nip", nip=nip[:-1] + str((int(nip[-1]) + 1) % 10))

    assert [found.status_code, unknown.status_code, wrong.status_code] == [200, 200, 400]
    assert found.json()["certificates"][0]["certificate"]["number"] == certificate.number
    assert unknown.json()["organization"] is None

    body = found.json()
    body["certificates"][0]["result"] = "fine"
    found.content = json.dumps(body).encode()
    with pytest.raises(OpenAPIError):
        api.check(found)


def test_check_fails_when_a_body_does_not_match(client):
    certificate = factories.certificate()
    response = client.get("/api/v1/verify", {"number": certificate.number})
    api.check(response)

    body = response.json()
    del body["certificate"]["organization"]["nip"]
    response.content = json.dumps(body).encode()
    with pytest.raises(OpenAPIError):
        api.check(response)


def test_check_fails_on_a_value_outside_the_documented_ones(client):
    certificate = factories.certificate()
    response = client.get("/api/v1/verify", {"number": certificate.number})

    response.content = response.content.replace(b'"result": "valid"', b'"result": "fine"')
    with pytest.raises(OpenAPIError):
        api.check(response)


def test_check_fails_on_an_undocumented_status(client):
    response = client.get("/api/v1/verify", {"number": "ZP/2026/0001"})

    response.status_code = 404  # /verify answers an unknown number with 200 "unknown"
    with pytest.raises(OpenAPIError):
        api.check(response)


def test_check_fails_on_a_429_without_retry_after(client, settings):
    settings.API_RATE_LIMIT = "1/m"
    client.get("/api/v1/certificates")
    response = client.get("/api/v1/certificates")
    api.check(response)

    del response["Retry-After"]
    with pytest.raises(OpenAPIError):
        api.check(response)


def test_docs_page_uses_only_local_files(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert api.OPENAPI_URL in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
