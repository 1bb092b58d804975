"""Archive re-clustering (`newscrawl dedup --store`) against the online index, in one process run.

1. eval/syndication/docs.jsonl: the archive path against `dedup.batch` (ARI between them, and each
   against the labels).
2. Scale: a synthetic archive of --articles stored directly (file:// store), re-clustered; wall
   time and peak RSS of the child process (wait4).
3. Online comparison: --online-articles crawled day by day through the in-memory index (records
   annotated, cluster records committed per run, as the crawl does), then re-clustered: wall time,
   peak RSS and the ARI between the two paths' clusters.

    python bench/archive_dedup.py [--articles 1000000] [--online-articles 50000] [--days 45]
                                  [--memory-limit 2GB] [--dir DIR] [--online-at-scale]
                                  [--skip-online-crawl]

The stories are bench/archive_synthetic.py's.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = Path(__file__).resolve().parent / "archive_synthetic.py"
sys.path[:0] = [str(ROOT), str(SYNTHETIC.parent)]

from archive_synthetic import AGENCIES  # noqa: E402
from dedup_quality import adjusted_rand_index  # noqa: E402

from crawler.storage import Reader, RunWriter, open_store  # noqa: E402
from dedup import DedupConfig  # noqa: E402
from dedup.batch import cluster_jsonl, signature_of  # noqa: E402

EVAL_SET = ROOT / "eval" / "syndication" / "docs.jsonl"


def timed_child(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (GiB) of a child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:4]} failed with {os.waitstatus_to_exitcode(status)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024**2


def archive_labels(store_uri: str, ids: list[str]) -> list[str]:
    origins = Reader(open_store(store_uri)).cluster_origins()
    return [origins.get(doc_id, doc_id) for doc_id in ids]


def read_labels(path: Path) -> dict[str, str]:
    with path.open() as lines:
        return dict(line.rstrip("\n").split("\t") for line in lines)


def run_archive(store: str, work: Path, memory_limit: str) -> tuple[float, float]:
    registry = work / "outlets.toml"
    registry.write_text(_registry(AGENCIES.items()))
    argv = [sys.executable, "-m", "crawler", "dedup", "--store", store, "--sources", str(registry)]
    return timed_child([*argv, "--memory-limit", memory_limit, "--workdir", str(work)])


ROW = "| {} | {:,} | {:,.0f} s | {:.2f} GiB | {} | {} |"


def online_comparison(args: argparse.Namespace, work: Path) -> None:
    """The crawl's online index and the archive path on the same synthetic articles."""
    store, labels = f"file://{work}/online-store", work / "online-labels.tsv"
    argv = [
        sys.executable,
        str(SYNTHETIC),
        "--build",
        store,
        str(args.online_articles),
        str(args.days),
        str(labels),
    ]
    online_s, online_gb = timed_child(argv)
    archive_s, archive_gb = run_archive(store, work, args.memory_limit)
    online, truth = read_labels(labels.with_suffix(".online")), read_labels(labels)
    ids = sorted(online)
    archive = archive_labels(store, ids)
    stories = [truth[i] for i in ids]
    agree = adjusted_rand_index([online[i] for i in ids], archive)
    differ = sum(1 for i, label in zip(ids, archive, strict=True) if online[i] != label)
    online_ari = adjusted_rand_index(stories, [online[i] for i in ids])
    n = len(ids)
    print(
        ROW.format("online index (crawl: add, store runs)", n, online_s, online_gb, f"{online_ari:.4f}", "-")
    )
    print(ROW.format("archive (`dedup --store`)", n, archive_s, archive_gb,
                     f"{adjusted_rand_index(stories, archive):.4f}", f"{agree:.4f} ({differ} differ)"))  # fmt: skip


