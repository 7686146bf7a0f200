"""Issuing certificates over HTTP, the PDF made by a worker (issue 9): one command, figures out.

    .venv/bin/python -m bench.issue            # or: make bench-issue
    .venv/bin/python -m bench.issue --help

1. creates the PostgreSQL database `zakup_bench_issue` afresh (`--database-url`) and migrates it;
2. drives applications through the real flow to "granted" (tests/stages.py: submitted, formally
   accepted, scored by three jurors, resolved), each with its own officer;
3. starts gunicorn with deploy/gunicorn.conf.py (5 sync workers, as production) and the
   production settings, one `manage.py run_worker` as deploy/zakup-worker.service runs it, and
   an SMTP sink in this process for the e-mails;
4. **one after another**: each officer's browser opens the issue task (GET, not timed) and
   presses the button: the POST is timed until its answer (302 to the certificate's page);
   then how long until the worker has stored that certificate's PDF;
5. **at once**: `--together` officers (20) press the button of their own application at the
   same moment (threads released by one barrier); the wall time until the last answer, and
   until the worker has stored all their PDFs. Numbers must come out gap-free.

Prints the figures and the goals of issue 9: the issue request p95 < 300 ms; 20 certificates
at once < 2 s (it was 5.8 s while the PDF was made in the request, inside the numbering lock).
"""

import argparse
import logging
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import run

ROOT = run.ROOT
PYTHON = run.PYTHON
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
WEB, WORKER = "zakup-bench-web", "zakup-bench-worker"  # their connections' application_name


def main() -> int:
    args = _arguments()
    work = Path(tempfile.mkdtemp(prefix="zakup-bench-issue-"))
    try:
        _benchmark(args, work)
    except SystemExit:
        for log in sorted(work.glob("*.log")):
            print(f"--- the end of {log.name}:\n{log.read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/zakup_bench_issue"
    )
    parser.add_argument("--requests", type=int, default=40, help="Issues timed one by one.")
    parser.add_argument("--together", type=int, default=20, help="Issues at the same moment.")
    parser.add_argument(
        "--warmup", type=int, default=10, help="Issues before the timed ones (every web worker)."
    )
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers.")
    parser.add_argument(
        "--worker-nice",
        type=int,
        help="The worker's niceness (default: Nice= of deploy/zakup-worker.service).",
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/14",
        help="The shared cache, as in production (emptied first); 'off' for local memory.",
    )
    args = parser.parse_args()
    if args.worker_nice is None:
        args.worker_nice = _worker_nice()
    return args


def _benchmark(args, work: Path) -> None:
    run._ensure_database(args.database_url, fresh=True)
    env = run._production(run._environment(args, work), work)
    print(run._machine())
    run._manage(env, "migrate", "--noinput", "-v0")
    run._manage(env, "collectstatic", "--noinput", "-v0")
    # This process prepares the applications and makes the officers' sessions with the same
    # settings and secret as the server, so the server accepts them.
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings

    from tests.smtp_sink import SmtpSink

    sink = SmtpSink()
    sink.start()
    # The preparation's e-mails stay in memory; the worker's go to the SMTP sink.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"

    count = args.warmup + args.requests + args.together
    print(f"Preparing {count} granted applications through the flow…", flush=True)
    prepared = time.perf_counter()
    logging.disable(logging.INFO)  # the preparation's jobs would print a line each
    officers = [_granted() for _ in range(count)]
    from jobs.worker import drain

    drain(max_jobs=100_000)  # the preparation's e-mails: the worker starts with an empty queue
    logging.disable(logging.NOTSET)
    print(f"  done in {time.perf_counter() - prepared:.0f} s")
    browsers = [_Browser(args.port, task_pk, officer) for task_pk, officer in officers]

    # Named connections, so that the CPU time of their PostgreSQL backends can be counted.
    server = _start(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "--config=deploy/gunicorn.conf.py",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{args.port}",
            "config.wsgi:application",
        ],
        {**env, "DATABASE_URL": f"{args.database_url}?application_name={WEB}"},
        work / "gunicorn.log",
    )
    worker = None
    try:
        _wait_for_server(args.port, server)
        # At the priority deploy/zakup-worker.service gives it (Nice=), as in production.
        worker = _start(
            [
                "nice",
                "-n",
                str(args.worker_nice),
                PYTHON,
                "manage.py",
                "run_worker",
                "--no-schedule",
            ],
            {**env, "DATABASE_URL": f"{args.database_url}?application_name={WORKER}"},
            work / "worker.log",
        )
        busy_before = run._cpu_busy()
        for browser in browsers[: args.warmup]:
            browser.open()
            browser.issue()
        _wait_for_pdfs(browsers[: args.warmup])
        one_by_one = browsers[args.warmup : args.warmup + args.requests]
        request_ms, pdf_ms, cpu_ms = [], [], {"web": [], "worker": []}
        for browser in one_by_one:
            browser.open()
            web_before = _cpu(WEB, server.pid)
            request_ms.append(browser.issue())
            cpu_ms["web"].append((_cpu(WEB, server.pid) - web_before) * 1000)
            worker_before = _cpu(WORKER, worker.pid)
            pdf_ms.append(_wait_for_pdfs([browser]) * 1000 + request_ms[-1])
            cpu_ms["worker"].append((_cpu(WORKER, worker.pid) - worker_before) * 1000)
        together = browsers[args.warmup + args.requests :]
        web_before = _cpu(WEB, server.pid)
        wall_s, pdfs_s = _at_once(together)
        cpu_ms["together"] = (_cpu(WEB, server.pid) - web_before) * 1000
        _check_numbers(browsers)
    finally:
        for process in (worker, server):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)
        sink.stop()
    _report(
        args,
        request_ms,
        pdf_ms,
        wall_s,
        pdfs_s,
        [b.elapsed_ms for b in together],
        cpu_ms,
        busy_before,
    )


