"""Match page excerpts (as the search tool's `pages` corpus returns them) to labels.jsonl and check them.

Input: JSONL files of {"url": ..., "text": ...}, the excerpt exactly as returned (a page may appear more
than once, e.g. two captures). For each labelled record the excerpt whose URL matches (exactly, else
without scheme, `www.` and a trailing slash) is taken; a leading ` date YYYY-MM-DD` metadata line is
dropped; the text is accepted when its SHA-256 equals `text_sha256` (trying with and without the date
line, stripped or not). A text within 3 % of `text_chars` whose hash differs is kept and reported (a
character or two transcribed differently); others are left out. Writes {"url", "text"} lines for
join_texts.py:

    python eval/syndication-real/verify_texts.py raw*.jsonl > /work/cache/syndication-real/texts.jsonl
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

LABELS = Path(__file__).resolve().parent / "labels.jsonl"
_DATE_LINE = re.compile(r"^ date \d{4}-\d{2}(?:-\d{2})?[ \n]?")


def loose(url: str) -> str:
    url = re.sub(r"^https?://", "", url.strip()).lower()
    return re.sub(r"^www\.", "", url).rstrip("/")


def candidates(text: str) -> list[str]:
    bases = [text]
    found = _DATE_LINE.match(text)
    if found:
        bases.append(text[found.end() :])
    return [variant for base in bases for variant in (base, base.strip(), base.lstrip(), base.rstrip())]


def main(paths: list[str]) -> int:
    excerpts: dict[str, list[str]] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                excerpts.setdefault(loose(record["url"]), []).append(record["text"])
    verified = near = missing = 0
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        texts = excerpts.get(loose(label["url"]), [])
        chosen = next(
            (
                v
                for t in texts
                for v in candidates(t)
                if hashlib.sha256(v.encode()).hexdigest() == label["text_sha256"]
            ),
            None,
        )
        if chosen is not None:
            verified += 1
        else:
            close = [
                v
                for t in texts
                for v in candidates(t)[-3:]
                if abs(len(v) - label["text_chars"]) <= 0.03 * label["text_chars"]
            ]
            if not close:
                missing += 1
                continue
            chosen, near = close[0], near + 1
            print(f"hash differs, length within 3%: {label['id']}", file=sys.stderr)
        print(json.dumps({"url": label["url"], "text": chosen}, ensure_ascii=False))
    print(f"verified {verified}, near {near}, missing {missing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
