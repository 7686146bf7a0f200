"""Background jobs, in process: `DATABASE_URL=postgres://… python -m bench.jobs --emails 500`.

Enqueues e-mail jobs, each in its own transaction as a request would, then one worker sends
them to a local SMTP sink (aiosmtpd); prints the figures as one JSON line and removes its jobs.
Use a database with no jobs of its own waiting (the worker would run them too): the benchmark's.
"""

import argparse
import json
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--emails", type=int, default=500)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from jobs.mail import send_message, serialize
    from jobs.worker import Worker
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink()
    sink.start()
    settings.MAILERS = sink.mailers()
    message = serialize(EmailMessage("Temat", "Treść " * 50, "a@example.pl", ["b@example.pl"]))
    enqueue_ms, ids = [], []
    for _ in range(args.emails):
        started = time.perf_counter()
        with transaction.atomic():
            ids.append(send_message.enqueue(message=message).id)
        enqueue_ms.append((time.perf_counter() - started) * 1000)
    worker = Worker(worker_id="bench", periodic=False)
    started = time.perf_counter()
    sent = 0
    while sent < args.emails and worker.step():
        sent += 1
    seconds = time.perf_counter() - started
    sink.stop()
    DBTaskResult.objects.filter(pk__in=ids).delete()
    enqueue_ms.sort()
    print(
        json.dumps(
            {
                "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "enqueue_ms_median": round(statistics.median(enqueue_ms), 2),
                "enqueue_ms_p95": round(enqueue_ms[int(len(enqueue_ms) * 0.95)], 2),
                "emails": sent,
                "received": len(sink.received),
                "emails_per_second": round(sent / seconds, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
