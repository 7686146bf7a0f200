"""Sign-in and account events into the audit log: Django's auth signals (every login path,
the admin's too) and allauth's account signals (sign-up, password, e-mail address).

Receivers only: what they record is written by certification.domain.audit, in the request's
transaction when there is one.
"""

from allauth.account import signals as account
from django.contrib.auth import signals as auth

from .domain import audit
from .rate_limit import client_address

# An attacker chooses what a failed login names: keep no more of it than an address can be.
MAX_LOGIN_TEXT = 254


def _where(request) -> dict:
    return {"address": client_address(request)} if request is not None else {}


def logged_in(sender, request, user, **kwargs):
    audit.record(actor=user, action="user.logged_in", **_where(request))


def logged_out(sender, request, user, **kwargs):
    if user is not None:  # logging out without a session logs nobody out
        audit.record(actor=user, action="user.logged_out", **_where(request))


def login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; the name typed is all that is kept.
    login = next(
        (str(credentials[key]) for key in ("email", "username", "login") if key in credentials),
        "",
    )
    audit.record(
        actor=None,
        action="user.login_failed",
        message=login[:MAX_LOGIN_TEXT],
        **_where(request),
    )


def signed_up(sender, request, user, **kwargs):
    audit.record(actor=user, action="user.signed_up", message=user.email, **_where(request))


def password_action(action: str):
    def receiver(sender, request, user, **kwargs):
        audit.record(actor=user, action=action, **_where(request))

    return receiver


def email_added(sender, request, user, email_address, **kwargs):
    audit.record(
        actor=user, action="user.email_added", message=email_address.email, **_where(request)
    )


def email_confirmed(sender, request, email_address, **kwargs):
    # The owner following the link, or whoever confirmed it for them (the admin's action).
    by = getattr(request, "user", None)
    audit.record(
        actor=by if by is not None and by.is_authenticated else email_address.user,
        action="user.email_confirmed",
        message=email_address.email,
        **_where(request),
    )


def email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    audit.record(
        actor=user,
        action="user.email_changed",
        message=to_email_address.email,
        previous=from_email_address.email if from_email_address else "",
        **_where(request),
    )


def email_removed(sender, request, user, email_address, **kwargs):
    audit.record(
        actor=user, action="user.email_removed", message=email_address.email, **_where(request)
    )


_password_changed = password_action("user.password_changed")
_password_set = password_action("user.password_set")
_password_reset = password_action("user.password_reset")


def connect() -> None:
    auth.user_logged_in.connect(logged_in, dispatch_uid="audit-logged-in")
    auth.user_logged_out.connect(logged_out, dispatch_uid="audit-logged-out")
    auth.user_login_failed.connect(login_failed, dispatch_uid="audit-login-failed")
    account.user_signed_up.connect(signed_up, dispatch_uid="audit-signed-up")
    account.password_changed.connect(_password_changed, dispatch_uid="audit-password-changed")
    account.password_set.connect(_password_set, dispatch_uid="audit-password-set")
    account.password_reset.connect(_password_reset, dispatch_uid="audit-password-reset")
    account.email_added.connect(email_added, dispatch_uid="audit-email-added")
    account.email_confirmed.connect(email_confirmed, dispatch_uid="audit-email-confirmed")
    account.email_changed.connect(email_changed, dispatch_uid="audit-email-changed")
    account.email_removed.connect(email_removed, dispatch_uid="audit-email-removed")
