"""The headline without the outlet's name that page templates add ("… | DW | 28.04.2023", "… - Golem.de").

A segment is cut only when it names the outlet (og:site_name, JSON-LD publisher, the registry's name,
the host and its registrable domain) or is a bare date, and never so far that nothing is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.discovery.urls import site_of
from crawler.extract.jsonld import text_of, types_of

# " - ", " | ", " – ", " — ", " · ", " » ", " :: " (and "::" without spaces); a bare ":" is part of
# many headlines ("Brexit: what next"), so it never separates here.
_SEPARATOR = re.compile(r"\s+[|–—·»-]\s+|\s*::\s*|\s*[|｜]\s*")
# Tighter joins that separate only a segment that is exactly the outlet's name: "Golem.de: …",
# "… : Golem.de", CJK titles without spaces ("标题_新华网", "見出し－毎日新聞", "NEWS WEB EASY|…").
_TIGHT_LEADING = re.compile(r"^([^:：_|｜–—－-]+?)\s*[:：_–—－-]\s*(\S.*)$")
_TIGHT_TRAILING = re.compile(r"^(.*\S)\s*[:：_–—－-]\s*([^:：_|｜–—－-]+)$")
_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{4}-\d\d-\d\d$")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "à": "a"})
_TRAILING = 3  # segments from the end where the outlet's name may stand, taglines and dates after it
_MIN_HOST_KEY = 5  # shorter host names ("dw", "bbc") only match a segment that is nothing else
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|amp|mobile|edition|news)\.")
# The meta tags that name the site, not the page.
_SITE_META = ("og:site_name", "application-name", "apple-mobile-web-app-title")
# A feed link's title is the site's name and the feed's kind: "Bibliothek 2.0 » Feed", "DW RSS".
_FEED_LINKS = "//link[@rel='alternate'][contains(@type, 'rss') or contains(@type, 'atom')]/@title"
_FEED_WORD = re.compile(r"\b(?:rss|atom|feed)\b", re.IGNORECASE)
_FEED_WORDS = re.compile(r"(?:\s+(?:rss|atom|feed|rss-feed|rss feed|news feed|newsfeed))+\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Outlet:
    """Comparable forms of the names the outlet goes by, and of its host name."""

    names: frozenset[str]
    hosts: frozenset[str]


def site_names(tree: HtmlElement, objects: list[dict[str, Any]], meta: dict[str, list[str]]) -> list[str]:
    """The names the page gives its site: its site meta tags, JSON-LD `WebSite` names, and the site's
    part of its feed links' titles (before "»", "|" or " - ", without "RSS"/"Feed")."""
    names = [value for key in _SITE_META for value in meta.get(key, [])]
    names += [
        name for obj in objects if "WebSite" in types_of(obj) for name in [text_of(obj.get("name"))] if name
    ]
    for title in tree.xpath(_FEED_LINKS):
        # Only a title that says it is a feed: some pages give their alternates the page's title.
        if not _FEED_WORD.search(str(title)):
            continue
        name = _FEED_WORDS.sub("", _SEPARATOR.split(str(title).strip())[0]).strip()
        if name and not _FEED_WORD.search(name) and len(name.split()) <= 6:
            names.append(name)
    return list(dict.fromkeys(names))


def outlet_keys(names: list[str | None], url: str) -> Outlet:
    """The outlet's names (og:site_name, publisher, registry) and its host, as `_key` compares them."""
    host = _HOST_PREFIX.sub("", (urlsplit(url).hostname or "").lower())
    # "fischerhuette.hejfish.com" is also "hejfish.com" and "hejfish", "www.bbc.co.uk" also "bbc";
    # short labels ("dw") only match whole segments.
    site = site_of(host) if host else ""
    hosts = {_key(host), _key(site), _key(site.split(".")[0])} - {""}
    return Outlet(frozenset({_key(name) for name in names if name} | hosts) - {""}, frozenset(hosts))


def strip_outlet(title: str | None, outlet: Outlet) -> str | None:
    """`title` without the segments that name the outlet or date the page: a leading name, and a
    trailing name with whatever follows it (a tagline, a date), never down to nothing."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", title).strip()
    bounds = [0]
    for match in _SEPARATOR.finditer(title):
        bounds += [match.start(), match.end()]
    bounds.append(len(title))
    parts = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    parts = [part for part in parts if part[0] < part[1]] or parts  # "Über André Loibl |"
    for index in range(max(1, len(parts) - _TRAILING), len(parts)):
        if _names_outlet(title[parts[index][0] :], title[slice(*parts[index])], outlet):
            parts = parts[:index]
            break
    while len(parts) > 1 and _DATE.match(title[slice(*parts[-1])].strip()):
        parts.pop()
    while len(parts) > 1 and _key(title[slice(*parts[0])]) in outlet.names:
        parts.pop(0)
    return _strip_tight(title[parts[0][0] : parts[-1][1]].strip() or title, outlet)


def _strip_tight(title: str, outlet: Outlet) -> str:
    """A leading or trailing segment joined by ":", "_" or a dash without spaces, when it is exactly
    one of the outlet's names."""
    for pattern, name_group in ((_TIGHT_TRAILING, 2), (_TIGHT_LEADING, 1)):
        match = pattern.match(title)
        if match and _key(match.group(name_group)) in outlet.names:
            title = match.group(3 - name_group).strip()
    return title


def is_outlet_name(title: str, outlet: Outlet) -> bool:
    """Whether `title` is nothing but the outlet's name ("Golem.de" as a page's whole title)."""
    return _key(title) in outlet.names


def _names_outlet(suffix: str, segment: str, outlet: Outlet) -> bool:
    """Does the trailing `segment` (or the whole `suffix` from it) name the outlet? A segment that ends
    with the host name, or is the host name and one short word, counts too ("Rezept von Backen.de",
    "brand eins online"); "Reuters poll shows" on reuters.com does not."""
    key = _key(segment)
    if key in outlet.names or _key(suffix) in outlet.names:
        return True
    return any(
        len(host) >= _MIN_HOST_KEY
        and (key.endswith(host) or (key.startswith(host) and len(key) - len(host) <= 7))
        for host in outlet.hosts
    )


def page_titles(tree: HtmlElement) -> list[str]:
    """The page's one <h1>, its <title>, its first non-empty <h1>, in that order (the texts only)."""
    headings = tree.findall(".//h1")
    head_title = tree.find(".//head/title")
    elements = [headings[0]] if len(headings) == 1 else []
    elements += [head_title if head_title is not None else tree.find(".//title"), *headings]
    texts = (re.sub(r"\s+", " ", e.text_content() or "").strip() for e in elements if e is not None)
    return list(dict.fromkeys(text for text in texts if text))


def choose_title(candidates: Iterable[str | None], outlet: Outlet) -> str | None:
    """The first candidate that says more than the outlet's name, without the outlet's name; else the
    first non-empty one, so a page with any title never gets an empty one. Reads `candidates` lazily."""
    first = None
    for candidate in candidates:
        title = strip_outlet(candidate, outlet)
        if title and not is_outlet_name(title, outlet):
            return title
        first = first or title
    return first


def _key(text: str) -> str:
    """Case, accents, punctuation and spaces folded away: 'Börsen-Zeitung' ~ 'boersen-zeitung.de'."""
    folded = text.casefold().translate(_FOLD)
    return re.sub(r"[\W_]+", "", folded.removeprefix("the "))