def _granted() -> tuple[int, object]:
    """A granted application with its open issue task, and the officer who will issue it."""
    from tests import stages

    cast = stages.cast()
    application = stages.granted(cast)
    return stages.open_task(application, stages.flow.issue).pk, cast.officer


class _Browser:
    """One officer's browser: the session cookie of a login, the CSRF cookie of the page."""

    def __init__(self, port: int, task_pk: int, officer):
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        client = Client()
        client.force_login(officer)  # a session row in the database, which the server reads
        self.base = f"http://127.0.0.1:{port}"
        self.path = reverse("staff_task", args=[task_pk])
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.cookies = {settings.SESSION_COOKIE_NAME: session}
        self.csrf_cookie = settings.CSRF_COOKIE_NAME
        self.token = ""
        self.location = ""
        self.elapsed_ms = 0.0

    def _headers(self) -> dict:
        # As behind the TLS proxy: https, so the secure cookies and the CSRF origin check apply.
        return {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "Origin": self.base.replace("http://", "https://"),
            "Referer": self.base.replace("http://", "https://") + self.path,
        }

    def open(self) -> None:
        import requests

        response = requests.get(
            self.base + self.path, headers=self._headers(), allow_redirects=False, timeout=30
        )
        if response.status_code != 200:
            sys.exit(f"GET {self.path} answered {response.status_code}")
        self.cookies[self.csrf_cookie] = response.cookies[self.csrf_cookie]
        self.token = TOKEN.search(response.content).group(1).decode()

    def issue(self) -> float:
        """Press the button; the milliseconds until the answer."""
        import requests

        started = time.perf_counter()
        response = requests.post(
            self.base + self.path,
            data={"csrfmiddlewaretoken": self.token},
            headers=self._headers(),
            allow_redirects=False,
            timeout=60,
        )
        self.elapsed_ms = (time.perf_counter() - started) * 1000
        if response.status_code != 302 or "/certyfikaty/" not in response.headers["Location"]:
            sys.exit(
                f"POST {self.path} answered {response.status_code} "
                f"{response.headers.get('Location', '')}: not an issued certificate"
            )
        self.location = response.headers["Location"]
        return self.elapsed_ms

    @property
    def slug(self) -> str:
        return self.location.rstrip("/").rsplit("/", 1)[1]


