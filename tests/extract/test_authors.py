"""Author strings become clean person names."""

from __future__ import annotations

import pytest

from crawler.extract.authors import clean_authors


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By John Smith and Jane Doe", ["John Smith", "Jane Doe"]),
        ("By JOHN SMITH, Staff Writer", ["John Smith"]),
        ("Posted by Anna Karenina | Updated: August 27, 2016", ["Anna Karenina"]),
        (["Tom Jones", "tom jones", "TOM JONES"], ["Tom Jones"]),
        ("Por María López y Juan Pérez", ["María López", "Juan Pérez"]),
        ("Di Mario Rossi e Luigi Verdi", ["Mario Rossi", "Luigi Verdi"]),
        ("Sarah E. Needleman", ["Sarah E. Needleman"]),  # a middle initial, not the Italian "e"
        ("Bruce Y. Lee", ["Bruce Y. Lee"]),  # nor the Spanish "y"
        ("By Andrew Y Ng and E. J. Dionne", ["Andrew Y Ng", "E. J. Dionne"]),
        ("Von Max Müller", ["Max Müller"]),
        ("Analysis by Chris Cillizza, CNN Editor-at-large", ["Chris Cillizza"]),  # CNN's author meta
        ("Opinion by Jane Doe", ["Jane Doe"]),
        ("Ilana Muhlstein, MS, RDN", ["Ilana Muhlstein"]),  # degrees are no co-authors
        ("By John Smith, Jr. and Mary Jones, Ph.D.", ["John Smith", "Mary Jones"]),
        ("Jane Doe, Environment Correspondent", ["Jane Doe"]),
        ("Jane Doe November 18, 2019", ["Jane Doe"]),
        ("VICTOR TANGERMANN 18 NOV 2019", ["Victor Tangermann"]),
        ("By April Ryan and June Smith", ["April Ryan", "June Smith"]),
        ("PTI", ["PTI"]),
        ("Troy L. Smith, Cleveland.com", ["Troy L. Smith"]),  # the outlet's domain names no one
        ("Amy Kuperinsky | NJ Advance Media for NJ.com", ["Amy Kuperinsky"]),
        ("Tom Gillespie News reporter", ["Tom Gillespie"]),  # a role with its qualifier (Sky News byline)
        ("https://www.facebook.com/someoutlet", []),
        ("@handle", []),
        ("", []),
        (None, []),
        ([None, 3, "Ravi Kumar"], ["Ravi Kumar"]),
    ],
)
def test_clean_authors(raw: object, names: list[str]) -> None:
    assert clean_authors(raw) == names


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Needleman, Sarah", ["Sarah Needleman"]),
        ("ERIC TUCKER Associated Press", ["Eric Tucker"]),
        ("Tom Krisher, AP Auto Writer", ["Tom Krisher"]),
    ],
)
def test_clean_authors_handles_catalogue_order_and_agency_suffixes(raw: str, names: list[str]) -> None:
    assert clean_authors(raw) == names
