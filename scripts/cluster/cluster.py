"""Run the cluster, drive it, break it, check it. Entry point: scripts/cluster/run.

Hosts (network namespaces on bridge zkcl0, 10.213.0.0/24):
  web1..web3  10.213.0.11-13:8000  gunicorn (deploy/gunicorn.conf.py, 2 workers each)
  worker1..2  10.213.0.21-22       manage.py run_worker
Root namespace: HAProxy on 127.0.0.1 (active checks on /health/ready), a TCP relay (socat) from
10.213.0.1:5432 to the machine's PostgreSQL on 127.0.0.1 (the shared server is not restarted
nor reconfigured), the run's own redis-server on 10.213.0.1, an SMTP sink (aiosmtpd) on
10.213.0.1. Files: one MEDIA_ROOT on local disk, which every namespace sees (same filesystem).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent)]

import drive  # noqa: E402
import hosts as hostlib  # noqa: E402
from hosts import HOST_ADDRESS, PREFIX  # noqa: E402

APPLICANTS = int(os.environ.get("CLUSTER_APPLICANTS", "10"))
DB_NAME = os.environ.get("CLUSTER_DB", "zakup_cluster")
PG_LOCAL = os.environ.get("CLUSTER_PG", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "haslo-testowe-123"
SMTP_DOWN_SECONDS = 20
JOBS_WAIT_SECONDS = 240
WEB = {"web1": f"{PREFIX}.11", "web2": f"{PREFIX}.12", "web3": f"{PREFIX}.13"}
WORKERS = {"worker1": f"{PREFIX}.21", "worker2": f"{PREFIX}.22"}
PORTS = {"pg": 5432, "redis": 6390, "smtp": 2525, "lb": 18213}


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {text}", flush=True)


def app_env(tmp: Path, key: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@{HOST_ADDRESS}:{PORTS['pg']}/{DB_NAME}",
        "CACHE_URL": f"redis://{HOST_ADDRESS}:{PORTS['redis']}/0",
        "EMAIL_URL": f"smtp://{HOST_ADDRESS}:{PORTS['smtp']}",
        "MEDIA_ROOT": str(tmp / "media"),
        "CERTIFICATE_SIGNING_KEY_FILE": str(key),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{PORTS['lb']}",
        "TRUSTED_PROXIES": "1",
        "JOBS_RETRY_SECONDS": "5",
        "JOBS_RETRY_MAX_SECONDS": "20",
        "WEB_CONCURRENCY": "2",
        "PYTHONUNBUFFERED": "1",
    }


def haproxy_config(tmp: Path) -> Path:
    servers = "\n".join(f"    server {n} {a}:8000 check" for n, a in WEB.items())
    text = f"""global
    maxconn 500
    log stdout format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 70s
    timeout server 65s
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response
frontend zakup
    bind 127.0.0.1:{PORTS["lb"]}
    default_backend zakup_app
