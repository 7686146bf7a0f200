"""English pages write dates the British way ("7 December 2026", "07.12.2026"), never Django's
American default "Dec. 7, 2026" (issue 11's walk saw both side by side): the public, applicant,
staff and admin pages of a certified application."""

import re

import pytest
from django.urls import reverse

from certification.domain.certificates import number_to_slug

from . import stages
from .web import login

pytestmark = pytest.mark.django_db

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
# "Dec. 7, 2026", "December 7, 2026", "Dec 7, 2026": a month before the day.
AMERICAN = re.compile(rf"\b(?:{MONTHS})[a-z]*\.? \d{{1,2}}, \d{{4}}")
# "7 December 2026": the day before the month, the month written out.
BRITISH = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December) \d{4}\b"
)


def english_pages(client, c, certificate) -> dict[str, str]:
    slug = number_to_slug(certificate.number)
    application = certificate.application
    pages = {
        "public": reverse("certificate_detail", args=[slug]),
        "registry": reverse("registry"),
        "verify": reverse("verify") + f"?number={certificate.number}",
    }
    client.cookies["django_language"] = "en"
    for name, path in pages.items():
        pages[name] = client.get(path)
        assert '<html lang="en"' in pages[name].content.decode(), name
    login(client, application.organization.members.first())
    pages["applicant"] = client.get(reverse("application_detail", args=[application.pk]))
    login(client, c.officer)
    pages["staff file"] = client.get(reverse("staff_application", args=[application.pk]))
    pages["staff certificate"] = client.get(reverse("staff_certificate", args=[slug]))
    return pages


def admin_pages(admin_client, certificate) -> dict[str, str]:
    admin_client.cookies["django_language"] = "en"
    return {
        name: admin_client.get(path)
        for name, path in {
            "admin certificates": reverse("admin:certification_certificate_changelist"),
            "admin certificate": reverse(
                "admin:certification_certificate_change", args=[certificate.pk]
            ),
            "admin application": reverse(
                "admin:certification_application_change", args=[certificate.application_id]
            ),
            "admin audit": reverse("admin:certification_auditevent_changelist"),
            "admin criteria": reverse("admin:certification_criteriaversion_changelist"),
        }.items()
    }


def test_english_pages_never_write_the_american_date(client, admin_client):
    c = stages.cast()
    certificate = stages.certified(c)
    pages = english_pages(client, c, certificate) | admin_pages(admin_client, certificate)
    seen_british = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="en"' in html, name
        assert not AMERICAN.findall(html), (name, AMERICAN.findall(html))
        if BRITISH.search(html):
            seen_british.append(name)
    assert {"public", "applicant", "staff file", "admin certificate"} <= set(seen_british), (
        seen_british
    )
    # The registry's table writes the numeric form, as in Polish.
    assert f"{certificate.valid_until:%d.%m.%Y}" in pages["registry"].content.decode()
