"""The headline without the outlet's name that page templates add ("… | DW | 28.04.2023", "… - Golem.de").

A segment is cut only when it names the outlet (og:site_name, JSON-LD publisher, the registry's name,
the host name) or is a bare date, and never so far that nothing is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

# " - ", " | ", " – ", " — ", " · ", " » ", " :: " (and "::" without spaces); a bare ":" is part of
# many headlines ("Brexit: what next"), so it never separates.
_SEPARATOR = re.compile(r"\s+[|–—·»-]\s+|\s*::\s*|\s+\|\s*|\s*\|\s+")
_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{4}-\d\d-\d\d$")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "à": "a"})
_TRAILING = 3  # segments from the end where the outlet's name may stand, taglines and dates after it
_MIN_HOST_KEY = 5  # shorter host names ("dw", "bbc") only match a segment that is nothing else
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|amp|mobile|edition|news)\.")


@dataclass(frozen=True)
class Outlet:
    """Comparable forms of the names the outlet goes by, and of its host name."""

    names: frozenset[str]
    hosts: frozenset[str]


def outlet_keys(names: list[str | None], url: str) -> Outlet:
    """The outlet's names (og:site_name, publisher, registry) and its host, as `_key` compares them."""
    host = _HOST_PREFIX.sub("", (urlsplit(url).hostname or "").lower())
    labels = host.split(".")
    # "fischerhuette.hejfish.com" is also "hejfish.com" and "hejfish"; short labels ("dw") only whole.
    hosts = {_key(host), _key(".".join(labels[-2:])), _key(labels[-2] if len(labels) > 1 else host)}
    hosts -= {""}
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
    for index in range(max(1, len(parts) - _TRAILING), len(parts)):
        if _names_outlet(title[parts[index][0] :], title[slice(*parts[index])], outlet):
            parts = parts[:index]
            break
    while len(parts) > 1 and _DATE.match(title[slice(*parts[-1])].strip()):
        parts.pop()
    while len(parts) > 1 and _key(title[slice(*parts[0])]) in outlet.names:
        parts.pop(0)
    return title[parts[0][0] : parts[-1][1]].strip() or title


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


def page_title(tree: HtmlElement) -> str | None:
    """The page's one <h1>, else its <title>, else its first <h1>: never empty while the page has one."""
    headings = tree.findall(".//h1")
    candidates = [headings[0]] if len(headings) == 1 else []
    candidates += tree.findall(".//title") + headings[:1]
    for element in candidates:
        text = re.sub(r"\s+", " ", element.text_content() or "").strip()
        if text:
            return text
    return None


def _key(text: str) -> str:
    """Case, accents, punctuation and spaces folded away: 'Börsen-Zeitung' ~ 'boersen-zeitung.de'."""
    folded = text.casefold().translate(_FOLD)
    return re.sub(r"[\W_]+", "", folded.removeprefix("the "))