backend zakup_app
    balance roundrobin
    option httpchk
    option forwardfor
    http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    timeout check 3s
    default-server inter 1s fall 2 rise 2
{servers}
"""
    path = tmp / "haproxy.cfg"
    path.write_text(text)
    return path


def prepare_database(env: dict) -> None:
    psql = ["psql", f"{PG_LOCAL}/postgres", "-XAqc"]
    subprocess.run([*psql, f"drop database if exists {DB_NAME} with (force)"], check=True)
    subprocess.run([*psql, f"create database {DB_NAME}"], check=True)
    local = {**env, "DATABASE_URL": f"{PG_LOCAL}/{DB_NAME}"}
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=local,
        check=True,
        timeout=300,
    )


def main() -> int:
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="zakup-cluster-"))
    logs = tmp / "logs"
    logs.mkdir()
    (tmp / "media").mkdir()
    key = tmp / "signing-key.pem"
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "generate_signing_key", "--out", str(key)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )
    env = app_env(tmp, key)
    cluster = hostlib.Hosts(logs)

    def on_term(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, on_term)
    failures: list[str] = []
    try:
        say(f"database {DB_NAME}: fresh, migrated; logs in {logs}")
        prepare_database(env)
        # This process reads and seeds the database directly (loopback), as the checks do.
        os.environ.update({**env, "DATABASE_URL": f"{PG_LOCAL}/{DB_NAME}"})
        os.environ.pop("CACHE_URL")  # set up before the run's Redis exists
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        import django

        django.setup()
        import scenario

        people = scenario.seed(APPLICANTS)
        say(f"seeded: {APPLICANTS} applicants with complete drafts, 1 officer, 4 jurors")

        say("network: bridge zkcl0 10.213.0.1/24, 5 namespaces")
        cluster.network([*WEB, *WORKERS])
        for name, address in {**WEB, **WORKERS}.items():
            cluster.add(name, address)
        cluster.start(
            "pg-relay",
            [
                "socat",
                f"TCP-LISTEN:{PORTS['pg']},bind={HOST_ADDRESS},reuseaddr,fork",
                "TCP:127.0.0.1:5432",
            ],
        )
        cluster.start(
            "redis",
            ["redis-server", "--bind", HOST_ADDRESS, "--port", str(PORTS["redis"]), "--save", ""]
            + ["--appendonly", "no", "--protected-mode", "no"],
        )
        sink = scenario.Sink(HOST_ADDRESS, PORTS["smtp"])
        sink.start()
        for port in (PORTS["pg"], PORTS["redis"]):
            hostlib.wait_port(HOST_ADDRESS, port)
        gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py")]
        for name, address in WEB.items():
            web_env = {**env, "ZAKUP_BIND": f"{address}:8000"}
            cluster.start(name, [*gunicorn, "config.wsgi"], host=name, env=web_env)
        worker = [str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py"), "run_worker"]
        for name in WORKERS:
            cluster.start(name, worker, host=name, env={**env, "PYTHONPATH": str(ROOT)})
        for address in WEB.values():
            hostlib.wait_port(address, 8000, seconds=60)
            # Each gunicorn worker imports the app on its first request: warm both before
            # HAProxy's first checks, which would otherwise time out and take the server out.
            for _ in range(4):
                scenario.wait_ready(f"http://{address}:8000", host="127.0.0.1")
        cluster.start("haproxy", ["haproxy", "-db", "-f", str(haproxy_config(tmp))])
        base = f"http://127.0.0.1:{PORTS['lb']}"
        scenario.wait_ready(base)
        say(f"up: 3 web servers, 2 workers, HAProxy at {base}")

        counter = drive.Counter()
        chaos = scenario.Chaos(cluster, sink, SMTP_DOWN_SECONDS, say)
        with ThreadPoolExecutor(max_workers=3) as pool:
            chaos_thread = threading.Thread(target=chaos.run, daemon=True)
            chaos_thread.start()
            submitted = list(
                pool.map(lambda p: scenario.applicant_submits(base, counter, p), people.applicants)
            )
            say(f"submitted over HTTP: {len(submitted)}")
            scenario.officer_and_jury(base, counter, people, submitted, pool, say)
            chaos_thread.join(timeout=SMTP_DOWN_SECONDS + 30)
        say("waiting for the workers to finish every job")
        scenario.wait_jobs(JOBS_WAIT_SECONDS)
        sink.stop()
        failures = scenario.check(people, submitted, sink, counter, chaos, say)
    except BaseException as error:  # noqa: BLE001 (reported, then cleaned up)
        failures.append(f"the run itself failed: {error!r}")
        import traceback

        traceback.print_exc()
    finally:
        cluster.close()
        left = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        if "zkcl-" in left:
            failures.append("namespaces left behind: " + left.strip())
        if not failures and not os.environ.get("CLUSTER_KEEP_LOGS"):
            shutil.rmtree(tmp, ignore_errors=True)
    duration = time.monotonic() - started
    for failure in failures:
        print("FAIL:", failure)
    print(f"cluster run {'FAILED' if failures else 'passed'} in {duration:.0f} s")
    if failures or os.environ.get("CLUSTER_KEEP_LOGS"):
        print(f"logs kept in {logs}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
