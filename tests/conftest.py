import importlib

import pytest
from django.apps import apps

# The data migration that seeds document types, criteria and the scheme-rules row.
_default_configuration = importlib.import_module(
    "certification.migrations.0002_default_configuration"
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _default_configuration_after_flush(request):
    """Give transactional tests the seeded configuration the other tests get from migrations.

    A transactional test ends by flushing every table, so the next one would start without
    document types or criteria. serialized_rollback cannot restore them reliably: its content
    types collide with those the flush re-creates.
    """
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        _default_configuration.seed(apps, None)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing test users' passwords properly costs ~0.3 s each; nothing here tests the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
