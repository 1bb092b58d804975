"""Name slots: the proper names a story puts in each phrase, to tell a recurring template from a copy.

A wire template keeps its wording and changes its names ("... in Russia's capital, Moscow, which
resulted in ..." one day, "... in Somalia's capital, Mogadishu, which resulted in ..." another); a copy
keeps the names of the phrases it shares. For every run of proper-name tokens the document records the
phrase around it (the two words before, the two words after) with the run's tokens; two documents
*substitute* a name when one of those phrases holds, in each, names the other document never mentions.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import xxhash

from dedup.normalize import strip_boilerplate

# Figures are read whole ("34.17", "16,167"), so their points and commas end no sentence.
_WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+|[.!?]")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_STOPS = frozenset(".!?")
# Weekdays and months change between copies (a day-after rewrite says "on Tuesday" for "on Monday")
# and are never what tells two stories apart. (English names: Python keeps the C locale for
# LC_TIME unless a program asks for another.)
_CALENDAR = frozenset(
    name.casefold()
    for name in (*calendar.day_name, *calendar.day_abbr, *calendar.month_name, *calendar.month_abbr, "Sept")
    if name
)
# The first words of a line: where datelines, credits and captions sit (see `name_slots`).
LINE_HEAD = 8
CONTEXT = 2
# A row (0, token) lists a name of the document; (phrase, token) puts the token in a phrase.
_NAME_ROW = 0
_MAGIC = np.uint32(0xFFFFFFFF)


def name_slots(text: str) -> np.ndarray:
    """(phrase, token) fingerprint pairs as an (n, 2) uint32 array, plus (0, token) for every name."""
    words, sentence_start, line_position = _words(strip_boilerplate(unicodedata.normalize("NFKC", text)))
    lower = {w for w in words if w[0].islower()}
    inside = {w for w, start in zip(words, sentence_start, strict=True) if not start and w[0].isupper()}
    # A name is capitalised inside a sentence somewhere and never written in lower case: sentence-initial
    # words ("However", "The") and capitalised common words fail one of the two.
    folded = {w: w.casefold() for w in inside}
    names = {w for w, f in folded.items() if f not in lower and f not in _CALENDAR}
    hashes = {w: _hash(folded[w]) for w in names}
    # Figures fill a template's slots as names do ("India reported 15,906 new cases" one day, "41,831"
    # another); a copy repeats the figures of the phrases it shares. Figure tokens are odd, name
    # tokens even, so a slot tells which it holds.
    figures = {w for w in words if _is_figure(w)}
    hashes.update((w, _hash(w.replace(",", "")) | 1) for w in figures)
    if not hashes:
        return np.zeros((0, 2), dtype=np.uint32)
    rows: set[tuple[int, int]] = {(_NAME_ROW, h) for h in hashes.values()}
    for i, end in _runs([w in figures if w in hashes else None for w in words]):
        # A line's head is where datelines, credits and captions sit ("Sharjah 24 - WAM: The UAE");
        # outlets rewrite them, so their names are not compared. Its figures are: a headline or a
        # lead without a dateline opens with the story's figures ("India reports 15,906 new cases").
        if line_position[i] < LINE_HEAD and words[i] not in figures:
            continue
        # A phrase anchored on a name ("officials in Rosario") says who else was there, not which
        # event it was: only phrases of common words frame a template's name slots. A figure's
        # phrase may hold names ("India reported 15,906"), not other figures.
        framing = figures if words[i] in figures else hashes.keys()
        tokens = [hashes[w] for w in words[i:end]]
        for side, phrase in (("<", words[max(0, i - CONTEXT) : i]), (">", words[end : end + CONTEXT])):
            if len(phrase) == CONTEXT and not any(w in framing for w in phrase):
                key = _hash(side + " ".join(phrase).casefold()) | 1
                rows.update((key, token) for token in tokens)
    return np.array(sorted(rows), dtype=np.uint32).reshape(-1, 2)


@dataclass(frozen=True)
class Substitutions:
    """What two documents put in the phrases they share, each with what the other never mentions."""

    phrases: int  # shared phrases whose names differ
    figures: int  # distinct figures of `left` in shared phrases whose figures differ


def substituted(left: np.ndarray, right: np.ndarray) -> Substitutions:
    """The shared phrases that hold, in each document, only names or figures the other never mentions."""
    if len(left) == 0 or len(right) == 0:
        return Substitutions(0, 0)
    names_left, phrases_left = _split(left)
    names_right, phrases_right = _split(right)
    phrases = 0
    figures: set[int] = set()
    for phrase in phrases_left.keys() & phrases_right.keys():
        if not (phrases_left[phrase] & names_right) and not (phrases_right[phrase] & names_left):
            if all(token & 1 for token in phrases_left[phrase] | phrases_right[phrase]):
                figures.update(phrases_left[phrase])
            else:
                phrases += 1
    return Substitutions(phrases, len(figures))


def pack(figures: np.ndarray, slots: np.ndarray) -> bytes:
    """One byte string for the index: a marker, the figure codes, then the name slots."""
    head = np.array([_MAGIC, len(figures)], dtype=np.uint32)
    return np.concatenate((head, figures.astype(np.uint32), slots.astype(np.uint32).ravel())).tobytes()


def unpack(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The figure codes and the (n, 2) name slots of a packed byte string. An entry written before
    this layout (figure hashes, no marker) has neither: its hashes cannot be compared with codes, so
    the figure tests pass it by until it leaves the window."""
    parts = packed_parts(raw)
    return parts if parts is not None else (np.zeros(0, dtype=np.uint32), np.zeros((0, 2), dtype=np.uint32))


