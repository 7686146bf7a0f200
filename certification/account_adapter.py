"""How django-allauth fits this project: e-mails signed like ours, the sign-up language kept."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language


def _supported_language() -> str:
    # get_language() may answer "en-us" or None outside a request; the field holds "pl"/"en".
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def new_user(self, request):
        user = super().new_user(request)
        # The language the person signed up in is the one they read: later e-mails follow it.
        user.language = _supported_language()
        return user

    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        # What templates/account/email/*.txt print besides allauth's own context.
        request = context.request
        extra = {
            "issuer": settings.CERTIFICATE_ISSUER,
            "site_url": settings.SITE_URL,
            "login_url": request.build_absolute_uri(reverse("login")),
            "confirmation_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
        }
        super().send_mail(template_prefix, email, {**extra, **context_data})

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        # A browser that never chose a language gets the one the person chose before (on
        # another computer, or when signing up): the pages then match their e-mails.
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and user.language in dict(
            settings.LANGUAGES
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
