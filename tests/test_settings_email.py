"""E-mail settings from the environment: an SMTP server given as EMAIL_URL, or a backend."""

from .settings_probe import run_with_settings


def default_mailer(**env) -> str:
    """The app's default mailer, started with these variables only (and no Django warning)."""
    return run_with_settings(
        "from django.core.mail import mailers; "
        # The mailer the counting wrapper of ops/mail.py sends through.
        "m = mailers.default.backend; print(type(m).__module__, getattr(m, 'host', ''), "
        "getattr(m, 'port', ''), getattr(m, 'username', ''), getattr(m, 'use_tls', ''))",
        drop=("EMAIL_URL", "EMAIL_BACKEND"),
        warnings_as_errors=True,
        **env,
    )


def test_smtp_server_from_email_url():
    shown = default_mailer(EMAIL_URL="smtp+tls://rops:tajne@smtp.example.pl:587")

    assert shown == "django.core.mail.backends.smtp smtp.example.pl 587 rops True"


def test_development_prints_emails_to_the_console():
    assert default_mailer().split()[0] == "django.core.mail.backends.console"


def test_email_backend_variable_still_chooses_a_backend():
    shown = default_mailer(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")

    assert shown.split()[0] == "django.core.mail.backends.locmem"


def test_production_sends_through_smtp_by_default():
    shown = default_mailer(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x" * 60 + "production-only-for-this-test",
        DJANGO_ALLOWED_HOSTS="zakup.example.pl",
        SITE_URL="https://zakup.example.pl",
    )

    assert shown == "django.core.mail.backends.smtp localhost 25 None False"
