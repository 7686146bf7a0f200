import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps

# The data migration that seeds document types, criteria and the scheme-rules row.
_default_configuration = importlib.import_module(
    "certification.migrations.0002_default_configuration"
)
# The criteria that migration 0013 scores per item.
_item_scopes = importlib.import_module("certification.migrations.0013_scoring_item_scopes")
# The English wording of those defaults.
_translations = importlib.import_module("certification.migrations.0023_translated_configuration")
# The data migration that seeds the decision letters' texts.
_letter_texts = importlib.import_module("certification.migrations.0015_letters_default_texts")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )


_FLUSHED_AFTER = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def _default_configuration_after_flush(request):
    """Give transactional tests the seeded configuration the other tests get from migrations.

    A transactional test ends by flushing every table, so the next one would start without
    document types or criteria. serialized_rollback cannot restore them reliably: its content
    types collide with those the flush re-creates.
    """
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        request.node.stash[_FLUSHED_AFTER] = True
        _seed_criteria_version_one()
        _seed_document_types_and_rules()
        _translations.fill_english(apps, None)
        _letter_texts.seed(apps, None)


def _seed_document_types_and_rules() -> None:
    """Migration 0002's document types and rules row, written to today's (Polish) columns."""
    from certification.models import DocumentType, SchemeRules

    for position, (code, name, help_text, required, per_item, min_count) in enumerate(
        _default_configuration.DOCUMENT_TYPES
    ):
        DocumentType.objects.get_or_create(
            code=code,
            defaults={
                "name_pl": name,
                "help_text_pl": help_text,
                "required": required,
                "per_item": per_item,
                "min_count": min_count,
                "position": position,
            },
        )
    SchemeRules.objects.get_or_create(pk=1)


def _seed_criteria_version_one() -> None:
    """Migration 0002's criteria as version 1 (migration 0011), which 0002 cannot make itself,
    with the scopes of migration 0013."""
    from django.utils import timezone

    from certification.models import CriteriaVersion, Criterion

    if Criterion.objects.exists():
        return  # not flushed yet: the migrations' own
    version = CriteriaVersion.objects.create(number=1, in_force_from=timezone.now())
    for position, (name, max_points, weight, minimum) in enumerate(_default_configuration.CRITERIA):
        Criterion.objects.create(
            version=version,
            name_pl=name,
            scope="item" if name in _item_scopes.ITEM_SCOPED else "organization",
            max_points=max_points,
            weight=weight,
            minimum_average=minimum,
            position=position,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Lift the append-only triggers for the flush that ends a transactional test, and only then.

    The flush empties every table (TRUNCATE on PostgreSQL, DELETE on SQLite), which the
    audit log's and the status history's triggers refuse, as they must refuse the app. The
    triggers have no way around them: the test database's owner takes them off by DDL
    (certification.db_guards.lifted) after the test body and puts them back once pytest-django's
    flush has run, so every test, transactional or not, starts with them in place.
    """
    if not item.stash.get(_FLUSHED_AFTER, False):
        return (yield)
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    from certification.db_guards import lifted

    blocker = item.config.stash[blocking_manager_key]
    guards_off = lifted(connection)
    with blocker.unblock():
        guards_off.__enter__()
    try:
        return (yield)
    finally:
        # After the last test the test database is gone with the session's fixtures: the
        # connection points at the real database again, which must not be touched.
        if nextitem is not None:
            with blocker.unblock():
                guards_off.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    # allauth's rate limits (logins, sign-ups, resets) count in the cache: one test's
    # logins must not throttle the next test's.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing test users' passwords properly costs ~0.3 s each; nothing here tests the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(client):
    """Pages in English for the test's `client`, so assertions read the msgids.

    Modules of anonymous-visitor pages take it with pytest.mark.usefixtures("english").
    """
    from django.conf import settings as django_settings

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def draft(client):
    """An applicant's incomplete draft application, with `client` logged in as the applicant."""
    from tests import factories
    from tests.web import login

    user = factories.applicant()
    application = factories.draft_application(user=user, complete=False)
    login(client, user)
    return application


@pytest.fixture
def signing_key_in_tmp(settings, tmp_path):
    """Certificates signed with a development key made in this test's own directory.

    No configured production key and no previous keys: only the key made here is known.
    """
    settings.CERTIFICATE_SIGNING_KEY_FILE = ""
    settings.CERTIFICATE_SIGNING_DEV_KEY_FILE = tmp_path / "keys" / "dev.pem"
    settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES = []
    return settings.CERTIFICATE_SIGNING_DEV_KEY_FILE


@pytest.fixture
def four():
    """One certificate in each public status, with one item each."""
    import datetime

    from django.utils import timezone

    from tests import factories

    today = timezone.localdate()
    return {
        "valid": factories.certificate(items=("Pierogi ruskie",)),
        "expired": factories.certificate(
            items=("Sprzątanie biur",),
            issued_on=today - datetime.timedelta(days=400),
            valid_until=today - datetime.timedelta(days=35),
        ),
        "suspended": factories.certificate(items=("Szycie toreb",), status="suspended"),
        "revoked": factories.certificate(items=("Usługi ogrodnicze",), status="revoked"),
    }


# --- S3: the throwaway radosgw of scripts/s3/start (README "Documents on S3") -------------------

_S3_TEST_ENV = Path(__file__).resolve().parent.parent / "scripts" / "s3" / "test.env"


def _s3_test_settings() -> dict[str, str]:
    """The server's address and fixed test credentials; the environment may override them."""
    values = {}
    for line in _S3_TEST_ENV.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.startswith("#"):
            values[key.strip()] = os.environ.get(key.strip(), value.strip())
    return values


S3_TEST = _s3_test_settings()


def s3_test_options(**overrides) -> dict:
    """S3Storage OPTIONS as the settings build them, pointed at the test server."""
    from certification.storage import s3_options

    location = overrides.pop("location", "")
    options = {
        "bucket": S3_TEST["S3_TEST_BUCKET"],
        "endpoint_url": S3_TEST["S3_TEST_ENDPOINT_URL"],
        "access_key": S3_TEST["S3_TEST_ACCESS_KEY_ID"],
        "secret_key": S3_TEST["S3_TEST_SECRET_ACCESS_KEY"],
        "region": S3_TEST["S3_TEST_REGION"],
    }
    options.update(overrides)
    return {**s3_options(**options), "location": location}


_s3_clients: dict[tuple, object] = {}


def _s3_client(options: dict):
    """A client for checks and listings; cached, as making one costs ~0.2 s."""
    import boto3
    from botocore.config import Config

    key = (options["endpoint_url"], options["access_key"], options["secret_key"])
    if key in _s3_clients:
        return _s3_clients[key]
    quick = Config(connect_timeout=1, read_timeout=5, retries={"total_max_attempts": 1})
    _s3_clients[key] = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
        config=options["client_config"].merge(quick),
    )
    return _s3_clients[key]


