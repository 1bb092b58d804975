"""Bytes to a parsed lxml tree: size cap before parsing, BOMs, charsets, binary sniffing, control bytes."""

from __future__ import annotations

import codecs
import re

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from crawler.extract.errors import BadInput, NotHtml, TooLarge
from crawler.security.charsets import header_label, meta_codec, meta_label, text_codec

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"\x00\x00\x01\x00",
)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain")
# lxml refuses strings with XML-invalid control characters, so they go before parsing.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Multi-byte characters per broken sequence above which a page that is not strictly UTF-8 is read as
# UTF-8 with replacement marks instead of in its declared (or the fallback) 8-bit charset.
UTF8_GOOD_PER_BROKEN = 20
_BINARY_BYTES = bytes(range(9)) + bytes(range(14, 27)) + bytes(range(28, 32))


def parse_body(body: bytes, content_type: str | None, max_bytes: int) -> HtmlElement:
    """Decode and parse a response body, or raise the `BadInput` subclass that says why not."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise BadInput(f"body must be bytes, got {type(body).__name__}; pass response.body")
    body = body if isinstance(body, bytes) else bytes(body)
    if len(body) > max_bytes:
        raise TooLarge(f"body is {len(body)} bytes, over the {max_bytes}-byte cap")
    if not body.strip():
        raise BadInput("empty body")
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and not mime.startswith(_HTML_TYPES) and "html" not in mime:
        raise NotHtml(f"content type {mime!r} is not HTML")
    text = decode(body, content_type)
    if "<" not in text:
        raise NotHtml("no markup in the body")
    # lxml refuses str input that carries an XML encoding declaration; the text is decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        tree = load_html(text)
    except (ValueError, TypeError, LookupError) as error:  # lxml's parse errors are ValueError subclasses
        raise BadInput(f"unparseable HTML ({error})") from None
    if tree is None or len(tree) == 0:
        raise BadInput("no HTML tree in the body")
    return tree


def decode(body: bytes, content_type: str | None = None) -> str:
    """Best-effort text: BOM, then UTF-8 (also with a few broken sequences), then the declared charset,
    then cp1252."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return _clean(body[len(bom) :].decode(encoding, errors="replace"))
    if _looks_binary(body[:4096]):
        raise NotHtml("binary content served as a web page")
    # The usual case has no control bytes at all; bytes.translate finds out at C speed.
    clean_bytes = len(body.translate(None, _CONTROL_BYTES)) == len(body)
    try:
        # Strict UTF-8 is almost never a false positive, and beats a wrong declared charset.
        text = body.decode("utf-8")
        return text if clean_bytes else _clean(text)
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
    if _mostly_utf8(text):
        return _clean(text)
    # Only labels the WHATWG standard names: `zlib` or `rot13` are no text encodings, and fall through.
    for codec in (text_codec(header_label(content_type)), meta_codec(meta_label(body))):
        # A UTF-8 declaration on bytes that are not UTF-8 is the classic CMS bug: cp1252 below fits those.
        if codec and codec != "utf-8":
            return _clean(body.decode(codec, errors="replace"))
    return _clean(body.decode("cp1252", errors="replace"))


def _mostly_utf8(text: str) -> bool:
    """Whether bytes that are not strictly UTF-8 still are UTF-8 but for a few broken sequences (a
    teaser cut inside a character): legacy 8-bit text almost never forms valid multi-byte sequences,
    so there nearly every non-ASCII byte is broken."""
    broken = text.count("\ufffd")
    characters = len(text) - len(text.encode("ascii", "ignore")) - broken
    return characters >= UTF8_GOOD_PER_BROKEN * broken


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_MAGIC):
        return True
    if not head:
        return False
    stripped = head.replace(b"\x00", b"")
    # UTF-16 without a BOM is mostly NULs between ASCII; treat it as text and let decode cope.
    if len(stripped) * 2 >= len(head) - 2 and head.count(b"\x00") * 3 > len(head):
        return False
    return sum(head.count(bytes([b])) for b in _BINARY_BYTES) * 10 > len(head)


def _clean(text: str) -> str:
    # UTF-16 without a BOM decodes as ASCII plus NULs; dropping the NULs leaves readable markup.
    return _CONTROL.sub("", text)
