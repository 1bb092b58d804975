"""Writers as real processes: kill -9 mid-run, a reader polling during a write, two writers at once."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from crawler.storage import Reader, open_store
from tests.storage.stepped_child import start_child, step

ROOT = Path(__file__).resolve().parents[2]


def _start_writer(store_uri: str, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return start_child("tests.storage.writer_child", store_uri, env, *args)


def _finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def _ids(store_uri: str) -> list[str]:
    with open_store(store_uri) as store:
        return [record["id"] for record in Reader(store).articles()]


def test_kill_9_mid_run_leaves_nothing_visible_and_rerun_stores_each_article_once(store_uri, child_env):
    killed = _start_writer(store_uri, child_env, "--count", "20", "--batch-size", "5", "--wait")
    assert step(killed) == "flushed 1"
    assert step(killed) == "flushed 2"
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=60)
    with open_store(store_uri) as store:
        assert store.list("articles/") and store.list("warc/")  # two batches really were written
        assert Reader(store).runs() == [] and list(Reader(store).articles()) == []

    rerun = _start_writer(store_uri, child_env, "--count", "20", "--batch-size", "5")
    assert "committed 000000000001" in _finish(rerun)
    ids = _ids(store_uri)
    assert len(ids) == len(set(ids)) == 20

    # A later run that re-stores some of the same articles still leaves each visible once.
    again = _start_writer(store_uri, child_env, "--first", "15", "--count", "10", "--tag", " again")
    _finish(again)
    ids = _ids(store_uri)
    assert len(ids) == len(set(ids)) == 25


def test_reader_polling_during_a_write_never_sees_a_partial_run(store_uri, child_env):
    writer = _start_writer(store_uri, child_env, "--count", "12", "--batch-size", "4", "--wait")
    seen_counts = {len(_ids(store_uri))}
    for batch in (1, 2, 3):
        assert step(writer) == f"flushed {batch}"
        seen_counts.add(len(_ids(store_uri)))
    assert step(writer).startswith("committed")
    seen_counts.add(len(_ids(store_uri)))
    _finish(writer)
    assert seen_counts == {0, 12}


def test_two_concurrent_writers_both_commit_without_losing_records(store_uri, child_env):
    writers = [
        _start_writer(
            store_uri, child_env, "--count", "10", "--batch-size", "5", "--source", source, "--wait"
        )
        for source in ("outlet-a", "outlet-b")
    ]
    for batch in (1, 2):
        for writer in writers:
            assert step(writer) == f"flushed {batch}"
    for writer in writers:  # both race for the next manifest number at once
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outputs = [_finish(writer) for writer in writers]
    checkpoints = sorted(
        line.split()[1] for out in outputs for line in out.splitlines() if "committed" in line
    )
    assert checkpoints == ["000000000001", "000000000002"]
    with open_store(store_uri) as store:
        reader = Reader(store)
        assert len(reader.runs()) == 2
        records = list(reader.articles())
    assert len(records) == len({r["id"] for r in records}) == 20
    assert {r["source"] for r in records} == {"outlet-a", "outlet-b"}
