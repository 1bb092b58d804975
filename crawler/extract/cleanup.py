"""Deterministic news cleanup of extracted paragraphs: widgets, repeated headline and captions, credits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.extract.agencies import (
    credit_text,
    find_agencies,
    is_credit_line,
    split_caption_credit,
    split_dateline,
)
from crawler.extract.dates import is_date_line

_WIDGET = re.compile(
    r"^(?:follow us|follow (?:@|on|the)|like us on|join us on|find us on|connect with us|"
    r"share (?:this|on|via)|share$|shares?:|tweet$|subscribe\b|sign up\b|click here\b|"
    r"download (?:the|our) app|advertisement\b|"
    r"(?:also|read|must) (?:read|more|also)\b|see also\b|related\b|more (?:from|stories|news)\b|"
    r"recommended\b|you (?:may|might) also|don'?t miss|trending\b|copyright\b|©|all rights reserved|"
    r"print$|email$)",
    re.IGNORECASE,
)
# "Follow Newsbeat on Instagram, Facebook and Twitter.", "Like this story? Share it with a friend!":
# longer than the short widget lines, but only ever a call to follow or share.
_FOLLOW_OR_SHARE = re.compile(
    r"^(?:follow\s.{0,80}?\bon (?:facebook|twitter|x|instagram|linkedin|youtube|tiktok|telegram|whatsapp|"
    r"threads|bluesky|snapchat|google news)\b|(?:like|enjoy(?:ed)?) this (?:story|article)\?)",
    re.IGNORECASE,
)
_SOCIAL = re.compile(
    r"^(?:(?:facebook|twitter|x|instagram|linkedin|whatsapp|telegram|e-?mail|print|pinterest|reddit|"
    r"youtube|messenger|copy link)[\s,|/•·:]*)+$",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"^(?:related|read more|also read|read also|see also|more from [\w ]+|recommended)\s*:?$", re.I
)
# "Read also" in the languages of the dev sets: a link to another story, printed as a paragraph
# ("Lea también: ...", "VEA TAMBIÉN: ...", "Lesen Sie auch: ...", "À lire aussi » ..."), or a heading
# over such links. The phrase must end the line or be followed by a colon, arrow or question mark,
# so "Mira Sorvino said" and "Read more about it in the report" stay.
_READ_ALSO = re.compile(
    r"^(?:lea|lee|vea|mira|puedes ver|ver|leia|veja|le puede interesar|te puede interesar|"
    r"(?:lea|lee|vea|mira|leia|veja) (?:también|además|más|también en|tambem|também|mais)|"
    r"también te puede interesar|notas relacionadas|contenido relacionado|artículos relacionados|"
    r"auch interessant|auch lesen|lesen sie (?:auch|hier|mehr)|mehr zum thema|mehr themen|weitere themen|"
    r"(?:zum )?weiterlesen|schon gelesen|empfohlene beiträge|das könnte (?:sie|dich) (?:auch )?interessieren|"
    r"das thema könnte (?:sie|dich) auch interessieren|"
    r"à lire aussi|lire aussi|à voir aussi|voir aussi|dowiedz się więcej|czytaj (?:też|także|więcej)|"
    r"zobacz (?:też|także)|leggi anche|related (?:articles?|stories|content|posts?|news)|"
    r"read (?:also|more|next)|also read|see (?:also|more)|more on this(?: story)?)"
    r"\s*(?:[:»>?|–—]+|\s-\s|$)",
    re.IGNORECASE,
)
# A call to sign up or a newsletter box: "Thanks for signing up!", "Sign up for our daily newsletter".
_NEWSLETTER = re.compile(
    r"\b(?:newsletter|sign(?:ing)? up|subscribe|abonnieren|anmelden|suscr[ií]b|inscrivez|your inbox|"
    r"thanks for signing)\b",
    re.IGNORECASE,
)
# Page furniture printed between paragraphs: a publication/update stamp, a reading time, a lone
# "Comments" or "Tags" label.
_STAMP = re.compile(
    r"^(?:-\s*)?(?:updated|published|posted|aktualisiert|veröffentlicht|publicado|atualizado|mis à jour)\b:?",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^(?:(?:reading time|lesezeit|tempo de leitura|tiempo de lectura|temps de lecture)\b"
    r"|\d+\s*min(?:ute)?s?\s+read$|(?:comments?|tags?|more|explore further|sorry!?|thank you)\s*:?$"
    # "Filed under: ..."; "- Order Reprints"
    r"|filed under\b|-?\s*(?:order reprints|print article)$"
    # a linked headline tagged in capitals: "China furious at Macron [INSIGHT]"
    r"|.*\[(?-i:[A-Z]{3,})\]\s*\|?$)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|written by|posted by|reported by)\s+\S", re.IGNORECASE)


@dataclass
class Cleaned:
    paragraphs: list[str]
    credit: str | None = None
    agencies: list[str] = field(default_factory=list)
    dateline: str | None = None
    caption: str | None = None
    caption_credit: str | None = None


def clean_paragraphs(lines: list[str], titles: list[str], captions: list[str]) -> Cleaned:
    """Apply the news cleanup rules in a fixed order; the same input always gives the same output."""
    paragraphs = [re.sub(r"\s+", " ", line).strip() for line in lines]
    paragraphs = _drop_widgets([p for p in paragraphs if p])
    result = Cleaned(paragraphs=paragraphs)
    _drop_captions(result, captions)
    _drop_lead_furniture(result, titles)
    _move_credits(result)
    _move_dateline(result)
    return result


def _drop_widgets(paragraphs: list[str]) -> list[str]:
    kept: list[str] = []
    skipping = 0
    for paragraph in paragraphs:
        short = len(paragraph.split()) <= 12
        if _LEAD_IN.match(paragraph):
            skipping = 6  # a "Related" heading: the short headline links after it go too
            continue
        if skipping and len(paragraph.split()) <= 15 and not paragraph.endswith((".", "!", "?", '"', "”")):
            skipping -= 1
            continue
        skipping = 0
        if short and (_WIDGET.match(paragraph) or _SOCIAL.match(paragraph)):
            continue
        if len(paragraph.split()) <= 30 and _FOLLOW_OR_SHARE.match(paragraph):
            continue
        furniture = _FURNITURE.match(paragraph) or _is_stamp(paragraph)
        if len(paragraph.split()) <= 20 and furniture and not is_credit_line(paragraph):
            continue
        if len(paragraph.split()) <= 20 and _NEWSLETTER.search(paragraph):
            continue
        if len(paragraph.split()) <= 25 and _READ_ALSO.match(paragraph):
            skipping = 6 if _READ_ALSO.fullmatch(paragraph) else 0  # a heading: its links follow
            continue
        kept.append(paragraph)
    return kept


def _is_stamp(paragraph: str) -> bool:
    """ "Updated at 1:23 p.m.", "Published 18 November 2019": a date after the word, and little else
    ("Published in 1851, the novel sold poorly" is a sentence)."""
    stamp = _STAMP.match(paragraph)
    if not stamp:
        return False
    words = paragraph[stamp.end() :].split()
    return any(re.search(r"\d", w) for w in words) and sum(not re.search(r"\d", w) for w in words) <= 3


def _drop_captions(result: Cleaned, captions: list[str]) -> None:
    """A caption printed in the body (once or more) leaves the text and becomes the image caption."""
    variants: dict[str, str] = {}
    for caption in captions:
        variants[_key(caption)] = caption
        bare, _credit = split_caption_credit(caption)
        variants.setdefault(_key(bare), caption)
    kept: list[str] = []
    for paragraph in result.paragraphs:
        matched = variants.get(_key(paragraph))
        if matched is None:
            kept.append(paragraph)
        elif result.caption is None:
            result.caption, result.caption_credit = split_caption_credit(matched)
    result.paragraphs = kept


def _drop_lead_furniture(result: Cleaned, titles: list[str]) -> None:
    """Headline repeated as the first line, and the date or byline lines printed around it."""
    title_keys = {_key(title) for title in titles} - {""}
    paragraphs = result.paragraphs
    index = 0
    while index < min(len(paragraphs), 4):
        paragraph = paragraphs[index]
        if (
            _key(paragraph) in title_keys
            or is_date_line(paragraph)
            or (_BYLINE.match(paragraph) and len(paragraph.split()) <= 10 and len(paragraphs) > 1)
        ):
            paragraphs.pop(index)
        else:
            index += 1


def _move_credits(result: Cleaned) -> None:
    paragraphs = result.paragraphs
    positions = [i for i in range(len(paragraphs)) if i < 2 or i >= len(paragraphs) - 3]
    for index in reversed(positions):
        if len(paragraphs) > 1 and is_credit_line(paragraphs[index]):
            line = paragraphs.pop(index)
            result.credit = result.credit or credit_text(line)
            _add_agencies(result, find_agencies(line))


def _move_dateline(result: Cleaned) -> None:
    if not result.paragraphs:
        return
    dateline, agency, rest = split_dateline(result.paragraphs[0])
    if agency is None:
        return
    result.paragraphs[0] = rest
    result.dateline = dateline
    _add_agencies(result, [agency])


def _add_agencies(result: Cleaned, names: list[str]) -> None:
    for name in names:
        if name not in result.agencies:
            result.agencies.append(name)


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().casefold()
