"""A Redis server of the test's own, where the default user is off (every client must sign in), with
TLS if asked: the shared test Redis lets any client in without a password."""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

ADMIN = "newscrawl-test-admin"


@dataclass(frozen=True)
class PrivateRedis:
    port: int
    admin_password: str
    ca_file: Path | None  # set when the server speaks TLS only

    def url(self, user: str, password: str | None = None) -> str:
        scheme, query = ("rediss", f"?ssl_ca_certs={self.ca_file}") if self.ca_file else ("redis", "")
        credentials = f"{user}:{password}" if password is not None else user
        return f"{scheme}://{credentials}@127.0.0.1:{self.port}/0{query}"

    def admin(self) -> redis.Redis:
        return redis.Redis.from_url(self.url(ADMIN, self.admin_password))


def _certificates(directory: Path) -> list[str]:
    """A throwaway CA and a server certificate for 127.0.0.1; the config lines that use them."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "1", "-subj", "/CN=newscrawl-test-ca")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=127.0.0.1")  # fmt: skip
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "1", "-extfile", "san.ext")  # fmt: skip
    return [
        "tls-cert-file server.pem",
        "tls-key-file server.key",
        "tls-ca-cert-file ca.pem",
        "tls-auth-clients no",
    ]


@contextmanager
def private_redis(directory: Path, tls: bool = False) -> Iterator[PrivateRedis]:
    directory.mkdir(parents=True, exist_ok=True)
    tls_lines = _certificates(directory) if tls else []
    # redis-server binds the port itself; a port another process holds makes it exit, and we try another.
    for _attempt in range(20):
        port = random.randrange(20_000, 60_000)
        server = PrivateRedis(
            port, f"admin-{random.getrandbits(64):x}", directory / "ca.pem" if tls else None
        )
        listen = ["port 0", f"tls-port {port}"] if tls else [f"port {port}"]
        config = [*listen, "bind 127.0.0.1", 'save ""', "appendonly no", f"dir {directory}", *tls_lines,
                  "user default off", f"user {ADMIN} on >{server.admin_password} ~* &* +@all"]  # fmt: skip
        (directory / "redis.conf").write_text("\n".join(config) + "\n")
        process = subprocess.Popen(["redis-server", str(directory / "redis.conf")], cwd=directory,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        if _answers(server, process):
            break
        process.kill()
        process.wait()
    else:
        raise RuntimeError("no free port for a private redis-server after 20 tries")
    try:
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(server: PrivateRedis, process: subprocess.Popen[bytes]) -> bool:
    client = server.admin()
    try:
        for _ in range(100):
            if process.poll() is not None:
                return False
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                time.sleep(0.05)
        return False
    finally:
        client.close()
