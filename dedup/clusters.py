"""Clusters as a function of the verified links alone, so that the order of arrival cannot change them.

The verifier's links are symmetric and found for every pair in the index, whatever came first; a
connected group of linked documents is then partitioned in rank order (agency copy, earliest
published, longest, id). A document joins a cluster only if it is linked to the cluster's origin, to
more than half of its members, or to one member while resembling the origin too: one member that
resembles two stories (a round-up, a numbered series) cannot chain them together, as with union-find.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from dedup.model import Entry
from dedup.verify import Match, describe

# Links of one document: the other document's id -> the verified match to it.
Links = Mapping[str, Match]
# Whether a document's weaker resemblance to an origin backs up its link to another member.
Corroboration = Callable[[Entry, Entry], bool]


@dataclass(frozen=True)
class Placement:
    """Where a document stands: its cluster, the cluster's origin, and how it matches the origin."""

    cluster: str
    origin: str
    match: str
    similarity: float | None


def rank(entry: Entry) -> tuple[int, float, int, str]:
    """Origin order: an agency's own copy, then the earliest published (unknown last), then the
    longest (the fullest copy holds the truncated ones), then the id."""
    published = entry.published if entry.published is not None else float("inf")
    return (0 if entry.agency else 1, published, -len(entry.shingles), entry.id)


def partition(
    entries: Iterable[Entry], links_of: Mapping[str, Links], corroborates: Corroboration
) -> dict[str, Placement]:
    """Place each document of one linked group: the same answer for the same entries and links."""
    ordered = sorted(entries, key=rank)
    by_id = {entry.id: entry for entry in ordered}
    members: dict[str, list[str]] = {}  # origin -> members, the origin first
    for entry in ordered:
        chosen = _cluster_for([entry.id], members, links_of, by_id, corroborates)
        members.setdefault(entry.id if chosen is None else chosen, []).append(entry.id)
    _settle(members, links_of, by_id, corroborates)
    placed: dict[str, Placement] = {}
    for origin, group in members.items():
        # Named by its first-arrived member: records a crawl already wrote keep naming the cluster
        # as it grows, and as a later, earlier-published copy takes over as origin.
        name = min(group, key=lambda doc_id: (by_id[doc_id].time, doc_id))
        placed[origin] = Placement(name, origin, "origin" if len(group) > 1 else "unique", None)
        for doc_id in group[1:]:
            to_origin = links_of.get(doc_id, {}).get(origin)
            if to_origin is None:  # joined through other members: describe the pair directly
                to_origin = describe(by_id[doc_id], by_id[origin])
            placed[doc_id] = Placement(name, origin, to_origin.kind, round(to_origin.similarity, 4))
    return placed


def _settle(
    members: dict[str, list[str]],
    links_of: Mapping[str, Links],
    by_id: Mapping[str, Entry],
    corroborates: Corroboration,
) -> None:
    """Join clusters to an earlier-ranked one they qualify for, until nothing moves: in rank order a
    copy can come before the siblings that make up most of its cluster (a one-line flash published
    first is linked to the copies that kept the lead, not to those that dropped it)."""
    moved = True
    while moved:
        moved = False
        for origin in list(members):
            earlier = {o: g for o, g in members.items() if rank(by_id[o]) < rank(by_id[origin])}
            chosen = _cluster_for(members[origin], earlier, links_of, by_id, corroborates)
            if chosen is not None:
                members[chosen] += members.pop(origin)
                moved = True


def _cluster_for(
    group: list[str],
    members: Mapping[str, list[str]],
    links_of: Mapping[str, Links],
    by_id: Mapping[str, Entry],
    corroborates: Corroboration,
) -> str | None:
    """The cluster `group` (a document, or a cluster with its origin first) joins: its origin linked
    to the cluster's origin, else more than half of the pairs between them linked, else (a single
    document) linked to one member with weaker evidence against the origin itself, as a rewritten lead
    or a truncation leaves less of the origin than of a sibling copy. Among several: the strongest
    link to an origin, then the densest links, then the first ranked."""
    head = group[0]
    best: tuple[bool, float, float] | None = None
    chosen = None
    for origin, others in members.items():
        to_origin = links_of.get(head, {}).get(origin)
        support = sum(1 for doc_id in group for other in others if other in links_of.get(doc_id, {}))
        pairs = len(group) * len(others)
        lone_link = len(group) == 1 and support > 0
        if (
            to_origin is None
            and 2 * support <= pairs
            and not (lone_link and corroborates(by_id[head], by_id[origin]))
        ):
            continue
        score = (to_origin is not None, to_origin.similarity if to_origin else 0.0, support / pairs)
        if best is None or score > best:
            best, chosen = score, origin
    return chosen
