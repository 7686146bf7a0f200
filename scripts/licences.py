#!/usr/bin/env python
"""The licence of every runtime dependency, read from the installed packages' own metadata.

    .venv/bin/python scripts/licences.py                    print the Markdown table
    .venv/bin/python scripts/licences.py --write FILE       replace the table in FILE (between
                                                            the "licences:begin/end" markers)

Runtime dependencies: those pyproject.toml lists under [project] dependencies, and everything
they require in turn (extras included where we ask for them, e.g. psycopg[binary]); the
development tools under optional-dependencies are not shipped and not listed. Run it with the
virtualenv the development lock installed (make licences): it has the runtime packages at the
versions of requirements.lock.
"""

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- licences:begin -->", "<!-- licences:end -->"


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def runtime_distributions() -> list[metadata.Distribution]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pending = [Requirement(text) for text in project["dependencies"]]
    seen: dict[str, metadata.Distribution] = {}
    while pending:
        requirement = pending.pop()
        key = _name(requirement.name)
        if key in seen:
            continue
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue  # required only on another platform or Python (its marker said no)
        seen[key] = distribution
        for text in distribution.requires or []:
            child = Requirement(text)
            if child.marker is None or any(
                child.marker.evaluate({"extra": extra}) for extra in requirement.extras or {""}
            ):
                pending.append(child)
    return sorted(seen.values(), key=lambda d: _name(d.metadata["Name"]))


def licence_of(distribution: metadata.Distribution) -> str:
    meta = distribution.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"]
    classifiers = [
        c.split(" :: ")[-1]
        for c in meta.get_all("Classifier") or []
        if c.startswith("License :: ") and c != "License :: OSI Approved"
    ]
    if classifiers:
        return "; ".join(classifiers)
    licence = (meta.get("License") or "").strip()
    # Some packages put the whole licence text in this field: its first line names it.
    return licence.splitlines()[0][:60] if licence else "(not stated)"


def table() -> str:
    rows = ["| package | version | licence |", "|---|---|---|"]
    for distribution in runtime_distributions():
        rows.append(
            f"| {distribution.metadata['Name']} | {distribution.version} | "
            f"{licence_of(distribution).replace('|', '/')} |"
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) == 1:
        sys.stdout.write(table())
        return 0
    if len(argv) == 3 and argv[1] == "--write":
        path = Path(argv[2])
        text = path.read_text()
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        path.write_text(text[:start] + "\n" + table() + text[end:])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
