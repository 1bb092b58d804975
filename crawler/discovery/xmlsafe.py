"""Safe parsing of listings: XML for feeds and sitemaps with no entities, no DTDs, no network and a
capped size; JSON for JSON Feed and the WordPress API with its nesting bounded.

Outlets' XML is untrusted input: XXE, billion laughs and huge documents must not cost more than the cap.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from html.entities import html5
from typing import Any

from lxml import etree

# A sitemap may hold 50,000 URLs and 50 MB uncompressed (sitemaps.org); feeds are far smaller.
MAX_XML_BYTES = 50 * 1024 * 1024
_INTERNAL_SUBSET = re.compile(rb"<!doctype[^>\[]*\[")
# XML defines five named entities; any other `&name;` is undefined without a DTD, and an `&` that
# starts no reference at all (group 1 empty) is a bare ampersand.
_LOOSE_AMPERSAND = re.compile(
    rb"&(?:(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]*);|(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;))"
)
_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)


class UnsafeXML(ValueError):
    """The document is too large, not XML, or declares things a feed or sitemap never needs."""


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers keep state and are not safe to share across threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def gunzip_capped(data: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    """Decompress gzip data, refusing to inflate past `limit` bytes (a gzip bomb stops at the cap)."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = io.BytesIO()
    stream = io.BytesIO(data)
    while chunk := stream.read(64 * 1024):
        out.write(decompressor.decompress(chunk, limit + 1 - out.tell()))
        if out.tell() > limit:
            raise UnsafeXML(f"gzip data inflates past {limit} bytes; raise the cap only for a trusted outlet")
        if decompressor.unconsumed_tail:
            raise UnsafeXML(f"gzip data inflates past {limit} bytes; raise the cap only for a trusted outlet")
    return out.getvalue()


def maybe_gunzip(data: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    if data[:2] == b"\x1f\x8b":
        try:
            return gunzip_capped(data, limit)
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise UnsafeXML(f"broken gzip data ({error})") from None
    return data


def parse_xml(data: bytes, limit: int = MAX_XML_BYTES) -> etree._Element:
    """Parse untrusted XML bytes (gzip allowed) into an element tree, or raise UnsafeXML."""
    data = maybe_gunzip(data, limit)
    if len(data) > limit:
        raise UnsafeXML(f"document is {len(data)} bytes, over the {limit}-byte cap")
    # Feeds and sitemaps never need a DTD; an internal subset means entity tricks or junk, so refuse it
    # outright instead of trusting every lxml version to leave the entities unexpanded.
    prolog = data[:65536].lower()
    if b"<!entity" in prolog or _INTERNAL_SUBSET.search(prolog):
        raise UnsafeXML("document declares a DTD internal subset (entities); feeds and sitemaps need none")
    parser = _parser()
    try:
        root = etree.fromstring(_repair_ampersands(data), parser=parser)
    except etree.XMLSyntaxError as error:
        raise UnsafeXML(f"not XML ({error})") from None
    if root is None:
        raise UnsafeXML("not XML (empty document)")
    # Recovery copes with sloppy markup, but past libxml2's depth limit (256) it silently drops the
    # rest of the document: say so rather than pass a truncated feed off as a whole one.
    for entry in parser.error_log:
        if entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            raise UnsafeXML(f"document over a parser limit ({entry.message})")
    return root


def _repair_ampersands(data: bytes) -> bytes:
    """`&nbsp;`, `&eacute;` (HTML entities sloppy feeds use) as character references, unknown names
    and bare `&` (unescaped query strings) as text.

    libxml2 recovers from an undefined entity by dropping the `&amp;` of everything after it, so
    one `&nbsp;` in a title would turn every later `?id=1&amp;page=2` link into `?id=1page=2`;
    from a bare `?id=1&page=2` it drops `&page`.
    """
    if b"&" not in data or data[:4].count(b"\0"):  # UTF-16/32: the byte patterns do not apply
        return data
    parts = _CDATA.split(data)  # odd items are CDATA sections, where `&` is plain text
    for index in range(0, len(parts), 2):
        parts[index] = _LOOSE_AMPERSAND.sub(_entity_reference, parts[index])
    return b"".join(parts)


def _entity_reference(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    text = html5.get(name.decode("ascii") + ";") if name else None
    if text is None:
        return b"&amp;" + (name + b";" if name else b"")
    return b"".join(b"&#%d;" % ord(char) for char in text)


def local_name(element: etree._Element) -> str:
    """The tag without its namespace, lower-cased: RSS 1.0, Atom and sitemaps all namespace differently."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def child_text(element: etree._Element, *names: str) -> str | None:
    """Text of the first direct child whose local name is one of `names`, stripped; None when absent."""
    for child in element:
        if local_name(child) in names:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def load_json(body: bytes, error: type[Exception], what: str) -> Any:
    """The JSON value of a response body, or `error` saying what is wrong with `what` (a hostile
    server's deep nesting included, which json raises as RecursionError)."""
    try:
        return json.loads(body)
    except RecursionError:
        raise error(f"{what} nested deeper than the parser's recursion limit") from None
    except (ValueError, UnicodeDecodeError) as problem:
        raise error(f"{what} is not valid JSON ({problem})") from None
