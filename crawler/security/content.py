"""Judge a body's bytes before anyone reads them: binary or text, and which charset really applies.

Pure: no Scrapy. `looks_binary(body)` names the binary kind or returns None; `choose_encoding(...)`
picks the charset that decodes the body, where the declared ones are wrong or conflict.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import read_bom, resolve_encoding

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF8", "gif"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"RIFF", "riff"),
    (b"\x00\x00\x00", "binary"),
)
# C0 controls other than tab, newline, form feed and carriage return, and NUL.
_CONTROL = bytes(sorted(set(range(32)) - {9, 10, 12, 13}))
_SNIFF_BYTES = 4096
_SINGLE_BYTE = {"cp1252", "latin_1", "iso8859-1", "ascii"}

# Issues `choose_encoding` reports (stats `content/charset_<issue>_count`).
CORRECTED = "corrected"  # declared a single-byte charset, the body is valid UTF-8
CONFLICT = "conflict"  # the header's charset fails, the page's <meta> charset works
INVALID = "invalid"  # no charset decodes it cleanly: undecodable bytes become U+FFFD


def looks_binary(body: bytes) -> str | None:
    """The kind of binary data `body` starts with ("png", "pdf", "control-bytes"), or None for text."""
    head = body[:_SNIFF_BYTES]
    if read_bom(head)[0] is not None:
        return None  # UTF-16/32 text is full of NULs and still text
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if not head:
        return None
    controls = len(head) - len(head.translate(None, _CONTROL))  # one pass in C, not one per byte
    return "control-bytes" if controls * 10 > len(head) else None


def choose_encoding(
    body: bytes, header_charset: str | None, meta_charset: str | None
) -> tuple[str, str | None]:
    """The codec to decode `body` with and the issue met on the way (None, or one of the constants).

    A BOM wins, then the first declared charset that decodes the body strictly (the header before
    the <meta>, as in browsers), then UTF-8. A single-byte declaration loses to valid UTF-8.
    """
    bom_encoding, _ = read_bom(body)
    if bom_encoding is not None:
        return resolve_encoding(bom_encoding) or "utf-8", None
    candidates: list[str] = []
    for name in (header_charset, meta_charset):
        codec = resolve_encoding(name) if name else None
        if codec and codec not in candidates:
            candidates.append(codec)
    for index, codec in enumerate(candidates):
        if not _decodes(body, codec):
            continue
        if _normal(codec) in _SINGLE_BYTE and not body.isascii() and _decodes(body, "utf-8"):
            return "utf-8", CORRECTED
        return codec, None if index == 0 else CONFLICT
    if _decodes(body, "utf-8"):
        return "utf-8", CORRECTED if candidates else None
    return (candidates[0] if candidates else "utf-8"), INVALID


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _normal(codec: str) -> str:
    try:
        return codecs.lookup(codec).name
    except LookupError:
        return codec
