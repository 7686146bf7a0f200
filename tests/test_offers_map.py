"""The map of offers (/rejestr/mapa/) and its open data (/rejestr/dane.geojson): organisations
with a certificate valid today, filtered as the registry filters, located by their pin."""

import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from . import factories
from .web import main_part

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

KATOWICE = (Decimal("19.02391"), Decimal("50.26489"))
GLIWICE = (Decimal("18.67658"), Decimal("50.29761"))
TODAY = timezone.localdate


def supplier(name: str, code: str, *, at=KATOWICE, **certificate):
    organization = factories.OrganizationFactory(name=name, powiat="2469")
    if at is not None:
        organization.longitude, organization.latitude = at
        organization.save(update_fields=["longitude", "latitude"])
    return factories.certificate(
        organization=organization, items=(f"{name}: usługa",), cpv_codes=(code,), **certificate
    )


def geojson(client, **params) -> dict:
    response = client.get(reverse("registry_geojson"), params)
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/geo+json"
    assert isinstance(response, StreamingHttpResponse)  # never held whole
    return json.loads(b"".join(response.streaming_content))


def names_in(collection: dict) -> set[str]:
    return {feature["properties"]["name"] for feature in collection["features"]}


def map_page(client, **params) -> str:
    response = client.get(reverse("offers_map"), params)
    assert response.status_code == 200
    return main_part(response.content.decode())


# --- GeoJSON -----------------------------------------------------------------------------


def test_a_valid_certificates_organisation_is_a_point_with_its_certificates(client):
    caterer = supplier("Smaczna Kuchnia", "55521200-0")

    collection = geojson(client)

    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [19.02391, 50.26489]}
    properties = feature["properties"]
    assert properties["name"] == "Smaczna Kuchnia"
    assert properties["nip"] == caterer.organization.nip
    assert properties["town"] == "Katowice"
    assert properties["powiat"] == "2469"
    [shown] = properties["certificates"]
    assert shown["number"] == caterer.number
    assert shown["url"].endswith(f"/rejestr/{caterer.number.replace('/', '-')}/")
    assert shown["valid_until"] == caterer.valid_until.isoformat()
    assert shown["items"] == [
        {"name": "Smaczna Kuchnia: usługa", "kind": "product", "cpv": ["55521200-0"]}
    ]


def test_expired_suspended_revoked_future_and_unlocated_are_left_out(client):
    supplier("Ważny", "55520000-1")
    supplier("Przeterminowany", "55520000-1", valid_until=TODAY() - datetime.timedelta(days=1))
    supplier("Zawieszony", "55520000-1", status="suspended")
    supplier("Cofnięty", "55520000-1", status="revoked")
    supplier("Jutrzejszy", "55520000-1", issued_on=TODAY() + datetime.timedelta(days=1))
    supplier("Bez lokalizacji", "55520000-1", at=None)

    assert names_in(geojson(client)) == {"Ważny"}


def test_an_organisation_with_two_certificates_is_one_point(client):
    first = supplier("Dwa Certyfikaty", "55520000-1")
    second = factories.certificate(organization=first.organization, cpv_codes=("90910000-9",))

    [feature] = geojson(client)["features"]
    numbers = [c["number"] for c in feature["properties"]["certificates"]]
    assert numbers == [first.number, second.number]
    # Filtered: only the certificates that match are listed.
    [feature] = geojson(client, cpv="90910000-9")["features"]
    assert [c["number"] for c in feature["properties"]["certificates"]] == [second.number]


def test_filters_cpv_with_descendants_kind_powiat_and_bbox(client):
    supplier("Catering", "55521200-0")  # below 55520000
    supplier("Sprzątanie", "90910000-9", at=GLIWICE)
    supplier("Stolarnia", "45453100-8")

    assert names_in(geojson(client, cpv="55520000-1; 90910000-9")) == {"Catering", "Sprzątanie"}
    assert names_in(geojson(client, kind="service")) == set()
    assert names_in(geojson(client, kind="product")) == {"Catering", "Sprzątanie", "Stolarnia"}
    assert names_in(geojson(client, powiat="2466")) == set()
    # Gliwice is west of 18.8, Katowice east of it.
    assert names_in(geojson(client, bbox="18.5,50.2,18.8,50.4")) == {"Sprzątanie"}
    assert names_in(geojson(client, bbox="18.9,50.2,19.2,50.35")) == {"Catering", "Stolarnia"}


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"bbox": "19,50,18,51"}, "Area on the map"),
        ({"bbox": "a,b,c,d"}, "Area on the map"),
        ({"cpv": "12345678-9"}, "CPV"),
        ({"kind": "spaceship"}, "Products or services"),
    ],
)
def test_a_wrong_filter_answers_400_naming_it(client, params, named):
    response = client.get(reverse("registry_geojson"), params)

    assert response.status_code == 400
    assert named in response.content.decode()


# --- bbox: one reading for page, API and downloads -----------------------------------------


