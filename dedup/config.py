"""DedupConfig: every tunable of the dedup library in one frozen object, with the chosen defaults.

The defaults were chosen on the evaluation set in eval/syndication (see docs/dedup.md for the sweep).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any, Protocol

# A crawl sets each field as DEDUP_<FIELD>, a duration in days as DEDUP_<FIELD>_DAYS.
SETTING_PREFIX = "DEDUP_"


class Settings(Protocol):
    """What `from_settings` reads: Scrapy's Settings, or a plain dict of setting names."""

    def get(self, name: str, default: Any = None, /) -> Any: ...


@dataclass(frozen=True)
class DedupConfig:
    """Parameters of signatures, candidate search, the verifier and the index window."""

    num_perm: int = 128
    shingle_size: int = 5
    version: int = 1
    # LSH banding over the 128 values: one row per band catches copies down to Jaccard ~0.05, which
    # truncated copies need (a 1/4-length lead has Jaccard ~0.1 with its original); the verifier
    # removes the extra candidates on real shingle sets.
    lsh_bands: int = 64
    lsh_rows: int = 1
    # Verifier: a copy is accepted on Jaccard (edited copies) or on containment of the smaller
    # document in the larger (truncated copies), with a floor of shared shingles so that one shared
    # quote never makes a short story a copy.
    jaccard_threshold: float = 0.13
    containment_threshold: float = 0.35
    min_shared_shingles: int = 8
    # Below this many shingles (the smaller document) the Jaccard threshold rises with sqrt(this / size):
    # short pages that share boilerplate or stock phrases reach Jaccard 0.13-0.16 without being copies.
    short_text_shingles: int = 150
    # A document linked to one member of a cluster (not its origin, not most members) joins it only if
    # it also resembles the origin at this fraction of the thresholds; otherwise one member that
    # resembles two stories (a numbered series) would chain them as union-find does.
    corroboration_leniency: float = 0.3
    # Recurring wire templates (daily bulletins, monthly figures) share 0.3-0.4 Jaccard across days;
    # copies of one story appear within a day or two. Beyond this gap only near-verbatim copies count.
    max_copy_gap: timedelta = timedelta(days=3)
    distant_jaccard_threshold: float = 0.8
    # Templates also differ in their figures while copies repeat them: when both documents report at
    # least `min_figures` numbers and share under `figure_agreement` of the smaller set, they differ.
    min_figures: int = 2
    figure_agreement: float = 0.3
    # Templates also keep their phrases and change their names ("in Russia's capital, Moscow, which"
    # against "in Somalia's capital, Mogadishu, which"): this many shared phrases naming, on each side,
    # only what the other document never mentions make two documents different stories (0: off).
    name_substitutions: int = 1
    # Likewise figures: this many figures that a shared phrase gives differently ("India reported 15,906
    # new cases" against "41,831") make a template's other issue. One is a subeditor's correction.
    figure_substitutions: int = 3
    # Two documents published further apart than this are never compared. Documents leave the index
    # `window + retention_margin` after they *arrived*, so a crawl that meets a window's articles in
    # any order within the margin still compares every pair of them.
    window: timedelta = timedelta(days=30)
    retention_margin: timedelta = timedelta(days=1)
    # Pages misdate articles into the future (a wrong year, day and month swapped). A publication time
    # later than the wall clock plus this (time-zone slips stay within a day) counts as unknown: as the
    # index clock it would evict the whole window, and every later document at its next add.
    max_future: timedelta = timedelta(days=1)

    def __post_init__(self) -> None:
        if self.lsh_bands * self.lsh_rows > self.num_perm:
            raise ValueError(
                f"lsh_bands * lsh_rows = {self.lsh_bands * self.lsh_rows} exceeds num_perm={self.num_perm}; "
                "lower the bands or rows, or raise num_perm"
            )
        if self.shingle_size < 1 or self.num_perm < 1:
            raise ValueError("shingle_size and num_perm must be at least 1")
        if self.window <= timedelta(0):
            raise ValueError(f"window must be positive, got {self.window}; e.g. timedelta(days=30)")
        self._check_ranges()

    def _check_ranges(self) -> None:
        # A similarity threshold above 1 matches nothing and a negative count or gap matches
        # everything: either turns dedup off or on wholesale without a word, so both are refused.
        for field in fields(self):
            value = getattr(self, field.name)
            name = f"{field.name} ({self.setting_name(field.name)})"
            if isinstance(value, float) and not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} is a fraction between 0 and 1, got {value}")
            if isinstance(value, int) and value < 0:
                raise ValueError(f"{name} is a count of at least 0, got {value}")
            if isinstance(value, timedelta) and value < timedelta(0):
                raise ValueError(f"{name} is a duration of at least 0 days, got {value}")

    @property
    def tag(self) -> str:
        """Parameter tag stored with every signature; signatures with other tags are never compared."""
        return f"mh{self.num_perm}-w{self.shingle_size}-v{self.version}"

    @staticmethod
    def setting_name(field_name: str) -> str:
        """The crawl setting for a field: `jaccard_threshold` is DEDUP_JACCARD_THRESHOLD, `window` DEDUP_WINDOW_DAYS."""
        days = "_DAYS" if isinstance(getattr(DedupConfig, field_name, None), timedelta) else ""
        return f"{SETTING_PREFIX}{field_name.upper()}{days}"

    def as_settings(self) -> dict[str, int | float]:
        """This config as crawl settings, durations in days."""
        values: dict[str, int | float] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            values[self.setting_name(field.name)] = (
                value / timedelta(days=1) if isinstance(value, timedelta) else value
            )
        return values

    @classmethod
    def from_settings(cls, settings: Settings) -> DedupConfig:
        """The config the DEDUP_* settings describe; a name the settings lack keeps its default here.
        ValueError names the setting whose value does not convert."""
        changes: dict[str, Any] = {}
        for field in fields(cls):
            name = cls.setting_name(field.name)
            value = settings.get(name)
            if value is None:
                continue
            kind = type(getattr(cls, field.name))
            try:
                changes[field.name] = timedelta(days=float(value)) if kind is timedelta else kind(value)
            except (TypeError, ValueError):
                expected = {int: "a whole number", float: "a number"}.get(kind, "a number of days")
                raise ValueError(f"{name}={value!r}: give {expected}") from None
        return cls(**changes)
