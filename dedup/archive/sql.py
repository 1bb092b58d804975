"""The archive dedup's SQL, as engine-neutral text that DuckDB (embedded) and Spark SQL both run.

Input, provided by the engine's runner: `articles` (id, source, published_at as a timestamp,
minhash struct, duplicate_of, part_order: higher for the copy readers return), `bands` (band: 0 ..
lsh_bands - 1) and `agencies` (source, agency). Spark names used here (unbase64, unix_micros,
regexp_like) get same-named macros on DuckDB (`DUCKDB_SHIMS`). Every table after `documents` holds
integer document numbers, not ids, so the joins of the band stage stay narrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dedup.config import DedupConfig
from dedup.signature import MAX_HASH, Signature

# Spark SQL's names for what DuckDB spells otherwise.
DUCKDB_SHIMS = (
    "CREATE MACRO unbase64(text) AS from_base64(text)",
    "CREATE MACRO unix_micros(moment) AS epoch_us(moment)",
    "CREATE MACRO regexp_like(text, pattern) AS regexp_matches(text, pattern)",
)
# A hash value is stored as 8 little-endian bytes (16 hex digits); this signature scheme keeps them
# below 2**32, so the first 8 digits hold the value. Keys that agree on them agree on every band key
# the index would compare; a wider value could only add candidates, which the verifier checks.
_VALUE_DIGITS = 16
_KEY_DIGITS = 8
_BASE64 = "^[A-Za-z0-9+/]*={0,2}$"


@dataclass(frozen=True)
class Statement:
    """One step: `name` is the table it creates (None for a query whose rows the runner streams)."""

    name: str | None
    sql: str


def _signature_length(num_perm: int) -> int:
    return 4 * math.ceil(8 * num_perm / 3)


def _empty_signature(config: DedupConfig) -> str:
    """The stored signature of a text with no shingles: kept out of the bands, as the index does."""
    values = np.full(config.num_perm, MAX_HASH, dtype=np.uint64)
    return Signature(config.tag, values).to_record()["hashvalues"]


def documents(config: DedupConfig, latest_us: int) -> Statement:
    """One row per article id (the copy readers return), numbered; a publication time later than
    `latest_us` counts as unknown, as in the index; an unusable stored signature is NULL here."""
    return Statement(
        "documents",
        f"""
SELECT row_number() OVER (ORDER BY id) AS doc, id, source, part_order, published, signature, duplicate_of
FROM (
  SELECT id, source, part_order, duplicate_of,
    CASE WHEN unix_micros(published_at) <= {latest_us} THEN unix_micros(published_at) END AS published,
    CASE WHEN minhash.tag = '{config.tag}' AND minhash.byteorder = 'little'
      AND length(minhash.hashvalues) = {_signature_length(config.num_perm)}
      AND regexp_like(minhash.hashvalues, '{_BASE64}')
      THEN minhash.hashvalues END AS signature,
    row_number() OVER (PARTITION BY id ORDER BY part_order DESC) AS copy
  FROM articles
  WHERE id IS NOT NULL
) ranked
WHERE copy = 1""",
    )


def unsigned() -> Statement:
    """Documents whose stored signature is missing, damaged or of other parameters, with their text:
    the runner signs them again into `resigned` (doc, signature)."""
    return Statement(
        None,
        """
SELECT d.doc, a.text
FROM documents d JOIN articles a ON a.id = d.id AND a.part_order = d.part_order
WHERE d.signature IS NULL AND a.text IS NOT NULL
ORDER BY d.doc""",
    )


def band_keys(config: DedupConfig) -> Statement:
    """(band, key, doc) for every band of every signed document with shingles."""
    stride = _VALUE_DIGITS * config.lsh_rows
    key = " || ".join(
        f"substring(s.digits, b.band * {stride} + {row * _VALUE_DIGITS + 1}, {_KEY_DIGITS})"
        for row in range(config.lsh_rows)
    )
    return Statement(
        "band_keys",
        f"""