@pytest.mark.parametrize(
    ("text", "corners"),
    [
        ("18.9,50.2,19.2,50.35", (18.9, 50.2, 19.2, 50.35)),
        (" -180, -90 , 180, 90 ", (-180, -90, 180, 90)),
        ("+1.,.25,3.5,.75", (1, 0.25, 3.5, 0.75)),
    ],
)
def test_a_bounding_box_is_read_in_rfc_7946_order(text, corners):
    from certification.registry import parse_bbox

    assert parse_bbox(text).corners == corners


def test_an_empty_bounding_box_is_none():
    from certification.registry import parse_bbox

    assert parse_bbox("  ") is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("18.9,50.2,19.2", "four numbers"),
        ("18.9,50.2,19.2,50.35,1", "four numbers"),
        ("18.9 50.2 19.2 50.35", "four numbers"),
        ("nan,50,19,51", "four numbers"),
        ("inf,50,19,51", "four numbers"),
        ("1e2,50,19,51", "four numbers"),
        ("18,50,19,x", "four numbers"),
        ("-181,50,19,51", "between −180 and 180"),
        ("18,-91,19,51", "between −90 and 90"),
        ("19,50,18,51", "come first"),
        ("18,51,19,50", "come first"),
        ("18,50,18,51", "come first"),
    ],
)
def test_what_is_not_a_bounding_box_is_told_so(text, says):
    from certification.registry import NotABBox, parse_bbox

    with pytest.raises(NotABBox) as error:
        parse_bbox(text)
    assert says in str(error.value)
    assert "18.9,50.2,19.2,50.35" in str(error.value)  # the expected form, by example


def test_the_registry_page_filters_by_bbox_and_names_a_wrong_one(client):
    inside = supplier("W Katowicach", "55520000-1")
    outside = supplier("W Gliwicach", "55520000-1", at=GLIWICE)

    html = main_part(
        client.get(reverse("registry"), {"bbox": "18.9,50.2,19.2,50.35"}).content.decode()
    )
    assert inside.number in html and outside.number not in html

    response = client.get(reverse("registry"), {"bbox": "19.2,50.2,18.9,50.35"})
    assert response.status_code == 200
    html = main_part(response.content.decode())
    assert "There is a problem" in html and "come first" in html


def test_the_registry_page_says_it_in_polish(client):
    client.cookies["django_language"] = "pl"
    response = client.get(reverse("registry"), {"bbox": "1,2,3"}, headers={"accept-language": "pl"})
    assert response.status_code == 200
    assert "cztery liczby" in response.content.decode()


def test_downloads_filter_by_bbox_and_refuse_a_wrong_one(client):
    inside = supplier("W Katowicach", "55520000-1")
    outside = supplier("W Gliwicach", "55520000-1", at=GLIWICE)

    response = client.get(reverse("registry_json"), {"bbox": "18.9,50.2,19.2,50.35"})
    numbers = {
        c["number"] for c in json.loads(b"".join(response.streaming_content))["certificates"]
    }
    assert numbers == {inside.number}
    assert outside.number not in numbers

    response = client.get(reverse("registry_csv"), {"bbox": "18.9;50.2"})
    assert response.status_code == 400
    assert "Area on the map" in response.content.decode()


def test_the_api_filters_by_bbox_and_answers_400_for_a_wrong_one(client):
    from . import api

    inside = supplier("W Katowicach", "55520000-1")
    supplier("W Gliwicach", "55520000-1", at=GLIWICE)
    test_client = api.client("en")

    answer = api.get(test_client, "/api/v1/certificates", bbox="18.9,50.2,19.2,50.35").json()
    assert [c["number"] for c in answer["results"]] == [inside.number]

    response = api.get(test_client, "/api/v1/certificates", bbox="180,50,19,51")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid_bbox" and error["parameter"] == "bbox"
    assert "come first" in error["message"]
    # Not even four numbers: refused by the documented pattern, in the same error format.
    response = api.get(test_client, "/api/v1/certificates", bbox="a,b,c,d")
    assert response.status_code == 400 and response.json()["parameter"] == "bbox"


def test_the_api_documents_bbox(client):
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/certificates"]["get"]["parameters"]
    [bbox] = [p for p in parameters if p["name"] == "bbox"]
    assert "min_lon,min_lat,max_lon,max_lat" in bbox["description"]


# --- the page ------------------------------------------------------------------------------


def test_the_list_shows_valid_suppliers_and_notes_the_unlocated(client):
    caterer = supplier("Smaczna Kuchnia", "55521200-0")
    supplier("Bez Pinezki", "55520000-1", at=None)
    supplier("Przeterminowany", "55520000-1", valid_until=TODAY() - datetime.timedelta(days=1))
    supplier("Stolarnia", "45453100-8")

    html = map_page(client, cpv="55520000-1")

    assert "Smaczna Kuchnia" in html and "Bez Pinezki" in html
    assert "Przeterminowany" not in html and "Stolarnia" not in html
    assert f'href="/rejestr/{caterer.number.replace("/", "-")}/"' in html
    assert "55521200-0" in html
    assert html.count("not on the map: location not known yet") == 1
    assert "2 organisations with a valid certificate found." in html
    # The map asks for the same organisations, and the download is the same search.
    assert 'data-geojson="/rejestr/dane.geojson?cpv=55520000-1"' in html
    assert 'href="/rejestr/dane.geojson?cpv=55520000-1"' in html


