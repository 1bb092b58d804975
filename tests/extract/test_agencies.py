"""Agency names, credit lines, datelines and caption credits."""

from __future__ import annotations

import pytest

from crawler.extract.agencies import find_agencies, is_credit_line, split_caption_credit, split_dateline


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("The BRICS Post with inputs from Agencies", True),
        ("With inputs from PTI, IANS", True),
        ("Source: AFP", True),
        ("— Xinhua", True),
        ("(Reuters)", True),
        ("Reuters contributed to this report.", True),
        ("Quelle: dpa", True),
        ("Kerry said the talks with Lavrov went well.", False),
        ("Source: the ministry said on Friday that the figures it published last week were wrong", False),
    ],
)
def test_is_credit_line(line: str, credit: bool) -> None:
    assert is_credit_line(line) is credit


@pytest.mark.parametrize(
    ("paragraph", "place", "agency", "rest"),
    [
        ("WASHINGTON (Reuters) - The Senate voted.", "WASHINGTON", "Reuters", "The Senate voted."),
        ("BEIJING, Aug. 27 (Xinhua) -- China said.", "BEIJING, Aug. 27", "Xinhua", "China said."),
        ("NEW YORK (AP) — A fire broke out.", "NEW YORK", "AP", "A fire broke out."),
        (
            "New Delhi [India], July 4 (ANI): The Cabinet met.",
            "New Delhi [India], July 4",
            "ANI",
            "The Cabinet met.",
        ),
        ("Madrid, 12 mar (EFE).- El Gobierno aprobó.", "Madrid, 12 mar", "EFE", "El Gobierno aprobó."),
        ("(AFP) - Something happened.", None, "AFP", "Something happened."),
        # PTI and IANS wire copy has no separator after the agency.
        ("New Delhi, Nov 19 (PTI) The Centre said.", "New Delhi, Nov 19", "PTI", "The Centre said."),
        ("Mumbai, Dec 1 (IANS) Actress Kajol said.", "Mumbai, Dec 1", "IANS", "Actress Kajol said."),
        ("Kerry (AP) said nothing.", None, None, "Kerry (AP) said nothing."),
    ],
)
def test_split_dateline_keeps_the_first_sentence(paragraph: str, place: str, agency: str, rest: str) -> None:
    assert split_dateline(paragraph) == (place, agency, rest)


def test_caption_credit_moves_out_of_the_caption() -> None:
    assert split_caption_credit("Kerry and Lavrov met in Geneva [Xinhua]") == (
        "Kerry and Lavrov met in Geneva",
        "Xinhua",
    )
    assert split_caption_credit("A march in Paris (Photo: AFP)") == ("A march in Paris", "AFP")
    assert split_caption_credit("No credit here") == ("No credit here", None)


def test_find_agencies_normalises_spellings_and_respects_word_bounds() -> None:
    assert find_agencies("Agence France-Presse, The Associated Press and ITAR-TASS") == ["AFP", "AP", "TASS"]
    assert find_agencies("APAC markets and RAPID news") == []


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Protesters in Minsk on Sunday (Reuters)", ("Protesters in Minsk on Sunday", "Reuters")),
        ("Ana Ruiz at home (John Smith/AFP)", ("Ana Ruiz at home", "John Smith/AFP")),
        ("The mayor (left) speaks to reporters", ("The mayor (left) speaks to reporters", None)),
    ],
)
def test_an_agency_alone_in_brackets_ends_a_caption_as_its_credit(caption: str, expected: tuple) -> None:
    assert split_caption_credit(caption) == expected
