"""A compaction as a real process, stepped by the test: `python -m tests.storage.compact_child STORE`.

Before each object it writes, it reads a line from stdin; after, it prints `put KEY`. At the end it
prints `done CHECKPOINT`. The test can so kill it -9 between any two writes, or in the middle of one.
"""

from __future__ import annotations

import sys

from crawler.storage import open_store
from crawler.storage.compaction import compact


def main() -> int:
    store = open_store(sys.argv[1])
    put = store.put_bytes

    def stepped_put(key: str, data: bytes) -> bool:
        sys.stdin.readline()
        stored = put(key, data)
        print(f"put {key}", flush=True)
        return stored

    store.put_bytes = stepped_put  # type: ignore[method-assign]
    result = compact(store)
    print(f"done {result.checkpoint}", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
