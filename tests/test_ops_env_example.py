"""The environment file template names every variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_variable_the_settings_read_is_in_the_template():
    settings = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]*)"', settings))
    template = (ROOT / "deploy" / "zakup.env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", template, re.MULTILINE))

    assert read, 'no env.<type>("NAME") found: has config/settings.py changed its style?'
    assert sorted(read - listed) == []
