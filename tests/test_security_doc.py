"""docs/security.md names the test behind each control: every one it names must exist, so the
page cannot go on citing a proof that was renamed or removed."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `tests/x.py`, `tests/x.py::test_y`, and `::test_z` for another test of the last file named.
CITED = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`")


def test_every_test_docs_security_cites_exists():
    page = (ROOT / "docs" / "security.md").read_text()
    cited = [(path, name) for path, name in CITED.findall(page) if path or name]
    assert len(cited) > 40, "has the page changed the way it cites tests?"
    missing, last = [], None
    for path, name in cited:
        path = last = path or last
        module = ROOT / path
        if not module.exists():
            missing.append(path)
        elif name and not re.search(rf"^(?:async )?def {name}\(", module.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert missing == []
