"""One way of writing a date per context (issue 11's walk met "7 grudnia 2026", "07-12-2026"
and "07.12.2026", and an error quoting "(07-12-2026)" under a hint asking for "15.03.2026"):
prose "7 grudnia 2026" / "7 December 2026", tables, forms and messages "07.12.2026"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from . import factories

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [("pl", "7 grudnia 2026", "07.12.2026"), ("en", "7 December 2026", "07.12.2026")],
)
def test_one_long_and_one_short_form_per_language(language, long, short):
    with translation.override(language):
        assert formats.date_format(DAY) == long
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short


def test_future_date_error_quotes_today_as_the_hint_writes_dates(client):
    certificate = factories.certificate()
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = client.get(
        reverse("verify"), {"number": certificate.number, "date": f"{future:%d.%m.%Y}"}
    )
    html = response.content.decode()
    assert "na przykład 15.03.2026" in html or "w formacie 15.03.2026" in html
    assert f"({timezone.localdate():%d.%m.%Y})" in html
    assert f"({timezone.localdate():%d-%m-%Y})" not in html


def test_registry_table_writes_numeric_dates_with_dots(client):
    certificate = factories.certificate()
    html = client.get(reverse("registry")).content.decode()
    assert f">{certificate.valid_until:%d.%m.%Y}</time>" in html
    assert f"{certificate.valid_until:%d-%m-%Y}" not in html


def test_polish_form_accepts_the_hinted_format(client):
    certificate = factories.certificate()
    day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.get(
        reverse("verify"), {"number": certificate.number, "date": f"{day:%d.%m.%Y}"}
    )
    assert 'class="error-summary"' not in response.content.decode()
