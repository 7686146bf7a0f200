"""The web unit's gunicorn settings, run for real: several workers, one sum in /metrics."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from .ops_services import free_port

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 30


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
        return response.status, response.read()


def live_requests_counted(body: bytes) -> float:
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if sample.name == "zakup_http_requests_total" and sample.labels.get("view") == (
                "health_live"
            ):
                return sample.value
    return 0.0


def test_every_scrape_sums_the_requests_of_all_workers(tmp_path):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))},
        "ZAKUP_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "3",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "ERROR",
        "ACCESS_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:  # bounded: until gunicorn answers, or 30 s
            try:
                get(f"{base}/health/live")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.05)
        first = live_requests_counted(get(f"{base}/metrics")[1])
        for _ in range(REQUESTS):
            assert get(f"{base}/health/live")[0] == 200
        # Each scrape lands on some worker; every one must report the same sum.
        seen = {live_requests_counted(get(f"{base}/metrics")[1]) for _ in range(10)}
        pids = {p.name for p in metrics_dir.iterdir()}
    finally:
        server.terminate()
        server.wait(timeout=40)

    assert seen == {first + REQUESTS}
    assert len([name for name in pids if name.startswith("counter_")]) > 1, pids
