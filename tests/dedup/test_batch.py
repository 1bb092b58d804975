import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dedup import batch
from dedup.batch import BatchInputError, cluster_jsonl
from tests.dedup.stories import story, text

ROOT = Path(__file__).resolve().parents[2]


def records() -> list[dict]:
    body = story(700, paragraphs=8)
    return [
        {"id": "a", "text": text(body), "published_at": "2026-03-02T08:00:00Z", "agency": "afp"},
        {"id": "b", "text": text(body[:3]), "published_at": "2026-03-02T09:00:00+00:00"},
        {"id": "c", "text": text(story(701)), "title": "Other story"},
    ]


def jsonl(items: list[dict]) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def test_cluster_jsonl_adds_cluster_fields_and_signature() -> None:
    out = io.StringIO()
    stats = cluster_jsonl(io.StringIO(jsonl(records())), out)
    rows = {row["id"]: row for row in map(json.loads, out.getvalue().splitlines())}
    assert rows["b"]["cluster_id"] == rows["a"]["cluster_id"] == "a"
    assert rows["b"]["duplicate_of"] == "a" and rows["b"]["match"] == "contained"
    assert rows["c"]["match"] == "unique" and rows["c"]["title"] == "Other story"
    assert rows["a"]["minhash"]["tag"] == "mh128-w5-v1"
    assert (stats.documents, stats.clusters) == (3, 2)


def test_cluster_jsonl_reports_final_clusters_after_merges() -> None:
    body = story(702, paragraphs=12)
    items = [{"id": "head", "text": text(body[:4])}, {"id": "tail", "text": text(body[8:])},
             {"id": "whole", "text": text(body)}]  # fmt: skip
    out = io.StringIO()
    cluster_jsonl(io.StringIO(jsonl(items)), out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    # Without dates the fullest copy is the origin: the two parts are each contained in it.
    assert {r["cluster_id"] for r in records} == {"whole"}
    assert [(r["id"], r["duplicate_of"], r["match"]) for r in records] == [
        ("head", "whole", "contained"), ("tail", "whole", "contained"), ("whole", None, "origin"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "message"),
    [("{not json", "line 1: not valid JSON"), ('["a"]', "expected a JSON object"),
     ('{"id": "a"}', "'text' must be"), ('{"id": "a", "text": "x", "published_at": "soon"}', "ISO 8601"),
     ('{"id": "a", "text": "x", "published_at": "2026-03-02T08:00:00"}', "no timezone")],
)  # fmt: skip
def test_bad_lines_name_the_line_and_the_fix(line: str, message: str) -> None:
    with pytest.raises(BatchInputError, match=message):
        cluster_jsonl(io.StringIO(line + "\n"), io.StringIO())


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", "dedup", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def test_cli_writes_clustered_records(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(jsonl(records()), encoding="utf-8")
    done = run_cli(str(source), "--out", str(target))
    assert done.returncode == 0, done.stderr
    assert "3 records, 2 clusters" in done.stdout
    assert [json.loads(line)["cluster_id"] for line in target.read_text().splitlines()] == ["a", "a", "c"]


def test_cli_refuses_a_missing_file_in_one_line(tmp_path: Path) -> None:
    done = run_cli(str(tmp_path / "absent.jsonl"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "absent.jsonl" in done.stderr


def test_cli_refuses_a_bad_json_line_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text(jsonl(records()[:1]) + "{oops\n", encoding="utf-8")
    done = run_cli(str(source))
    assert done.returncode == 2
    assert "line 2: not valid JSON" in done.stderr and "Traceback" not in done.stderr


def test_damaged_stored_signature_is_recomputed_from_the_text() -> None:
    items = records()
    items[1]["minhash"] = {"tag": "mh128-w5-v1", "byteorder": "little", "hashvalues": "AAAA"}
    out = io.StringIO()
    cluster_jsonl(io.StringIO(jsonl(items)), out)
    rows = {row["id"]: row for row in map(json.loads, out.getvalue().splitlines())}
    assert rows["b"]["duplicate_of"] == "a" and rows["b"]["minhash"]["hashvalues"] != "AAAA"


def test_cli_reads_records_from_stdin() -> None:
    done = subprocess.run([sys.executable, "-m", "crawler", "dedup", "-"], cwd=ROOT, input=jsonl(records()),
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3 and "3 records" in done.stderr


def test_cli_refuses_a_deeply_nested_line_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "deep.jsonl"
    source.write_text(jsonl(records()[:1]) + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    done = run_cli(str(source))
    assert done.returncode == 2
    assert "line 2: JSON nested too deeply" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0


def test_an_undated_copy_is_found_however_far_the_dated_records_run() -> None:
    # The batch indexes dated records oldest first and lets them go a window later; undated records
    # stay throughout, since any dated one may be their original.
    items = [{"id": "copy", "text": text(story(705, paragraphs=8)[:3])}]
    items.append({"id": "old", "text": text(story(705, paragraphs=8)), "published_at": "2026-01-01"})
    items += [
        {"id": f"later{n}", "text": text(story(710 + n)), "published_at": f"2026-0{n}-02"}
        for n in range(3, 7)
    ]
    out = io.StringIO()
    cluster_jsonl(io.StringIO(jsonl(items)), out)
    records = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert records["copy"]["duplicate_of"] == "old" and records["old"]["match"] == "origin"


def test_a_stream_without_line_breaks_is_refused_before_it_fills_memory(monkeypatch) -> None:
    # /dev/zero or a binary file: the first "line" never ends.
    monkeypatch.setattr(batch, "MAX_LINE_CHARS", 1000)
    endless = io.StringIO("\0" * 5000)
    with pytest.raises(BatchInputError, match="line 1: longer than 1,000 characters"):
        cluster_jsonl(endless, io.StringIO())
    record = json.dumps({"id": "a", "text": "x" * 900}) + "\n"
    assert cluster_jsonl(io.StringIO(record), io.StringIO()).documents == 1
