"""A strict reader of the Prometheus text format, so tests check what a scraper would accept."""

from __future__ import annotations

import re

_SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>.*)\})? (?P<value>\S+)$")
_LABEL = re.compile(r'(?P<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?P<value>(?:[^"\\]|\\.)*)"(?:,|$)')


def parse(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """{(metric, labels): value}; raises AssertionError on anything a Prometheus scraper would reject."""
    assert text.endswith("\n"), "exposition must end with a newline"
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    typed: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert kind in {"counter", "gauge"}, line
            assert name not in typed, f"TYPE twice for {name}"
            typed[name] = kind
            continue
        if line.startswith("# HELP "):
            continue
        match = _SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        assert match["name"] in typed, f"sample before its TYPE line: {line!r}"
        labels = _labels(match["labels"] or "")
        key = (match["name"], labels)
        assert key not in samples, f"duplicate sample {line!r}"
        samples[key] = float(match["value"])
    return samples


def _labels(text: str) -> frozenset[tuple[str, str]]:
    pairs = []
    position = 0
    while position < len(text):
        match = _LABEL.match(text, position)
        assert match, f"bad labels {text!r}"
        value = match["value"].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
        pairs.append((match["key"], value))
        position = match.end()
    return frozenset(pairs)


def value(samples: dict, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]
