"""Disk full on the file:// store: the crawl exits 1 with one line, leaves no partial object, and
the next run (with space) stores every article once.

ENOSPC comes from a real filesystem: a 128 KiB tmpfs mounted for the test (needs root or
CAP_SYS_ADMIN; elsewhere the test is skipped with that reason), grown by a remount afterwards.
"""

from __future__ import annotations

import gzip
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.storage import Reader, open_store
from tests.faults.conftest import assert_stored_once, crawl_args, one_error_line
from tests.support.cli import run_cli

pytestmark = pytest.mark.slow


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "tiny"
    where.mkdir()
    mounted = _mount("-t", "tmpfs", "-o", "size=128k", "newscrawl-test", str(where))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); run as root to test ENOSPC")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_a_full_disk_fails_the_run_cleanly_and_the_next_run_with_space_stores_everything(
    network, registry_file, tiny_disk
):
    store = f"file://{tiny_disk / 'store'}"
    failed = run_cli(*crawl_args(registry_file, store, "-s", "STORAGE_BATCH_SIZE=2"))
    assert failed.returncode == 1, failed.stderr[-3000:]
    line = one_error_line(failed.stderr)
    assert "No space left on device" in line and "free space" in line, line

    root = tiny_disk / "store"
    assert list((root / ".incoming").iterdir()) == [], "no half-written temporary file is left"
    with open_store(store) as opened:
        assert Reader(opened).runs() == [], "readers see nothing of the failed run"
        parts = opened.list("articles/")
        assert parts, "the run had stored some batches before the disk filled"
        for key in (k for k in parts if k.endswith(".jsonl.gz")):
            gzip.decompress(opened.get_bytes(key))  # every object that exists is whole

    assert _mount("-o", "remount,size=16m", str(tiny_disk)).returncode == 0
    result = run_cli(*crawl_args(registry_file, store, "-s", "STORAGE_BATCH_SIZE=2"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(assert_stored_once(store, network)) == 1
