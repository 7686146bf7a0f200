"""SITE_URL, the address in QR codes, badges, e-mails and open data: production refuses to start
without it, and a system check warns when its host is one the site does not answer to."""

import os
import subprocess
import sys

from certification.site_url import check_site_url_host_is_allowed

from .settings_probe import ROOT

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 60 + "production-only-for-this-test",
    "DJANGO_ALLOWED_HOSTS": "zakup.example.pl",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def manage_check(*args, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DJANGO_ENV")}
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_site_url():
    done = manage_check("--deploy", **PRODUCTION)
    assert done.returncode != 0
    assert "DJANGO_ENV=production needs SITE_URL" in done.stderr


def test_production_with_site_url_on_an_allowed_host_passes_the_check():
    done = manage_check("--deploy", **PRODUCTION, SITE_URL="https://zakup.example.pl")
    assert "certification.W041" not in done.stdout + done.stderr
    assert "DJANGO_ENV=production needs SITE_URL" not in done.stderr


def test_check_warns_when_site_url_host_is_not_allowed():
    env = {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "inny.example.pl"}
    done = manage_check(**env, SITE_URL="https://zakup.example.pl")
    out = done.stdout + done.stderr
    assert "(certification.W041) SITE_URL's host 'zakup.example.pl' is not in ALLOWED_HOSTS" in out


def test_check_takes_the_port_off_and_honours_leading_dots(settings):
    settings.ALLOWED_HOSTS = [".example.pl"]
    settings.SITE_URL = "http://zakup.example.pl:8123"
    assert check_site_url_host_is_allowed() == []
    settings.SITE_URL = "http://127.0.0.1:8123"
    assert [w.id for w in check_site_url_host_is_allowed()] == ["certification.W041"]


def test_check_warns_about_an_address_that_is_not_http(settings):
    settings.SITE_URL = "zakup.example.pl"
    assert [w.id for w in check_site_url_host_is_allowed()] == ["certification.W040"]
