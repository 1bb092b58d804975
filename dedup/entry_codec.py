"""An index `Entry` as compact bytes and back, losslessly: what both index states keep per document.

The shingle fingerprints (sorted, unique), and the figures and name slots the verifier compares
(`dedup.names.pack`), are Elias-Fano coded, about log2(universe / n) + 2 bits each; the arrival time comes first at a fixed offset, so eviction reads it without decoding the rest.
"""

from __future__ import annotations

import math
import re
import struct
from typing import Final

import numpy as np

from dedup.model import Entry
from dedup.names import pack, packed_parts

VERSION: Final = 1
# Every field of Entry this codec carries; a test fails when Entry gains one that is not listed here.
CARRIED: Final = ("id", "shingles", "numbers", "exact", "published", "agency", "time", "title")
_HEAD = struct.Struct("<Bdd")  # version, time, published (NaN: unknown)
TIME_OFFSET: Final = 1
_HEX128 = re.compile("[0-9a-f]{32}")


class EntryCodecError(ValueError):
    """Bytes that are not an entry of this codec's version."""


def encode(entry: Entry) -> bytes:
    published = math.nan if entry.published is None else entry.published
    parts = [_HEAD.pack(VERSION, entry.time, published)]
    for text in (entry.id, entry.agency, entry.title):
        parts.append(_string(None if text is None else text.encode()))
    parts.append(_exact(entry.exact))
    parts.append(pack_sorted(np.frombuffer(entry.shingles, dtype=np.uint32)))
    parts.append(_numbers(entry.numbers))
    return b"".join(parts)


def decode(raw: bytes) -> Entry:
    if not raw or raw[0] != VERSION:
        raise EntryCodecError(f"not an index entry of codec version {VERSION}: {raw[:8]!r}")
    _, time, published = _HEAD.unpack_from(raw)
    at = _HEAD.size
    texts = []
    for _ in range(3):
        value, at = _read_string(raw, at)
        texts.append(value)
    doc_id, agency, title = texts
    exact, at = _read_exact(raw, at)
    shingles, at = unpack_sorted(raw, at)
    numbers, at = _read_numbers(raw, at)
    return Entry(
        id=doc_id or "", shingles=shingles.tobytes(), numbers=numbers, exact=exact,
        published=None if math.isnan(published) else published, agency=agency, time=time, title=title or "",
    )  # fmt: skip


def arrival_time(raw: bytes) -> float:
    """The entry's arrival time (the index clock), read at its fixed offset."""
    return float(struct.unpack_from("<d", raw, TIME_OFFSET)[0])


def read_id(raw: bytes) -> str:
    """The entry's id, read without decoding the rest (it is the first field after the head)."""
    value, _ = _read_string(raw, _HEAD.size)
    return value or ""


def pack_sorted(values: np.ndarray) -> bytes:
    """Elias-Fano code of a sorted array of unique uint32: the low `low` bits of each value packed
    flat, the rest in unary as a bitmap (bit high_i + i set)."""
    count = len(values)
    if count == 0:
        return _varint(0)
    values = values.astype(np.uint64)
    top = int(values[-1])
    low = max(0, math.floor(math.log2((top + 1) / count))) if top + 1 > count else 0
    high = values >> np.uint64(low)
    bitmap = np.zeros(int(high[-1]) + count, dtype=np.uint8)
    bitmap[high.astype(np.int64) + np.arange(count)] = 1
    parts = [_varint(count), bytes([low]), _varint(int(high[-1]))]
    if low:
        shifts = np.arange(low - 1, -1, -1, dtype=np.uint64)
        bits = ((values[:, None] >> shifts) & np.uint64(1)).astype(np.uint8)
        parts.append(np.packbits(bits.ravel()).tobytes())
    parts.append(np.packbits(bitmap).tobytes())
    return b"".join(parts)


