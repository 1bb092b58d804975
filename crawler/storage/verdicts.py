"""Current dedup verdicts of stored articles, from the stored cluster versions.

An article record keeps the verdict its run gave when it stored it. A later document can change it:
an earlier-published copy or the agency's own takes over as origin, two clusters merge, a member moves
to another cluster. The run that changed it stores new versions of the clusters involved, not the
other runs' article records, so readers overlay the cluster versions on the records: a member's
`cluster_id`, `match`, `similarity` and `duplicate_of` come from the newest version that lists it,
and an article whose own cluster was rewritten without it (and that no other version lists) stands
alone. Read this way, an origin has `duplicate_of` null and `match` "origin" (or "unique" when alone),
and every copy names its cluster's origin.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from crawler.storage.shapes import member_id

_OWN_VERDICT = ("origin", "unique")
VERDICT_COLUMNS = pa.schema(
    [
        ("id", pa.string()),
        ("cluster_id", pa.string()),
        ("match", pa.string()),
        ("similarity", pa.float64()),
        ("duplicate_of", pa.string()),
    ]
)


@dataclass(frozen=True)
class Membership:
    """Where the newest cluster versions place one article."""

    cluster_id: str
    origin: str | None
    match: str | None
    similarity: float | None


class Verdicts:
    """Built from every stored cluster version in commit order (`Reader.cluster_versions`)."""

    def __init__(self, versions: Iterable[dict[str, Any]]) -> None:
        latest: dict[str, tuple[tuple[str, int], dict[str, Any]]] = {}
        for position, cluster in enumerate(versions):
            # A later commit replaces an earlier version of the same cluster.
            latest[cluster["id"]] = ((str(cluster.get("updated_at") or ""), position), cluster)
        self.clusters = {cluster_id: cluster for cluster_id, (_order, cluster) in latest.items()}
        placed: dict[str, tuple[tuple[str, int], Membership]] = {}
        for order, cluster in latest.values():
            for member in cluster["members"]:
                article_id = member_id(member)
                if article_id is None:
                    continue
                # Two workers that committed at once can leave one article in the newest version of
                # two clusters; the version written later is the one the index holds now.
                if article_id in placed and placed[article_id][0] > order:
                    continue
                placed[article_id] = (order, _membership(cluster, member, article_id))
        self.members = {article_id: membership for article_id, (_order, membership) in placed.items()}

    def origins(self) -> dict[str, str]:
        """Article id → its cluster's current origin, for members of clusters that have one."""
        return {a: m.origin for a, m in self.members.items() if m.origin is not None}

    def table(self) -> pa.Table:
        """One row per article some cluster lists, with its current verdict: a table to join on `id`
        where the article records are read without the Reader (DuckDB, Spark)."""
        rows = [
            self.current({"id": article_id, "cluster_id": membership.cluster_id})
            for article_id, membership in sorted(self.members.items())
        ]
        return pa.Table.from_pylist(rows, schema=VERDICT_COLUMNS)

    def current(self, record: dict[str, Any]) -> dict[str, Any]:
        """`record` with its dedup fields as the newest cluster versions give them (the same dict when
        no version speaks of it)."""
        membership = self.members.get(record["id"])
        if membership is None:
            if record.get("cluster_id") not in self.clusters:
                return record  # never part of a stored cluster: the run's verdict stands
            # Its cluster was rewritten without it, and no newer version lists it: it stands alone.
            membership = Membership(record["id"], record["id"], "unique", None)
        is_origin = membership.origin == record["id"] or membership.match in _OWN_VERDICT
        return {
            **record,
            "cluster_id": membership.cluster_id,
            "match": membership.match,
            "similarity": None if is_origin else membership.similarity,
            "duplicate_of": None if is_origin else membership.origin,
        }


def _membership(cluster: dict[str, Any], member: Any, article_id: str) -> Membership:
    origin = cluster.get("origin")
    if isinstance(member, dict):
        match, similarity = member.get("match"), member.get("similarity")
    else:  # the older form lists bare ids
        match, similarity = ("origin" if article_id == origin else "near"), None
    if article_id == origin and match not in _OWN_VERDICT:
        match = "origin" if len(cluster["members"]) > 1 else "unique"
    return Membership(cluster["id"], origin, match, similarity)
