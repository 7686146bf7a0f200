"""Start the app's settings in a fresh process with chosen environment variables."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_with_settings(code: str, *, drop: tuple[str, ...] = (), warnings_as_errors=False, **env):
    """Print what `code` prints after django.setup(), with `env` set and the `drop`ped
    variables (and any that end with one of them) removed from this process's environment."""
    base = {k: v for k, v in os.environ.items() if not k.endswith(drop)}
    done = subprocess.run(
        [
            sys.executable,
            *(["-W", "error::DeprecationWarning"] if warnings_as_errors else []),
            "-c",
            f"import django; django.setup(); {code}",
        ],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
