"""The news cleanup rules on extracted paragraphs."""

from __future__ import annotations

import pytest

from crawler.extract.cleanup import clean_paragraphs

BODY = [
    "The mayor announced a new bus network on Monday that will add night routes across the city.",
    "The changes take effect in March and will cost about 12 million a year, the transport office said.",
]


def test_follow_share_subscribe_lines_go() -> None:
    lines = [
        "Follow us on:",
        "Share this article",
        "Facebook Twitter WhatsApp",
        *BODY,
        "Subscribe to our newsletter",
    ]
    assert clean_paragraphs(lines, [], []).paragraphs == BODY


def test_longer_calls_to_follow_or_share_go() -> None:
    lines = [
        *BODY,
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Follow The New York Times Opinion section on Facebook, Twitter (@NYTopinion) and Instagram.",
        "Like this story? Share it with a friend!",
    ]
    assert clean_paragraphs(lines, [], []).paragraphs == BODY
    story = "Follow-up tests on Monday showed the river was clean again, officials said on Twitter."
    assert clean_paragraphs([story, *BODY], [], []).paragraphs == [story, *BODY]


def test_related_heading_takes_its_headline_links_with_it() -> None:
    lines = [*BODY, "Related", "Bus drivers vote to strike", "Tram line opens next year", BODY[0] + " Again."]
    assert clean_paragraphs(lines, [], []).paragraphs == [*BODY, BODY[0] + " Again."]


def test_headline_and_date_lines_at_the_top_go() -> None:
    lines = ["City unveils night buses", "August 27, 2016, 5:25 am", "By Sam Lee", *BODY]
    assert (
        clean_paragraphs(
            lines, ["Opinion | City unveils night buses", "City unveils night buses!"], []
        ).paragraphs
        == BODY
    )


def test_repeated_caption_becomes_the_image_caption() -> None:
    caption = "The new night buses at the central depot [Xinhua]"
    cleaned = clean_paragraphs([caption, caption, *BODY], [], [caption])
    assert cleaned.paragraphs == BODY
    assert (cleaned.caption, cleaned.caption_credit) == ("The new night buses at the central depot", "Xinhua")


def test_caption_printed_without_its_credit_still_matches() -> None:
    caption = "The new night buses at the central depot (Photo: Reuters)"
    cleaned = clean_paragraphs(["The new night buses at the central depot", *BODY], [], [caption])
    assert cleaned.paragraphs == BODY


def test_credit_line_moves_to_credit_and_agencies() -> None:
    cleaned = clean_paragraphs([*BODY, "The City Post with inputs from Agencies, AFP"], [], [])
    assert cleaned.paragraphs == BODY
    assert cleaned.credit == "The City Post with inputs from Agencies, AFP"
    assert cleaned.agencies == ["AFP"]


def test_a_credit_line_in_brackets_moves_to_credit_and_agencies() -> None:
    # NDTV, India Today and Deccan Herald close stories with "(With inputs from PTI)".
    for line, credit, agencies in [
        ("(With inputs from PTI)", "With inputs from PTI", ["PTI"]),
        ("(With inputs from agencies.)", "With inputs from agencies", []),
        ("[With inputs from IANS]", "With inputs from IANS", ["IANS"]),
        ("[Xinhua]", "Xinhua", ["Xinhua"]),
    ]:
        result = clean_paragraphs([*BODY, line], [], [])
        assert (result.paragraphs, result.credit, result.agencies) == (BODY, credit, agencies), line


def test_a_newsroom_staff_credit_moves_to_credit() -> None:
    # How Reuters closes its copy; Rolling Stone and others print the "Additional reporting" line alone.
    for line in [
        "(Reporting by Yew Lun Tian and Ryan Woo in Beijing; Additional reporting by Martin Quin Pollard; "
        "Editing by Raju Gopalakrishnan)",
        "Writing by Angus MacSwan; editing by Philippa Fletcher",
        "Additional reporting by Joseph Hudak",
    ]:
        result = clean_paragraphs([*BODY, line], [], [])
        assert (result.paragraphs, result.credit) == (BODY, line.strip("()")), line


