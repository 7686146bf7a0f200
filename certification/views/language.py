"""The header's language switch, which also remembers a logged-in person's choice."""

from django.conf import settings
from django.views.i18n import set_language as django_set_language

from ..domain import users


def set_language(request):
    response = django_set_language(request)
    # Remembered so that e-mails to this person are written in it too. Django sets the cookie
    # for any language it has a catalogue of; only the service's own languages are kept.
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if (
        request.user.is_authenticated
        and cookie is not None
        and cookie.value in dict(settings.LANGUAGES)
    ):
        users.set_language(user=request.user, language=cookie.value)
    return response
