"""Golden extraction cases: load them, run them, and regenerate their expectations for review.

A case is `NAME.html` (the page as served) plus `NAME.json`: url, source options, crawl date, the
expected record fields (or the expected drop reason), and `text_with` / `text_without` snippets.
Usage: python -m crawler.extract.golden --update [DIR]   (DIR defaults to tests/extract/golden)
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.extract.article import extract_article
from crawler.extract.errors import ExtractionDrop
from crawler.extract.options import ExtractOptions

DEFAULT_DIR = Path("tests/extract/golden")
# Fields that change with every text edit or release; snippets and the schema cover them instead.
UNCOMPARED = frozenset({"text", "content_sha256", "extractor"})


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    spec: dict[str, Any]

    @property
    def html(self) -> bytes:
        return self.path.with_suffix(".html").read_bytes()

    @property
    def options(self) -> ExtractOptions:
        source = self.spec.get("source", {})
        return ExtractOptions(
            language=source.get("language"),
            timezone=source.get("timezone", "UTC"),
            drop_selectors=tuple(source.get("drop_selectors", ())),
            body_selector=source.get("body_selector"),
        )


def load_cases(directory: Path = DEFAULT_DIR) -> list[Case]:
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: no golden directory; run from the repository root or pass DIR")
    cases = []
    for path in sorted(directory.glob("*.json")):
        if not path.with_suffix(".html").is_file():
            raise FileNotFoundError(f"{path}: its page {path.with_suffix('.html').name} is missing")
        cases.append(Case(path.stem, path, json.loads(path.read_text(encoding="utf-8"))))
    return cases


def run_case(case: Case) -> dict[str, Any] | ExtractionDrop:
    """The record for the case's page, or the drop it raised."""
    try:
        return extract_article(
            case.html,
            case.spec["url"],
            content_type=case.spec.get("content_type", "text/html"),
            options=case.options,
        )
    except ExtractionDrop as drop:
        return drop


def expectation(outcome: dict[str, Any] | ExtractionDrop) -> dict[str, Any]:
    """What the case file stores: the compared record fields, or the drop reason."""
    if isinstance(outcome, ExtractionDrop):
        return {"drop": outcome.reason}
    return {"expected": {k: v for k, v in outcome.items() if k not in UNCOMPARED}}


def update(directory: Path) -> int:
    """Rewrite every case's expectations from the current extractor; returns how many changed."""
    changed = 0
    for case in load_cases(directory):
        spec = {k: v for k, v in case.spec.items() if k not in ("expected", "drop")}
        spec.update(expectation(run_case(case)))
        text = json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
        if text != case.path.read_text(encoding="utf-8"):
            changed += spec != case.spec
            print(f"updated {case.path}")
            case.path.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.extract.golden", description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite expectations; review the git diff")
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args(argv)
    if not args.update:
        parser.error("nothing to do: pass --update to regenerate the golden expectations")
    try:
        changed = update(args.directory)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{changed} case(s) changed; review them with git diff {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
