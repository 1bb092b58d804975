"""Dedup quality on labelled syndication sets, side by side: ARI and pairwise P/R/F1 for newscrawl in
file order with dates, shuffled with dates, and text only, beside plain datasketch MinHashLSH
(threshold 0.5, 128 permutations, word 5-grams, no verifier).

Run: python bench/dedup_quality.py [SET.jsonl ...] [--failures]
(default: the generated set, and the real development set when it has been rebuilt locally)
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
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
REAL_SET = Path("/work/cache/syndication-real/docs.jsonl")
SHUFFLE_SEED = 17


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
            edits_a, edits_b = by_id[a["id"]].get("edits", ""), by_id[b["id"]].get("edits", "")
            lines.append(f"{kind}: {a['id']} {edits_a} / {b['id']} {edits_b}")
    return lines


def variants(docs: list[dict]) -> list[tuple[str, list[dict]]]:
    """The runs of one set: file order with dates, shuffled with dates, text only (no dates, no agency).
    `agency` marks an agency's own copy; a set whose records carry `kind` uses it for the credited
    agency instead, so it is left out there."""
    own = [d if "kind" not in d else {k: v for k, v in d.items() if k != "agency"} for d in docs]
    shuffled = own[:]
    random.Random(SHUFFLE_SEED).shuffle(shuffled)
    text_only = [{k: v for k, v in d.items() if k not in ("published_at", "agency")} for d in docs]
    return [("file order, dates", own), ("shuffled, dates", shuffled), ("text only", text_only)]


def score_set(path: Path, show_failures: bool) -> None:
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"\n{path}: {len(docs)} documents, {len({d['label'] for d in docs})} true clusters")
    print(f"{'system':<44}{'ARI':>7}{'P':>7}{'R':>7}{'F1':>7}{'clusters':>10}{'seconds':>9}")
    runs: dict[str, tuple[list[dict], list[dict]]] = {}
    for name, run in variants(docs):
        records, seconds = run_newscrawl(run, DedupConfig())
        truth = [d["label"] for d in run]
        _row(f"newscrawl, {name}", truth, [r["cluster_id"] for r in records], seconds)
        runs[name] = (run, records)
    file_records = runs["file order, dates"][1]
    plain, plain_time = run_plain_datasketch(docs)
    _row("datasketch MinHashLSH 0.5/128/w5", [d["label"] for d in docs], plain, plain_time)
    groups: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:
        groups[doc["label"]].append(doc)
    origin_of = {record["id"]: record["duplicate_of"] or record["id"] for record in file_records}
    if all(doc.get("published_at") for doc in docs):
        right = sum(
            all(origin_of[doc["id"]] == expected_origin(members) for doc in members)
            for members in groups.values()
        )
        print(f"origin correct in {right}/{len(groups)} true clusters (agency copy, else earliest published)")
    # Shuffling changes nothing (the order-independence tests hold it), so two runs are listed: with
    # dates, and text only, where templates on other days have no date to keep them apart.
    for name in ("file order, dates", "text only"):
        wrong = failures(*runs[name])
        print(f"wrong pairs ({name}): {len(wrong)}")
        if show_failures:
            print("\n".join(wrong))


def _row(name: str, truth: list[str], labels: list[str], seconds: float) -> None:
    p, r, f = pairwise(truth, labels)
    ari = adjusted_rand_index(truth, labels)
    print(f"{name:<44}{ari:>7.3f}{p:>7.3f}{r:>7.3f}{f:>7.3f}{len(set(labels)):>10}{seconds:>9.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("datasets", nargs="*", type=Path)
    parser.add_argument("--failures", action="store_true", help="list every wrong pair")
    args = parser.parse_args()
    sets = args.datasets or [DEFAULT_SET, *([REAL_SET] if REAL_SET.exists() else [])]
    for path in sets:
        score_set(path, args.failures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
