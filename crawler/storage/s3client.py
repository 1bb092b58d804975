"""The boto3 side of the S3 backend: the one function that builds the client, and the calls the
store makes through it (a checksummed multipart upload, the status of a failed call)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from typing import Any

import boto3
import botocore.exceptions
from botocore.config import Config

DEFAULT_MAX_ATTEMPTS = 5  # standard-mode backoff: up to 1+2+4+8 s of jittered waits
CLIENT_ERRORS = (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError)


def build_s3_client() -> Any:
    """The only place a boto3 S3 client is built: endpoint, credentials and AWS_MAX_ATTEMPTS come from
    the standard AWS_* variables; path-style addressing and on-demand checksums suit S3-compatible servers."""
    retries: dict[str, Any] = {"mode": "standard"}
    if not os.environ.get("AWS_MAX_ATTEMPTS"):
        # An explicit max_attempts would silence AWS_MAX_ATTEMPTS, the operator's way to ride out
        # longer outages; botocore reads the variable itself when this key is absent.
        retries["max_attempts"] = DEFAULT_MAX_ATTEMPTS
    config = Config(
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries=retries,
        connect_timeout=10,
        read_timeout=60,
    )
    return boto3.session.Session().client("s3", config=config)


def checksum_args(data: bytes) -> dict[str, str]:
    """The SHA-256 checksum argument S3 verifies the body against."""
    return {"ChecksumSHA256": base64.b64encode(hashlib.sha256(data).digest()).decode()}


def status_of(error: Exception) -> int:
    """The HTTP status of a failed call; 0 when it never got an answer."""
    if isinstance(error, botocore.exceptions.ClientError):
        return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    return 0


def put_multipart(
    client: Any,
    bucket: str,
    full: str,
    data: bytes,
    sha256: str,
    part_size: int,
    conditional: bool,
    checksums: bool,
) -> None:
    """Upload `data` in parts of `part_size`, completed with `If-None-Match: *` when `conditional`;
    an upload that fails is aborted."""
    algorithm = {"ChecksumAlgorithm": "SHA256"} if checksums else {}
    upload = client.create_multipart_upload(Bucket=bucket, Key=full, Metadata={"sha256": sha256}, **algorithm)
    upload_id = upload["UploadId"]
    try:
        parts = []
        for number, start in enumerate(range(0, len(data), part_size), start=1):
            chunk = data[start : start + part_size]
            checksum = checksum_args(chunk) if checksums else {}
            response = client.upload_part(
                Bucket=bucket,
                Key=full,
                UploadId=upload_id,
                PartNumber=number,
                Body=chunk,
                **checksum,
            )
            parts.append({"PartNumber": number, "ETag": response["ETag"], **checksum})
        extra = {"IfNoneMatch": "*"} if conditional else {}
        client.complete_multipart_upload(
            Bucket=bucket, Key=full, UploadId=upload_id, MultipartUpload={"Parts": parts}, **extra
        )
    except CLIENT_ERRORS:
        # Parts of an unfinished upload are invisible; aborting only frees their space.
        with contextlib.suppress(*CLIENT_ERRORS):
            client.abort_multipart_upload(Bucket=bucket, Key=full, UploadId=upload_id)
        raise
