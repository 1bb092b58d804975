"""Dedup quality on the labelled syndication set: ARI and pairwise P/R/F1 for newscrawl, side by side
with plain datasketch MinHashLSH (threshold 0.5, 128 permutations, word 5-grams, no verifier).

Run: python bench/dedup_quality.py [eval/syndication/docs.jsonl] [--failures]
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import re
import sys
import time
from collections import Counter, defaultdict
from math import comb
from pathlib import Path

from datasketch import MinHash, MinHashLSH

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dedup.batch import cluster_jsonl
from dedup.config import DedupConfig

DEFAULT_SET = Path(__file__).resolve().parents[1] / "eval" / "syndication" / "docs.jsonl"


def adjusted_rand_index(truth: list[str], predicted: list[str]) -> float:
    """Hubert-Arabie ARI from the contingency table of two labelings of the same items."""
    pairs = Counter(zip(truth, predicted, strict=True))
    index = sum(comb(n, 2) for n in pairs.values())
    rows = sum(comb(n, 2) for n in Counter(truth).values())
    cols = sum(comb(n, 2) for n in Counter(predicted).values())
    expected = rows * cols / comb(len(truth), 2)
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def pairwise(truth: list[str], predicted: list[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over all pairs of documents put in one cluster."""
    pairs = Counter(zip(truth, predicted, strict=True))
    together = sum(comb(n, 2) for n in pairs.values())
    predicted_pairs = sum(comb(n, 2) for n in Counter(predicted).values())
    true_pairs = sum(comb(n, 2) for n in Counter(truth).values())
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_newscrawl(docs: list[dict], config: DedupConfig) -> tuple[list[dict], float]:
    source = io.StringIO("".join(json.dumps(doc) + "\n" for doc in docs))
    out = io.StringIO()
    start = time.perf_counter()
    cluster_jsonl(source, out, config)
    elapsed = time.perf_counter() - start
    return [json.loads(line) for line in out.getvalue().splitlines()], elapsed


def run_plain_datasketch(docs: list[dict]) -> tuple[list[str], float]:
    """The baseline: datasketch's own MinHash.update per shingle, LSH at 0.5, union of every hit."""
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc in docs:
        words = re.findall(r"\w+", doc["text"].lower())
        minhash = MinHash(num_perm=128)
        for i in range(max(1, len(words) - 4)):
            minhash.update(" ".join(words[i : i + 5]).encode("utf-8"))
        parent[doc["id"]] = doc["id"]
        for hit in lsh.query(minhash):
            parent[find(hit)] = find(doc["id"])
        lsh.insert(doc["id"], minhash)
    return [find(doc["id"]) for doc in docs], time.perf_counter() - start


def expected_origin(members: list[dict]) -> str:
    own = [doc for doc in members if doc.get("agency")]
    return (own or sorted(members, key=lambda doc: doc["published_at"]))[0]["id"]


def failures(docs: list[dict], records: list[dict]) -> list[str]:
    """Every wrongly joined or wrongly split pair, with the edits that produced the documents."""
    by_id = {doc["id"]: doc for doc in docs}
    lines = []
    for a, b in itertools.combinations(records, 2):
        same_truth = by_id[a["id"]]["label"] == by_id[b["id"]]["label"]
        same_pred = a["cluster_id"] == b["cluster_id"]
        if same_truth != same_pred:
            kind = "split" if same_truth else "joined"
            lines.append(f"{kind}: {a['id']} {by_id[a['id']]['edits']} / {b['id']} {by_id[b['id']]['edits']}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--failures", action="store_true", help="list every wrong pair")
    args = parser.parse_args()
    docs = [
        json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    truth = [doc["label"] for doc in docs]
    records, ours_time = run_newscrawl(docs, DedupConfig())
    ours = [record["cluster_id"] for record in records]
    plain, plain_time = run_plain_datasketch(docs)
    print(f"{len(docs)} documents, {len(set(truth))} true clusters ({args.dataset})\n")
    print(f"{'system':<34}{'ARI':>7}{'P':>7}{'R':>7}{'F1':>7}{'clusters':>10}{'seconds':>9}")
    for name, labels, seconds in (
        ("newscrawl (LSH + verifier)", ours, ours_time),
        ("datasketch MinHashLSH 0.5/128/w5", plain, plain_time),
    ):
        p, r, f = pairwise(truth, labels)
        ari = adjusted_rand_index(truth, labels)
        print(f"{name:<34}{ari:>7.3f}{p:>7.3f}{r:>7.3f}{f:>7.3f}{len(set(labels)):>10}{seconds:>9.2f}")
    groups: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:
        groups[doc["label"]].append(doc)
    origin_of = {record["id"]: record["duplicate_of"] or record["id"] for record in records}
    right = sum(
        all(origin_of[doc["id"]] == expected_origin(members) for doc in members)
        for members in groups.values()
    )
    print(f"\norigin correct in {right}/{len(groups)} true clusters (agency copy, else earliest published)")
    wrong = failures(docs, records)
    print(f"wrong pairs: {len(wrong)}")
    if args.failures:
        print("\n".join(wrong))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
