import pytest

from .a11y import check_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible(page):
    page.goto(f"{page.base_url}/konto/logowanie/")
    assert check_page(page) == []
