"""The CPV 2008 vocabulary: codes as people type them, the hierarchy, and `import_cpv`."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from certification.domain import cpv
from certification.domain.errors import DomainError
from certification.models import AuditEvent, CpvCode

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages in English (the command speaks the default language, Polish, otherwise)."""
    with translation.override("en"):
        yield


SHIPPED = Path(__file__).resolve().parents[1] / "certification" / "data" / "cpv_2008_pl_en.csv"


def codes_within(*asked: str) -> set[str]:
    return set(
        CpvCode.objects.filter(cpv.within(list(asked), field="code")).values_list("code", flat=True)
    )


# The hierarchy: by the digits left of the trailing zeros.


def test_catering_finds_meal_delivery_below_it_and_not_restaurants_beside_it():
    factories.cpv_vocabulary()
    found = codes_within("55520000")

    assert {"55520000", "55521000", "55521100", "55521200", "55524000"} <= found
    assert "55300000" not in found  # restaurants: another group (553)
    assert "55510000" not in found  # canteens: a sibling class (5551)
    assert all(code.startswith("5552") for code in found)


def test_a_division_keeps_its_two_digits():
    factories.cpv_vocabulary()
    assert cpv.significant("55000000") == "55"
    assert cpv.significant("03000000") == "03"
    assert cpv.significant("30000000") == "30"  # not "3": a division is two digits
    assert cpv.descendant_range("55520000") == ("55520000", "55529999")
    assert {c[:2] for c in codes_within("55000000")} == {"55"}


def test_a_code_asked_for_below_another_adds_nothing():
    condition = cpv.within(["55520000", "55521200", "90910000"], field="code")

    # Two ranges: 5552… (which holds 555212…) and 9091….
    assert len(condition.children) == 2


def test_a_full_eight_digit_code_is_one_value_not_a_range():
    factories.cpv_vocabulary()
    assert codes_within("55521200") == {"55521200"}


# Reading codes as typed or pasted from a tender notice.


def test_codes_are_read_in_the_usual_forms():
    factories.cpv_vocabulary()
    read = cpv.read_codes("55520000-1, 90910000\n18100000-0;79822500-7 (55520000-1)")

    assert [c.full_code for c in read.found] == [
        "55520000-1",
        "90910000-9",
        "18100000-0",
        "79822500-7",
    ]
    assert read.problems == []


def test_the_wording_pasted_with_codes_is_skipped():
    factories.cpv_vocabulary()
    read = cpv.read_codes("55520000-1 Usługi dostarczania posiłków\n90910000-9 Usługi sprzątania")

    assert read.codes == ["55520000", "90910000"]


def test_wrong_codes_are_named_by_kind():
    factories.cpv_vocabulary()
    read = cpv.read_codes("55520000-2 5552000 99999999-9 55521200-0")

    assert read.codes == ["55521200"]
    assert read.wrong_check == ["55520000-2"]
    assert read.malformed == ["5552000"]
    assert read.unknown == ["99999999-9"]
    assert len(read.problems) == 3


def test_check_digits_are_those_of_the_official_file_not_a_formula():
    # 72600000-6 and 72400000-4 are official codes whose check digit the weighted sum that
    # fits most codes (weights 3, 7, 1 repeated, modulo 10) does not give (it gives 1 and 9):
    # the vocabulary's digit is what counts.
    factories.cpv_vocabulary()
    read = cpv.read_codes("72600000-6 72400000-4 72600000-1")

    assert [c.full_code for c in read.found] == ["72600000-6", "72400000-4"]
    assert read.wrong_check == ["72600000-1"]


def test_a_field_for_codes_alone_takes_no_words():
    factories.cpv_vocabulary()
    assert cpv.read_codes("catering", strict=True).malformed == ["catering"]
    assert cpv.read_codes("catering").found == []


def test_a_list_longer_than_a_notice_is_refused():
    with pytest.raises(DomainError):
        cpv.read_codes(" ".join(f"{n:08d}" for n in range(cpv.MAX_CODES + 1)))


# Suggestions.


def test_suggestions_by_polish_or_english_words_broader_first():
    factories.cpv_vocabulary()
    assert [c.code for c in cpv.suggestions("catering")][:2] == ["55500000", "55520000"]
    assert "90910000" in [c.code for c in cpv.suggestions("sprzątanie")]  # "sprzątania"
    assert "90910000" in [c.code for c in cpv.suggestions("SPRZATANIA")]


def test_suggestions_by_digits_are_the_code_and_below():
    factories.cpv_vocabulary()
    assert {c.code for c in cpv.suggestions("5552")} <= codes_within("55520000")
    assert cpv.suggestions("x") == []


# The import command.


