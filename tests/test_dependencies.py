"""pyproject.toml declares what the code imports, nothing more; the lock files follow it.

Production (`[project] dependencies`, installed from requirements.lock alone) must hold every
third-party module the service's code imports; the "dev" extra (requirements-dev.lock) what the
tests, the benchmark and the development scripts import. A declared package nothing uses is
an extra thing to install, audit and keep up to date.
"""

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = {
    "bench",
    "certification",
    "config",
    "jobs",
    "logcontext",
    "ops",
    "tests",
    "workflows",
}
# Tools of the developers' machines and CI: never imported by the service.
DEV_CODE = ["tests", "bench", "scripts/licences.py", "scripts/s3", "scripts/cluster"]
# The cluster runner's modules import each other by their own names.
FIRST_PARTY |= {path.stem for path in (ROOT / "scripts" / "cluster").glob("*.py")}
# Declared, used, but named by no import statement of ours.
USED_WITHOUT_IMPORT = {
    "psycopg": "Django's PostgreSQL backend loads it (DATABASE_URL=postgres://…)",
    "gunicorn": "the web server of deploy/zakup-web.service",
    "ruff": "make lint",
    "import-linter": "make lint (lint-imports)",
}


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _declared(requirements: list[str]) -> set[str]:
    return {_name(Requirement(text).name) for text in requirements}


def _files(dev: bool) -> list[Path]:
    dev_paths = [ROOT / p for p in DEV_CODE]

    def is_dev(path: Path) -> bool:
        return any(path == d or d in path.parents for d in dev_paths)

    everything = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "var" not in p.parts]
    return [p for p in everything if is_dev(p) == dev]


def _imported_modules(files: list[Path]) -> set[str]:
    modules = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - FIRST_PARTY - set(sys.stdlib_module_names)


def _named_in_settings() -> set[str]:
    """Modules the settings name as dotted strings (INSTALLED_APPS, MIDDLEWARE, LOGGING…)."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    return {
        node.value.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def _distributions_of(modules: set[str]) -> dict[str, set[str]]:
    """Installed distribution of each module (this virtualenv was made from the dev lock)."""
    owners = metadata.packages_distributions()
    return {module: {_name(d) for d in owners.get(module, [])} for module in modules}


def _lock(path: str) -> dict[str, str]:
    versions = {}
    for line in (ROOT / path).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if match:
            versions[_name(match[1])] = match[2]
    return versions


def test_every_third_party_module_the_service_imports_is_a_production_dependency():
    production = _declared(_project()["dependencies"])
    undeclared = {
        module: owners
        for module, owners in _distributions_of(_imported_modules(_files(dev=False))).items()
        if not owners & production
    }
    assert undeclared == {}


def test_every_module_the_tests_and_tools_import_is_declared():
    project = _project()
    declared = _declared(project["dependencies"]) | _declared(
        project["optional-dependencies"]["dev"]
    )
    undeclared = {
        module: owners
        for module, owners in _distributions_of(_imported_modules(_files(dev=True))).items()
        if not owners & declared
    }
    assert undeclared == {}


def test_every_declared_dependency_is_used():
    project = _project()
    production_use = _imported_modules(_files(dev=False)) | _named_in_settings()
    dev_use = _imported_modules(_files(dev=True)) | production_use
    owners = _distributions_of(production_use | dev_use)
    used_in_production = {d for m in production_use for d in owners[m]}
    used_anywhere = {d for m in dev_use for d in owners[m]}

    unused = sorted(
        (_declared(project["dependencies"]) - used_in_production - set(USED_WITHOUT_IMPORT))
        | (
            _declared(project["optional-dependencies"]["dev"])
            - used_anywhere
            - set(USED_WITHOUT_IMPORT)
        )
    )
    assert unused == []


def test_both_lock_files_are_hashed_and_agree():
    production, development = _lock("requirements.lock"), _lock("requirements-dev.lock")
    for path in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / path).read_text()
        first = re.search(r"^[A-Za-z0-9]", text, re.MULTILINE).start()  # after the header
        entries = re.split(r"\n(?=[A-Za-z0-9])", text[first:])
        assert all("--hash=sha256:" in entry for entry in entries), path

    assert _declared(_project()["dependencies"]) <= production.keys()
    assert _declared(_project()["optional-dependencies"]["dev"]) <= development.keys()
    assert {k: development.get(k) for k in production} == production


def test_production_installs_no_test_tools():
    production = _lock("requirements.lock")
    dev_only = _declared(_project()["optional-dependencies"]["dev"]) | {"hypothesis", "faker"}
    assert sorted(dev_only & production.keys()) == []


def test_the_licence_table_lists_exactly_what_production_installs():
    text = (ROOT / "docs" / "licences.md").read_text()
    table = text[text.index("<!-- licences:begin -->") : text.index("<!-- licences:end -->")]
    rows = dict(re.findall(r"^\| ([A-Za-z0-9][\w.-]*) \| (\S+) \|", table, re.MULTILINE))
    assert {_name(k): v for k, v in rows.items() if k != "package"} == _lock("requirements.lock")
