"""Where files live: one interface, a local directory or an S3-compatible object store.

Every file the app writes or serves — bid attachments and appeal evidence (``bids/…``), progress
photos (``photos/…``), credit exports (``exports/…``) and roster uploads (``imports/…``) — is saved,
read, served and deleted here by its key, never by a path. One machine keeps them under
``UPLOAD_DIR``; several web nodes share an object store named by ``STORAGE_URL=s3://bucket/prefix``
(credentials, region and endpoint come from the usual ``AWS_*`` variables, which boto3 reads).

Files are served through the app after the caller's permission check, never from a public or
presigned URL: the response carries the same name, type and cache headers on either backend, and the
object store need not be reachable from the browsers at all.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import Response, current_app

from .downloads import send_download

COPY_CHUNK = 1024 * 1024


def _checked(key: str) -> str:
    parts = PurePosixPath(key).parts
    if not parts or key.startswith("/") or ".." in parts:
        raise ValueError(f"not a storage key: {key!r}")
    return key


class LocalStorage:
    """Files under one directory: the default, for a single machine."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / _checked(key)

    def save(self, key: str, data: bytes | BinaryIO) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            with open(path, "wb") as out:
                shutil.copyfileobj(data, out, COPY_CHUNK)

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    @contextmanager
    def writer(self, key: str) -> Iterator[BinaryIO]:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            yield out

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        yield self.path(key)

    def send(self, key: str, **download) -> Response:
        return send_download(self.path(key), **download)


class S3Storage:
    """Objects in one bucket under a prefix, shared by every web node and worker."""

    def __init__(self, bucket: str, prefix: str = ""):
        # boto3 takes a quarter of a second to import: only deployments with an object store pay it.
        import boto3

        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client = boto3.client("s3")

    def name(self, key: str) -> str:
        return f"{self.prefix}/{_checked(key)}" if self.prefix else _checked(key)

    def save(self, key: str, data: bytes | BinaryIO) -> None:
        if isinstance(data, bytes):
            self.client.put_object(Bucket=self.bucket, Key=self.name(key), Body=data)
        else:
            self.client.upload_fileobj(data, self.bucket, self.name(key))

    def open(self, key: str) -> BinaryIO:
        return self.client.get_object(Bucket=self.bucket, Key=self.name(key))["Body"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.name(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError  # comes with boto3, imported in __init__

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.name(key))
        except ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    @contextmanager
    def writer(self, key: str) -> Iterator[BinaryIO]:
        # Written to a temporary file and uploaded once complete (in parts when large), so a long
        # export keeps neither the whole file in memory nor a half-written object in the bucket.
        with tempfile.TemporaryFile() as spool:
            yield spool
            spool.seek(0)
            self.client.upload_fileobj(spool, self.bucket, self.name(key))

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="jiebang-") as folder:
            path = Path(folder) / PurePosixPath(key).name
            self.client.download_file(self.bucket, self.name(key), str(path))
            yield path

    def send(self, key: str, **download) -> Response:
        stored = self.client.get_object(Bucket=self.bucket, Key=self.name(key))
        response = send_download(stored["Body"], **download)
        response.content_length = stored["ContentLength"]
        return response


def from_url(url: str | None, upload_dir: str) -> LocalStorage | S3Storage:
    """The backend ``STORAGE_URL`` names: ``s3://bucket/prefix``, or unset for ``UPLOAD_DIR``."""
    if not url:
        return LocalStorage(upload_dir)
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"STORAGE_URL must look like s3://bucket/prefix, not {url!r}")
    return S3Storage(parts.netloc, parts.path)


def backend() -> LocalStorage | S3Storage:
    """The app's backend, built once per configuration (a boto3 client is costly to make)."""
    config = current_app.config
    wanted = (config.get("STORAGE_URL"), config["UPLOAD_DIR"])
    built = current_app.extensions.get("storage")
    if built is None or built[0] != wanted:
        built = (wanted, from_url(*wanted))
        current_app.extensions["storage"] = built
    return built[1]


def save(key: str, data: bytes | BinaryIO) -> None:
    """Store ``data`` (bytes or a binary file object) under ``key``, replacing what was there."""
    backend().save(key, data)


def open_stream(key: str) -> BinaryIO:
    """A readable binary stream of the stored file; the caller closes it."""
    return backend().open(key)


def delete(key: str) -> None:
    """Remove the stored file; a key already gone is no error."""
    backend().delete(key)


def exists(key: str) -> bool:
    return backend().exists(key)


def writer(key: str):
    """A context manager giving a binary file to write ``key`` in chunks; stored when it closes."""
    return backend().writer(key)


def local_copy(key: str):
    """A context manager giving a local path to the stored file, for readers that need one."""
    return backend().local_copy(key)


def send(key: str, **download) -> Response:
    """The stored file as a download, after the caller's permission check; ``download`` are
    :func:`~marketplace.downloads.send_download`'s arguments (``name``, ``fallback``, ``mimetype``…)."""
    return backend().send(key, **download)
