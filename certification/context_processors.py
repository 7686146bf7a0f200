import functools

from django.utils.functional import SimpleLazyObject

from .domain.inbox import unread_count
from .permissions import is_applicant, is_chair, is_juror, is_officer


def navigation(request):
    """The roles the header's menu shows links for.

    Lazy: every template rendered with the request runs this (fragments too), and only the
    page's header asks; each role is looked up once, when first asked.
    """
    # A request refused before AuthenticationMiddleware ran (a foreign Host header: the 400
    # page) has no user; the header then shows the logged-out menu.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_officer": SimpleLazyObject(lambda: is_officer(user)),
        "nav_is_juror": SimpleLazyObject(lambda: is_juror(user)),
        "nav_is_chair": SimpleLazyObject(lambda: is_chair(user)),
        "nav_is_applicant": SimpleLazyObject(lambda: is_applicant(user)),
        # A callable (the template calls it): one COUNT query, only where the header shows it.
        "nav_unread": functools.cache(lambda: unread_count(user)),
    }