def rows(*lines: tuple[str, str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["CODE", "BG", "EN", "PL"])  # the spreadsheet's columns, in its order
    for code, pl, en in lines:
        writer.writerow([code, "—", en, pl])
    return out.getvalue()


GOOD = [
    ("55000000-0", "Usługi hotelarskie", "Hotel services"),
    ("55520000-1", "Usługi dostarczania posiłków", "Catering services"),
    ("55521200-0", "Usługi dowożenia posiłków", "Meal delivery service"),
]


def test_import_csv_of_the_spreadsheet(tmp_path):
    path = tmp_path / "cpv.csv"
    path.write_text(rows(*GOOD), encoding="utf-8")

    call_command("import_cpv", str(path), stdout=io.StringIO())

    code = CpvCode.objects.get(code="55521200")
    assert (code.full_code, code.label_pl, code.label_en, code.level) == (
        "55521200-0",
        "Usługi dowożenia posiłków",
        "Meal delivery service",
        6,
    )
    assert AuditEvent.objects.filter(action="cpv.vocabulary_imported").count() == 1


def official_xml(entries) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<CPV_CODE>']
    for code, pl, en in entries:
        parts.append(
            f'<CPV CODE="{code}"><TEXT LANG="DE">x</TEXT><TEXT LANG="EN">{en}</TEXT>'
            f'<TEXT LANG="PL">{pl}</TEXT></CPV>'
        )
    parts.append("</CPV_CODE>")
    return "\n".join(parts).encode()


def test_import_the_official_zip_of_xml(tmp_path):
    path = tmp_path / "cpv_2008_xml.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("cpv_2008.xml", official_xml(GOOD))

    out = io.StringIO()
    call_command("import_cpv", str(path), stdout=out)

    assert "3 were added" in out.getvalue()
    assert CpvCode.objects.get(code="55520000").label_en == "Catering services"


def test_import_again_updates_and_keeps(tmp_path):
    path = tmp_path / "cpv.xml"
    path.write_bytes(official_xml(GOOD))
    call_command("import_cpv", str(path), stdout=io.StringIO())
    path.write_bytes(official_xml([(*GOOD[0][:2], "Hotels"), GOOD[1]]))

    out = io.StringIO()
    call_command("import_cpv", str(path), stdout=out)

    assert "0 were added, 1 were updated, 1 unchanged" in out.getvalue()
    assert "1 codes in the database are not in the file; they are kept" in out.getvalue()
    assert CpvCode.objects.get(code="55000000").label_en == "Hotels"
    assert CpvCode.objects.filter(code="55521200").exists()


def test_import_is_all_or_nothing_and_names_each_wrong_row(tmp_path):
    path = tmp_path / "cpv.csv"
    path.write_text(
        rows(
            *GOOD,
            ("5552000-1", "Zły", "Bad"),  # row 5: seven digits
            ("55520000-1", "Powtórka", "Again"),  # row 6: appears twice
            ("90910000-9", "", "Cleaning services"),  # row 7: no Polish; division 90 missing
        ),
        encoding="utf-8",
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_cpv", str(path), stdout=io.StringIO(), stderr=err)

    problems = err.getvalue()
    assert "row 5: “5552000-1” is not a CPV code" in problems
    assert "row 6: the code 55520000-1 appears again (first at row 3)" in problems
    assert "row 7: the Polish wording of 90910000-9 is empty" in problems
    assert "row 7: the division 90000000 of the code 90910000 is not in the file" in problems
    assert not CpvCode.objects.exists()


def test_import_dry_run_changes_nothing(tmp_path):
    path = tmp_path / "cpv.csv"
    path.write_text(rows(*GOOD), encoding="utf-8")
    out = io.StringIO()

    call_command("import_cpv", str(path), "--dry-run", stdout=out)

    assert "3 would be added" in out.getvalue()
    assert "Dry run: nothing was changed." in out.getvalue()
    assert not CpvCode.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cpv.csv", b"KOD;PL\n1;x\n", "The CSV file has no column CODE, EN"),
        ("cpv.csv", "CODE,PL,EN\n55000000-0,Usługi,Hotel\n".encode("cp1250"), "not UTF-8"),
        ("cpv.xml", b"<CPV_CODE><CPV CODE=", "The XML file cannot be read"),
        ("cpv.xml", b"<OTHER/>", "should start with <CPV_CODE>"),
        ("cpv.zip", b"not a zip", "not a readable zip archive"),
        ("cpv.xlsx", b"PK", "Give the official XML file"),
        ("cpv.csv", b"CODE,PL,EN\n", "The file holds no CPV codes."),
    ],
)
def test_import_of_a_file_it_cannot_read_says_why(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_cpv", str(path), stdout=io.StringIO(), stderr=err)

    assert message in err.getvalue()
    assert not CpvCode.objects.exists()


def test_the_shipped_vocabulary_is_the_whole_cpv_2008_with_both_languages():
    with SHIPPED.open(encoding="utf-8") as handle:
        shipped = list(csv.DictReader(handle))

    assert len(shipped) == 9454  # the main vocabulary of Regulation (EC) No 213/2008
    assert all(row["PL"] and row["EN"] for row in shipped)
    by_code = {row["CODE"]: row for row in shipped}
    assert by_code["55520000-1"]["EN"] == "Catering services"
    assert by_code["72600000-6"]["PL"]  # an official check digit no formula gives
    # The test fixture is a faithful extract of it.
    fixture = list(csv.DictReader(factories.CPV_FIXTURE.open(encoding="utf-8")))
    assert len(fixture) >= 100
    assert all(by_code[row["CODE"]] == row for row in fixture)
