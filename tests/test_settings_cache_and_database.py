"""What production gets from the environment for the cache and the database connections."""

import os
import subprocess
import sys

from .settings_probe import ROOT, run_with_settings

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 60 + "production-only-for-this-test",
    "DJANGO_ALLOWED_HOSTS": "zakup.example.pl",
    "SITE_URL": "https://zakup.example.pl",
}


def check_deploy(**env) -> str:
    """What `manage.py check --deploy` prints, started with these variables."""
    base = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "REDIS_URL")}
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
    )
    return done.stdout + done.stderr


def test_check_deploy_flags_a_cache_each_worker_keeps_to_itself():
    # Each gunicorn worker would count its own rate limits: 2 workers, twice the limit.
    out = check_deploy(**PRODUCTION)
    assert "(certification.W030) The default cache is not shared by the app's processes" in out
    assert "Set CACHE_URL (or REDIS_URL)" in out


def test_check_deploy_is_content_with_a_shared_cache():
    out = check_deploy(**PRODUCTION, CACHE_URL="redis://127.0.0.1:6379/0")
    assert "System check identified" in out
    assert "certification.W030" not in out


def conn_health_checks(**env) -> bool:
    code = "from django.conf import settings; print(settings.DATABASES['default']"
    code += "['CONN_HEALTH_CHECKS'])"
    return run_with_settings(code, drop=("DATABASE_CONN_HEALTH_CHECKS",), **env) == "True"


def test_kept_database_connections_are_checked_before_use_unless_turned_off():
    assert conn_health_checks()
    assert conn_health_checks(**PRODUCTION)
    assert not conn_health_checks(DATABASE_CONN_HEALTH_CHECKS="off")


def test_a_shared_redis_cache_gives_up_on_a_dead_server_within_a_second():
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['OPTIONS']['SHARED']['OPTIONS'])"
    )
    options = run_with_settings(
        code, drop=("CACHE_URL", "REDIS_URL", "CACHE_TIMEOUT"), CACHE_URL="redis://127.0.0.1:6379/0"
    )
    assert options == "{'socket_connect_timeout': 1.0, 'socket_timeout': 1.0}"
