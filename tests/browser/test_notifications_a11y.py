"""The header's "Powiadomienia (N)" link and the notifications page, in Polish: the count is
part of the link's accessible name, the page passes the axe scan and the keyboard pass, and
"mark all as read" empties the count."""

import pytest

from certification.domain import inbox
from certification.models import Notification
from tests import factories

from .a11y import check_page
from .conftest import open_as

pytestmark = pytest.mark.django_db(transaction=True)


def _notified():
    member = factories.applicant()
    certificate = factories.certificate(organization=member.organizations.get())
    for kind in ("certificate_issued", "certificate_revoked", "certificate_expired"):
        Notification.objects.create(
            recipient=member,
            kind=kind,
            params={"certificate": certificate.number},
            link="/rejestr/",
        )
    inbox.mark_read(user=member, notification_id=Notification.objects.earliest("pk").pk)
    return member


def test_header_count_and_page_are_accessible(page):
    member = _notified()
    open_as(page, member, "/powiadomienia/")
    link = page.get_by_role("link", name="Powiadomienia (2) nieprzeczytane")
    assert link.is_visible()
    assert "Powiadomienia" in page.title()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert check_page(page) == []
    page.get_by_role("button", name="Oznacz wszystkie jako przeczytane").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Powiadomienia (0) nieprzeczytanych").is_visible()
    assert check_page(page) == []


def test_choosing_the_daily_digest_on_the_page(page):
    member = _notified()
    open_as(page, member, "/powiadomienia/")
    page.get_by_label("W codziennym podsumowaniu").check()
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    assert page.get_by_text("Zapisano Twój wybór e-maili.").is_visible()
    assert page.get_by_label("W codziennym podsumowaniu").is_checked()
    member.refresh_from_db()
    assert member.notification_mode == "digest"
