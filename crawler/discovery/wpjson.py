"""The WordPress REST API (`/wp-json/wp/v2/posts`): detection, paged request URLs, posts → Announcements."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from lxml import etree
from lxml import html as lxml_html

from crawler.discovery.announce import Announcement, Skipped, announced_date, each_entry, request_url
from crawler.discovery.xmlsafe import load_json

API_REL = "https://api.w.org/"
# Only the fields discovery needs: keeps each page small (WordPress honours _fields since 4.9).
_FIELDS = "link,date_gmt,modified_gmt,title"
# Any count past this is "more pages than the crawl reads" (NEWSCRAWL_WP_MAX_PAGES caps it anyway).
_MAX_DIGITS = 9
_MANY_PAGES = 10**_MAX_DIGITS


class NotWordPress(ValueError):
    """The response is not a WordPress posts list."""


def api_root_from_html(body: bytes, base_url: str) -> str | None:
    """The REST API root a WordPress page advertises with <link rel="https://api.w.org/" href=...>."""
    try:
        tree = lxml_html.fromstring(body[: 512 * 1024])
    except (ValueError, TypeError, etree.LxmlError):  # ParserError: an empty or whitespace-only page
        return None
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip() == API_REL and link.get("href"):
            return request_url(link.get("href", ""), base_url)
    return None


def api_root_from_link_header(header: str, base_url: str) -> str | None:
    """WordPress also sends `Link: <https://site/wp-json/>; rel="https://api.w.org/"` on every page."""
    for part in header.split(","):
        target, _, params = part.partition(";")
        if f'rel="{API_REL}"' in params.replace("'", '"') and target.strip().startswith("<"):
            return request_url(target.strip()[1:-1], base_url)
    return None


def posts_url(api_root: str, page: int, after: datetime | None, per_page: int = 100) -> str:
    """A page of posts, newest first; `after` limits to posts published after it (incremental runs)."""
    params: dict[str, str | int] = {"per_page": per_page, "page": page, "orderby": "date", "order": "desc"}
    params["_fields"] = _FIELDS
    if after is not None:
        # With its zone: WordPress reads a zoneless `after` in the site's time zone, not UTC.
        params["after"] = after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = api_root if api_root.endswith("/") else api_root + "/"
    if "?rest_route=" in root or "?" in root:  # sites without pretty permalinks: /?rest_route=/
        return f"{api_root.rstrip('/')}/wp/v2/posts&{urlencode(params)}"
    return f"{root}wp/v2/posts?{urlencode(params)}"


def parse_posts(body: bytes, skipped: Skipped | None = None) -> list[Announcement]:
    """Announcements from a posts page, with exact GMT dates (WordPress gives them without a zone).
    An unusable post or date is left out and noted in `skipped`."""
    skipped = Skipped() if skipped is None else skipped
    posts = load_json(body, NotWordPress, "posts response")
    if not isinstance(posts, list):
        raise NotWordPress("posts response is not a JSON list (is the REST API disabled?)")
    return each_entry(posts, lambda post: _post(post, skipped), skipped)


def _post(post: object, skipped: Skipped) -> Announcement | None:
    link = post.get("link") if isinstance(post, dict) else None
    url = request_url(link) if isinstance(link, str) else None
    if not url or not isinstance(post, dict):
        return None
    title = post.get("title")
    rendered = title.get("rendered") if isinstance(title, dict) else title
    return Announcement(
        url=url,
        via="wp-json",
        title=_plain(rendered) if isinstance(rendered, str) else None,
        published_at=announced_date(_gmt(post.get("date_gmt")), UTC, skipped),
        updated_at=announced_date(_gmt(post.get("modified_gmt")), UTC, skipped),
    )


def total_pages(header: bytes | None) -> int | None:
    """The page count in an `X-WP-TotalPages` header: 1 when absent, None when it is no count at all
    (`lots`, `-3`, `²`). A count too long to be real is capped, never parsed digit by digit."""
    value = (header or b"1").strip()
    if not value.isdigit():  # bytes.isdigit is ASCII only: no sign, no superscripts
        return None
    return int(value) if len(value) <= _MAX_DIGITS else _MANY_PAGES


def _gmt(value: object) -> str | None:
    return f"{value}+00:00" if isinstance(value, str) and value else None


def _plain(rendered: str) -> str:
    """WordPress titles are rendered HTML (entities, sometimes tags); announcements want text."""
    if "<" not in rendered and "&" not in rendered:
        return rendered
    try:
        return lxml_html.fragment_fromstring(rendered, create_parent="span").text_content().strip()
    except (ValueError, TypeError, etree.LxmlError):
        return rendered
