"""Judge a body's bytes before anyone reads them: binary or text, and which charset really applies.

Pure: no Scrapy. `looks_binary(body)` names the binary kind or returns None; `choose_encoding(...)`
picks the charset that decodes the body, where the declared ones are wrong, conflict or name no text
encoding at all.
"""

from __future__ import annotations

from w3lib.encoding import read_bom, resolve_encoding

from crawler.security.charsets import meta_codec, text_codec

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

# Issues `choose_encoding` reports (stats `content/charset_<issue>_count`).
CORRECTED = "corrected"  # declared a single-byte charset, the body is valid UTF-8
CONFLICT = "conflict"  # the header's charset fails, the page's <meta> charset works
INVALID = "invalid"  # no charset decodes it cleanly: undecodable bytes become U+FFFD
UNKNOWN = "unknown"  # declared a label that names no text encoding (`zlib`, `rot13`, `x-no-such`)


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


def choose_encoding(body: bytes, header_label: str | None, meta_label: str | None) -> tuple[str, str | None]:
    """The codec to decode `body` with and the issue met on the way (None, or one of the constants).

    The labels are as written in the Content-Type header and the page's <meta>; only those the WHATWG
    Encoding Standard names count (`zlib`, `rot13`, `utf-7` are UNKNOWN). A BOM wins, then the first
    declared charset that decodes the body strictly (the header before the <meta>, as in browsers),
    then UTF-8, then (nothing usable declared) windows-1252. A single-byte declaration loses to valid
    UTF-8.
    """
    bom_encoding, _ = read_bom(body)
    if bom_encoding is not None:
        return resolve_encoding(bom_encoding) or "utf-8", None
    header, meta = text_codec(header_label), meta_codec(meta_label)
    candidates = list(dict.fromkeys(codec for codec in (header, meta) if codec))
    unknown = bool((header_label and not header) or (meta_label and not meta))
    for index, codec in enumerate(candidates):
        if not _decodes(body, codec):
            continue
        if codec == "cp1252" and not body.isascii() and _decodes(body, "utf-8"):
            return "utf-8", CORRECTED
        return codec, UNKNOWN if unknown else (None if index == 0 else CONFLICT)
    if _decodes(body, "utf-8"):
        return "utf-8", CORRECTED if candidates else (UNKNOWN if unknown else None)
    if not candidates and _decodes(body, "cp1252"):
        return "cp1252", UNKNOWN if unknown else None  # what browsers assume without a usable label
    return (candidates[0] if candidates else "utf-8"), INVALID


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except UnicodeDecodeError:
        return False
    return True
