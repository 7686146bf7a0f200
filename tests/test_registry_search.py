"""The registry's search: diacritics and case ignored (on SQLite and PostgreSQL), numbers and
NIPs however typed, several words, bad input, and the search text kept current."""

import pytest
from django.db import connection
from django.urls import reverse

from certification.domain import organization_changes, search
from certification.models import Certificate

from . import factories, stages

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def found(client):
    """The numbers of the certificates a registry search lists."""

    def search_for(q, **params):
        response = client.get(reverse("registry"), {"q": q, **params})
        assert response.status_code == 200
        html = response.content.decode()
        return {c.number for c in Certificate.objects.all() if f">{c.number}</a>" in html}

    return search_for


@pytest.fixture
def bile():
    organization = factories.OrganizationFactory(name="Spółdzielnia „Żółć i Miód”", town="Łódź")
    return factories.certificate(organization=organization, items=("Miód gryczany",))


@pytest.fixture
def lodz():
    organization = factories.OrganizationFactory(name="Fundacja Lodz Kreatywna", town="Lodz")
    return factories.certificate(organization=organization, items=("Szycie toreb",))


@pytest.fixture
def other():
    organization = factories.OrganizationFactory(name="Stowarzyszenie Zielone Pole")
    return factories.certificate(organization=organization, items=("Usługi ogrodnicze",))


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Żółć", "zolc"),
        ("ZAŻÓŁĆ GĘŚLĄ JAŹŃ", "zazolc gesla jazn"),
        ("Łódź", "lodz"),
        ("  Spółdzielnia   „Żółć”  ", "spoldzielnia zolc"),
        ("Müller & Søn", "muller & son"),
        ("Straße", "strasse"),
    ],
)
def test_fold_drops_case_diacritics_and_quotes(text, folded):
    assert search.fold(text) == folded


@pytest.mark.parametrize("q", ["zolc", "ZOLC", "Żółć", "żÓŁć", "zółc", "„Żółć”", '"zolc"'])
def test_search_ignores_diacritics_and_case(found, bile, lodz, other, q):
    assert found(q) == {bile.number}


@pytest.mark.parametrize("q", ["łódź", "ŁÓDŹ", "lodz", "LODZ"])
def test_search_polish_letters_both_ways(found, bile, lodz, other, q):
    # „Łódź” is only the town of the first; the second's name is spelled without accents.
    assert found(q) == {lodz.number}


def test_search_item_text_without_accents(found, bile, lodz, other):
    assert found("miod gryczany") == {bile.number}
    assert found("USLUGI") == {other.number}


def test_search_words_may_come_from_different_fields(found, bile, lodz, other):
    assert found("zolc gryczany") == {bile.number}
    assert found("gryczany kreatywna") == set()


def test_search_by_nip_however_typed(found, bile, lodz, other):
    nip = lodz.organization.nip
    for typed in (
        nip,
        f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}",
        f"PL{nip}",
        f"{nip[:3]} {nip[3:]}",
        f"NIP: {nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}",  # as invoices print it
        f"nip PL {nip}",
    ):
        assert found(typed) == {lodz.number}, typed


@pytest.mark.parametrize(
    "typed", ["{n}", "{slug}", "{lower}", "{slug_lower}", "ZP {year} {seq}", "{year}/{seq}"]
)
def test_search_by_certificate_number_however_typed(found, bile, lodz, other, typed):
    number = other.number
    year, seq = number.split("/")[1:]
    text = typed.format(
        n=number,
        slug=number.replace("/", "-"),
        lower=number.lower(),
        slug_lower=number.replace("/", "-").lower(),
        year=year,
        seq=seq,
    )
    assert found(text) == {other.number}


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE certification_certificate; --",
        "' OR '1'='1",
        "%",
        "_",
        "%%%",
        "„”",
        "\\",
        "zolc\\",
    ],
)
def test_search_sql_fragments_and_wildcards_find_nothing(found, bile, lodz, other, q):
    assert found(q) == set()
    assert found("") == {bile.number, lodz.number, other.number}


def test_search_html_fragment_is_escaped(client, bile):
    response = client.get(reverse("registry"), {"q": '"><img src=x onerror=alert(1)>'})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_search_of_ten_thousand_characters_is_refused_clearly(client, bile):
    response = client.get(reverse("registry"), {"q": "żółć " * 2_000})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Search for at most 200 characters." in html
    assert 'href="#id_q"' in html  # the error summary leads to the field
    assert f">{bile.number}</a>" in html  # the list is shown unfiltered, not broken


def test_search_of_too_many_words_is_refused_clearly(client, bile):
    response = client.get(reverse("registry"), {"q": " ".join(f"w{n}" for n in range(11))})
    assert "Search for at most 10 words." in response.content.decode()


def test_search_null_character_is_an_error_not_a_crash(client, bile):
    response = client.get(reverse("registry"), {"q": "zo\x00lc"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


def test_search_text_written_when_a_certificate_is_issued():
    certificate = stages.certified(stages.cast())
    certificate.refresh_from_db()
    assert certificate.search_text.split("\n")[:3] == [
        certificate.number.lower(),
        certificate.number.lower().replace("/", "-"),
        certificate.organization.nip,
    ]
    assert search.fold(certificate.organization.name) in certificate.search_text
    for item in certificate.items.all():
        assert search.fold(item.name) in certificate.search_text


def test_search_follows_a_renamed_organisation(found, bile):
    member = factories.applicant(organization=bile.organization)
    # A certified organisation is renamed by a request an officer approves.
    change = organization_changes.file_request(
        organization=bile.organization, user=member, name="Pracownia Ślązaczka"
    )
    organization_changes.approve_request(change_request=change, officer=factories.officer())
    assert found("slazaczka") == {bile.number}
    # The name the certificate was issued to, which it states, still finds it.
    assert found("zolc") == {bile.number}


def test_refresh_all_repairs_every_certificate(bile, lodz):
    Certificate.objects.update(search_text="")
    assert search.refresh_all(batch_size=1) == 2
    assert search.refresh_all() == 0  # nothing left to change
    assert Certificate.objects.get(pk=bile.pk).search_text == search.text_for(bile)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram index")
def test_postgres_search_can_use_the_trigram_index(bile):
    from certification import registry

    queryset = registry.filter_certificates(
        queryset=Certificate.objects.order_by(), text="zolc", today=bile.issued_on
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A table this small is cheaper to scan: ask whether the index can answer at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "certificate_search_trgm" in plan
