"""Typed drop reasons: one exception class per reason, so stats can count drops by class name."""

from __future__ import annotations


class ExtractionDrop(Exception):
    """A page that must not become an article record; `reason` is a stable snake_case label."""

    reason = "extraction_drop"

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(f"{message} ({url})" if url else message)
        self.url = url


class BadInput(ExtractionDrop):
    """The body cannot be read as a web page at all (empty, undecodable, unparseable)."""

    reason = "bad_input"


class TooLarge(BadInput):
    """The body is over the size cap; raise `max_bytes` in the options if the outlet needs more."""

    reason = "too_large"


class NotHtml(BadInput):
    """The body is binary or a non-HTML document served as HTML."""

    reason = "not_html"


class NotAnArticle(ExtractionDrop):
    """A home, tag, author, video or gallery page: a real page, but not a story."""

    reason = "not_an_article"


class EmptyText(ExtractionDrop):
    """An article page on which no body text survived extraction and cleanup."""

    reason = "empty_text"


class AccessDrop(ExtractionDrop):
    """The server answered with something other than the article; `evidence` names the signal."""

    reason = "access"

    def __init__(self, message: str, url: str | None = None, evidence: str | None = None) -> None:
        super().__init__(message, url)
        self.evidence = evidence


class BlockedByChallenge(AccessDrop):
    """A bot challenge (Cloudflare, Imperva, DataDome, PerimeterX, Akamai) stood in for the article."""

    reason = "challenge"


class ConsentWall(AccessDrop):
    """A cookie or consent wall stood in for the article (a CMP page, a consent.* redirect)."""

    reason = "consent"


class SoftNotFound(AccessDrop):
    """A page that says the article is not there ("Page not found") while answering 200."""

    reason = "soft_404"
