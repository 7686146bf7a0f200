"""Where the signing key comes from: a dev key made once, a configured file, nothing in prod."""

import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from certification import signing, signing_keys

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_configured_key(settings, tmp_path):
    settings.CERTIFICATE_SIGNING_KEY_FILE = ""
    settings.CERTIFICATE_SIGNING_DEV_KEY_FILE = tmp_path / "var" / "keys" / "dev.pem"
    settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES = []


def write_public_pem(path, private_key):
    path.write_bytes(
        private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return path


def test_signing_dev_key_is_created_once_private_and_reused(settings):
    path = settings.CERTIFICATE_SIGNING_DEV_KEY_FILE
    assert not path.exists()
    certificate = factories.certificate()
    token = signing.sign(certificate)
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content, modified = path.read_bytes(), path.stat().st_mtime_ns
    assert signing.sign(factories.certificate()).split(".")[0] == token.split(".")[0]
    assert (path.read_bytes(), path.stat().st_mtime_ns) == (content, modified)
    assert [p.name for p in path.parent.iterdir()] == ["dev.pem"]  # no temporary file left


def test_signing_existing_dev_key_is_used_not_replaced(settings):
    path = settings.CERTIFICATE_SIGNING_DEV_KEY_FILE
    key = signing_keys.write_new_private_key(path)
    token = signing.sign(factories.certificate())
    assert token.split(".")[0] == signing_keys.key_id_of(key.public_key())


def test_signing_configured_key_file_is_used(settings, tmp_path):
    key = signing_keys.write_new_private_key(tmp_path / "rops.pem")
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "rops.pem")
    assert signing.sign(factories.certificate()).startswith(
        signing_keys.key_id_of(key.public_key()) + "."
    )
    assert not settings.CERTIFICATE_SIGNING_DEV_KEY_FILE.exists()


def test_signing_configured_but_missing_key_file_is_an_error_not_a_new_key(settings, tmp_path):
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "nowhere.pem")
    with pytest.raises(ImproperlyConfigured, match="nowhere.pem"):
        signing.sign(factories.certificate())
    assert not (tmp_path / "nowhere.pem").exists()


def test_signing_key_file_that_is_not_a_key_is_an_error(settings, tmp_path):
    (tmp_path / "junk.pem").write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n")
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "junk.pem")
    with pytest.raises(ImproperlyConfigured, match="junk.pem"):
        signing.sign(factories.certificate())


def test_signing_in_production_without_a_key_is_improperly_configured(settings):
    settings.PRODUCTION = True
    certificate = factories.certificate()
    with pytest.raises(ImproperlyConfigured, match="CERTIFICATE_SIGNING_KEY_FILE"):
        signing.sign(certificate)
    with pytest.raises(ImproperlyConfigured):
        signing.verify_signature(certificate, "abcdef12." + "A" * 86)
    assert not settings.CERTIFICATE_SIGNING_DEV_KEY_FILE.exists()


def test_signing_deploy_check_reports_a_missing_key_in_production(settings):
    settings.PRODUCTION = True
    errors = signing_keys.check_signing_key()
    assert [e.id for e in errors] == ["certification.E101"]
    assert "generate_signing_key" in errors[0].msg


def test_signing_deploy_check_warns_about_a_key_others_can_read(settings, tmp_path):
    settings.PRODUCTION = True
    path = tmp_path / "rops.pem"
    signing_keys.write_new_private_key(path)
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(path)
    assert signing_keys.check_signing_key() == []
    os.chmod(path, 0o644)
    assert [w.id for w in signing_keys.check_signing_key()] == ["certification.W102"]


def test_signing_deploy_check_is_silent_in_development():
    assert signing_keys.check_signing_key() == []


def test_generate_signing_key_command_writes_a_private_key_once(tmp_path, capsys):
    path = tmp_path / "keys" / "rops.pem"
    call_command("generate_signing_key", out=str(path))
    output = capsys.readouterr().out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert signing_keys.key_id_of(key.public_key()) in output
    assert "BEGIN PUBLIC KEY" in output and "PRIVATE" not in output
    content = path.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_signing_key", out=str(path))
    assert path.read_bytes() == content


def test_signing_rotation_keeps_old_signatures_valid_with_the_previous_public_key(
    settings, tmp_path
):
    certificate = factories.certificate()
    old_key = signing_keys.write_new_private_key(tmp_path / "2026.pem")
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "2026.pem")
    old_token = signing.sign(certificate)

    new_key = signing_keys.write_new_private_key(tmp_path / "2027.pem")
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "2027.pem")
    new_id = signing_keys.key_id_of(new_key.public_key())
    assert signing.sign(certificate).startswith(new_id + ".")
    # Until the old public key is listed, what it signed no longer checks out.
    assert signing.verify_signature(certificate, old_token).status == "invalid"

    public = write_public_pem(tmp_path / "2026.pub.pem", old_key)
    settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES = [str(public)]
    check = signing.verify_signature(certificate, old_token)
    assert (check.status, check.key_id) == ("valid", signing_keys.key_id_of(old_key.public_key()))
    assert [(k.key_id, k.current) for k in signing_keys.public_keys()] == [
        (new_id, True),
        (check.key_id, False),
    ]