def _at_once(browsers: list[_Browser]) -> tuple[float, float]:
    for browser in browsers:
        browser.open()
    barrier = threading.Barrier(len(browsers) + 1)
    failures: list[BaseException] = []

    def press(browser: _Browser) -> None:
        barrier.wait(timeout=60)
        try:
            browser.issue()
        except BaseException as error:  # SystemExit from a wrong answer included
            failures.append(error)

    threads = [threading.Thread(target=press, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join(120)
    wall = time.perf_counter() - started
    if failures:
        sys.exit(f"{len(failures)} of the simultaneous issues failed: {failures[0]!r}")
    return wall, wall + _wait_for_pdfs(browsers)


def _wait_for_pdfs(browsers: list[_Browser], timeout: float = 120) -> float:
    """Seconds from now until every browser's certificate has its PDF stored (by the worker)."""
    from django.db import connection

    from certification.domain.certificates import parse_number
    from certification.models import Certificate

    numbers = [parse_number(b.slug) for b in browsers]
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        waiting = Certificate.objects.filter(number__in=numbers, pdf="").count()
        connection.close()  # the next look in a new transaction, with the worker's commits
        if waiting == 0:
            return time.perf_counter() - started
        time.sleep(0.01)
    sys.exit(f"The worker did not store the PDFs within {timeout:.0f} s.")


def _check_numbers(browsers: list[_Browser]) -> None:
    from certification.models import Certificate

    sequences = sorted(Certificate.objects.values_list("sequence", flat=True))
    if sequences != list(range(1, len(browsers) + 1)):
        sys.exit(f"Certificate numbers are not gap-free: {sequences}")


def _worker_nice() -> int:
    unit = (ROOT / "deploy" / "zakup-worker.service").read_text()
    match = re.search(r"^Nice=(-?\d+)", unit, re.MULTILINE)
    return int(match[1]) if match else 0


def _cpu(application_name: str, pid: int) -> float:
    """CPU seconds used so far by a process, its children (gunicorn's workers) and the
    PostgreSQL backends of their connections: the machine time their work cost, which other
    work on the machine does not inflate as it inflates wall times."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name]
        )
        backends = [row[0] for row in cursor.fetchall()]
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    return sum(_process_cpu(p) for p in [pid, *children, *backends])


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    # Their log lines (the production access log among them) in a file: shown if a run fails.
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )


def _wait_for_server(port: int, server: subprocess.Popen) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start (exit {server.returncode}): is {port} free?")
        try:  # (workers still importing the app keep the first requests waiting)
            requests.get(f"http://127.0.0.1:{port}/health/live", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s.")


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the value `share` of the values are at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def _report(args, request_ms, pdf_ms, wall_s, pdfs_s, together_ms, cpu_ms, busy_before) -> None:
    print()
    print(
        f"Certificate issue over HTTP, PostgreSQL; gunicorn {args.workers} sync workers "
        f"(deploy/gunicorn.conf.py), 1 run_worker (nice {args.worker_nice}); "
        + (f"cache {args.redis_url}" if args.redis_url != "off" else "local-memory cache")
    )
    print(f"{'':<34} {'p50':>8} {'p95':>8} {'max':>8}")
    rows = [
        (f"issue request, {len(request_ms)} one by one (ms)", request_ms),
        ("  … until its PDF is stored (ms)", pdf_ms),
        (f"each of {len(together_ms)} at once (ms)", together_ms),
    ]
    for label, values in rows:
        print(
            f"{label:<34} {_percentile(values, 0.5):>8.0f} {_percentile(values, 0.95):>8.0f} "
            f"{max(values):>8.0f}"
        )
    print(f"{len(together_ms)} at once: all answered after {wall_s:.2f} s, all PDFs stored "
          f"after {pdfs_s:.2f} s")  # fmt: skip
    web, worker = cpu_ms["web"], cpu_ms["worker"]
    print(
        f"CPU time (gunicorn workers and their PostgreSQL backends) per issue request: "
        f"median {statistics.median(web):.0f} ms, p95 {_percentile(web, 0.95):.0f} ms; "
        f"per PDF (worker and its backend): median {statistics.median(worker):.0f} ms; "
        f"the {len(together_ms)} at once: {cpu_ms['together']:.0f} ms in all"
    )
    p95 = _percentile(request_ms, 0.95)
    goals = [
        (f"issue request p95 < 300 ms ({p95:.0f} ms)", p95 < 300),
        (f"{len(together_ms)} certificates at once < 2 s ({wall_s:.2f} s)", wall_s < 2),
    ]
    print()
    for text, met in goals:
        print(f"  {'MET    ' if met else 'NOT MET'}  {text}")
    if busy_before is not None:
        print(f"  CPU busy in the 3 s before the timed issues: {busy_before:.0%}")
        if busy_before > 0.15:
            print("  WARNING: other processes were using the CPU; the figures understate the app.")


if __name__ == "__main__":
    raise SystemExit(main())
