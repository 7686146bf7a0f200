"""PUT/GET latency of 20 KB objects on the test S3 server, through the app's own storage.

Usage: scripts/s3/start && .venv/bin/python scripts/s3/bench.py [count]
Prints figures; it is a measurement, not a test.
"""

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def configure() -> None:
    test_env = dict(
        line.split("=", 1)
        for line in (ROOT / "scripts" / "s3" / "test.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        S3_BUCKET=f"zakup-bench-{uuid.uuid4().hex[:8]}",
        S3_ENDPOINT_URL=test_env["S3_TEST_ENDPOINT_URL"],
        S3_ACCESS_KEY_ID=test_env["S3_TEST_ACCESS_KEY_ID"],
        S3_SECRET_ACCESS_KEY=test_env["S3_TEST_SECRET_ACCESS_KEY"],
        S3_REGION=test_env["S3_TEST_REGION"],
    )
    django.setup()


def figures(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{label:<34} median {statistics.median(ms):6.2f} ms   p95 {p95:6.2f} ms   n={len(ms)}")


def main(count: int) -> None:
    configure()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    client = default_storage.connection.meta.client
    bucket = default_storage.bucket_name
    start = time.perf_counter()
    client.create_bucket(Bucket=bucket)
    print(f"{'create bucket':<34} {1000 * (time.perf_counter() - start):6.2f} ms")
    payload = os.urandom(20 * 1024)

    start = time.perf_counter()
    first = default_storage.save("bench/first.bin", ContentFile(payload))
    print(f"{'first write to the new bucket':<34} {1000 * (time.perf_counter() - start):6.2f} ms")

    puts, gets, raw_puts, raw_gets, names = [], [], [], [], [first]
    for n in range(count):
        start = time.perf_counter()
        names.append(default_storage.save(f"bench/{n}.bin", ContentFile(payload)))
        puts.append(time.perf_counter() - start)
        start = time.perf_counter()
        with default_storage.open(names[-1], "rb") as stored:
            assert stored.read() == payload
        gets.append(time.perf_counter() - start)
        start = time.perf_counter()
        client.put_object(Bucket=bucket, Key=f"raw/{n}", Body=payload)
        raw_puts.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert client.get_object(Bucket=bucket, Key=f"raw/{n}")["Body"].read() == payload
        raw_gets.append(time.perf_counter() - start)

    figures("storage.save (HEAD + PUT), 20 KB", puts)
    figures("storage.open + read (HEAD + GET)", gets)
    figures("boto3 put_object, 20 KB", raw_puts)
    figures("boto3 get_object, 20 KB", raw_gets)

    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for entry in page.get("Contents", []):
            client.delete_object(Bucket=bucket, Key=entry["Key"])
    client.delete_bucket(Bucket=bucket)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
