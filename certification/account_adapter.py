"""How django-allauth fits this project: e-mails signed like ours, the sign-up language kept."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

from jobs.mail import send_message, serialize

from . import login_limits
from .domain.addressees import language_of_address
from .rate_limit import client_address


def _supported_language() -> str:
    # get_language() may answer "en-us" or None outside a request; the field holds "pl"/"en".
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _public(url: str) -> str:
    parts = urlsplit(url)
    return f"{settings.SITE_URL}{parts.path}" + (f"?{parts.query}" if parts.query else "")


class AccountAdapter(DefaultAccountAdapter):
    def new_user(self, request):
        user = super().new_user(request)
        # The language the person signed up in is the one they read: later e-mails follow it.
        user.language = _supported_language()
        return user

    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        # What templates/account/email/*.txt print besides allauth's own context.
        extra = {
            "issuer": settings.CERTIFICATE_ISSUER,
            "site_url": settings.SITE_URL,
            "login_url": f"{settings.SITE_URL}{reverse('login')}",
            "confirmation_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
        }
        # In the language the owner of the address reads (a reset asked from someone else's
        # browser, "this address already has an account" after a stranger's sign-up).
        owner = language_of_address(email)
        with translation.override(owner or _supported_language()):
            message = self.render_mail(template_prefix, email, {**extra, **context_data})
        # Sent by a job: an SMTP server refusing connections costs the visitor nothing (a reset
        # answers as usual) and the message goes out once it is back.
        send_message.enqueue(message=serialize(message))

    # Links in e-mails use the public address, not the host the app sees behind the proxy.
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return _public(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _public(super().get_reset_password_from_key_url(key))

    def get_client_ip(self, request) -> str:
        # allauth's limits count the same client as ours: behind the TLS proxy, the address
        # it reports (TRUSTED_PROXIES), not the proxy's own.
        return client_address(request)

    def pre_authenticate(self, request, **credentials):
        # Our failed-login limits instead of allauth's per-login one, which a stranger could
        # fill to lock the owner out (see certification/login_limits.py).
        usage, refused = login_limits.consume_attempt(request, credentials)
        self._login_failed_rl_usage = usage  # taken back by allauth if the password is right
        if refused == "account":
            raise ValidationError(login_limits.ACCOUNT_LOCKED)
        if refused:
            raise self.validation_error("too_many_login_attempts")

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        login_limits.remember(request, response, user)
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
