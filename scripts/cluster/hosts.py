"""The cluster's hosts: network namespaces on one bridge, and the processes started in them.

Everything started here is recorded in `Hosts` and removed by `Hosts.close()`, which the runner
calls in a `finally` (and on SIGTERM): processes killed by process group, veths, bridge and
namespaces deleted.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

PREFIX = "10.213.0"  # a private /24 used only by these veths
BRIDGE = "zkcl0"
HOST_ADDRESS = f"{PREFIX}.1"  # the root namespace's end: PostgreSQL relay, Redis, SMTP sink


def sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=15)


def wait_port(host: str, port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers at {host}:{port} after {seconds:.0f} s")


class Hosts:
    def __init__(self, logdir: Path):
        self.logdir = logdir
        self.namespaces: list[str] = []
        self.processes: dict[str, subprocess.Popen] = {}
        self.bridge = False

    def network(self, names: list[str]) -> None:
        # A run killed by SIGKILL (timeout's last resort) could not clean up: remove what it
        # left under this run's own names before making them again.
        for name in names:
            subprocess.run(["ip", "netns", "del", f"zkcl-{name}"], capture_output=True, timeout=15)
        subprocess.run(["ip", "link", "del", BRIDGE], capture_output=True, timeout=15)
        sh("ip", "link", "add", BRIDGE, "type", "bridge")
        self.bridge = True
        sh("ip", "addr", "add", f"{HOST_ADDRESS}/24", "dev", BRIDGE)
        sh("ip", "link", "set", BRIDGE, "up")

    def add(self, name: str, address: str) -> None:
        """A host: namespace `zkcl-<name>`, veth to the bridge, `address` inside."""
        ns, outer = f"zkcl-{name}", f"zkv-{name}"
        sh("ip", "netns", "add", ns)
        self.namespaces.append(ns)
        sh("ip", "link", "add", outer, "type", "veth", "peer", "name", "eth0", "netns", ns)
        sh("ip", "link", "set", outer, "master", BRIDGE, "up")
        sh("ip", "netns", "exec", ns, "ip", "addr", "add", f"{address}/24", "dev", "eth0")
        sh("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up")
        sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")

    def start(self, label: str, argv: list[str], *, host: str | None = None, env=None):
        """Start `argv` (in host `host`'s namespace, or the root one) in its own process group."""
        if host is not None:
            argv = ["ip", "netns", "exec", f"zkcl-{host}", *argv]
        log = open(self.logdir / f"{label}.log", "ab")  # noqa: SIM115 (kept open by the child)
        process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        log.close()
        self.processes[label] = process
        return process

    def kill(self, label: str) -> None:
        """SIGKILL a host's whole process tree, as if the machine had lost power."""
        process = self.processes[label]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def close(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        for ns in self.namespaces:  # deleting a namespace deletes its veth end and the pair
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=15)
        if self.bridge:
            subprocess.run(["ip", "link", "del", BRIDGE], capture_output=True, timeout=15)