SELECT b.band, {key} AS key, s.doc, s.published
FROM (
  SELECT signed.doc, d.published, hex(unbase64(signed.signature)) AS digits
  FROM (
    SELECT doc, signature FROM documents WHERE signature IS NOT NULL
    UNION ALL
    SELECT doc, signature FROM resigned
  ) signed JOIN documents d ON d.doc = signed.doc
  WHERE signed.signature <> '{_empty_signature(config)}'
) s CROSS JOIN bands b""",
    )


def buckets() -> Statement:
    """The band keys held by more than one document: the only ones that give candidates."""
    return Statement(
        "buckets",
        """
SELECT k.band, k.key, k.doc, k.published
FROM band_keys k JOIN (
  SELECT band, key FROM band_keys GROUP BY band, key HAVING count(*) > 1
) shared ON shared.band = k.band AND shared.key = k.key""",
    )


def candidates(config: DedupConfig) -> Statement:
    """Pairs (left_doc < right_doc) sharing a band key, published within the window of each other
    (the verifier rejects pairs further apart; an unknown time is within every window)."""
    window_us = int(config.window.total_seconds() * 1_000_000)
    return Statement(
        "candidates",
        f"""
SELECT DISTINCT l.doc AS left_doc, r.doc AS right_doc
FROM buckets l JOIN buckets r ON l.band = r.band AND l.key = r.key AND l.doc < r.doc
WHERE l.published IS NULL OR r.published IS NULL OR abs(l.published - r.published) <= {window_us}""",
    )


def to_verify() -> Statement:
    """Every document of a candidate pair, with what its verifier entry is built from."""
    return Statement(
        None,
        """
SELECT d.doc, d.id, a.text, a.title, d.published, g.agency
FROM documents d
JOIN articles a ON a.id = d.id AND a.part_order = d.part_order
LEFT JOIN agencies g ON g.source = d.source
WHERE d.doc IN (SELECT left_doc FROM candidates UNION SELECT right_doc FROM candidates)""",
    )


ENTRY_COLUMNS = "doc, id, shingles, numbers, exact, published, agency, title"


def candidate_pairs() -> Statement:
    """Each candidate pair with both documents' entries (`entries`, written by the runner)."""
    left = ", ".join(f"l.{column} AS l_{column}" for column in ENTRY_COLUMNS.split(", "))
    right = ", ".join(f"r.{column} AS r_{column}" for column in ENTRY_COLUMNS.split(", "))
    return Statement(
        None,
        f"""
SELECT {left}, {right}
FROM candidates c JOIN entries l ON l.doc = c.left_doc JOIN entries r ON r.doc = c.right_doc""",
    )


def linked_entries() -> Statement:
    """Entries of linked documents with their component (`components`, written by the runner)."""
    return Statement(
        None,
        f"""
SELECT c.component, {", ".join(f"e.{column}" for column in ENTRY_COLUMNS.split(", "))}
FROM components c JOIN entries e ON e.doc = c.doc
ORDER BY c.component, e.doc""",
    )


def component_links() -> Statement:
    """Verified links by component, in the order of `linked_entries`."""
    return Statement(
        None,
        """
SELECT c.component, k.left_doc, k.right_doc, k.kind, k.similarity
FROM links k JOIN components c ON c.doc = k.left_doc
ORDER BY c.component""",
    )


def stale_copies() -> Statement:
    """Documents stored as someone's copy that the re-clustering left alone (`clustered`: doc)."""
    return Statement(
        None,
        """
SELECT d.id FROM documents d
WHERE d.duplicate_of IS NOT NULL AND d.doc NOT IN (SELECT doc FROM clustered)
ORDER BY d.id""",
    )


def retired() -> Statement:
    """Stored clusters (`stored_members`: cluster, version, member; a NULL member for a version
    without members) whose latest version holds a re-clustered document, and whose id the
    re-clustering gave to no cluster (`clustered`: doc, cluster): they are written retired."""
    return Statement(
        None,
        """
SELECT DISTINCT m.cluster
FROM (
  SELECT cluster, member, version, max(version) OVER (PARTITION BY cluster) AS latest FROM stored_members
) m JOIN documents d ON d.id = m.member
WHERE m.version = m.latest AND m.cluster NOT IN (SELECT cluster FROM clustered)
ORDER BY m.cluster""",
    )
