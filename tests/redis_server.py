"""A throwaway redis-server on a free port, for tests that stop the cache under the app."""

import functools
import json
import os
import selectors
import shutil
import socket
import subprocess
import time

import pytest

from .settings_probe import run_with_settings

START_TIMEOUT = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self):
        if shutil.which("redis-server") is None:
            pytest.skip("needs redis-server (Debian: apt-get install redis-server)")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        # Read its log until it says so: no polling of the port.
        deadline, log = time.monotonic() + START_TIMEOUT, b""
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while (left := deadline - time.monotonic()) > 0:
                if not selector.select(timeout=left):
                    continue
                chunk = os.read(self.process.stdout.fileno(), 65536)
                log += chunk
                if b"Ready to accept connections" in log:
                    return
                if not chunk:  # it exited
                    break
        self.kill()
        raise RuntimeError(f"redis-server on port {self.port} did not start: {log[-500:]!r}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.process.stdout.close()


SENTINEL_URL = "redis://127.0.0.1:1/0"


@functools.cache
def _caches_json() -> str:
    return run_with_settings(
        "import json; from django.conf import settings; print(json.dumps(settings.CACHES))",
        drop=("CACHE_URL", "REDIS_URL"),
        CACHE_URL=SENTINEL_URL,
    )


def app_caches(url: str) -> dict:
    """CACHES exactly as config/settings.py makes them from CACHE_URL=url."""
    return json.loads(_caches_json().replace(SENTINEL_URL, url))
