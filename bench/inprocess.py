"""Per-request time of the registry search, in one process: no server, no wrk, no queue.

    DATABASE_URL=postgres://…/zakup_bench .venv/bin/python -m bench.inprocess --lists DIR

Replays the request lists bench/prepare.py writes into DIR (search-api.txt, search-html.txt)
through Django's test client with the production settings (DEBUG off, the cached template
loader, the production middleware), after one warm-up pass, and prints per scenario the median,
95th percentile and mean of a request and the slowest paths. On a shared machine this is the
figure to compare before and after a change: wrk's throughput mostly measures the neighbours.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--lists", type=Path, required=True, help="bench/prepare.py's --out")
    parser.add_argument("--rounds", type=int, default=3, help="passes over each list")
    parser.add_argument(
        "--scenario", action="append", help="search-api, search-html (default: both)"
    )
    parser.add_argument("--slowest", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zakup-inprocess-") as work:
        _production_environment(Path(work))
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        call_command("collectstatic", "--noinput", verbosity=0)  # the manifest pages link to

        # The TLS proxy's header, as in production: without it SECURE_SSL_REDIRECT answers 301.
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        for name in args.scenario or ["search-api", "search-html"]:
            paths = (args.lists / f"{name}.txt").read_text().split()
            print("BENCH " + json.dumps(_time(client, name, paths, args), ensure_ascii=False))


def _production_environment(work: Path) -> None:
    key = work / "signing-key.pem"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DJANGO_ENV": "development"}
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "generate_signing_key", "--out", str(key)],
        env=env,
        check=True,
        capture_output=True,
    )
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        CERTIFICATE_SIGNING_KEY_FILE=str(key),
        DJANGO_ALLOWED_HOSTS="testserver",
        SITE_URL="http://testserver",
        API_RATE_LIMIT="off",
        PUBLIC_RATE_LIMIT="off",
        MEDIA_ROOT=str(work / "media"),
        STATIC_ROOT=str(work / "static"),
    )
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("REDIS_URL", None)


def _time(client, name: str, paths: list[str], args) -> dict:
    for path in paths:  # warm-up: templates, connections, the filter choices' cache
        _get(client, path)
    database = _DatabaseProcess()
    times: dict[str, list[float]] = {path: [] for path in paths}
    every, cpu = [], []
    database_started = database.cpu_seconds()
    for _ in range(args.rounds):
        for path in paths:
            started, cpu_started = time.perf_counter(), time.process_time()
            _get(client, path)
            cpu.append((time.process_time() - cpu_started) * 1000)
            elapsed = (time.perf_counter() - started) * 1000
            times[path].append(elapsed)
            every.append(elapsed)
    database_ms = (database.cpu_seconds() - database_started) * 1000 / len(every)
    database.check()
    every.sort()
    cpu.sort()
    slowest = sorted(times.items(), key=lambda kv: -statistics.median(kv[1]))[: args.slowest]
    return {
        "scenario": name,
        "requests": len(every),
        "median_ms": round(statistics.median(every), 2),
        "p95_ms": round(every[int(0.95 * (len(every) - 1))], 2),
        "mean_ms": round(statistics.fmean(every), 2),
        # CPU time, which other work on the machine hardly changes: of this process (Django)
        # per request, and of its PostgreSQL backend as a mean (the kernel counts it in ticks).
        "django_cpu_median_ms": round(statistics.median(cpu), 2),
        "django_cpu_p95_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 2),
        "django_cpu_mean_ms": round(statistics.fmean(cpu), 2),
        "postgres_cpu_mean_ms": round(database_ms, 2),
        "slowest": {path: round(statistics.median(t), 2) for path, t in slowest},
    }


class _DatabaseProcess:
    """The PostgreSQL backend serving this process's (persistent) connection, on this machine."""

    def __init__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
        self.connection = connection

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def check(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            if cursor.fetchone()[0] != self.pid:
                raise SystemExit("The database connection changed during the run.")


def _get(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")


if __name__ == "__main__":
    main()
