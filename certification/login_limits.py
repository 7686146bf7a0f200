"""Failed-login limits that a stranger cannot turn against an account's owner.

allauth's own rule counts failures per typed login from everywhere: five wrong passwords
from anyone, anywhere, and the owner with the right one is refused too. Ours (the adapter's
`pre_authenticate`) counts a failed login attempt

1. per client address: 10 a minute, whatever the accounts (guessing many accounts);
2. per account and client address: 5 in 5 minutes (guessing one account from one place);
3. per account from browsers it never logged in from: 50 an hour (a botnet guessing one
   account from many addresses).

Only the third can be filled from elsewhere, and it never applies to a browser where the
account logged in before: a successful login leaves a signed cookie naming the account
(`remember`), and such a browser is counted by its own limit for the account (5 in
5 minutes, which strangers cannot reach). An owner on a new browser, refused by (3), sets a
new password by the reset link, which works whatever the counters say and empties them.

A successful login takes back its own attempt (as allauth does), so an owner who typed the
password right is never counted. The counts are kept in the default cache through allauth's
rate limiter, at the client address of `rate_limit.client_address`.
"""

from allauth.account.utils import filter_users_by_email, filter_users_by_username
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .rate_limit import client_address

APP = "allauth.account"
RATES = {
    "login_failed_address": "10/m/ip,5/5m/key",
    "login_failed_account": "50/h/key",
    "login_failed_known_browser": "5/5m/key",
}
COOKIE = "zp_known_logins"
COOKIE_MAX_AGE = 180 * 24 * 3600
COOKIE_SALT = "certification.login_limits.known"
COOKIE_ACCOUNTS = 5  # a shared office computer: the last few people who logged in there

ACCOUNT_LOCKED = _(
    "Too many failed logins to this account from other places. If it is yours, log in from "
    "a browser where you logged in before, or set a new password with the link under the "
    "form: it works at once."
)


def account_key(credentials: dict) -> str:
    """The account a login names (by e-mail or username), else the login as typed."""
    email, username = credentials.get("email"), credentials.get("username")
    users = []
    if email:
        users = filter_users_by_email(email, is_active=True, prefer_verified=True)
    if not users and username:
        users = list(filter_users_by_username(username)[:1])
    if users:
        return f"user:{users[0].pk}"
    return "login:" + (email or username or "").lower()


def known_accounts(request) -> list[int]:
    """Accounts that logged in from this browser, from its signed cookie."""
    try:
        value = signing.loads(
            request.COOKIES.get(COOKIE, ""), salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
        )
    except signing.BadSignature:
        return []
    return [pk for pk in value if isinstance(pk, int)] if isinstance(value, list) else []


def remember(request, response, user) -> None:
    """After a successful login: this browser is one the account's owner uses."""
    accounts = [user.pk, *(pk for pk in known_accounts(request) if pk != user.pk)]
    response.set_cookie(
        COOKIE,
        signing.dumps(accounts[:COOKIE_ACCOUNTS], salt=COOKIE_SALT),
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _consume(request, action: str, key: str):
    return ratelimit.consume(request, app=APP, action=action, config=RATES, key=key)


def consume_attempt(request, credentials: dict) -> tuple[ratelimit.RateLimitUsage | None, str]:
    """Count one login attempt before the password is checked.

    Returns the usage to roll back if the password is right, and "" when the attempt may go
    on, or why not: "address" (too many from this address) or "account" (too many from
    elsewhere: a known browser or the reset link still gets in).
    """
    account = account_key(credentials)
    user_pk = int(account.split(":")[1]) if account.startswith("user:") else None
    if user_pk is not None and user_pk in known_accounts(request):
        usage = _consume(request, "login_failed_known_browser", f"{account}|known")
        return usage, "" if usage else "address"
    usage = _consume(request, "login_failed_address", f"{account}|{client_address(request)}")
    if not usage:
        return None, "address"
    account_usage = _consume(request, "login_failed_account", account)
    if not account_usage:
        return usage, "account"
    return ratelimit.RateLimitUsage(usage=usage.usage + account_usage.usage), ""


def forget_failures(request, user) -> None:
    """After a password reset: the owner starts afresh, from wherever they log in."""
    account = f"user:{user.pk}"
    for action, key in (
        ("login_failed_account", account),
        ("login_failed_known_browser", f"{account}|known"),
        ("login_failed_address", f"{account}|{client_address(request)}"),
    ):
        ratelimit.clear(request, app=APP, action=action, config=RATES, key=key)


def on_password_reset(sender, request, user, **kwargs) -> None:
    forget_failures(request, user)
