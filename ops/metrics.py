"""Prometheus metrics, exposed at /metrics to the addresses in METRICS_ALLOWED_ADDRESSES.

prometheus_client directly rather than django-prometheus: we want a handful of series with
names of our own (requests by view and status, e-mails, certificates), not its dozens of
per-model and per-backend ones, and one dependency that follows Django releases less.

Several gunicorn workers each count their own requests, and a scrape reaches one of them at
random. With PROMETHEUS_MULTIPROC_DIR set (deploy/zakup-web.service does), every process writes
its counters to files there and a scrape adds them all up (prometheus_client's multiprocess
mode); the unit empties the directory at each start. Without it (runserver, tests), counters
live in the process.

Figures the database already holds (certificates issued, by status) are read from it at scrape
time: they are then the same whichever process answers, survive restarts, and the domain needs
no hook. Queue depth and job failures will come with the job engine (issue 9 §1).
"""

import ipaddress
import os
from functools import lru_cache

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

REQUESTS = Counter(
    "zakup_http_requests",
    "HTTP requests answered, by view (URL name) and status code.",
    ["view", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "zakup_http_request_duration_seconds",
    "Time to answer a request, by view (URL name).",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
EMAILS_SENT = Counter("zakup_emails_sent", "E-mail messages the mail server accepted.")
EMAILS_FAILED = Counter("zakup_emails_failed", "E-mail messages that could not be sent.")


def _count_by_status(model) -> dict[str, int]:
    return dict(
        model.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


class RegistryFigures:
    """What the database knows, read at scrape time."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from certification.models import Certificate

        try:
            certificates = _count_by_status(Certificate)
            # From the queue's own table, so every worker on every host counts once: READY is
            # the backlog (retries waiting included), FAILED the jobs that gave up.
            jobs = _count_by_status(DBTaskResult)
        except DatabaseError:
            return  # /health/ready says the database is down; the scrape still answers
        yield CounterMetricFamily(
            "zakup_certificates_issued",
            "Certificates issued since the installation (every number ever given).",
            value=sum(certificates.values()),
        )
        gauge = GaugeMetricFamily(
            "zakup_certificates", "Certificates by their stored status.", labels=["status"]
        )
        for status, count in sorted(certificates.items()):
            gauge.add_metric([status], count)
        yield gauge
        gauge = GaugeMetricFamily(
            "zakup_jobs",
            "Background jobs by status (READY: the queue's backlog).",
            labels=["status"],
        )
        for status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED"):
            gauge.add_metric([status], jobs.get(status, 0))
        yield gauge


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    database = CollectorRegistry()
    database.register(RegistryFigures())
    return generate_latest(processes) + generate_latest(database), CONTENT_TYPE_LATEST


@lru_cache(maxsize=4)
def _networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def client_ip(request) -> str:
    """The address the request came from, as the trusted proxies report it (TRUSTED_PROXIES).

    Behind nginx on the same machine every request arrives from 127.0.0.1: REMOTE_ADDR alone
    would open /metrics to the whole internet. An entry a client wrote itself into
    X-Forwarded-For is never read: only the last TRUSTED_PROXIES entries are the proxies' own.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def allowed(request) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    if getattr(address, "ipv4_mapped", None) is not None:
        address = address.ipv4_mapped
    return any(
        address in network for network in _networks(tuple(settings.METRICS_ALLOWED_ADDRESSES))
    )
