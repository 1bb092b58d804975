"""The headline without the outlet's name that page templates add ("… | DW | 28.04.2023", "… - Golem.de").

A segment is cut only when it names the outlet (og:site_name, JSON-LD publisher, the registry's name,
the host name) or is a bare date, and never so far that nothing is left.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

# " - ", " | ", " – ", " — ", " · ", " » ", " :: " (and "::" without spaces); a bare ":" is part of
# many headlines ("Brexit: what next"), so it never separates.
_SEPARATOR = re.compile(r"\s+[|–—·»-]\s+|\s*::\s*|\s+\|\s*|\s*\|\s+")
_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{4}-\d\d-\d\d$")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "à": "a"})
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|amp|mobile|edition|news)\.")


def outlet_keys(names: list[str | None], url: str) -> set[str]:
    """Comparable forms of every name the outlet goes by, the host name's included."""
    host = _HOST_PREFIX.sub("", (urlsplit(url).hostname or "").lower())
    keys = {_key(name) for name in names if name}
    if host:
        keys |= {_key(host), _key(host.rsplit(".", 1)[0])}
    return keys - {""}


def strip_outlet(title: str | None, keys: set[str]) -> str | None:
    """`title` without leading or trailing segments that name the outlet or date the page."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", title).strip()
    bounds = [0]
    for match in _SEPARATOR.finditer(title):
        bounds += [match.start(), match.end()]
    bounds.append(len(title))
    parts = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    while len(parts) > 1 and _is_outlet_or_date(title[slice(*parts[-1])], keys):
        parts.pop()
    while len(parts) > 1 and _is_outlet_or_date(title[slice(*parts[0])], keys):
        parts.pop(0)
    return title[parts[0][0] : parts[-1][1]].strip() or title


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


def _is_outlet_or_date(segment: str, keys: set[str]) -> bool:
    segment = segment.strip()
    return bool(_DATE.match(segment)) or _key(segment) in keys


def _key(text: str) -> str:
    """Case, accents, punctuation and spaces folded away: 'Börsen-Zeitung' ~ 'boersen-zeitung.de'."""
    folded = text.casefold().translate(_FOLD)
    return re.sub(r"[\W_]+", "", folded.removeprefix("the "))