def test_a_wrong_code_is_named_and_nothing_breaks(client):
    supplier("Smaczna Kuchnia", "55521200-0")

    html = map_page(client, cpv="12345678-9")

    assert "There is a problem" in html and "12345678-9" in html
    assert "Smaczna Kuchnia" not in html


def test_the_map_shows_its_offline_layer_and_no_tiles_by_default(client):
    html = map_page(client)

    assert 'data-tile-url=""' in html
    assert 'data-voivodeships="/static/geo/voivodeships.geojson"' in html
    assert 'data-powiats="/static/geo/powiats.geojson"' in html
    assert "GeoNames (CC BY 4.0)" in html and "Natural Earth" in html
    assert 'aria-label="Map of the organisations in the list below"' in html
    assert "<script>" not in html and " style=" not in html  # CSP: nothing inline


def test_the_shipped_layers_are_served(client):
    from django.contrib.staticfiles import finders

    for name in ("geo/voivodeships.geojson", "geo/powiats.geojson", "vendor/leaflet/leaflet.js"):
        assert finders.find(name), name


def test_a_tile_server_is_given_to_the_map(client, settings):
    settings.MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example"

    html = map_page(client)

    assert 'data-tile-url="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© Example"' in html


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("", ""),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.local:8080/{z}/{x}/{y}.png", "http://tiles.local:8080"),
    ],
)
def test_the_tile_servers_host_is_what_the_csp_allows(url, source):
    from config.map_tiles import tile_source

    assert tile_source(url) == source


@pytest.mark.parametrize("url", ["tile.example.org/{z}/{x}/{y}.png", "https://{z}.example.org/"])
def test_a_tile_url_that_names_no_host_is_refused(url):
    from django.core.exceptions import ImproperlyConfigured

    from config.map_tiles import tile_source

    with pytest.raises(ImproperlyConfigured):
        tile_source(url)


def test_the_list_costs_the_same_queries_for_two_or_eight_organisations(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            map_page(client, cpv="55520000-1")
        return len(captured)

    supplier("Pierwsza", "55520000-1")
    supplier("Druga", "55521200-0", at=None)
    few = queries()
    for n in range(6):
        supplier(f"Kolejna {n}", "55520000-1", at=GLIWICE)
    assert "Kolejna 5" in map_page(client, cpv="55520000-1")
    assert queries() == few


def test_a_page_past_the_last_is_404(client):
    supplier("Jedyna", "55520000-1")

    assert client.get(reverse("offers_map"), {"page": "2"}).status_code == 404


def test_the_registry_and_the_navigation_link_the_map(client):
    html = client.get(reverse("registry")).content.decode()

    assert html.count(f'href="{reverse("offers_map")}"') == 2
    assert 'href="/rejestr/dane.geojson"' in html


@pytest.mark.parametrize(
    ("tile_url", "img_src"),
    [
        ("", "img-src 'self' data:;"),
        (
            "https://{s}.tile.example.org/{z}/{x}/{y}.png",
            "img-src 'self' data: https://*.tile.example.org;",
        ),
    ],
)
def test_the_csp_lets_the_tile_server_in_only_when_set(tile_url, img_src):
    # The policy is built when the settings are read: read them afresh, as a start-up does.
    program = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.utils.csp import build_policy; print(build_policy(settings.SECURE_CSP))"
    )
    environment = {
        **os.environ,
        "MAP_TILE_URL": tile_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    policy = subprocess.run(
        [sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=True
    ).stdout
    assert img_src in policy


def test_the_vendored_leaflet_and_the_geography_collect_for_production(settings, tmp_path):
    # The production storage rewrites references between static files and refuses a missing
    # one (leaflet.js named a source map its package lacks).
    from django.contrib.staticfiles.finders import get_finders
    from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

    storage = ManifestStaticFilesStorage(location=tmp_path)
    found = {}
    for finder in get_finders():
        for path, source in finder.list(["CVS", ".*", "*~"]):
            name = f"{source.prefix}/{path}" if getattr(source, "prefix", None) else path
            if name.startswith(("vendor/leaflet/", "geo/")) or name == "js/offers-map.js":
                with source.open(path) as content:
                    storage.save(name, content)
                found[name] = (source, path)
    problems = [
        (name, error)
        for name, _, error in storage.post_process(found)
        if isinstance(error, Exception)
    ]
    assert "vendor/leaflet/leaflet.js" in found and "geo/voivodeships.geojson" in found
    assert problems == []
