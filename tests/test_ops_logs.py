"""Structured logs: one JSON object per line, each with the id of the request that wrote it."""

import json
import os
import re
import subprocess
import sys

from .settings_probe import ROOT, run_with_settings

REQUEST = (
    "from django.test import Client; "
    "r = Client().get('/health/live', {}, HTTP_X_REQUEST_ID=%r); "
    "import logging; logging.getLogger('after').warning('outside any request'); "
    "print(r['X-Request-ID'])"
)


def logged(request_id: str, **env) -> tuple[str, list[dict]]:
    """The response's X-Request-ID and the JSON lines the process wrote on stderr."""
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {REQUEST % request_id}"],
        cwd=ROOT,
        env={**_base_env(), "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip(), [json.loads(line) for line in done.stderr.splitlines()]


def _base_env() -> dict:
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("LOG_FORMAT", "LOG_LEVEL", "ACCESS_LOG_LEVEL")
    }


def test_each_line_is_a_json_object_with_the_request_id_the_proxy_sent():
    returned, lines = logged("nginx-5f0c2a9e41b7", LOG_FORMAT="json", ACCESS_LOG_LEVEL="INFO")

    assert returned == "nginx-5f0c2a9e41b7"
    access = [line for line in lines if line["logger"] == "zakup.request"]
    assert len(access) == 1
    line = access[0]
    assert line["level"] == "INFO"
    assert line["message"] == "GET /health/live 200"
    assert line["request_id"] == "nginx-5f0c2a9e41b7"
    assert line["path"] == "/health/live"
    assert line["status"] == 200
    assert isinstance(line["duration"], float)
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", line["time"])
    outside = [line for line in lines if line["logger"] == "after"]
    assert outside[0]["request_id"] is None and outside[0]["level"] == "WARNING"


def test_an_insane_request_id_is_replaced_by_a_new_one():
    forged = 'x" injected\n{"level": "INFO'

    returned, lines = logged(forged, LOG_FORMAT="json", ACCESS_LOG_LEVEL="INFO")

    assert re.fullmatch(r"[0-9a-f]{32}", returned)
    assert [line["request_id"] for line in lines if line["logger"] == "zakup.request"] == [returned]


def test_without_a_proxy_every_answer_gets_a_new_id(client):
    first = client.get("/health/live")["X-Request-ID"]
    second = client.get("/health/live")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_json_is_the_production_default():
    shown = run_with_settings(
        "from django.conf import settings; print(settings.LOG_FORMAT)",
        drop=("LOG_FORMAT",),
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x" * 60 + "production-only-for-this-test",
        DJANGO_ALLOWED_HOSTS="zakup.example.pl",
        SITE_URL="https://zakup.example.pl",
        CERTIFICATE_SIGNING_KEY_FILE="/nonexistent-not-read-at-start.pem",
    )

    assert shown == "json"
