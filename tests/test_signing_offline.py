"""scripts/verify_certificate_offline.py: a buyer's check with only the keys and the paper."""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from certification.pdf import verification_url

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_key_in_tmp")]

SCRIPT = django_settings.BASE_DIR / "scripts" / "verify_certificate_offline.py"


@pytest.fixture
def certificate():
    return factories.certificate(items=("Catering „Smaczne” | obiady", "Szycie toreb 100%"))


def check(certificate, key_file, *, nip=None, url=None, items=None):
    arguments = [
        sys.executable,
        str(SCRIPT),
        "--key",
        str(key_file),
        "--url",
        url or verification_url(certificate),
        "--nip",
        nip or certificate.organization.nip,
        "--issued-on",
        certificate.issued_on.isoformat(),
        "--valid-until",
        certificate.valid_until.isoformat(),
    ]
    for item in items if items is not None else [i.name for i in certificate.items.all()]:
        arguments += ["--item", item]
    return subprocess.run(arguments, capture_output=True, text=True, check=False)


@pytest.fixture(params=["certyfikaty.json", "certyfikaty.pem"])
def key_file(request, client, tmp_path):
    path = tmp_path / request.param
    path.write_bytes(client.get(f"/klucze/{request.param}").content)
    return path


def test_offline_checker_accepts_the_qr_code_with_the_printed_data(certificate, key_file):
    result = check(certificate, key_file)
    assert result.returncode == 0, result.stderr
    assert f"VALID: {certificate.number}" in result.stdout


def test_offline_checker_rejects_another_nip(certificate, key_file):
    result = check(certificate, key_file, nip=factories.VALID_NIPS[4])
    assert result.returncode == 1 and "NOT VALID" in result.stdout


def test_offline_checker_rejects_a_missing_item(certificate, key_file):
    result = check(certificate, key_file, items=["Szycie toreb 100%"])
    assert result.returncode == 1


def test_offline_checker_cannot_use_a_url_without_a_signature(certificate, key_file):
    url = verification_url(certificate).split("?")[0]
    result = check(certificate, key_file, url=url)
    assert result.returncode == 2 and "Cannot check" in result.stderr
