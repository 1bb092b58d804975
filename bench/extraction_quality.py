"""Extraction quality and speed: newscrawl vs plain trafilatura on the article-extraction benchmark.

Usage: python bench/extraction_quality.py DATA_DIR   (DATA_DIR holds html/*.html.gz and ground-truth.json)
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

# Run as a script from a checkout: make the checkout's `crawler` importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crawler.extract import ExtractionDrop, ExtractOptions, extract_article

_TOKEN = re.compile(r"\w+")
# Record field -> trafilatura metadata attribute (None: trafilatura has no such field).
FIELDS = {
    "title": "title",
    "authors": "author",
    "published_at": "date",
    "updated_at": None,
    "description": "description",
    "language": None,
    "image": "image",
    "categories": "categories",
    "tags": "tags",
    "credit": None,
    "agencies": None,
    "dateline": None,
}


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def precision_recall(truth: str, prediction: str) -> tuple[float, float]:
    """Per-document shingle precision and recall, as the shared README defines them."""
    expected, predicted = shingles(truth), shingles(prediction)
    tp = sum((expected & predicted).values())
    fp = sum((predicted - expected).values())
    fn = sum((expected - predicted).values())
    if not expected and not predicted:
        return 1.0, 1.0
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def score(truth: dict[str, str], predictions: dict[str, str]) -> tuple[float, float, float]:
    """(F1, precision, recall): macro-averaged precision and recall, then F1 of the averages."""
    pairs = [precision_recall(truth[key], predictions.get(key) or "") for key in truth]
    precision = sum(p for p, _ in pairs) / len(pairs)
    recall = sum(r for _, r in pairs) / len(pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def load(data_dir: Path) -> tuple[dict[str, str], dict[str, str], dict[str, bytes]]:
    ground = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    truth = {key: value.get("articleBody") or "" for key, value in ground.items()}
    urls = {key: value.get("url") or f"https://example.invalid/{key}" for key, value in ground.items()}
    pages = {key: gzip.decompress((data_dir / "html" / f"{key}.html.gz").read_bytes()) for key in ground}
    return truth, urls, pages


def run_both(
    urls: dict[str, str], pages: dict[str, bytes], repeat: int
) -> tuple[dict[str, str], dict[str, dict], Counter[str], float, float]:
    """Both extractors, interleaved document by document so that load from other processes on the
    machine hits both alike; per document the best of `repeat` timings is kept."""
    options = ExtractOptions()
    plain: dict[str, str] = {}
    records: dict[str, dict] = {}
    drops: Counter[str] = Counter()
    plain_seconds = ours_seconds = 0.0
    for key, body in pages.items():
        best_plain = best_ours = float("inf")
        for attempt in range(repeat):
            start = time.perf_counter()
            plain[key] = trafilatura.extract(body, url=urls[key]) or ""
            middle = time.perf_counter()
            try:
                records[key] = extract_article(body, urls[key], content_type="text/html", options=options)
            except ExtractionDrop as drop:
                if attempt == 0:
                    drops[drop.reason] += 1
            end = time.perf_counter()
            best_plain, best_ours = min(best_plain, middle - start), min(best_ours, end - middle)
        plain_seconds += best_plain
        ours_seconds += best_ours
    return plain, records, drops, plain_seconds, ours_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="benchmark directory, e.g. ../shared/eval/aeb")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per document (best kept)")
    parser.add_argument(
        "--check",
        type=Path,
        help="published output to score as a metric check (default: DATA_DIR/output/trafilatura.json)",
    )
    args = parser.parse_args(argv)
    if not (args.data_dir / "ground-truth.json").is_file():
        print(f"error: {args.data_dir}/ground-truth.json not found; pass the aeb directory", file=sys.stderr)
        return 2
    truth, urls, pages = load(args.data_dir)
    plain, records, drops, plain_seconds, ours_seconds = run_both(urls, pages, args.repeat)
    ours = {key: record["text"] for key, record in records.items()}
    rows = [("plain trafilatura", score(truth, plain), len(pages) / plain_seconds)]
    rows.append(("newscrawl", score(truth, ours), len(pages) / ours_seconds))
    print(f"{len(pages)} documents; newscrawl drops: {dict(drops) or 'none'}")
    print(f"{'extractor':<20}{'F1':>8}{'P':>8}{'R':>8}{'docs/s':>10}{'speed ratio':>13}")
    for name, (f1, precision, recall), rate in rows:
        print(f"{name:<20}{f1:>8.3f}{precision:>8.3f}{recall:>8.3f}{rate:>10.1f}{rate / rows[0][2]:>12.2f}x")
    check = args.check or args.data_dir / "output" / "trafilatura.json"
    if check.is_file():
        published = json.loads(check.read_text(encoding="utf-8"))["output"]
        f1, precision, recall = score(truth, {k: v.get("articleBody") or "" for k, v in published.items()})
        print(f"{'published output':<20}{f1:>8.3f}{precision:>8.3f}{recall:>8.3f}   (metric check)")
    print_completeness(records, trafilatura_metadata(urls, pages), len(pages))
    return 0


def trafilatura_metadata(urls: dict[str, str], pages: dict[str, bytes]) -> list[object]:
    """trafilatura's own metadata (with_metadata=True; untimed, its default output has none)."""
    documents = []
    for key, body in pages.items():
        document = trafilatura.bare_extraction(body, url=urls[key], with_metadata=True)
        if document is not None:
            documents.append(document)
    return documents


def print_completeness(records: dict[str, dict], documents: list[object], total: int) -> None:
    print("\nper-field completeness (share of documents with a non-empty value)")
    print(f"  {'field':<14}{'newscrawl':>10}{'trafilatura':>13}")
    for field, attribute in FIELDS.items():
        ours = sum(1 for record in records.values() if record.get(field)) / total
        theirs = sum(1 for d in documents if getattr(d, attribute, None)) / total if attribute else None
        shown = f"{theirs:>13.1%}" if theirs is not None else f"{'-':>13}"
        print(f"  {field:<14}{ours:>10.1%}{shown}")


if __name__ == "__main__":
    sys.exit(main())
