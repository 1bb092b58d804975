"""The measured rules that choose between trafilatura's main pass and its comparison."""

from __future__ import annotations

from crawler.extract import candidates

ARTICLE = "\n".join(
    f"Paragraph {n} of the story says what the council decided and why the vote was close this time."
    for n in range(8)
)
MENU = "\n".join(["Home", "News", "Sport", "Weather", "Contact us", "About"] * 20) + "\n" + ARTICLE


def test_a_long_prose_text_needs_no_comparison_and_is_kept() -> None:
    assert not candidates.wants_comparison(ARTICLE)
    assert candidates.choose(ARTICLE, "something else entirely") == ARTICLE


def test_a_short_text_takes_the_comparisons_candidate() -> None:
    assert candidates.wants_comparison("Just a teaser of ten words or so here.")
    assert candidates.choose("Just a teaser.", ARTICLE) == ARTICLE


def test_a_menu_taken_for_the_body_gives_way_to_a_shorter_candidate() -> None:
    assert candidates.wants_comparison(MENU)
    assert candidates.choose(MENU, ARTICLE) == ARTICLE
    # but never to a longer one: that would be more of the same page
    assert candidates.choose(MENU, MENU + "\nMore") == MENU


def test_the_declared_article_body_stands_in_for_a_text_too_short_to_be_the_article() -> None:
    assert candidates.with_declared_body("A teaser of the story.", ARTICLE) == ARTICLE
    assert candidates.with_declared_body(ARTICLE, ARTICLE + " And more.") == ARTICLE  # long enough already
    assert candidates.with_declared_body("A teaser of the story.", None) == "A teaser of the story."
