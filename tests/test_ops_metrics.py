"""/metrics: only for the configured addresses; the counters follow what happened."""

import socket

import pytest
from prometheus_client.parser import text_string_to_metric_families

from workflows import services

from . import stages
from .mail import run_jobs
from .stages import open_task

pytestmark = pytest.mark.django_db


def scrape(client) -> dict:
    """{(sample name, sorted labels): value} from /metrics, asked from 127.0.0.1."""
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def counting(backend: str, **options) -> dict:
    return {
        "default": {
            "BACKEND": "ops.mail.CountingEmailBackend",
            "OPTIONS": {"backend": backend, "options": options},
        }
    }


def test_metrics_answer_a_loopback_address(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"zakup_http_requests_total" in response.content


@pytest.mark.parametrize("address", ["10.1.2.3", "203.0.113.9", "2001:db8::1"])
def test_metrics_are_not_found_from_any_other_address(client, address):
    response = client.get("/metrics", REMOTE_ADDR=address)

    assert response.status_code == 404
    assert b"zakup_" not in response.content


def test_configured_networks_are_let_in(client, settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.0.0/8"]

    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_behind_the_proxy_the_client_it_reports_counts_not_the_proxy(client, settings):
    # nginx on the same machine: every request comes from 127.0.0.1; nginx appends the
    # address it served to X-Forwarded-For, after whatever the client wrote there itself.
    settings.TRUSTED_PROXIES = 1
    forged = client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9"
    )
    local = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert forged.status_code == 404
    assert local.status_code == 200


def test_requests_are_counted_by_view_and_status(client):
    before = scrape(client)
    client.get("/health/live")
    client.get("/health/live")
    client.get("/rejestr/nie-ma-takiej-strony/")
    after = scrape(client)

    live = {"view": "health_live", "method": "GET", "status": "200"}
    assert (
        value(after, "zakup_http_requests_total", **live)
        - value(before, "zakup_http_requests_total", **live)
        == 2
    )
    duration = value(after, "zakup_http_request_duration_seconds_count", view="health_live")
    assert (
        duration - value(before, "zakup_http_request_duration_seconds_count", view="health_live")
        == 2
    )


def test_issuing_a_certificate_counts_the_certificate_and_its_email(
    client, settings, django_capture_on_commit_callbacks, signing_key_in_tmp
):
    settings.MAILERS = counting("django.core.mail.backends.locmem.EmailBackend")
    c = stages.cast()
    application = stages.granted(c)
    run_jobs()  # the e-mails of the stages before
    before = scrape(client)

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_certificate(
            task_pk=open_task(application, stages.flow.issue).pk, user=c.officer
        )
    run_jobs()  # the worker makes the PDF and sends the e-mail
    after = scrape(client)

    assert (
        value(after, "zakup_certificates_issued_total")
        == value(before, "zakup_certificates_issued_total") + 1
    )
    assert value(after, "zakup_certificates", status="valid") == 1
    assert value(after, "zakup_emails_sent_total") == value(before, "zakup_emails_sent_total") + 1
    assert value(after, "zakup_emails_failed_total") == value(before, "zakup_emails_failed_total")


def test_an_email_the_smtp_server_refuses_is_counted_as_failed(client, settings):
    with socket.socket() as closed:  # a port that was free a moment ago: nobody listens
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.MAILERS = counting(
        "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=port, timeout=2
    )
    cast = stages.cast()
    before = scrape(client)

    stages.submitted(cast)  # queues the applicant's e-mail
    assert run_jobs() == 1  # one attempt, refused; the retry waits for its time
    after = scrape(client)

    assert (
        value(after, "zakup_emails_failed_total") == value(before, "zakup_emails_failed_total") + 1
    )
    assert value(after, "zakup_emails_sent_total") == value(before, "zakup_emails_sent_total")


def test_a_made_up_method_does_not_make_a_new_series(client):
    client.generic("BREW", "/health/live")
    client.generic("XYZZY", "/health/live")
    after = scrape(client)

    methods = {
        dict(labels)["method"]
        for (name, labels) in after
        if name == "zakup_http_requests_total" and dict(labels)["view"] == "health_live"
    }
    assert "BREW" not in methods and "XYZZY" not in methods
    assert (
        value(after, "zakup_http_requests_total", view="health_live", method="other", status="405")
        >= 2
    )


def test_the_queue_is_counted_from_its_own_table(client):
    # Submitting queues the applicant's e-mail; the worker then sends it.
    stages.submitted(stages.cast())
    waiting = scrape(client)
    assert value(waiting, "zakup_jobs", status="READY") == 1
    assert value(waiting, "zakup_jobs", status="SUCCESSFUL") == 0

    run_jobs()
    done = scrape(client)

    assert value(done, "zakup_jobs", status="READY") == 0
    assert value(done, "zakup_jobs", status="SUCCESSFUL") == 1