def test_a_story_sentence_about_reporting_stays() -> None:
    lines = [*BODY, "Reporting by the Guardian has shown that the ministry ignored warnings."]
    assert clean_paragraphs(lines, [], []).paragraphs == lines


def test_dateline_moves_out_and_the_first_sentence_stays_whole() -> None:
    cleaned = clean_paragraphs(["PARIS (AFP) - " + BODY[0], BODY[1]], [], [])
    assert cleaned.paragraphs == BODY
    assert (cleaned.dateline, cleaned.agencies) == ("PARIS", ["AFP"])


def test_credit_words_inside_the_story_stay() -> None:
    lines = [
        BODY[0],
        "Source: officials at the transport office said the plan had been in the works for years.",
        BODY[1],
    ]
    assert clean_paragraphs(lines, [], []).paragraphs == lines


def test_single_paragraph_story_is_never_emptied_by_a_credit_rule() -> None:
    assert clean_paragraphs(["(Reuters)"], [], []).paragraphs == ["(Reuters)"]


def test_story_lines_that_merely_start_like_widgets_stay() -> None:
    lines = ["Subscribers will pay 3 euros more from May.", "Relatedly, fares rise too.", *BODY]
    assert clean_paragraphs(lines, [], []).paragraphs == lines


@pytest.mark.parametrize(
    "line",
    [
        "Lea también: Impiden ingreso a Nicaragua a reportero",
        "VEA TAMBIÉN: Entre heces y guaricha",
        "Lesen Sie auch: Spielabbruch in der Kreisliga",
        "À lire aussi » Ballonnements, lourdeurs",
        "Dowiedz się więcej: Kto jak głosował",
    ],
)
def test_read_also_links_in_many_languages_leave_the_text(line: str) -> None:
    body = ["The council approved the budget on Tuesday after a long debate.", line, "The vote was close."]
    assert clean_paragraphs(body, [], []).paragraphs == [body[0], body[2]]


def test_a_name_that_starts_like_read_also_stays() -> None:
    body = ["Mira Sorvino said she would attend.", "Ver la ciudad desde el puerto fue lo mejor del viaje."]
    assert clean_paragraphs(body, [], []).paragraphs == body


@pytest.mark.parametrize(
    "line",
    [
        "Thanks for signing up!",
        "Sign up for our daily newsletter to get the best stories in your inbox.",
        "Updated at 1:23 p.m.",
        "- Published 18 November 2019",
        "Tempo de leitura: 2 minutos",
        "Comments",
        "Tags",
        "Filed under: Politics |",
        "- Order Reprints",
        "China furious at Macron for Hong Kong protest jibe [INSIGHT]",
        "SEE MORE: Hong Kong protests",
    ],
)
def test_newsletter_boxes_and_page_furniture_between_paragraphs_leave_the_text(line: str) -> None:
    body = ["The council approved the budget on Tuesday after a long debate.", line, "The vote was close."]
    assert clean_paragraphs(body, [], []).paragraphs == [body[0], body[2]]


def test_a_bracketed_source_or_photo_credit_alone_stays() -> None:
    # both development sets count "[Engadget]" under a quote and "[사진=JTBC]" as the article's text
    body = ["The reviews were mixed.", "[Engadget]", "[사진=JTBC, 이매진아시아]", "The vote was close."]
    assert clean_paragraphs(body, [], []).paragraphs == body


def test_a_sentence_about_publishing_or_comments_stays() -> None:
    body = [
        "Published in 1851, the novel sold poorly at first.",
        "Comments from the minister drew sharp criticism from the opposition benches.",
        "He said [sic] it was fine and the [Labour] party agreed.",
    ]
    assert clean_paragraphs(body, [], []).paragraphs == body
