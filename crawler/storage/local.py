"""The `file://` backend: the same key layout as S3 under a local directory.

Each write goes to a temporary file under `ROOT/.incoming/`, is fsynced, then hard-linked to its
final name: the link is atomic and fails if the name exists, so readers never see partial objects
and nothing is overwritten (the local equivalent of `If-None-Match: *`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from crawler.storage.base import Store, sha256_hex
from crawler.storage.errors import ObjectConflict, ObjectNotFound, StorageError

_INCOMING = ".incoming"


class FileStore(Store):
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).expanduser().absolute()
        if self.root.exists() and not self.root.is_dir():
            raise StorageError(f"store path {self.root} is a file; point the store at a directory")

    def describe(self) -> str:
        return f"file://{self.root}"

    @property
    def conditional_writes(self) -> bool:
        return True

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*key.split("/"))

    def _put(self, key: str, data: bytes, sha256: str) -> bool:
        target = self._path(key)
        incoming = self.root / _INCOMING
        try:
            incoming.mkdir(parents=True, exist_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(
                f"cannot create directories in {self.root}: {error}; check permissions"
            ) from error
        try:
            fd, tmp = tempfile.mkstemp(dir=incoming, prefix="put-")
        except OSError as error:
            raise _write_error(key, self.root, error) from error
        try:
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as error:
                # ENOSPC, EDQUOT, EIO: the temporary file is removed below, the key never appears.
                raise _write_error(key, self.root, error) from error
            try:
                os.link(tmp, target)
            except FileExistsError:
                return self._same_as_existing(key, target, sha256)
            except OSError as error:
                raise StorageError(
                    f"cannot place {key!r} in {self.root}: {error.strerror}; the store directory must be "
                    "writable and on a filesystem with hard links (use s3:// otherwise)"
                ) from error
        finally:
            os.unlink(tmp)
        return True

    def _same_as_existing(self, key: str, target: Path, sha256: str) -> bool:
        if sha256_hex(target.read_bytes()) == sha256:
            return False
        raise ObjectConflict(
            f"{self.describe()}/{key} already exists with different content; keys are write-once"
        )

    def _get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as error:
            raise ObjectNotFound(f"no object {key!r} in {self.describe()}") from error
        except OSError as error:
            raise _read_error(error) from error

    def _exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except OSError as error:
            raise _read_error(error) from error

    def _list(self, prefix: str, start_after: str | None) -> list[str]:
        # Walk only the directory the prefix names, so listing a partition stays cheap.
        base_dir = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        start = self._path(base_dir) if base_dir else self.root
        try:
            if not start.is_dir():
                return []
            return self._walk(start, prefix, start_after)
        except OSError as error:
            raise _read_error(error) from error

    def _walk(self, start: Path, prefix: str, start_after: str | None) -> list[str]:
        keys = []
        # os.walk skips a directory it cannot read unless told otherwise: a listing with holes would
        # read as a store without those runs.
        for dirpath, dirnames, filenames in os.walk(start, onerror=_raise):
            dirnames[:] = [name for name in dirnames if not name.startswith(".")]
            for name in filenames:
                key = Path(dirpath, name).relative_to(self.root).as_posix()
                if key.startswith(prefix) and (start_after is None or key > start_after):
                    keys.append(key)
        return sorted(keys)

    def _url(self, key: str) -> str:
        return str(self._path(key))


def _raise(error: OSError) -> None:
    raise error


def _read_error(error: OSError) -> StorageError:
    where = f" {error.filename}" if error.filename else ""
    return StorageError(f"cannot read{where}: {error.strerror or error}; fix its permissions")


def _write_error(key: str, root: Path, error: OSError) -> StorageError:
    return StorageError(
        f"cannot write {key!r} under {root}: {error.strerror or error}; free space on that filesystem "
        "(or fix its permissions), or point --store elsewhere"
    )
