"""Certificate PDF rendering time, in process: `python -m bench.pdf --renders 50`.

Renders real certificates of the loaded registry with certification.pdf.render_certificate_pdf
after a warm-up (fonts, templates and WeasyPrint's import are paid once per process), and
prints the figures as one JSON line.
"""

import argparse
import json
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from certification.models import Certificate
    from certification.pdf import render_certificate_pdf

    # Valid certificates with one to three items, different organisations: a typical mix.
    certificates = list(
        Certificate.objects.select_related("organization")
        .prefetch_related("items")
        .filter(status="valid")
        .order_by("pk")[:200:20]
    )
    if not certificates:
        raise SystemExit("No valid certificate to render: load the registry first.")
    for n in range(args.warmup):
        render_certificate_pdf(certificates[n % len(certificates)])
    times, cpu, sizes = [], [], []
    for n in range(args.renders):
        started, cpu_started = time.perf_counter(), time.process_time()
        pdf = render_certificate_pdf(certificates[n % len(certificates)])
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        sizes.append(len(pdf))
    times.sort()
    result = {
        "renders": args.renders,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "min_ms": times[0],
        "max_ms": times[-1],
        # CPU time of the render, which other work on a shared machine hardly changes.
        "cpu_median_ms": statistics.median(cpu),
        "size_kb": statistics.median(sizes) / 1024,
    }
    print("BENCH " + json.dumps(result))


if __name__ == "__main__":
    main()
