"""Throwaway services for the operations tests: a Redis of the test's own, a free port."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time

import redis


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_redis():
    """A redis-server on a free port, no persistence; yields (port, process). Killed at exit."""
    if shutil.which("redis-server") is None:
        raise RuntimeError("redis-server is missing: apt-get install -y redis-server")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        cwd=tempfile.gettempdir(),
    )
    try:
        deadline = time.monotonic() + 10
        while True:  # bounded: until it answers PING, or 10 s
            try:
                if redis.Redis(port=port, socket_connect_timeout=0.2).ping():
                    break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        yield port, process
    finally:
        if process.poll() is None:
            os.kill(process.pid, 9)
        process.wait(timeout=10)


@contextlib.contextmanager
def read_only_directory(path):
    """`path` as an empty read-only file system (root writes to a chmod-ed directory anyway)."""
    os.makedirs(path, exist_ok=True)
    if os.geteuid() == 0:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(path)], check=True)
        try:
            yield path
        finally:
            subprocess.run(["umount", str(path)], check=True)
    else:
        os.chmod(path, 0o555)
        try:
            yield path
        finally:
            os.chmod(path, 0o755)