def scale(args: argparse.Namespace, work: Path) -> None:
    """The archive path alone on a large archive stored without an index (building the online
    index's verdicts for it is the online path's own cost, measured above at a smaller size)."""
    store, labels = f"file://{work}/store", work / "labels.tsv"
    timed_child(
        [
            sys.executable,
            str(SYNTHETIC),
            "--build-direct",
            store,
            str(args.articles),
            str(args.days),
            str(labels),
        ]
    )
    archive_s, archive_gb = run_archive(store, work, args.memory_limit)
    truth = read_labels(labels)
    ids = sorted(truth)
    archive = archive_labels(store, ids)
    stories = [truth[i] for i in ids]
    ari = adjusted_rand_index(stories, archive)
    if not args.online_at_scale:
        print(
            ROW.format(
                "archive (`dedup --store`)", len(ids), archive_s, archive_gb, f"{ari:.4f}", "not built"
            )
        )
        return
    # The online index on the same articles, by arrival, in memory (storing its runs is what made the
    # crawl-shaped comparison below too slow at this size; its verdicts are the same).
    online_s, online_gb = timed_child(
        [
            sys.executable,
            str(SYNTHETIC),
            "--online-only",
            store,
            str(args.articles),
            str(args.days),
            str(labels),
        ]
    )
    online = read_labels(labels.with_suffix(".online"))
    agree = adjusted_rand_index([online[i] for i in ids], archive)
    differ = sum(1 for i, label in zip(ids, archive, strict=True) if online[i] != label)
    online_ari = adjusted_rand_index(stories, [online[i] for i in ids])
    print(
        ROW.format(
            "online index (in memory, by arrival)", len(ids), online_s, online_gb, f"{online_ari:.4f}", "-"
        )
    )
    print(ROW.format("archive (`dedup --store`)", len(ids), archive_s, archive_gb, f"{ari:.4f}",
                     f"{agree:.4f} ({differ} differ)"))  # fmt: skip


def eval_set(work: Path) -> None:
    docs = [json.loads(line) for line in EVAL_SET.read_text().splitlines()]
    out = io.StringIO()
    cluster_jsonl(io.StringIO("".join(json.dumps(doc) + "\n" for doc in docs)), out)
    batch = {record["id"]: record["cluster_id"] for record in map(json.loads, out.getvalue().splitlines())}
    uri = f"file://{work}/eval-store"
    writer = RunWriter(open_store(uri, write=True))
    config = DedupConfig()
    for doc in docs:
        writer.add_article({**doc, "minhash": signature_of(doc, config).to_record()})
    writer.commit({})
    registry = work / "agencies.toml"
    registry.write_text(
        _registry({str(doc["source"]): str(doc["agency"]) for doc in docs if doc.get("agency")}.items())
    )
    argv = [sys.executable, "-m", "crawler", "dedup", "--store", uri, "--sources", str(registry)]
    timed_child([*argv, "--workdir", str(work)])
    ids = [doc["id"] for doc in docs]
    archive = archive_labels(uri, ids)
    truth = [doc["label"] for doc in docs]
    print(f"\n{EVAL_SET.relative_to(ROOT)} ({len(docs)} articles)")
    print("| path | ARI vs labels |")
    print("|---|---|")
    print(f"| dedup.batch | {adjusted_rand_index(truth, [batch[i] for i in ids]):.4f} |")
    print(f"| archive (`dedup --store`) | {adjusted_rand_index(truth, archive):.4f} |")
    same = adjusted_rand_index([batch[i] for i in ids], archive)
    differ = sum(1 for i, label in zip(ids, archive, strict=True) if batch[i] != label)
    print(f"ARI archive vs dedup.batch: {same:.4f} ({differ} articles with another origin)")


def _registry(agencies: Iterable[tuple[str, str]]) -> str:
    """A source registry naming the agency outlets (source id, agency), as the crawl's would."""
    return "".join(
        f'[[source]]\nid = "{source}"\nname = "{source}"\nhomepage = "https://{source}.example/"\n'
        f'agency = "{agency}"\n\n'
        for source, agency in sorted(agencies)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1_000_000, help="archive size for the scale run")
    parser.add_argument("--online-articles", type=int, default=50_000, help="size of the online comparison")
    parser.add_argument("--days", type=int, default=45)
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument(
        "--online-at-scale", action="store_true",
        help="also run the online index (in memory) over the scale run's articles and compare",
    )  # fmt: skip
    parser.add_argument(
        "--skip-online-crawl", action="store_true", help="leave out the crawl-shaped comparison"
    )
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one, removed after)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-bench-", dir=args.dir) as work:
        eval_set(Path(work))
        print(
            f"\nsynthetic archives over {args.days} days, file:// store, DuckDB memory limit {args.memory_limit}"
        )
        print("| path | articles | wall time | peak RSS | ARI vs stories | ARI vs online |")
        print("|---|---|---|---|---|---|", flush=True)
        scale(args, Path(work))
        if not args.skip_online_crawl:
            online_comparison(args, Path(work))


if __name__ == "__main__":
    main()
