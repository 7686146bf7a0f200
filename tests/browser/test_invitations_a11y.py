"""The members page and an invitation's pages, in Polish, pass the axe scan and the keyboard pass.

Follows test_pages_a11y.py: each case builds its data, opens the page as the user who sees it
and returns a part of the title it expects.
"""

import datetime

import pytest
from django.utils import timezone

from certification.domain import invitations
from certification.models import Invitation
from tests import factories

from .a11y import check_page
from .conftest import go, open_as, verify_email

pytestmark = pytest.mark.django_db(transaction=True)


def _invited(email: str = "jan@example.pl"):
    """A member, and the token of their invitation of `email`."""
    member = factories.applicant(first_name="Anna", last_name="Nowak")
    _invitation, token = invitations.invite_colleague(
        organization=member.organizations.get(), email=email, invited_by=member
    )
    return member, token


def members_with_invitations(page):
    member, _token = _invited()
    organization = member.organizations.get()
    factories.applicant(organization, first_name="Ewa", last_name="Zielińska")
    old, _token = invitations.invite_colleague(
        organization=organization, email="dawny@example.pl", invited_by=member
    )
    Invitation.objects.filter(pk=old.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    open_as(page, member, f"/wnioskodawca/organizacje/{organization.pk}/czlonkowie/")
    return organization.name


def members_invite_error(page):
    member = factories.applicant()
    organization = member.organizations.get()
    open_as(page, member, f"/wnioskodawca/organizacje/{organization.pk}/czlonkowie/")
    page.locator("#id_email").fill("to nie adres")
    page.locator("#id_email").press("Enter")
    page.get_by_role("alert").wait_for()
    return "Błąd"


def accept_logged_out(page):
    member, token = _invited()
    go(page, f"/konto/zaproszenie/{token}/")
    return f"Dołącz do organizacji {member.organizations.get().name}"


def accept_logged_in(page):
    member, token = _invited()
    colleague = factories.UserFactory(email="jan@example.pl")
    open_as(page, colleague, f"/konto/zaproszenie/{token}/")
    return f"Dołącz do organizacji {member.organizations.get().name}"


def accept_wrong_account(page):
    member, token = _invited()
    stranger = factories.UserFactory(email="ktos.inny@example.pl")
    open_as(page, stranger, f"/konto/zaproszenie/{token}/")
    return member.organizations.get().name


def accept_expired(page):
    member, token = _invited()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    go(page, f"/konto/zaproszenie/{token}/")
    return f"Tego zaproszenia nie można użyć – {member.organizations.get().name}"


def accept_unknown(page):
    go(page, "/konto/zaproszenie/nie-ma-takiego/")
    return "Nieprawidłowy link z zaproszeniem"  # not just the site's name, in every title


PAGES = [
    members_with_invitations,
    members_invite_error,
    accept_logged_out,
    accept_logged_in,
    accept_wrong_account,
    accept_expired,
    accept_unknown,
]


@pytest.mark.parametrize("open_page", PAGES, ids=lambda f: f.__name__)
def test_invitation_page_is_accessible(page, open_page):
    assert open_page(page) in page.title()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert check_page(page) == []


def test_invited_colleague_logs_in_from_the_link_and_joins(page):
    member, token = _invited()
    organization = member.organizations.get()
    colleague = factories.UserFactory(email="jan@example.pl")
    verify_email(colleague.username)
    invitation_path = f"/konto/zaproszenie/{token}/"

    go(page, invitation_path)
    page.locator(f"main a[href*='next={invitation_path}']").first.click()
    page.fill("#id_login", colleague.username)
    page.fill("#id_password", "haslo-testowe-123")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"**{invitation_path}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/wnioskodawca/")

    assert page.get_by_role("heading", name=organization.name).is_visible()
    assert organization.members.filter(pk=colleague.pk).exists()
