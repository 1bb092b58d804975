"""Renders a run report as the plain-text summary table printed at the end of a crawl."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# (header, row key, renderer) in column order.
_COLUMNS = (
    ("source", "source", str),
    ("discovered", "discovered", str),
    ("known", "known", str),  # announced again, not fetched: what a quiet run shows instead of new URLs
    ("fetched", "fetched", str),
    ("stored", "stored", str),
    ("dups", "duplicates", str),
    ("dropped", "dropped", lambda reasons: str(sum(reasons.values()))),
    ("http err", "http_errors", str),
    ("median chars", "median_text_length", lambda value: "-" if value is None else f"{value:.0f}"),
    ("author", "author_share", lambda value: "-" if value is None else f"{value:.0%}"),
    ("date", "date_share", lambda value: "-" if value is None else f"{value:.0%}"),
    ("flags", "flags", ", ".join),
)
_TEXT_COLUMNS = {"source", "flags"}


def format_summary_table(report: Mapping[str, Any]) -> str:
    """One line per source plus a total line, then drop reasons and anomaly messages, if any."""
    sources = report.get("sources", {})
    lines = [[header for header, _, _ in _COLUMNS]]
    for source_id, row in sources.items():
        lines.append([render(source_id if key == "source" else row[key]) for _, key, render in _COLUMNS])
    lines.append(_total_line(report.get("totals", {})))
    widths = [max(len(line[i]) for line in lines) for i in range(len(_COLUMNS))]
    out = [_join(line, widths) for line in lines]
    out.insert(1, _join(["-" * width for width in widths], widths))
    out.insert(len(out) - 1, out[1])
    out.extend(_drop_lines(sources))
    # Rare, so listed below rather than as a column of zeros: each reserved outlet and what it cost.
    out.extend(_reserved_lines(report.get("tdm_reserved") or {}))
    anomalies = report.get("anomalies", [])
    if anomalies:
        out.append("")
        out.append(f"{len(anomalies)} anomal{'y' if len(anomalies) == 1 else 'ies'}:")
        out.extend(f"  ! {anomaly['message']}" for anomaly in anomalies)
    return "\n".join(out)


def _total_line(totals: Mapping[str, Any]) -> list[str]:
    cells = {"source": "TOTAL", "dropped": str(totals.get("dropped", 0))}
    line = []
    for header, key, _ in _COLUMNS:
        default = str(totals.get(key, 0)) if key in totals else ""
        line.append(cells.get(header, default))
    return line


def _join(cells: list[str], widths: list[int]) -> str:
    parts = []
    for (header, _, _), cell, width in zip(_COLUMNS, cells, widths, strict=True):
        parts.append(cell.ljust(width) if header in _TEXT_COLUMNS else cell.rjust(width))
    return "  ".join(parts).rstrip()


def _drop_lines(sources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    lines = []
    for source_id, row in sources.items():
        reasons = row.get("dropped") or {}
        if reasons:
            listed = ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items()))
            lines.append(f"  {source_id}: {listed}")
    return ["", "dropped by reason:", *lines] if lines else []


def _reserved_lines(outlets: Mapping[str, Mapping[str, Any]]) -> list[str]:
    lines = []
    for source_id, stance in outlets.items():
        policy = f", policy {stance['policy']}" if stance.get("policy") else ""
        lines.append(
            f"  {source_id}: by {stance['signal']}{policy}; {stance.get('skipped', 0)} page(s) skipped"
        )
    return ["", "text and data mining reserved:", *lines] if lines else []