def unpack_sorted(raw: bytes, at: int, dtype: type = np.uint32) -> tuple[np.ndarray, int]:
    count, at = _read_varint(raw, at)
    if count == 0:
        return np.zeros(0, dtype=dtype), at
    low = raw[at]
    top_high, at = _read_varint(raw, at + 1)
    values = np.zeros(count, dtype=np.uint64)
    if low:
        size = (count * low + 7) // 8
        bits = np.unpackbits(np.frombuffer(raw, np.uint8, size, at))[: count * low].reshape(count, low)
        weights = np.uint64(1) << np.arange(low - 1, -1, -1, dtype=np.uint64)
        values = bits.astype(np.uint64) @ weights
        at += size
    length = top_high + count
    size = (length + 7) // 8
    bitmap = np.unpackbits(np.frombuffer(raw, np.uint8, size, at))[:length]
    high = (np.flatnonzero(bitmap)[:count] - np.arange(count)).astype(np.uint64)
    return ((high << np.uint64(low)) | values).astype(dtype), at + size


_FIGURES_AND_NAMES, _SORTED, _RAW = 1, 2, 3


def _numbers(raw: bytes) -> bytes:
    """`Entry.numbers` coded by its layout: figures and name slots (each slot row one 32- or 64-bit
    value), a sorted set of fingerprints, or anything else as the bytes it is. Elias-Fano needs each
    coded sequence strictly increasing, which `dedup.names.pack` and sorted fingerprints both give."""
    parts = packed_parts(raw)
    if parts is not None:
        figures, slots = parts
        shift = 16 if len(slots) == 0 or int(slots.max()) < 1 << 16 else 32
        rows = (slots[:, 0].astype(np.uint64) << np.uint64(shift)) | slots[:, 1].astype(np.uint64)
        if _increasing(figures) and _increasing(rows):
            return bytes([_FIGURES_AND_NAMES, shift]) + pack_sorted(figures) + pack_sorted(rows)
    if len(raw) % 4 == 0 and _increasing(values := np.frombuffer(raw, dtype=np.uint32)):
        return bytes([_SORTED]) + pack_sorted(values)
    return bytes([_RAW]) + _string(raw)


def _increasing(values: np.ndarray) -> bool:
    return bool(np.all(values[1:] > values[:-1]))


def _read_numbers(raw: bytes, at: int) -> tuple[bytes, int]:
    layout, at = raw[at], at + 1
    if layout == _FIGURES_AND_NAMES:
        shift = np.uint64(raw[at])
        figures, at = unpack_sorted(raw, at + 1)
        rows, at = unpack_sorted(raw, at, np.uint64)
        low = (np.uint64(1) << shift) - np.uint64(1)
        slots = np.stack([rows >> shift, rows & low], axis=1).astype(np.uint32)
        return pack(figures, slots), at
    if layout == _SORTED:
        values, at = unpack_sorted(raw, at)
        return values.tobytes(), at
    length, at = _read_varint(raw, at)
    return raw[at : at + length - 1], at + length - 1


def _exact(exact: str | None) -> bytes:
    """The exact hash: a 128-bit hex digest (what signatures give) as its 16 bytes, anything else as text."""
    if exact is not None and _HEX128.fullmatch(exact):
        return b"\x01" + bytes.fromhex(exact)
    return b"\x00" + _string(None if exact is None else exact.encode())


def _read_exact(raw: bytes, at: int) -> tuple[str | None, int]:
    if raw[at] == 1:
        return raw[at + 1 : at + 17].hex(), at + 17
    return _read_string(raw, at + 1)


def _string(value: bytes | None) -> bytes:
    """None as 0, else the length plus one and the bytes."""
    if value is None:
        return _varint(0)
    return _varint(len(value) + 1) + value


def _read_string(raw: bytes, at: int) -> tuple[str | None, int]:
    length, at = _read_varint(raw, at)
    if length == 0:
        return None, at
    return raw[at : at + length - 1].decode(), at + length - 1


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _read_varint(raw: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = raw[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7
