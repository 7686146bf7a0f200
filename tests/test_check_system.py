"""`make check-system` on a machine missing WeasyPrint's libraries (README, "Start").

This machine has every package, so Debian is played by two recording scripts handed to the
Makefile's overrides: an `ldconfig` listing only the libraries "installed" so far, and an
`apt-get` that records its calls and "installs" a library package by adding its library.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEASYPRINT_PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

FAKE_LDCONFIG = """#!/bin/sh
cat "{state}/libs" 2>/dev/null || true
"""
# What Debian's packages put in ldconfig's cache: the library of each package.
FAKE_APT_GET = """#!/bin/sh
echo "$*" >> "{state}/calls"
[ "$1" = install ] || exit 0
for arg in "$@"; do
  case "$arg" in
    libpango-1.0-0) echo "libpango-1.0.so.0 => /lib/libpango-1.0.so.0" ;;
    libpangoft2-1.0-0) echo "libpangoft2-1.0.so.0 => /lib/libpangoft2-1.0.so.0" ;;
    libharfbuzz-subset0) echo "libharfbuzz-subset.so.0 => /lib/libharfbuzz-subset.so.0" ;;
  esac
done >> "{state}/libs"
"""


def _script(path: Path, text: str) -> str:
    path.write_text(text)
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def fake_debian():
    # Not pytest's tmp_path: its parent is root's alone, and the unprivileged run below must
    # execute these scripts (and record there, were it to call apt-get).
    with tempfile.TemporaryDirectory() as directory:
        state = Path(directory)
        state.chmod(0o777)
        yield {
            "state": state,
            "LDCONFIG": _script(state / "ldconfig", FAKE_LDCONFIG.format(state=state)),
            "APT_GET": _script(state / "apt-get", FAKE_APT_GET.format(state=state)),
        }


def _make(fake, *, python: str, user: str | None = None) -> subprocess.CompletedProcess:
    command = [
        "make",
        "-s",
        "--no-print-directory",
        "check-system",
        f"PYTHON={python}",
        f"LDCONFIG={fake['LDCONFIG']}",
        f"APT_GET={fake['APT_GET']}",
    ]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=60, env=os.environ.copy()
    )


def _calls(fake) -> list[str]:
    calls = fake["state"] / "calls"
    return calls.read_text().splitlines() if calls.exists() else []


@pytest.mark.skipif(os.geteuid() != 0, reason="the install path runs as root")
def test_as_root_it_installs_the_missing_libraries_then_is_silent(fake_debian):
    first = _make(fake_debian, python=sys.executable)

    assert first.returncode == 0, first.stdout + first.stderr
    assert _calls(fake_debian) == [
        "update -qq",
        "install -y -qq --no-install-recommends " + " ".join(WEASYPRINT_PACKAGES),
    ]
    assert "Installing the missing system packages" in first.stdout

    again = _make(fake_debian, python=sys.executable)
    assert again.returncode == 0
    assert again.stdout == again.stderr == ""
    assert len(_calls(fake_debian)) == 2  # nothing installed twice


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("runuser") is None,
    reason="needs root to run make as an unprivileged user",
)
def test_without_root_or_sudo_it_prints_the_one_command_and_installs_nothing(
    fake_debian,
):
    # `nobody` cannot read root's Python; this stand-in passes the Python checks, so that what
    # is tested is the packages (nobody has no password-less sudo here).
    python = _script(fake_debian["state"] / "python", "#!/bin/sh\nexit 0\n")

    result = _make(fake_debian, python=python, user="nobody")

    assert result.returncode != 0
    assert _calls(fake_debian) == []
    expected = "sudo apt-get install -y --no-install-recommends " + " ".join(WEASYPRINT_PACKAGES)
    assert expected in result.stdout
