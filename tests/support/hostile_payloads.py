"""What the hostile server serves, as bytes: compression bombs, entity bombs and XXE, markup too deep
or too wide to parse cheaply, and an ordinary article to hide them in."""

from __future__ import annotations

import gzip
import json
import zlib
from functools import cache

import brotli
from backports import zstd

MIB = 1024 * 1024
BOMB_BYTES = 64 * MIB  # what each compression bomb expands to
ARTICLE = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>Wire story</title></head><body>"
    b"<article><h1>Ministers meet in Geneva</h1><p>Foreign ministers met on Friday to discuss the "
    b"ceasefire, officials said.</p></article></body></html>"
)


@cache
def bomb(encoding: str) -> bytes:
    """`BOMB_BYTES` of zeros, compressed: a few KiB on the wire, 64 MiB if expanded."""
    zeros = bytes(BOMB_BYTES)
    if encoding == "gzip":
        return gzip.compress(zeros, compresslevel=9, mtime=0)
    if encoding == "deflate":
        return zlib.compress(zeros, 9)
    if encoding == "br":
        return brotli.compress(zeros, quality=5)
    if encoding == "zstd":
        return zstd.compress(zeros)
    raise ValueError(f"unknown bomb encoding {encoding!r}: use gzip, deflate, br or zstd")


def deep_markup(depth: int = 10_000) -> bytes:
    return b"<html><body>" + b"<div>" * depth + b"<p>deep</p>" + b"</div>" * depth + b"</body></html>"


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)
    )
    + b']>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>http://hostile.test/&lol9;</loc></url></urlset>"
)
QUADRATIC = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "'
    + b"A" * 100_000
    + b'">]>\n<rss version="2.0"><channel><title>q</title><item><title>'
    + b"&a;" * 20_000
    + b"</title><link>http://hostile.test/q</link></item></channel></rss>"
)


def xxe(target: str) -> bytes:
    """A feed whose item link would be the contents of `target` if entities were resolved."""
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "%s">]>\n'
        b'<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title>'
        b"<link>http://hostile.test/xxe</link></item></channel></rss>" % target.encode()
    )


def many_attributes(count: int = 270_000) -> bytes:
    """A listing page whose one <div> carries `count` attributes (under 2 MiB): libxml2 checks each
    new attribute against all earlier ones, so parsing it takes minutes."""
    attributes = b" ".join(b"d%x" % n for n in range(count))  # valueless: 1.6 MiB for 270,000
    return b"<html><body><div " + attributes + b"><a href='/news/1'>One</a></div></body></html>"


def jsonld_lookups(references: int = 40_000, objects: int = 40_000) -> bytes:
    """An article (about 1.8 MB) whose JSON-LD author list holds `references` `@id` references into
    a graph of `objects` nodes that match none of them: every reference is compared with every node."""
    graph = [{"@id": f"#n{n}", "name": "n"} for n in range(objects)]
    authors = [{"@id": f"#x{n}"} for n in range(references)]
    article = {"@type": "NewsArticle", "headline": "Lookups", "author": authors}
    data = json.dumps({"@context": "https://schema.org", "@graph": [article, *graph]}, separators=(",", ":"))
    script = b'<script type="application/ld+json">' + data.encode() + b"</script></head>"
    return ARTICLE.replace(b"</head>", script)


def long_article(paragraphs: int = 7000) -> bytes:
    """An article of `paragraphs` paragraphs (about 8 MiB, under DOWNLOAD_MAXSIZE): seconds to extract."""
    paragraph = b"<p>" + b"Ministers met in Geneva on Friday to discuss the ceasefire. " * 20 + b"</p>\n"
    return ARTICLE.replace(b"</article>", paragraph * paragraphs + b"</article>")
