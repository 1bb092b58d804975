"""Date strings from metadata to ISO 8601 UTC (crawler.dates reads them); naive dates take the source's
timezone. Here: telling a paragraph that is only a date line."""

from __future__ import annotations

import re

from crawler.dates import normalise_date, parse_any_year

__all__ = ["is_date_line", "normalise_date", "parse_any_year"]

# A loose date line as naive extractors print it ("August 27, 2016, 5:25 am", "27/08/2016 05:25").
_LOOSE_DATE_LINE = re.compile(
    r"^(?:(?:updated|published|posted|last updated)\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
    r"(?:\s*(?:,|\||at|-|–)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)


# The words a date line is made of in the development sets' languages, besides its numbers: month and
# weekday names, and the labels and joins templates print around them ("Stand: 28.04.2020 18:00 Uhr",
# "sexta-feira, 22 de outubro de 2010 às 20:13", "Miércoles, 04 de Mayo de 2022").
_DATE_WORD_LIST = """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec januar februar märz mai juni juli oktober dezember
    jänner janvier février fevrier mars avril juin juillet août aout septembre octobre novembre
    décembre enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre janeiro fevereiro março maio junho julho setembro outubro novembro dezembro gennaio
    febbraio aprile maggio giugno luglio settembre ottobre dicembre januari februari maart mei augustus
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun
    montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend lundi mardi mercredi jeudi
    vendredi samedi dimanche lunes martes miércoles miercoles jueves viernes sábado sabado domingo
    segunda terça terca quarta quinta sexta feira lunedì martedì mercoledì giovedì venerdì domenica
    de del da do à às as a o el le la am um at on the of uhr h pm a p m stand datum date fecha data
    updated published posted aktualisiert veröffentlicht publicado atualizado actualizado mis jour
    publié modifié zuletzt bearbeitet erstellt last et est cst pst gmt utc cet cest mez mesz edt pdt
    ist bst"""
_DATE_WORDS = frozenset(_DATE_WORD_LIST.split())
_TOKEN = re.compile(r"\w+")
_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?")
_YEAR = re.compile(r"(?:19|20)\d\d")


def is_date_line(line: str) -> bool:
    """True for a paragraph that is only a date, as templates print it under the headline."""
    return (len(line) < 60 and bool(_LOOSE_DATE_LINE.match(line.strip()))) or _is_worded_date_line(line)


def _is_worded_date_line(line: str) -> bool:
    """A day and a year, and nothing but numbers and the words of a date around them."""
    tokens = [token.casefold() for token in _TOKEN.findall(line)]
    if not 2 <= len(tokens) <= 12 or len(line) > 80:
        return False
    if not any(_YEAR.fullmatch(t) for t in tokens) or not any(_DAY.fullmatch(t) for t in tokens):
        return False
    return all(token.isdigit() or _DAY.fullmatch(token) or token in _DATE_WORDS for token in tokens)
