"""The certificate PDF's layout with short and long lists of items: every item printed, none
running into the footer (dates, signature, QR code) at the bottom of the first page."""

import re
import shutil
import subprocess

import pytest

from certification.pdf import render_certificate_pdf

from . import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("pdftotext") is None,
        reason="`pdftotext` is not installed (Debian package poppler-utils)",
    ),
    pytest.mark.usefixtures("signing_key_in_tmp"),
]

MM = 72 / 25.4
# The footer's box, from the template's CSS: A4 (297 mm), a page margin of 16 mm, the frame's
# 3 px border and 10 mm padding, and the footer's 62 mm height.
FOOTER_TOP = (297 - 16 - 10 - 62) * MM - 3 * 0.75
LONG_NAME = (
    "Catering dietetyczny dla szkół, przedszkoli i urzędów z dowozem „Żółć” nr {n}, także dla "
    "osób z niepełnosprawnościami"
)


def rendered(tmp_path, count: int, name: str = LONG_NAME):
    organization = factories.OrganizationFactory(
        name="Spółdzielnia Socjalna „Złota Łąka” w Dąbrowie Górniczej"
    )
    certificate = factories.certificate(
        organization=organization, items=tuple(name.format(n=n) for n in range(1, count + 1))
    )
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_certificate_pdf(certificate))
    return certificate, path


def pages_of_words(path) -> list[list[tuple[float, float, str]]]:
    """Per page, each word as (top, bottom, text), in points from the top of the page."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [
        [
            (float(top), float(bottom), word)
            for top, bottom, word in re.findall(
                r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page
            )
        ]
        for page in bbox.split("<page ")[1:]
    ]


def text_of(path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def joined(text: str) -> str:
    return " ".join(text.split())


def item_bottoms(words) -> list[float]:
    """Where each item's last word ("niepełnosprawnościami") ends."""
    return [bottom for _, bottom, word in words if word.startswith("niepełnosprawnościami")]


def footer_top(words) -> float:
    return min(top for top, _, word in words if word in ("Data", "Sprawdź,"))


@pytest.mark.parametrize("count", [1, 5])
def test_certificate_pdf_short_list_stays_above_the_footer_on_one_page(tmp_path, count):
    certificate, path = rendered(tmp_path, count)
    [words] = pages_of_words(path)  # one page
    text = joined(text_of(path))
    for item in certificate.items.all():
        assert item.name in text
    bottoms = item_bottoms(words)
    assert len(bottoms) == count
    assert max(bottoms) < FOOTER_TOP < footer_top(words)


def test_certificate_pdf_fifteen_long_items_go_to_an_annex_page(tmp_path):
    certificate, path = rendered(tmp_path, 15)
    pages = pages_of_words(path)
    assert len(pages) == 2
    first, annex = joined(text_of(path, 1)), joined(text_of(path, 2))
    # (Not the sentences themselves: they read in Polish once the translations are compiled.)
    assert re.search(r"\b15\b", first), "the first page says how many items the annex lists"
    assert "niepełnosprawnościami" not in first
    assert certificate.number in annex
    for item in certificate.items.all():
        assert item.name in annex
    assert len(item_bottoms(pages[1])) == 15
    # The first page keeps its footer where it always is.
    assert footer_top(pages[0]) > FOOTER_TOP


def test_certificate_pdf_many_short_items_get_smaller_type_on_one_page(tmp_path):
    certificate, path = rendered(tmp_path, 14, name="Pierogi ruskie nr {n}")
    [words] = pages_of_words(path)
    text = joined(text_of(path))
    for item in certificate.items.all():
        assert item.name in text
    item_words = [bottom for _, bottom, word in words if word == "ruskie"]
    assert len(item_words) == 14
    assert max(item_words) < FOOTER_TOP
    # Smaller than the 11 pt of a short list: 14 lines closer together than 14 × 11 pt × 1.4.
    assert max(item_words) - min(item_words) < 13 * 11 * 1.4
