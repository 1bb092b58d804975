"""HTML, RSS and sitemap rendering for the demo outlets: three CMS styles with their usual clutter.

The clutter is on purpose: share widgets, "Follow us on:", a caption repeated into the body,
related links and credit lines are what extraction has to strip on real sites.
"""

from __future__ import annotations

import json
from html import escape
from xml.sax.saxutils import escape as xml_escape

from crawler.demo.network import DemoArticle, Outlet


def _body(article: DemoArticle) -> str:
    paragraphs = list(article.paragraphs)
    if article.dateline:
        paragraphs[0] = f"{article.dateline} {paragraphs[0]}"
    html = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    if article.credit:
        html += f"\n<p><em>{escape(article.credit)}</em></p>"
    return html


def _head(outlet: Outlet, article: DemoArticle, url: str, extra: str = "") -> str:
    return f"""<head><meta charset="utf-8">
<title>{escape(article.title)} | {escape(outlet.name)}</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="article"><meta property="og:title" content="{escape(article.title)}">
<meta property="og:url" content="{url}"><meta property="og:site_name" content="{escape(outlet.name)}">
{extra}</head>"""


_SHARE = """<div class="share-buttons"><span>Share this:</span> <a href="#">Facebook</a> <a href="#">X</a>
<a href="#">WhatsApp</a> <a href="#">Email</a></div>"""


def _related(outlet_articles: list[DemoArticle], current: DemoArticle, limit: int = 5) -> str:
    others = [a for a in outlet_articles if a is not current][:limit]
    links = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a></li>' for a in others)
    return f'<aside class="related"><h3>Related posts</h3><ul>{links}</ul></aside>'


def render_article(outlet: Outlet, article: DemoArticle, url: str, siblings: list[DemoArticle]) -> str:
    render = {"wordpress": _wordpress, "jsonld": _jsonld, "plain": _plain}[outlet.template]
    return render(outlet, article, url, siblings)


def _wordpress(outlet: Outlet, article: DemoArticle, url: str, siblings: list[DemoArticle]) -> str:
    meta = (
        f'<meta property="article:published_time" content="{article.published.isoformat()}">\n'
        f'<link rel="https://api.w.org/" href="/wp-json/">'
    )
    caption = ""
    if article.caption:
        # WordPress themes print the caption in the figure and again as a paragraph.
        caption = (
            f'<div class="wp-caption"><img src="/wp-content/uploads/lead.jpg" alt="{escape(article.caption)}">'
            f'<p class="wp-caption-text">{escape(article.caption)}</p></div>\n<p>{escape(article.caption)}</p>'
        )
    return f"""<!DOCTYPE html><html lang="en">{_head(outlet, article, url, meta)}
<body class="post-template-default single single-post">
<header id="masthead"><a href="/">{escape(outlet.name)}</a>
<nav><a href="/category/world/">World</a> <a href="/category/economy/">Economy</a></nav>
<div class="social">Follow us on: <a href="#">Facebook</a> <a href="#">Twitter</a></div></header>
<main id="main"><article class="post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{escape(article.title)}</h1>
<div class="entry-meta"><span class="posted-on">{article.published:%B %d, %Y, %I:%M %p}</span>
<span class="byline">By <span class="author vcard">{escape(article.author)}</span></span>
<span class="cat-links">{escape(article.category)}</span></div></header>
<div class="entry-content">{caption}
{_body(article)}
{_SHARE}</div></article>
{_related(siblings, article)}
<div id="comments"><h3>Leave a Reply</h3><p>Your email address will not be published.</p></div></main>
<footer><p>&copy; {escape(outlet.name)}. All rights reserved.</p></footer></body></html>"""


def _jsonld(outlet: Outlet, article: DemoArticle, url: str, siblings: list[DemoArticle]) -> str:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": outlet.name, "url": url.split("/", 3)[0] + "//" + url.split("/")[2]},
            {
                "@type": "NewsArticle",
                "headline": article.title,
                "datePublished": article.published.isoformat(),
                "author": [{"@type": "Person", "name": article.author}],
                "articleSection": article.category,
                "mainEntityOfPage": url,
            },
        ],
    }
    figure = ""
    if article.caption:
        figure = (
            f'<figure><img src="/media/lead.jpg"><figcaption>{escape(article.caption)}</figcaption></figure>'
        )
    return f"""<!DOCTYPE html><html lang="en">{_head(outlet, article, url)}
<script type="application/ld+json">{json.dumps(data)}</script>
<body><div class="site-header"><a class="logo" href="/">{escape(outlet.name)}</a>
<ul class="menu"><li><a href="/markets/">Markets</a></li><li><a href="/world/">World</a></li></ul></div>
<div class="layout"><div class="story">
<div class="kicker">{escape(article.category)}</div><h1>{escape(article.title)}</h1>
<div class="byline">{escape(article.author)} · <time datetime="{article.published.isoformat()}">
{article.published:%d %b %Y}</time></div>{figure}
<div class="story-body">{_body(article)}</div>
<div class="newsletter">Subscribe to our daily briefing. <a href="/subscribe">Sign up</a></div></div>
<div class="sidebar"><h4>Most read</h4>{_related(siblings, article)}</div></div>
<div class="footer">Global Ledger Media Ltd. Terms · Privacy · Contact</div></body></html>"""


def _plain(outlet: Outlet, article: DemoArticle, url: str, siblings: list[DemoArticle]) -> str:
    meta = (
        f'<meta name="author" content="{escape(article.author)}">\n'
        f'<meta name="date" content="{article.published:%Y-%m-%dT%H:%M:%SZ}">\n'
        f'<meta name="description" content="{escape(article.paragraphs[0][:150])}">'
    )
    return f"""<html>{_head(outlet, article, url, meta)}
<body bgcolor="#ffffff"><table width="100%"><tr><td><a href="/"><b>{escape(outlet.name)}</b></a>
| <a href="/news/">News</a> | <a href="/sport/">Sport</a></td></tr></table>
<div id="story"><h2>{escape(article.title)}</h2>
<p class="by">{escape(article.author)}, {article.published:%d/%m/%Y}</p>
{_body(article)}</div>
<hr><p>Read more: {_related(siblings, article)}</p>
<p><small>Harbour Times, Harbour Road 1. Letters to the editor welcome.</small></p></body></html>"""


def render_homepage(outlet: Outlet, articles: list[DemoArticle], feed_path: str) -> str:
    items = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a></li>' for a in articles)
    return f"""<!DOCTYPE html><html><head><title>{escape(outlet.name)}</title>
<link rel="alternate" type="application/rss+xml" title="{escape(outlet.name)}" href="{feed_path}"></head>
<body><h1>{escape(outlet.name)}</h1><ul>{items}</ul></body></html>"""


def render_rss(outlet: Outlet, articles: list[DemoArticle], base_url: str) -> str:
    items = "".join(
        f"<item><title>{xml_escape(a.title)}</title><link>{base_url}{a.path}</link>"
        f"<guid>{base_url}{a.path}</guid>"
        f"<pubDate>{a.published:%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{xml_escape(outlet.name)}</title><link>{base_url}/</link>{items}</channel></rss>"
    )


def render_sitemap(articles: list[DemoArticle], base_url: str) -> str:
    urls = "".join(
        f"<url><loc>{base_url}{a.path}</loc><lastmod>{a.published:%Y-%m-%dT%H:%M:%SZ}</lastmod></url>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )
