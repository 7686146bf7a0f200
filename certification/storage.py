"""Where uploaded files live: local files by default, an S3 bucket when configured.

The rest of the code only sees Django's storage API, so both take the same path. This module
is imported by the settings, so it must not import models or the domain.
"""

import datetime
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)

# What a storage raises when it cannot store or read: S3 unreachable, timing out, refusing the
# request, a missing bucket; a full or unwritable disk for local files.
STORAGE_ERRORS = (BotoCoreError, ClientError, OSError)

# Under this size boto3 sends one PUT, which S3 applies whole or not at all: a failed upload
# leaves no partial object. Far above the per-document limit.
SINGLE_PUT_LIMIT = 64 * 1024 * 1024


class StorageFailure(Exception):
    """The storage did not take the file; nothing of it is left behind that we know of."""


def s3_options(
    *,
    bucket: str,
    endpoint_url: str | None,
    access_key: str | None,
    secret_key: str | None,
    region: str = "us-east-1",
    url_expire: int = 60,
    connect_timeout: float = 3,
    read_timeout: float = 5,
    max_attempts: int = 2,
) -> dict:
    """OPTIONS for storages.backends.s3.S3Storage, private by default.

    The timeouts keep a request for a dead or stuck server (with its retries) well under an
    app server's worker timeout (30 s by default in gunicorn), so the user gets our message
    rather than a gateway error: at worst an upload waits 2 x 5 s for the PUT and as long for
    the DELETE that cleans up after it.
    """
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,  # None: AWS itself
        "access_key": access_key or None,  # None: boto3's own chain (instance role, ~/.aws)
        "secret_key": secret_key or None,
        "region_name": region,
        # Objects get no ACL: they inherit the private bucket's. URLs, if ever made, are signed
        # and short-lived; names are never reused, so nothing is silently overwritten.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": url_expire,
        "file_overwrite": False,
        # A document being served is buffered in memory up to this size, then on disk.
        "max_memory_size": 2_621_440,
        # A client config replaces django-storages' own, so addressing and signature go here.
        "client_config": Config(
            s3={"addressing_style": "path"},
            signature_version="s3v4",
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"mode": "standard", "total_max_attempts": max_attempts},
        ),
        "transfer_config": TransferConfig(multipart_threshold=SINGLE_PUT_LIMIT, use_threads=False),
    }


def store(field_file: "FieldFile", filename: str, content) -> None:
    """Save `content` under a fresh name made from `filename`, without saving the model.

    Raises StorageFailure when the storage is down, too slow or refuses the file.
    """
    storage, field = field_file.storage, field_file.field
    name = None
    try:
        # Chosen before the upload, so that when the upload fails half-way (a timeout after the
        # server took the bytes) this very object, and nothing else, can be removed again.
        name = storage.get_available_name(
            field.generate_filename(field_file.instance, filename), max_length=field.max_length
        )
        field_file.name = storage.save(name, content, max_length=field.max_length)
    except STORAGE_ERRORS as error:
        logger.error("Storing %s failed: %r", name, error)
        field_file.name = None
        discard(storage, name)
        raise StorageFailure(str(error)) from error
    # As FieldFile.save marks it: the model's save must not upload the file again.
    field_file._committed = True


def discard(storage, name: str | None) -> None:
    """Delete a stored file if it is there; a failure is logged, never raised over another."""
    if not name:
        return
    try:
        storage.delete(name)
    except STORAGE_ERRORS:
        logger.warning(
            "Could not delete %s from storage; manage.py reconcile_storage removes it later.", name
        )


@dataclass(frozen=True)
class StoredObject:
    name: str  # as a FileField keeps it: relative to the storage's root or S3 location
    modified: datetime.datetime  # aware


def stored_objects(storage) -> Iterator[StoredObject]:
    """Every file in the storage, with when it was last written.

    S3 is listed a page (up to 1,000 keys) at a time, each key with its LastModified: no
    request per object. Local files are walked under MEDIA_ROOT; symbolic links to directories
    are not followed, so the walk ends.
    """
    if isinstance(storage, S3Storage):
        yield from _s3_objects(storage)
    elif isinstance(storage, FileSystemStorage):
        yield from _local_files(storage)
    else:
        raise TypeError(f"Cannot list a {type(storage).__name__}.")


def _s3_objects(storage: S3Storage) -> Iterator[StoredObject]:
    location = storage.location.strip("/")
    prefix = f"{location}/" if location else ""
    pages = storage.connection.meta.client.get_paginator("list_objects_v2").paginate(
        Bucket=storage.bucket_name, Prefix=prefix
    )
    for page in pages:
        for entry in page.get("Contents", []):
            if not entry["Key"].endswith("/"):  # a "folder" some S3 consoles create
                yield StoredObject(entry["Key"][len(prefix) :], entry["LastModified"])


def _local_files(storage: FileSystemStorage) -> Iterator[StoredObject]:
    root = storage.path("")
    for directory, _subdirectories, files in os.walk(root):
        for filename in files:
            path = os.path.join(directory, filename)
            try:
                mtime = os.stat(path).st_mtime
            except FileNotFoundError:  # deleted since the directory was read
                continue
            yield StoredObject(
                os.path.relpath(path, root).replace(os.sep, "/"),
                datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC),
            )
