"""A private redis-server for fault tests (never the shared 127.0.0.1:6379), restartable in place.

Runs with `--appendonly yes` in its own directory, as an operator would: a restart keeps the queue.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis


def _free_port() -> int:
    # redis-server takes a port number, not a socket; a clash makes start() pick another port.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateRedis:
    def __init__(self, data_dir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed; install it to run the Redis restart test")
        self.binary = binary
        self.data_dir = data_dir
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        for _attempt in range(5):
            port = self.port or _free_port()
            args = [self.binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
            args += ["--appendonly", "yes", "--dir", str(self.data_dir)]
            with open(self.data_dir / "redis.log", "ab") as log:
                self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
            if self._ready(port):
                self.port = port
                return
            self.stop()
        raise RuntimeError(f"redis-server did not start; see {self.data_dir / 'redis.log'}")

    def _ready(self, port: int, timeout: float = 20) -> bool:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and self.process and self.process.poll() is None:
                try:
                    return bool(client.ping())
                except redis.RedisError:
                    time.sleep(0.05)
            return False
        finally:
            client.close()

    def stop(self) -> None:
        """SIGTERM: Redis flushes its append-only file and exits, as in a service restart."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None
