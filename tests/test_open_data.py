"""Open data: the registry as CSV and JSON, following the filters, streamed."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.choices import LegalForm
from certification.views import open_data

from . import factories

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate()
COLUMNS = [
    "number",
    "status",
    "status_label",
    "organization_name",
    "nip",
    "legal_form",
    "legal_form_label",
    "town",
    "powiat",
    "powiat_name",
    "items",
    "cpv",
    "issued_on",
    "valid_until",
    "url",
    "imported",
]


@pytest.fixture
def two():
    foundation = factories.OrganizationFactory(
        name="Fundacja „Żółć”, Kraków", legal_form=LegalForm.FOUNDATION, town="Łódź"
    )
    return {
        "valid": factories.certificate(
            organization=foundation,
            items=("Miód; gryczany", 'Szycie "toreb"'),
            cpv_codes=("55520000-1", "18100000-0"),
        ),
        "expired": factories.certificate(
            items=("Sprzątanie",),
            issued_on=TODAY - datetime.timedelta(days=400),
            valid_until=TODAY - datetime.timedelta(days=35),
        ),
    }


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[dict]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_headers_and_columns(client, two):
    response = client.get(reverse("registry_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="rejestr-zakup-prospoleczny-{TODAY:%Y-%m-%d}.csv"'
    )
    content = body(client.get(reverse("registry_csv")))
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    header = content[3:].split(b"\r\n")[0].decode()
    assert header.split(";") == COLUMNS  # Polish Excel's list separator


def test_csv_row_content(client, two):
    rows = {row["number"]: row for row in csv_rows(client.get(reverse("registry_csv")))}
    certificate = two["valid"]
    slug = certificate.number.replace("/", "-")
    assert rows[certificate.number] == {
        "number": certificate.number,
        "status": "valid",
        "status_label": "Valid",
        "organization_name": "Fundacja „Żółć”, Kraków",
        "nip": certificate.organization.nip,
        "legal_form": "foundation",
        "legal_form_label": "Foundation",
        "town": "Łódź",
        "powiat": "",  # Łódź is outside the Silesian powiats
        "powiat_name": "",
        "items": 'Miód; gryczany; Szycie "toreb"',
        "cpv": "18100000-0 55520000-1",
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "url": f"http://127.0.0.1:8000/rejestr/{slug}/",
        "imported": "0",
    }
    assert rows[two["expired"].number]["status"] == "expired"


def test_csv_status_label_follows_the_language(two):
    rows = csv_rows(Client().get(reverse("registry_csv"), {"status": "valid"}))
    assert rows[0]["status_label"] == "Ważny"  # "Valid" in Polish, the default
    assert rows[0]["status"] == "valid"


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(client):
    organization = factories.OrganizationFactory(name='=HYPERLINK("http://x","y")', town="@Bytom")
    factories.certificate(organization=organization, items=("+48 catering", "-10% rabat"))
    (row,) = csv_rows(client.get(reverse("registry_csv")))
    assert row["organization_name"] == '\'=HYPERLINK("http://x","y")'
    assert row["town"] == "'@Bytom"
    assert row["items"] == "'+48 catering; -10% rabat"


def test_csv_follows_the_filters_and_order(client, two):
    factories.certificate(items=("Chleb",))
    rows = csv_rows(client.get(reverse("registry_csv"), {"q": "zolc", "town": "lodz"}))
    assert [r["number"] for r in rows] == [two["valid"].number]
    rows = csv_rows(client.get(reverse("registry_csv"), {"status": "expired"}))
    assert [r["number"] for r in rows] == [two["expired"].number]
    rows = csv_rows(client.get(reverse("registry_csv"), {"sort": "number", "page": "7"}))
    assert [r["number"] for r in rows] == sorted(r["number"] for r in rows)
    assert len(rows) == 3  # every row, whatever page the list was on


def test_csv_of_an_empty_registry_has_the_header_only(client):
    assert csv_rows(client.get(reverse("registry_csv"))) == []


def test_json_content(client, two):
    response = client.get(reverse("registry_json"), {"legal_form": "foundation"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body(response))
    assert data["generated_on"] == TODAY.isoformat()
    (entry,) = data["certificates"]
    certificate = two["valid"]
    assert list(entry) == COLUMNS
    assert entry["number"] == certificate.number
    assert entry["organization_name"] == "Fundacja „Żółć”, Kraków"
    codes = ["18100000-0", "55520000-1"]
    assert entry["items"] == [
        {"name": "Miód; gryczany", "kind": "product", "cpv": codes},
        {"name": 'Szycie "toreb"', "kind": "product", "cpv": codes},
    ]
    assert entry["cpv"] == codes
    assert entry["status"] == "valid"
    assert entry["url"].endswith(f"/rejestr/{certificate.number.replace('/', '-')}/")


def test_json_keeps_polish_letters_readable(client, two):
    assert "Żółć".encode() in body(client.get(reverse("registry_json")))


def test_json_of_an_empty_selection_is_an_empty_list(client, two):
    data = json.loads(body(client.get(reverse("registry_json"), {"q": "nie ma takiej"})))
    assert data["certificates"] == []


@pytest.mark.parametrize("name", ["registry_csv", "registry_json"])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "<b>bogus</b>"}, "Status: Choose a status from the list."),
        ({"q": "x" * 10_000}, "Search: Search for at most 200 characters."),
        ({"year": "' OR 1=1"}, "Year of issue: Choose a year from the list."),
    ],
)
def test_bad_filters_are_400_with_a_message(client, two, name, params, message):
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


@pytest.mark.parametrize("name", ["registry_csv", "registry_json"])
def test_downloads_refuse_post(client, name):
    assert client.post(reverse(name)).status_code == 405


def test_queries_grow_by_batch_not_by_row(client, monkeypatch):
    monkeypatch.setattr(open_data, "BATCH_SIZE", 5)
    for _ in range(2):
        factories.certificate(items=("A", "B"))
    with CaptureQueriesContext(connection) as few:
        assert len(csv_rows(client.get(reverse("registry_csv")))) == 2
    for _ in range(8):
        factories.certificate(items=("A", "B"))
    with CaptureQueriesContext(connection) as more:
        assert len(csv_rows(client.get(reverse("registry_csv")))) == 10
    # One query for the certificates, one for the items of each batch of five.
    assert len(few) == 2
    assert len(more) == 3


def test_registry_page_links_to_downloads_with_its_filters(client, two):
    html = client.get(reverse("registry"), {"q": "zolc", "status": "bogus", "page": "1"})
    html = html.content.decode()
    assert 'href="/rejestr/dane.csv?q=zolc"' in html  # the wrong status is left out
    assert 'href="/rejestr/dane.json?q=zolc"' in html
    assert "<code>organization_name</code>" in html  # the columns are documented
    plain = client.get(reverse("registry")).content.decode()
    assert 'href="/rejestr/dane.csv"' in plain


def test_status_in_the_files_is_the_status_the_pages_show(client):
    past = {
        "issued_on": TODAY - datetime.timedelta(days=400),
        "valid_until": TODAY - datetime.timedelta(days=35),
    }
    made = [
        factories.certificate(),
        factories.certificate(**past),
        factories.certificate(status="suspended"),
        factories.certificate(status="suspended", **past),
        factories.certificate(status="revoked", **past),
        factories.certificate(status="expired", **past),
        factories.certificate(issued_on=TODAY + datetime.timedelta(days=1)),
    ]
    rows = {r["number"]: r["status"] for r in csv_rows(client.get(reverse("registry_csv")))}
    assert rows == {c.number: c.public_status for c in made}
    assert set(rows.values()) == {"valid", "expired", "suspended", "revoked", "not_yet_valid"}
