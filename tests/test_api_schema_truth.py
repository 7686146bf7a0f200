"""The OpenAPI document tells the truth about each parameter: a value the API refuses with 400
is one the document's schema for that parameter refuses too, and a value the document allows
is answered. (Before, the document allowed `date=000000000` and `number=0`, which the API
refused.)"""

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from . import api, factories

pytestmark = pytest.mark.django_db

NIP = factories.VALID_NIPS[0]


@pytest.fixture(scope="module")
def parameter_schemas(django_db_blocker):
    with django_db_blocker.unblock():
        document = api.client().get(api.OPENAPI_URL).json()
    return {
        (path, parameter["name"]): parameter["schema"]
        for path, methods in document["paths"].items()
        for parameter in methods["get"]["parameters"]
    }


def allowed_by_document(parameter_schemas, path: str, name: str, value: str) -> bool:
    validator = Draft202012Validator(parameter_schemas[path, name], format_checker=FormatChecker())
    return validator.is_valid(value)


REFUSED = [
    ("/api/v1/verify", "date", "000000000", {"number": "ZP/2026/0007"}),
    ("/api/v1/verify", "date", "2026-02-30", {"number": "ZP/2026/0007"}),
    ("/api/v1/verify", "number", "0", {}),
    ("/api/v1/certificates", "number", "0", {}),
    ("/api/v1/certificates", "number", "ZP/2026/0007x", {}),
    ("/api/v1/certificates", "q", "a\x00b", {}),
    ("/api/v1/certificates", "town", "a\x00b", {}),
    ("/api/v1/certificates", "powiat", "9999", {}),
    ("/api/v1/verify/nip", "nip", "12345", {}),
    ("/api/v1/verify/nip", "date", "15.03.2026", {"nip": NIP}),
    ("/api/v1/certificates", "cpv", "5552000", {}),
    ("/api/v1/certificates", "cpv", "catering", {}),
    ("/api/v1/certificates", "cpv", "55520000-1x", {}),
]
ANSWERED = [
    ("/api/v1/verify", "number", " zp-2026-0007 ", {}),
    ("/api/v1/verify", "date", "", {"number": "ZP/2026/0007"}),
    ("/api/v1/verify", "date", "2020-01-15", {"number": "ZP/2026/0007"}),
    ("/api/v1/certificates", "number", "ZP/2026/000007", {}),
    ("/api/v1/certificates", "powiat", "2469", {}),
    ("/api/v1/certificates", "powiat", "", {}),
    ("/api/v1/verify/nip", "nip", "NIP: PL 526-025-02-74", {}),
    ("/api/v1/certificates", "cpv", "55520000-1", {}),
    ("/api/v1/certificates", "cpv", " 55520000-1, 90910000;\n18100000 ", {}),
    ("/api/v1/certificates", "cpv", "", {}),
]


@pytest.mark.parametrize(("path", "name", "value", "others"), REFUSED)
def test_a_value_the_api_refuses_is_one_the_document_refuses(
    parameter_schemas, path, name, value, others
):
    response = api.get(api.client("en"), path, **{name: value, **others})

    assert response.status_code == 400
    assert response.json()["parameter"] == name
    assert not allowed_by_document(parameter_schemas, path, name, value)


@pytest.mark.parametrize(("path", "name", "value", "others"), ANSWERED)
def test_a_value_the_document_allows_is_answered(parameter_schemas, path, name, value, others):
    factories.cpv_vocabulary()  # the codes above are in it
    assert allowed_by_document(parameter_schemas, path, name, value)
    assert api.get(api.client("en"), path, **{name: value, **others}).status_code == 200


@pytest.mark.parametrize("number", ["0", "ZP-26-1", "ZP-2026-0007-extra"])
def test_a_number_the_lookup_refuses_is_one_its_path_refuses(parameter_schemas, number):
    response = api.get(api.client(), f"/api/v1/certificates/{number}")

    assert response.status_code == 400
    assert response.json()["code"] == "not_a_number"
    assert not allowed_by_document(
        parameter_schemas, "/api/v1/certificates/{number}", "number", number
    )