def _s3_bucket_ready(options: dict) -> str:
    """'' when the bucket answers (made if missing), else why not."""
    from botocore.exceptions import BotoCoreError, ClientError

    client, bucket = _s3_client(options), options["bucket_name"]
    try:
        try:
            client.head_bucket(Bucket=bucket)
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] != 404:
                raise
            client.create_bucket(Bucket=bucket)
    except (BotoCoreError, ClientError) as error:
        return (
            f"S3 server at {options['endpoint_url']} not usable ({error}); "
            "start it with `make s3-up` (scripts/s3/start)"
        )
    return ""


@pytest.fixture(scope="session")
def _s3_server() -> str:
    return _s3_bucket_ready(s3_test_options())


@pytest.fixture(scope="session", autouse=True)
def _s3_media_for_whole_suite():
    """With S3_BUCKET set, every test stores its files in that bucket: check it answers first."""
    from django.conf import settings as django_settings

    default = django_settings.STORAGES["default"]
    if default["BACKEND"] == "storages.backends.s3.S3Storage":
        reason = _s3_bucket_ready(default["OPTIONS"])
        if reason:
            pytest.exit(f"S3_BUCKET is set but {reason}", returncode=1)


@pytest.fixture(autouse=True)
def _s3_marker(request):
    """Tests marked s3 skip when the server is unreachable; with S3_REQUIRED=1 they fail."""
    if request.node.get_closest_marker("s3") is None:
        return
    reason = request.getfixturevalue("_s3_server")
    if reason:
        if os.environ.get("S3_REQUIRED") == "1":
            pytest.fail(f"S3_REQUIRED=1: {reason}", pytrace=False)
        pytest.skip(reason)


class S3Prefix:
    """A test's own corner of the test bucket, and what is in it."""

    def __init__(self, options: dict):
        self.options = options
        self.bucket = options["bucket_name"]
        self.prefix = options["location"]
        self.client = _s3_client(options)

    def stored(self) -> list[str]:
        found = self.client.list_objects_v2(Bucket=self.bucket, Prefix=f"{self.prefix}/")
        return sorted(entry["Key"] for entry in found.get("Contents", []))

    def clear(self) -> None:
        for key in self.stored():
            self.client.delete_object(Bucket=self.bucket, Key=key)


@pytest.fixture
def s3_media(request, settings):
    """Default storage on the test S3 server, under a prefix of this test's own."""
    import uuid

    if request.node.get_closest_marker("s3") is None:
        pytest.fail("The s3_media fixture is for tests marked s3.", pytrace=False)
    options = s3_test_options(location=f"t-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    corner = S3Prefix(options)
    yield corner
    corner.clear()


@pytest.fixture
def local_media(settings) -> Path:
    """Local files under this test's MEDIA_ROOT, whatever storage the suite runs on."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def media_files(settings):
    """Lists the stored files (local or S3) added since this fixture was set up.

    Works whichever storage the suite runs on; with S3 the test bucket is shared by the whole
    run, so a plain listing would show other tests' files too.
    """

    def listing() -> set[str]:
        default = settings.STORAGES["default"]
        if default["BACKEND"] != "storages.backends.s3.S3Storage":
            root = Path(settings.MEDIA_ROOT)
            return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        options = default["OPTIONS"]
        prefix = f"{options['location']}/" if options.get("location") else ""
        pages = (
            _s3_client(options)
            .get_paginator("list_objects_v2")
            .paginate(Bucket=options["bucket_name"], Prefix=prefix)
        )
        return {e["Key"][len(prefix) :] for page in pages for e in page.get("Contents", [])}

    before = listing()
    return lambda: sorted(listing() - before)