def packed_parts(raw: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """The figure codes and name slots when `raw` is laid out as `pack` writes it, else None."""
    values = np.frombuffer(raw, dtype=np.uint32) if len(raw) % 4 == 0 else np.zeros(0, dtype=np.uint32)
    if len(values) < 2 or values[0] != _MAGIC:
        return None
    count = int(values[1])
    slots = values[2 + count :]
    if len(values) < 2 + count or len(slots) % 2:
        return None
    return values[2 : 2 + count], slots.reshape(-1, 2)


def _runs(kinds: list[bool | None]) -> list[tuple[int, int]]:
    """(start, end) of each run of slot tokens of one kind (None: not a slot token)."""
    runs = []
    i = 0
    while i < len(kinds):
        end = i + 1
        while kinds[i] is not None and end < len(kinds) and kinds[end] == kinds[i]:
            end += 1
        if kinds[i] is not None:
            runs.append((i, end))
        i = end
    return runs


def _is_figure(word: str) -> bool:
    return bool(_FIGURE.fullmatch(word)) and sum(c.isdigit() for c in word) >= 2


def _split(slots: np.ndarray) -> tuple[set[int], dict[int, set[int]]]:
    names: set[int] = set()
    phrases: dict[int, set[int]] = {}
    for phrase, token in slots.tolist():
        if phrase == _NAME_ROW:
            names.add(token)
        else:
            phrases.setdefault(phrase, set()).add(token)
    return names, phrases


def _words(text: str) -> tuple[list[str], list[bool], list[int]]:
    """Words, whether each starts a sentence, and its position in its line."""
    words: list[str] = []
    starts: list[bool] = []
    positions: list[int] = []
    for line in text.split("\n"):
        start, position = True, 0
        for word in _WORD.findall(line):
            if word in _STOPS:
                start = True
                continue
            words.append(word)
            starts.append(start)
            positions.append(position)
            position += 1
            start = False
    return words, starts, positions


def _hash(value: str) -> int:
    # 16 bits: a slot row then codes in about 3 bytes in the index (dedup/entry_codec.py); two names of
    # a pair of documents collide once in 65,536, which at worst spares a template one veto.
    return xxhash.xxh32_intdigest(value.encode("utf-8")) & 0xFFFE
