"""At 375 px (a small phone) the applicant's pages fit the screen: no sideways scrolling of the
whole page, the application list's status column in view (issue 11's walk found /wnioskodawca/
528 px wide, and the documents and products pages overflowing)."""

import pytest

from certification.choices import ApplicationStatus
from certification.domain import applications
from tests import factories

from .conftest import go, login

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}

# The elements sticking out past the right edge, to say what overflows when it does.
OVERFLOWING = """
() => Array.from(document.querySelectorAll('body *'))
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
    && !e.closest('.visually-hidden, .skip-link'))
  .slice(0, 8)
  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
"""


def test_applicant_pages_fit_a_375_px_screen(page):
    factories.cpv_vocabulary()
    user = factories.applicant()
    draft = factories.draft_application(user=user)
    submitted = factories.draft_application(user=user)
    applications.submit_application(application=submitted, user=user)
    # The longest status the list shows (in Polish a tag of some 50 characters).
    type(submitted).objects.filter(pk=submitted.pk).update(status=ApplicationStatus.RECONSIDERATION)
    page.set_viewport_size(PHONE)
    login(page, user.username)
    for path in [
        "/wnioskodawca/",
        f"/wnioskodawca/wnioski/{draft.pk}/dokumenty/",
        f"/wnioskodawca/wnioski/{draft.pk}/produkty/",
    ]:
        go(page, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width, page.evaluate(OVERFLOWING))
    # The status column is on the screen, not clipped off its right edge.
    go(page, "/wnioskodawca/")
    status = page.locator("td[data-label] .tag").first
    box = status.bounding_box()
    assert box["x"] + box["width"] <= 375
