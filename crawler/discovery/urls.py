"""URL normalisation before scheduling, and an article's canonical identity from its page.

`normalize_url` folds scheme/host case, default ports, fragments and tracking parameters so the
same article reached by several URL variants is scheduled once.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from contextlib import suppress
from functools import lru_cache
from typing import Any
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import tldextract
from lxml import etree
from lxml import html as lxml_html
from w3lib.url import safe_url_string

_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|_ga|igshid|"
    r"ocid|cmpid|ito|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|sr_share|__twitter_impression)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Canonical links live in the head; reading only the first part keeps a huge page cheap.
_HEAD_BYTES = 256 * 1024
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)


# The same URL is normalised several times on its way (discovery, the spider, the seen-store).
@lru_cache(maxsize=16384)
def normalize_url(url: str, base: str | None = None) -> str:
    """Absolute, ASCII (IDNA host, percent-encoded), lower-case scheme and host, no default port,
    no fragment, no tracking parameters."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    # The form Scrapy requests a URL under (IDNA host, percent-encoded path and query): the
    # seen-store keys fetches by it, so an announced `café/` must be the fetched `caf%C3%A9/`.
    # A port out of range raises ValueError here; the check below drops such a URL.
    with suppress(ValueError):
        url = safe_url_string(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    if parts.username:  # keep credentials only if present; rare, but dropping them changes the resource
        userinfo = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, _without_tracking(parts.query), ""))


def _without_tracking(query: str) -> str:
    """The query without tracking parameters; the rest byte for byte as written.

    Decoding and re-encoding it asked the server for another URL: `?12345` became `?12345=`,
    a Latin-1 `%FC` became U+FFFD and `;` separators were escaped.
    """
    kept = [
        pair for pair in query.split("&") if pair and not _TRACKING.match(unquote_plus(pair.split("=")[0]))
    ]
    return "&".join(kept)


def url_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


_NOT_ID = re.compile(r"[^a-z0-9-]+")


def host_source_id(url: str) -> str:
    """The source id of a URL outside the registry (`fetch`): its host in kebab case, like the
    registry's ids, so it is safe as a storage partition (`my_site.example` and `[::1]` included)."""
    return _NOT_ID.sub("-", url_host(url)).strip("-") or "unknown"


def _ascii_host(host: str) -> str:
    """An internationalised host name in its IDNA (xn--) form, the form requests use."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


# The Public Suffix List as tldextract bundles it, read offline: no fetch of a newer list, no cache
# directory. Private suffixes count, so two blogs on github.io are two sites.
_SUFFIX_LIST = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def site_of(host: str) -> str:
    """The registrable part of a host (Public Suffix List): example.co.uk for www.example.co.uk.

    An IP literal is its own site. A host under no listed suffix (localhost, *.test) takes the list's
    default rule, its last label as the suffix: a.site.test is site.test, localhost is localhost.
    """
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return host
    registrable = _SUFFIX_LIST(host).top_domain_under_public_suffix
    return registrable or ".".join(host.split(".")[-2:])


def host_allowed(url: str, allowed_domains: tuple[str, ...]) -> bool:
    """True when the URL's host is one of the domains or a subdomain of one."""
    host = _ascii_host(url_host(url))
    domains = [_ascii_host(domain) for domain in allowed_domains]
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def canonical_links(body: bytes, base_url: str) -> dict[str, str]:
    """The page's rel=canonical, og:url and rel=amphtml targets (absolute), as found in its head."""
    found: dict[str, str] = {}
    if not body:
        return found
    head = body[:_HEAD_BYTES]
    # These links live in <head>: parsing only that is several times cheaper than the whole page.
    end = _HEAD_END.search(head)
    if end is not None:
        head = head[: end.end()]
    try:
        tree = lxml_html.fromstring(head)
    except (ValueError, TypeError, etree.LxmlError):  # ParserError: an empty or whitespace-only page
        return found
    for link in tree.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if href and "canonical" in rels:
            _add_link(found, "canonical", base_url, href)
        if href and "amphtml" in rels:
            _add_link(found, "amphtml", base_url, href)
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:url":
            content = (meta.get("content") or "").strip()
            if content:
                _add_link(found, "og:url", base_url, content)
    return found


def _add_link(found: dict[str, str], key: str, base_url: str, href: str) -> None:
    # A link no URL parser accepts (`http://[oops/`) names nothing: the page's own URL stands.
    with suppress(ValueError):
        found.setdefault(key, urljoin(base_url, href))


def canonical_identity(page_item: Mapping[str, Any]) -> str:
    """The article's identity URL (normalised): rel=canonical, else og:url, else the final URL.

    An AMP page's rel=canonical points at the regular page, so AMP and regular copies share one
    identity. A canonical on another site (a syndication credit) is ignored: that copy is another
    outlet's record, and dedup links the two by text.
    """
    final_url = str(page_item.get("final_url") or page_item.get("url") or "")
    body = page_item.get("body") or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    links = canonical_links(body, final_url)
    for key in ("canonical", "og:url"):
        candidate = links.get(key)
        if (
            candidate
            and urlsplit(candidate).scheme in ("http", "https")
            and site_of(url_host(candidate)) == site_of(url_host(final_url))
        ):
            return normalize_url(candidate)
    return normalize_url(final_url)
