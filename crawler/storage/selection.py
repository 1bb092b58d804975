"""Which article parts a reader uses, decided from run manifests alone (no object is read): the
parts of one run that match a date window and source, and across runs the current ones, newest first,
with parts a committed compaction rewrote giving way to the compacted ones."""

from __future__ import annotations

from datetime import date
from typing import Any

from crawler.storage.manifest import entry_rank, is_compaction, superseded_keys


def article_entries(
    manifest: dict[str, Any],
    since: date | None = None,
    until: date | None = None,
    source: str | None = None,
    kind: str = "articles",
) -> list[dict[str, Any]]:
    """Manifest entries of article parts (`kind` "articles" or "articles-parquet") matching filters."""
    selected = []
    for entry in manifest["objects"]:
        if entry["kind"] != kind or (source is not None and entry["source"] != source):
            continue
        day = date.fromisoformat(entry["date"])
        if (since is None or day >= since) and (until is None or day <= until):
            selected.append(entry)
    return selected


def current_entries(
    manifests: list[dict[str, Any]],
    since: date | None = None,
    until: date | None = None,
    source: str | None = None,
    kind: str = "articles",
    whole: bool = True,
) -> list[dict[str, Any]]:
    """The article parts of `manifests` a reader uses, highest rank (newest) first.

    `whole`: the manifests are the whole store, so superseded parts give way to compacted ones.
    Otherwise (a change feed) compaction runs are left out, as they store nothing new, and the
    parts they superseded, which are never deleted, are read instead."""
    skip = superseded_keys(manifests) if whole else set()
    ranked: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for manifest in manifests:
        if not whole and is_compaction(manifest):
            continue
        for entry in article_entries(manifest, since, until, source, kind):
            if entry["key"] not in skip:
                order = (entry_rank(manifest, entry), manifest["sequence"], -len(ranked))
                ranked.append((order, entry))
    ranked.sort(key=lambda item: item[0], reverse=True)
    return [entry for _order, entry in ranked]
