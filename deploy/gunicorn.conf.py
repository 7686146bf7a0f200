"""gunicorn settings of the web unit (deploy/zakup-web.service): `gunicorn -c` this file.

Sized for the 2-core machines the project runs on:

- Sync workers. Requests are short and mostly wait on PostgreSQL, Redis and S3; the app keeps
  no long connections (no websockets, no streaming but file downloads, which S3 serves from a
  presigned URL or the app streams in chunks). Sync workers are the simplest thing that is
  correct with Django's thread-local connections.
- 5 workers = 2 × cores + 1, gunicorn's own rule of thumb: while one worker waits on the
  database another computes. Each costs about 120 MB (WeasyPrint and fonts loaded), so 5 fit
  easily. WEB_CONCURRENCY overrides it (gunicorn reads that variable itself).
- timeout 60 s: a worker silent for longer is killed and restarted. It must exceed the slowest
  honest request: an S3 call gives up after (S3_CONNECT_TIMEOUT 3 + S3_READ_TIMEOUT 5) ×
  S3_MAX_ATTEMPTS 2 = 16 s, an SMTP connection after 30 s (MAILERS' timeout in settings), a
  certificate PDF renders in well under a second. Shorter would kill requests the app is about
  to answer with a clear message; longer would let a stuck worker hold its slot. nginx's
  proxy_read_timeout (deploy/nginx-zakup.conf) is a little longer still, so the worker timeout
  fires first and nginx answers 502 instead of waiting.
- graceful_timeout 30 s: on restart or reload, workers finish the requests they hold.
- max_requests 1000 (± 100 jitter): each worker is replaced now and then, so memory a library
  keeps (font caches) cannot grow for ever, and the workers do not all restart at once.
"""

import os

from prometheus_client import multiprocess

# Where nginx reaches this server: loopback when nginx is on the same machine, the private
# address when one nginx balances several app servers (ZAKUP_BIND=10.0.0.11:8000).
bind = os.environ.get("ZAKUP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "5"))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
max_requests = 1000
max_requests_jitter = 100
# Sync workers close the connection after each response: no keep-alive to tune.
# The app writes its own access line (ops/telemetry.py, JSON with the request id): gunicorn's
# would say the same twice.
accesslog = None
errorlog = "-"
# gunicorn 27's control socket (gunicornc) is not used here; by default it goes in
# $HOME/.gunicorn, which is /srv/zakup, read-only for the service: every start logged
# "Control server error: Permission denied".
control_socket_disable = True
# No preload_app: each worker imports the app itself, so `systemctl reload zakup-web` (HUP)
# starts workers on the new code of an upgrade while the old ones finish their requests.


def child_exit(server, worker):
    # Metrics of a worker that is gone: prometheus_client keeps its counters (they still
    # count in the sum) and drops only its live gauges.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
