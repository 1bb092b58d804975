"""The dedup index shares the frontier's Redis, so a writer to Redis reaches it too: a pickle put
into one of its band tables must not run in the worker whose article lands in that table."""

from __future__ import annotations

import os
import pickle
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dedup.deduplicator import Deduplicator
from dedup.model import Document
from tests.support.redis import REDIS_URL, redis_or_skip


class Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_a_pickle_written_into_the_dedup_index_is_never_run(tmp_path: Path, redis_prefix: str) -> None:
    client = redis_or_skip()
    text = " ".join(f"Finance ministers met for round {i} of the settlement talks." for i in range(60))
    index = Deduplicator(redis_url=REDIS_URL, namespace=f"{redis_prefix}:dedup")
    index.add(Document(id="a", text=text, published_at=datetime.now(UTC)))
    marker = tmp_path / "pwned"
    tables = [key for key in client.scan_iter(match=f"{redis_prefix}:*:b:*") if client.type(key) == b"string"]
    assert tables
    for key in tables:
        client.append(key, pickle.dumps(Exploit(marker)))
    try:
        index.add(Document(id="b", text=text + " A syndicated copy.", published_at=datetime.now(UTC)))
    except TypeError:  # what the unpickled value does to the rest of add()
        pass
    finally:
        index.close()
    assert not marker.exists()
