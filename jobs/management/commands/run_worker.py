"""Run jobs from the shared queue. Start one or more per host (deploy/: the systemd unit)."""

import logging
import signal
import socket
import time

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from jobs.worker import Worker, drain


class Command(BaseCommand):
    help = "Run background jobs (e-mails, certificate PDFs, the daily jobs) until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs ready now, then exit."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when the queue is empty."
        )
        parser.add_argument("--queues", default="", help="Comma-separated queues (default: all).")
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Do not enqueue the daily jobs (other workers do).",
        )

    def handle(
        self, *args, batch=False, interval=1.0, queues="", schedule=True, verbosity=1, **options
    ):
        if verbosity > 1:
            logging.getLogger("jobs").setLevel(logging.DEBUG)
        if batch:
            ran = drain()
            self.stdout.write(f"{ran} job(s) run.")
            return
        worker_id = f"{socket.gethostname()}-{get_random_string(8)}"[:64]
        worker = Worker(
            worker_id=worker_id, queues=[q for q in queues.split(",") if q], schedule=schedule
        )
        stopping = []

        def stop(signum, frame):
            # Finish the job in hand, then leave (systemd's SIGTERM); a second signal does not
            # wait: the job is run again by another worker (jobs/liveness.py).
            if stopping:
                raise SystemExit(1)
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Worker {worker_id} started.")
        while not stopping:
            if not worker.step():
                time.sleep(interval)
        self.stdout.write(f"Worker {worker_id} stopped.")
