"""Extraction quality and CPU: newscrawl beside plain trafilatura on every development set, in one run.

Usage: python bench/extraction_quality.py [--aeb DIR] [--trafilatura DIR] [--repeat N]
  --aeb DIR           the article extraction benchmark (html/*.html.gz, ground-truth.json):
                      word-4-gram shingle F1 as shared/README.md defines it
  --trafilatura DIR   trafilatura's evaluation set (evaldata.json, pages/*.gz): snippet F1 as its
                      README defines it; a dropped page counts as empty output
Prints F1, precision, recall, pages/s and (AEB) ROUGE-LSum F1 per set and extractor, newscrawl's
extraction CPU per page as a ratio to plain trafilatura's (process CPU, best of N per page), then page
statuses, date signals and titles. newscrawl is scored twice: as `fetch` extracts (every page) and
as the crawl keeps it (non-articles dropped, so empty).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import trafilatura

# Run as a script from a checkout: make the checkout's `crawler` importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.rouge_lsum import mean_rouge_lsum
from bench.scores import score, snippet_score
from crawler.discovery.urls import site_of
from crawler.extract import ExtractionDrop, ExtractOptions, extract_article

WARM_UP_PAGES = 20
DEFAULT_SHARED = Path(__file__).resolve().parents[3] / "shared" / "eval"


@dataclass
class Page:
    key: str
    url: str
    body: bytes
    truth: str = ""  # aeb: the reference text
    with_: list[str] = field(default_factory=list)  # trafilatura set: snippets
    without: list[str] = field(default_factory=list)


@dataclass
class Run:
    texts: dict[str, str] = field(default_factory=dict)
    page_types: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    drops: Counter[str] = field(default_factory=Counter)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # access and dates, per page

    def crawl_texts(self) -> dict[str, str]:
        """What the crawl keeps: no text for pages it drops as not articles."""
        return {k: t if self.page_types.get(k, "article") == "article" else "" for k, t in self.texts.items()}


def load_aeb(directory: Path) -> list[Page]:
    ground = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(
            key=key,
            url=value.get("url") or f"https://example.invalid/{key}",
            body=gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes()),
            truth=value.get("articleBody") or "",
        )
        for key, value in ground.items()
    ]


def load_trafilatura_set(directory: Path) -> list[Page]:
    data = json.loads((directory / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, value in data.items():
        path = directory / "pages" / f"{value['file']}.gz"
        if path.is_file():
            body = gzip.decompress(path.read_bytes())
            pages.append(Page(url, url, body, with_=value.get("with", []), without=value.get("without", [])))
    return pages


def plain_trafilatura(page: Page) -> tuple[str, str, dict[str, Any]]:
    return trafilatura.extract(page.body, url=page.url) or "", "article", {}


# As `newscrawl fetch` extracts: every page gets its text, page_type says what it is.
FETCH_OPTIONS = ExtractOptions(drop_non_articles=False)


def newscrawl(page: Page) -> tuple[str, str, dict[str, Any]]:
    record = extract_article(page.body, page.url, content_type="text/html", options=FETCH_OPTIONS)
    status = {
        k: record[k] for k in ("access", "access_evidence", "published_at", "updated_at", "dates", "title")
    }
    return record["text"], record["page_type"], status


def run_both(pages: list[Page], repeat: int) -> tuple[Run, Run]:
    """Both extractors, interleaved page by page so that load from other processes on the machine hits
    both alike; per page the least CPU time of `repeat` runs is kept."""
    plain, ours = Run(), Run()
    # Untimed warm-up: one-off costs (dateparser compiles its locale patterns on first use) are paid
    # once per crawl process, not per page.
    for page in pages[:WARM_UP_PAGES]:
        for extract in (plain_trafilatura, newscrawl):
            _best_time(Run(), page, extract, 1)
    for page in pages:
        for run, extract in ((plain, plain_trafilatura), (ours, newscrawl)):
            run.seconds += _best_time(run, page, extract, repeat)
    return plain, ours


def _best_time(
    run: Run, page: Page, extract: Callable[[Page], tuple[str, str, dict[str, Any]]], repeat: int
) -> float:
    best = float("inf")
    for attempt in range(repeat):
        start = time.process_time()
        try:
            run.texts[page.key], run.page_types[page.key], run.records[page.key] = extract(page)
        except ExtractionDrop as drop:
            run.texts[page.key] = ""
            if attempt == 0:
                run.drops[drop.reason] += 1
        best = min(best, time.process_time() - start)
    return best


def set_score(name: str, pages: list[Page], predictions: dict[str, str]) -> tuple[float, float, float]:
    if name == "aeb":
        return score({page.key: page.truth for page in pages}, predictions)
    return snippet_score(pages, predictions)


def report(name: str, pages: list[Page], plain: Run, ours: Run) -> None:
    kinds = Counter(ours.page_types.values())
    print(
        f"\n{name}: {len(pages)} pages; newscrawl drops: {dict(ours.drops) or 'none'}; page types: {dict(kinds)}"
    )
    print(f"  {'extractor':<28}{'F1':>8}{'P':>8}{'R':>8}{'pages/s':>10}{'RLsum':>8}")
    rows = [("plain trafilatura", plain.texts, plain), ("newscrawl fetch (all pages)", ours.texts, ours)]
    rows.append(("newscrawl crawl (articles)", ours.crawl_texts(), ours))
    for label, texts, run in rows:
        f1, precision, recall = set_score(name, pages, texts)
        rate = len(pages) / run.seconds if run.seconds else float("inf")
        rouge = mean_rouge_lsum({p.key: p.truth for p in pages}, texts) if name == "aeb" else None
        rouge_cell = f"{rouge:>8.2f}" if rouge is not None else f"{'-':>8}"
        print(f"  {label:<28}{f1:>8.4f}{precision:>8.4f}{recall:>8.4f}{rate:>10.1f}{rouge_cell}")
    print(f"  CPU per page, newscrawl / plain trafilatura: {ours.seconds / plain.seconds:.2f}x")
    report_status(ours)
    named = [page.key for page in pages if _names_site(ours.records.get(page.key, {}).get("title"), page)]
    empty = sum(1 for page in pages if not ours.records.get(page.key, {}).get("title"))
    print(f"  titles: {empty} empty, {len(named)} with a segment naming the site {named[:3]}")


def _names_site(title: str | None, page: Page) -> bool:
    """Does a segment of `title` (split at | - – — : _ ｜) name the site: og:site_name or the host's label?"""
    found = re.search(rb'og:site_name"\s+content="([^"]+)', page.body)
    names = {site_of(urlsplit(page.url).hostname or "").split(".")[0], found[1].decode() if found else ""}
    segments = re.split(r"\s+[|–—-]\s+|\s*[|｜:：_]\s*", title or "")
    return len(segments) > 1 and bool({_fold(s) for s in segments} & {_fold(n) for n in names} - {""})


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def report_status(ours: Run) -> None:
    """How often each page status is given, which signal gives each date, and how often signals disagree."""
    records = list(ours.records.values())
    access = Counter(r["access"] for r in records)
    print(f"  access: {dict(access.most_common())}")
    for name in ("published", "updated"):
        wins = Counter((r["dates"][name] or {}).get("source", "none") for r in records)
        shares = ", ".join(f"{source} {count / len(records):.1%}" for source, count in wins.most_common())
        print(f"  {name} date from: {shares}")
    unproven = sum(
        1 for r in records for name in ("published", "updated") if r[f"{name}_at"] and not r["dates"][name]
    )
    disagree = sum(1 for r in records if r["dates"]["disagreements"])
    refused = Counter(x["reason"] for r in records for x in r["dates"]["refused"])
    print(
        f"  dates: {disagree} pages ({disagree / len(records):.1%}) with signals over a day apart; "
        f"refused: {dict(refused) or 'none'}; dates without provenance: {unproven}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeb", type=Path, default=DEFAULT_SHARED / "aeb")
    parser.add_argument("--trafilatura", type=Path, default=DEFAULT_SHARED / "trafilatura")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per page (least CPU kept)")
    args = parser.parse_args(argv)
    sets = [("aeb", args.aeb, "ground-truth.json", load_aeb)]
    sets.append(("trafilatura", args.trafilatura, "evaldata.json", load_trafilatura_set))
    missing = [
        f"{directory}/{marker}" for _, directory, marker, _ in sets if not (directory / marker).is_file()
    ]
    if missing:
        print(f"error: {', '.join(missing)} not found; pass --aeb and --trafilatura", file=sys.stderr)
        return 2
    print(f"trafilatura {trafilatura.__version__}; newscrawl's extraction from {Path.cwd()}")
    total_plain = total_ours = 0.0
    for name, directory, _marker, loader in sets:
        pages = loader(directory)
        plain, ours = run_both(pages, args.repeat)
        report(name, pages, plain, ours)
        total_plain, total_ours = total_plain + plain.seconds, total_ours + ours.seconds
    print(f"\nall sets: CPU per page, newscrawl / plain trafilatura: {total_ours / total_plain:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
