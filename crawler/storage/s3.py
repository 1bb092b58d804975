"""The `s3://BUCKET[/PREFIX]` backend over boto3 (the client and its calls: `s3client`).

Writes send `If-None-Match: *` when the server honours it (probed once per store), so an
existing object is never replaced; a 412 whose object holds the same sha256 counts as stored,
and a 409 (another conditional write of the key in flight) is written again after a pause.
Objects above `multipart_threshold` go up in parts, completed with the same condition.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from typing import Any

import botocore.exceptions

from crawler.storage.base import Store, sha256_hex
from crawler.storage.errors import ObjectConflict, ObjectNotFound, StorageError, StoreUnavailable
from crawler.storage.keys import PROBE_PREFIX
from crawler.storage.s3client import CLIENT_ERRORS, build_s3_client, checksum_args, put_multipart, status_of

MULTIPART_THRESHOLD = 64 * 1024 * 1024
PART_SIZE = 16 * 1024 * 1024  # S3 wants parts of at least 5 MiB except the last
CONFLICT_WAITS = (0.1, 0.5, 2.0)  # seconds before each rewrite after a 409


class S3Store(Store):
    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        client: Any = None,
        multipart_threshold: int = MULTIPART_THRESHOLD,
        part_size: int = PART_SIZE,
    ) -> None:
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.client = client if client is not None else build_s3_client()
        self.multipart_threshold = multipart_threshold
        self.part_size = part_size
        self._conditional: bool | None = None
        self._checksums = True
        self._check_bucket()

    def describe(self) -> str:
        """The URI and endpoint; after the start-up probe, also whether overwrites are refused."""
        where = (
            f"s3://{self.bucket}/{self.prefix.rstrip('/')}".rstrip("/")
            + f" at {self.client.meta.endpoint_url}"
        )
        if self._conditional is None:
            return where
        if self._conditional:
            return f"{where} (conditional writes: on)"
        return f"{where} (conditional writes: OFF: the server ignores If-None-Match; overwrites only checked)"

    def _check_bucket(self) -> None:
        where = f"bucket {self.bucket!r} at {self.client.meta.endpoint_url}"
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except botocore.exceptions.NoCredentialsError as error:
            raise StoreUnavailable(
                "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            ) from error
        except botocore.exceptions.ClientError as error:
            status = status_of(error)
            if status == 404:
                raise StoreUnavailable(f"{where} does not exist; create it or fix the store URI") from error
            if status in (401, 403):
                raise StoreUnavailable(
                    f"access to {where} denied ({status}); check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
                ) from error
            raise StoreUnavailable(f"cannot reach {where}: {error}") from error
        except botocore.exceptions.BotoCoreError as error:
            raise StoreUnavailable(f"cannot reach {where}: {error}; check AWS_ENDPOINT_URL") from error

    @property
    def conditional_writes(self) -> bool:
        if self._conditional is None:
            self._conditional = self._probe()
        return self._conditional

    def _probe(self) -> bool:
        """Write a fresh probe object, then again with If-None-Match: *: a server that honours the
        condition answers 412. The first write also tells whether sha256 checksums are accepted."""
        key = f"{self.prefix}{PROBE_PREFIX}{uuid.uuid4().hex}"
        try:
            try:
                self.client.put_object(Bucket=self.bucket, Key=key, Body=b"1", **checksum_args(b"1"))
            except botocore.exceptions.ClientError as error:
                if status_of(error) not in (400, 501):
                    raise
                self._checksums = False  # an older S3-compatible server: send plain puts
                self.client.put_object(Bucket=self.bucket, Key=key, Body=b"1")
            try:
                self.client.put_object(Bucket=self.bucket, Key=key, Body=b"2", IfNoneMatch="*")
            except botocore.exceptions.ClientError as error:
                if status_of(error) in (400, 501):
                    return False  # the server rejects the header outright
                if status_of(error) != 412:
                    raise
                return True
            return False
        except CLIENT_ERRORS as error:
            raise StorageError(
                f"cannot write to {self.describe()}: {error}; check write permissions"
            ) from error
        finally:
            # A stray probe object is harmless: listings skip the probe prefix.
            with contextlib.suppress(*CLIENT_ERRORS):
                self.client.delete_object(Bucket=self.bucket, Key=key)

    def _put(self, key: str, data: bytes, sha256: str) -> bool:
        full = self.prefix + key
        conditional = self.conditional_writes
        if not conditional and self._head_sha256(full) is not None:
            # Best effort only: without server support two writers can still race here.
            return self._same_as_existing(full, sha256)
        try:
            self._send(full, data, sha256, conditional)
        except botocore.exceptions.ClientError as error:
            if status_of(error) == 412:
                return self._same_as_existing(full, sha256)
            if self._stored_already(full, sha256):
                return False  # e.g. a multipart completion whose answer was lost: its retry finds no upload
            raise StorageError(f"cannot write {full!r} to {self.describe()}: {error}") from error
        except botocore.exceptions.BotoCoreError as error:
            raise StorageError(f"cannot write {full!r} to {self.describe()}: {error}") from error
        return True

    def _send(self, full: str, data: bytes, sha256: str, conditional: bool) -> None:
        """Write once; on a 409, wait and write again. AWS answers 409 ConditionalRequestConflict
        while another conditional write of the key is in flight (a run claiming the same manifest
        number, or our own timed-out attempt still being processed) and asks for a retry, which
        botocore does not make. The retry then stores the object or meets it with a 412."""
        for wait in CONFLICT_WAITS:
            try:
                self._send_once(full, data, sha256, conditional)
                return
            except botocore.exceptions.ClientError as error:
                if status_of(error) != 409:
                    raise
            time.sleep(wait)
        self._send_once(full, data, sha256, conditional)

    def _send_once(self, full: str, data: bytes, sha256: str, conditional: bool) -> None:
        if len(data) > self.multipart_threshold:
            put_multipart(
                self.client, self.bucket, full, data, sha256, self.part_size, conditional, self._checksums
            )
            return
        extra = {"IfNoneMatch": "*"} if conditional else {}
        if self._checksums:
            extra.update(checksum_args(data))
        self.client.put_object(Bucket=self.bucket, Key=full, Body=data, Metadata={"sha256": sha256}, **extra)

    def _head_sha256(self, full: str) -> str | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=full)
        except CLIENT_ERRORS as error:
            if status_of(error) == 404:
                return None
            raise StorageError(f"cannot read {full!r} from {self.describe()}: {error}") from error
        recorded = head.get("Metadata", {}).get("sha256")
        return recorded if recorded else sha256_hex(self._get_full(full))

    def _stored_already(self, full: str, sha256: str) -> bool:
        with contextlib.suppress(StorageError, *CLIENT_ERRORS):
            return self._head_sha256(full) == sha256
        return False

    def _same_as_existing(self, full: str, sha256: str) -> bool:
        if self._head_sha256(full) == sha256:
            return False
        raise ObjectConflict(
            f"s3://{self.bucket}/{full} already exists with different content; keys are write-once"
        )

    def _get(self, key: str) -> bytes:
        return self._get_full(self.prefix + key)

    def _get_full(self, full: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=full)
            # The body streams after the call returned, outside botocore's retries: a connection
            # reset here is a BotoCoreError (ResponseStreamingError) like an unreachable endpoint.
            with response["Body"] as body:
                data: bytes = body.read()
        except CLIENT_ERRORS as error:
            if status_of(error) == 404:
                raise ObjectNotFound(f"no object {full!r} in s3://{self.bucket}") from error
            raise StorageError(f"cannot read {full!r} from {self.describe()}: {error}") from error
        return data

    def _exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except CLIENT_ERRORS as error:
            if status_of(error) == 404:
                return False
            raise StorageError(f"cannot read {key!r} from {self.describe()}: {error}") from error
        return True

    def _list(self, prefix: str, start_after: str | None) -> list[str]:
        kwargs = {"Bucket": self.bucket, "Prefix": self.prefix + prefix}
        if start_after:
            kwargs["StartAfter"] = self.prefix + start_after
        keys: list[str] = []
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(**kwargs):
                keys.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        except CLIENT_ERRORS as error:
            raise StorageError(f"cannot list {self.describe()}: {error}") from error
        return sorted(key for key in keys if not key.startswith(PROBE_PREFIX))

    def _url(self, key: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}{key}"

    def close(self) -> None:
        self.client.close()
