"""Helpers for the verifiable credential tests: the documents as the app serves them, and the
reference verifier (tools/vc-verify: npm @digitalbazaar/vc and friends) run by node."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from certification.credentials import did

ROOT = Path(__file__).resolve().parent.parent
VERIFIER = ROOT / "tools" / "vc-verify"
VERIFIER_TIMEOUT = 60  # seconds; a verdict takes about one


def path_of(url: str) -> str:
    """The path of one of the app's own absolute URLs (SITE_URL's or did:web's https one)."""
    for prefix in (settings.SITE_URL, "https://" + settings.SITE_URL.split("://", 1)[1]):
        if url.startswith(prefix):
            return url.removeprefix(prefix)
    raise AssertionError(f"{url} is not an address of this app")


def get_json(client: Client, url: str) -> dict:
    response = client.get(path_of(url))
    assert response.status_code == 200, (url, response.status_code)
    return json.loads(response.content)


def credential_of(client: Client, certificate) -> dict:
    from certification.credentials.certificate import credential_url

    return get_json(client, credential_url(certificate))


def require_verifier():
    """Skip (locally) when node or the verifier's packages are missing; in CI, fail."""
    missing = None
    if shutil.which("node") is None:
        missing = "node is not installed (apt-get install -y nodejs npm)"
    elif not (VERIFIER / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        missing = "the reference verifier's packages are not installed (make vc-verifier)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the reference VC verifier: {missing}")
        pytest.skip(missing)


def reference_verdict(
    client: Client, credential: dict, tmp_path: Path, *, instead: dict | None = None
) -> dict:
    """What the reference implementation says of `credential`, given the controller document
    and the status lists the app serves now; `instead` maps a URL to another document to give
    for it, or to None to give none (unreadable)."""
    require_verifier()
    tmp_path.mkdir(parents=True, exist_ok=True)
    files = {did.document_url(): get_json(client, did.document_url())}
    entries = credential.get("credentialStatus") or []
    for entry in entries if isinstance(entries, list) else [entries]:
        url = entry["statusListCredential"]
        files[url] = get_json(client, url)
    files.update(instead or {})
    files = {url: document for url, document in files.items() if document is not None}
    arguments = ["node", str(VERIFIER / "verify.mjs"), str(tmp_path / "credential.json")]
    (tmp_path / "credential.json").write_text(json.dumps(credential, ensure_ascii=False))
    for n, (url, document) in enumerate(files.items()):
        name = tmp_path / f"document-{n}.json"
        name.write_text(json.dumps(document, ensure_ascii=False))
        arguments += ["--document", f"{url}={name}"]
    done = subprocess.run(
        arguments, capture_output=True, text=True, timeout=VERIFIER_TIMEOUT, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    verdict = json.loads(done.stdout)
    assert (done.returncode == 0) == (
        verdict["verified"] and not verdict["revoked"] and not verdict["suspended"]
    )
    return verdict
