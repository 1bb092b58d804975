"""`open_store`: turn a store URI (`file://PATH`, a plain path, `s3://BUCKET[/PREFIX]`) into a Store.

Reads NEWSCRAWL_STORE when no URI is given; the default is `file://./newscrawl-data`. A local path
the filesystem cannot hold, or one a writer cannot write, fails here rather than at the run's commit.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from crawler.storage.base import Store
from crawler.storage.errors import StorageError
from crawler.storage.keys import validate_prefix
from crawler.storage.local import FileStore

ENV_VAR = "NEWSCRAWL_STORE"
DEFAULT_URI = "file://./newscrawl-data"
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
# Linux's NAME_MAX and PATH_MAX, which ext4, xfs, btrfs and tmpfs share.
_NAME_MAX = 255
_PATH_MAX = 4096


def resolve_uri(uri: str | None) -> str:
    return uri or os.environ.get(ENV_VAR) or DEFAULT_URI


def open_store(uri: str | None = None, *, write: bool = False, missing_ok: bool = True) -> Store:
    """Open the store `uri` names (None: $NEWSCRAWL_STORE, else ./newscrawl-data). With `write`, a
    local store must be creatable and writable by this user. Without `missing_ok`, a local store
    must already exist: a mistyped path would otherwise read as an empty store. (An s3:// bucket
    must always exist; a prefix holding nothing is an empty store, as S3 has no directories.)"""
    if uri is not None and not uri.strip():
        raise StorageError("the store URI is empty; use file://PATH or s3://BUCKET[/PREFIX]")
    uri = resolve_uri(uri)
    if "://" not in uri:
        return FileStore(check_local_path(uri, write, missing_ok=missing_ok))
    scheme = uri.split("://", 1)[0].lower()
    if scheme == "file":
        # file://./x and file://relative/x are relative paths; file:///abs is absolute.
        path = unquote(uri[len("file://") :])
        if not path:
            raise StorageError(
                f"store URI {uri!r} has no path; use file://PATH, e.g. file://./newscrawl-data"
            )
        return FileStore(check_local_path(path, write, missing_ok=missing_ok))
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


def check_local_path(path: str, write: bool, what: str = "store", *, missing_ok: bool = True) -> str:
    """`path` if a local store (or another directory Scrapy makes, `what`) can live there: no NUL, names the
    filesystem can hold, no file in the way, (without `missing_ok`) a directory that exists, and (with
    `write`) a directory this user may write to; StorageError naming the problem."""
    if "\0" in path:
        raise StorageError(f"{what} path {path!r} contains a NUL byte (%00); remove it")
    try:
        root = Path(path).expanduser().absolute()
    except RuntimeError:  # `~name` of a user this system does not have, or no home directory at all
        raise StorageError(
            f"{what} path {path!r}: cannot expand {path.split('/')[0]!r} (no such user or home directory); "
            "write the path out"
        ) from None
    too_long = [part for part in root.parts if len(os.fsencode(part)) > _NAME_MAX]
    if too_long:
        raise StorageError(
            f"{what} path {str(root)[:60]!r}... has a {len(os.fsencode(too_long[0]))}-byte name; "
            f"names are at most {_NAME_MAX} bytes, pick a shorter path"
        )
    if len(os.fsencode(str(root))) > _PATH_MAX - _NAME_MAX:  # room left for the keys beneath it
        raise StorageError(f"{what} path {str(root)[:60]!r}... is too long; pick a shorter path")
    existing, mode = _nearest_existing(root, what)
    if not stat.S_ISDIR(mode):
        where = "is a file" if existing == root else f"is under {existing}, which is a file"
        raise StorageError(f"{what} path {root} {where}; point the {what} at a directory")
    if not missing_ok and existing != root:
        raise StorageError(
            f"{what} path {root} does not exist; fix the path (only a crawl or fetch --store creates a {what})"
        )
    if not missing_ok and not os.access(root, os.R_OK | os.X_OK):
        raise StorageError(f"{what} path {root} is not readable by this user; fix its permissions")
    if write and not os.access(existing, os.W_OK | os.X_OK):
        raise StorageError(
            f"{what} path {root} is not writable ({existing} does not let this user create files); "
            "fix its permissions or pick another path"
        )
    return str(root)


def _nearest_existing(path: Path, what: str) -> tuple[Path, int]:
    """The deepest existing ancestor of `path` (or itself), with its st_mode."""
    for candidate in (path, *path.parents):
        try:
            return candidate, os.stat(candidate).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as error:
            raise StorageError(f"{what} path {path}: cannot look at {candidate} ({error.strerror})") from None
    raise StorageError(f"{what} path {path}: no part of it exists")  # "/" always does; unreachable
