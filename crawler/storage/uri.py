"""`open_store`: turn a store URI (`file://PATH`, a plain path, `s3://BUCKET[/PREFIX]`) into a Store.

Reads NEWSCRAWL_STORE when no URI is given; the default is `file://./newscrawl-data`.
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote, urlsplit

from crawler.storage.base import Store
from crawler.storage.errors import StorageError
from crawler.storage.keys import validate_prefix
from crawler.storage.local import FileStore

ENV_VAR = "NEWSCRAWL_STORE"
DEFAULT_URI = "file://./newscrawl-data"
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


def resolve_uri(uri: str | None) -> str:
    return uri or os.environ.get(ENV_VAR) or DEFAULT_URI


def open_store(uri: str | None = None) -> Store:
    """Open the store `uri` names (None: $NEWSCRAWL_STORE, else ./newscrawl-data)."""
    uri = resolve_uri(uri)
    if "://" not in uri:
        return FileStore(uri)
    scheme = uri.split("://", 1)[0].lower()
    if scheme == "file":
        # file://./x and file://relative/x are relative paths; file:///abs is absolute.
        path = unquote(uri[len("file://") :])
        if not path:
            raise StorageError(
                f"store URI {uri!r} has no path; use file://PATH, e.g. file://./newscrawl-data"
            )
        return FileStore(path)
    if scheme == "s3":
        parts = urlsplit(uri)
        bucket, prefix = parts.netloc, parts.path.strip("/")
        if not _BUCKET.fullmatch(bucket):
            raise StorageError(f"store URI {uri!r} has no valid bucket name; use s3://BUCKET[/PREFIX]")
        if parts.query or parts.fragment:
            raise StorageError(f"store URI {uri!r} has a query or fragment; use s3://BUCKET[/PREFIX]")
        if prefix:
            try:
                validate_prefix(prefix)
            except StorageError as error:
                raise StorageError(f"store URI {uri!r} has an unusable prefix: {error}") from error
        # Imported here: boto3 takes a quarter of a second to import, which file:// runs never need.
        from crawler.storage.s3 import S3Store

        return S3Store(bucket, prefix)
    raise StorageError(
        f"store URI {uri!r} has unknown scheme {scheme!r}; use file://PATH or s3://BUCKET[/PREFIX]"
    )
