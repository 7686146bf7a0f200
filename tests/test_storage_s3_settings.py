"""Which storage the settings choose from the environment (no S3 server needed)."""

import importlib
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

import config.settings

S3_VARIABLES = [
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "S3_URL_EXPIRE",
]


@pytest.fixture
def settings_from(monkeypatch):
    """The settings module as it reads a given environment; restored afterwards."""

    def load(**environment):
        for name in S3_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(config.settings)

    yield load
    monkeypatch.undo()
    importlib.reload(config.settings)


def default_storage_of(module):
    default = module.STORAGES["default"]
    backend = {
        "storages.backends.s3.S3Storage": S3Storage,
        "django.core.files.storage.FileSystemStorage": FileSystemStorage,
    }[default["BACKEND"]]
    return backend(**default.get("OPTIONS", {}))


def test_without_s3_bucket_files_stay_local(settings_from):
    storage = default_storage_of(settings_from())
    assert isinstance(storage, FileSystemStorage)


def test_s3_bucket_switches_to_private_s3_storage(settings_from):
    storage = default_storage_of(
        settings_from(
            S3_BUCKET="zakup-dokumenty",
            S3_ENDPOINT_URL="http://s3.example.internal:7480",
            S3_ACCESS_KEY_ID="AKIAEXAMPLE",
            S3_SECRET_ACCESS_KEY="example-secret",
        )
    )
    assert isinstance(storage, S3Storage)
    assert storage.bucket_name == "zakup-dokumenty"
    assert storage.endpoint_url == "http://s3.example.internal:7480"
    assert storage.region_name == "us-east-1"
    assert storage.default_acl is None
    assert storage.file_overwrite is False
    assert storage.querystring_auth is True
    assert storage.client_config.s3 == {"addressing_style": "path"}
    assert storage.client_config.signature_version == "s3v4"
    # Any URL the storage makes is signed, short-lived and path-style on the endpoint's host.
    url = storage.url("applications/1/abc.pdf")
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == (
        "s3.example.internal:7480",
        "/zakup-dokumenty/applications/1/abc.pdf",
    )
    query = dict(parse_qsl(parts.query))
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Expires"] == "60"
    assert query["X-Amz-Credential"].startswith("AKIAEXAMPLE/")


def test_region_and_url_life_come_from_the_environment(settings_from):
    storage = default_storage_of(
        settings_from(S3_BUCKET="b", S3_REGION="eu-central-1", S3_URL_EXPIRE="30")
    )
    assert storage.region_name == "eu-central-1"
    assert storage.querystring_expire == 30
    assert storage.endpoint_url is None  # AWS itself
