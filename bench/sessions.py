"""The chair's session page and the minutes PDF, in process: `python -m bench.sessions`.

    .venv/bin/python -m bench.sessions                       # SQLite in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zakup_bench_sessions \\
        .venv/bin/python -m bench.sessions                   # PostgreSQL (test_… database)

Builds a fresh test database (dropped at the end) through the real flow: N applications (30)
with 5 products or services each, scored by 5 jurors; one session with all of them on its
agenda, everyone present. Then times the chair's session page (Django's test client with
DEBUG off: middleware, views, templates, queries — the server's time, no network), records a
resolution on every item, closes the session and times the minutes PDF
(certification.minutes.render_minutes_pdf). Prints one JSON line.
"""

import argparse
import json
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=30)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--jurors", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--renders", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zakup-bench-sessions-") as work:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ["DJANGO_DEBUG"] = "false"  # the cached template loader, as in production
        os.environ["MEDIA_ROOT"] = work
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import setup_test_environment

        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            print("BENCH " + json.dumps(_run(args)))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _build(args):
    from certification.domain import sessions
    from tests import factories, stages
    from workflows import services

    c = stages.cast()
    c.jurors = [factories.juror() for _ in range(args.jurors)]
    session = stages.schedule(c)
    items = []
    for _ in range(args.applications):
        application = factories.draft_application(user=c.applicant, items=args.items)
        application = services.submit(application=application, user=c.applicant)
        services.formal_review(
            task_pk=stages.open_task(application, stages.flow.formal_review).pk,
            user=c.officer,
            outcome="accept",
        )
        services.assign_jury(
            task_pk=stages.open_task(application, stages.flow.assign_jury).pk,
            user=c.officer,
            jurors=c.jurors,
        )
        for juror in c.jurors:
            stages.score_as(application, juror)
        items.append(
            sessions.add_to_agenda(officer=c.officer, session=session, application=application)
        )
    stages.everyone_present(c, session)
    return c, session, items


def _run(args) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from certification.domain import sessions
    from certification.minutes import render_minutes_pdf
    from tests import stages

    started = time.perf_counter()
    c, session, items = _build(args)
    build_s = time.perf_counter() - started

    client = Client()
    client.force_login(c.chair)
    url = reverse("staff_session", args=[session.pk])
    for _ in range(3):
        assert client.get(url).status_code == 200
    queries = []  # counted by a wrapper: the test client's request_started resets the log

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        size = len(client.get(url).content)
    page_ms, page_cpu = [], []
    for _ in range(args.requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        page_ms.append((time.perf_counter() - started) * 1000)
        page_cpu.append((time.process_time() - cpu_started) * 1000)

    for item in items:
        stages.vote(c, item)
    sessions.close_session(user=c.chair, session=session)
    session.refresh_from_db()
    render_minutes_pdf(session)  # warm-up: WeasyPrint's import, fonts, templates
    pdf_ms, pdf_cpu, pdf_size = [], [], 0
    for _ in range(args.renders):
        started, cpu_started = time.perf_counter(), time.process_time()
        pdf_size = len(render_minutes_pdf(session))
        pdf_ms.append((time.perf_counter() - started) * 1000)
        pdf_cpu.append((time.process_time() - cpu_started) * 1000)
    page_ms.sort()
    return {
        "database": connection.vendor,
        "load_average_1min": round(os.getloadavg()[0], 1),
        "applications": args.applications,
        "items_each": args.items,
        "jurors": args.jurors,
        "build_s": round(build_s, 1),
        "session_page_median_ms": round(statistics.median(page_ms), 1),
        "session_page_p95_ms": round(page_ms[int(0.95 * (len(page_ms) - 1))], 1),
        # CPU time of the request (Django; SQLite runs in the process too): what other work on
        # a shared machine hardly changes, unlike the wall-clock figures.
        "session_page_cpu_median_ms": round(statistics.median(page_cpu), 1),
        "session_page_queries": len(queries),
        "session_page_kb": round(size / 1024),
        "minutes_resolutions": len(items),
        "minutes_median_ms": round(statistics.median(pdf_ms), 1),
        "minutes_max_ms": round(max(pdf_ms), 1),
        "minutes_cpu_median_ms": round(statistics.median(pdf_cpu), 1),
        "minutes_kb": round(pdf_size / 1024),
    }


if __name__ == "__main__":
    main()
