"""The API keeps the promises of its own OpenAPI document: schemathesis generates requests from
/api/v1/openapi.json, valid and invalid ones, sends them to the app, and checks every answer
(no 5xx, only documented status codes, bodies and headers as documented, valid requests
accepted, invalid ones refused).

Bounded: a fixed number of examples per operation (API_SCHEMA_EXAMPLES, 40 by default: some
seconds), the same ones on every run; `make test-api-schema` runs 300, in under two minutes."""

import datetime
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from certification.domain import cpv_import
from config.wsgi import application

from . import factories

pytestmark = pytest.mark.django_db

# A quick pass in every test run; `make test-api-schema` (CI) runs many more.
EXAMPLES = int(os.environ.get("API_SCHEMA_EXAMPLES", "40"))
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def _nip(first_nine: str) -> str | None:
    check = sum(w * int(d) for w, d in zip(NIP_WEIGHTS, first_nine, strict=True)) % 11
    return None if check == 10 else first_nine + str(check)


def _spelled(digits: str, prefix: str, grouping: str) -> str:
    if grouping == "invoice":
        digits = f"{digits[:3]}-{digits[3:6]}-{digits[6:8]}-{digits[8:]}"
    elif grouping == "spaces":
        digits = " ".join((digits[:3], digits[3:6], digits[6:8], digits[8:]))
    return prefix + digits


# What the document states but no JSON Schema can: a NIP's check digit (the API's format
# "nip") and that a day asked about is not in the future. Valid values of these are made so.
schemathesis.openapi.format(
    "nip",
    st.builds(
        _spelled,
        st.text("0123456789", min_size=9, max_size=9).map(_nip).filter(bool),
        st.sampled_from(["", "PL", "NIP ", "NIP: ", "nip:PL ", "NIP: PL "]),
        st.sampled_from(["plain", "invoice", "spaces"]),
    ),
)
schemathesis.openapi.format(
    "date",
    st.dates(max_value=datetime.date.today() - datetime.timedelta(days=1)).map(
        datetime.date.isoformat
    ),
)

# "cpv-codes": codes the vocabulary has (the fixture's, loaded below), as a tender notice lists
# them; a code it lacks is a 400 the document cannot state.
FIXTURE_CODES = [row.code for row in cpv_import.read_file(factories.CPV_FIXTURE)]
schemathesis.openapi.format(
    "cpv-codes",
    st.lists(st.sampled_from(FIXTURE_CODES), max_size=4).flatmap(
        lambda codes: st.sampled_from([", ", " ", ";"]).map(lambda gap: gap.join(codes))
    ),
)


# "bbox": an area as RFC 7946 orders it, west before east and south before north; empty, too.
def _bbox(lons: list[float], lats: list[float]) -> str:
    (west, east), (south, north) = sorted(lons), sorted(lats)
    return ",".join(f"{value:.5f}" for value in (west, south, east, north))


_DEGREES = {"allow_nan": False, "allow_infinity": False}
schemathesis.openapi.format(
    "bbox",
    st.just("")
    | st.builds(
        _bbox,
        st.lists(
            st.floats(-180, 180, **_DEGREES).map(lambda v: round(v, 5)),
            min_size=2,
            max_size=2,
            unique=True,
        ),
        st.lists(
            st.floats(-90, 90, **_DEGREES).map(lambda v: round(v, 5)),
            min_size=2,
            max_size=2,
            unique=True,
        ),
    ),
)

# The document as the app serves it (no database needed for it).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def registry_with_certificates(settings):
    # The limit would answer 429 (a documented answer) to nearly everything after the 120th
    # request, and nothing else would be tested.
    settings.API_RATE_LIMIT = "off"
    factories.certificate(cpv_codes=("55520000-1",))
    factories.certificate(status="suspended", status_reason="Kontrola jakości")
    # The app is called in this process, inside the test's transaction: a request must not
    # close the connection that holds it (Django's test client does the same).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case):
    case.call_and_validate()
