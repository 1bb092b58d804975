"""Figures read whole: two issues of a bulletin whose decimals share their digits stay apart."""

from dedup import DedupConfig, Deduplicator, Document
from dedup.figures import figure_set, rounded

BULLETIN = (
    "The country's exports rose {0} percent on-year in the first days of the month, customs data showed, "
    "as shipments of chips and cars recovered from the slump of the spring.\n"
    "Outbound shipments stood at {1} billion dollars in the period, compared with {2} billion dollars "
    "a year earlier, according to the data from the customs service, which releases the figures twice "
    "a month.\n"
    "Exports, which account for half of the economy, were battered by the pandemic this year, but the "
    "pace of the slump has eased since June as major economies resumed business activities."
)


def test_thousands_separators_are_dropped_and_decimals_kept() -> None:
    assert list(figure_set("16,167 cases")) == list(figure_set("16167 cases"))
    assert list(figure_set("10,77,618")) == list(figure_set("1,077,618"))
    assert list(figure_set("11.1 percent")) != list(figure_set("20.1 percent"))
    assert len(figure_set("a 5 percent rise")) == 0  # single digits recur in every bulletin


def test_bulletins_whose_decimals_share_their_digits_stay_apart() -> None:
    first = BULLETIN.format("11.1", "31.3", "28.2")
    second = BULLETIN.format("31.1", "28.3", "11.2")  # the same two-digit fragments, other figures
    dd = Deduplicator(DedupConfig())
    a = dd.add(Document(id="first", text=first))
    b = dd.add(Document(id="second", text=second))
    assert a.cluster_id != b.cluster_id


def test_another_agency_rounding_the_same_release_is_not_a_copy() -> None:
    exact = (
        "The reserves rose by 1.853 billion dollars to 595.051 billion dollars in the week, the central "
        "bank said on Friday. Foreign currency assets, a major component of the reserves, increased by "
        "2.539 billion dollars to 527.979 billion dollars, according to the weekly statistical supplement. "
        "Expressed in dollar terms, the foreign currency assets include the effect of appreciation or "
        "depreciation of non-US units like the euro, pound and yen held in the foreign exchange reserves."
    )
    rounded_report = (
        "The reserves rose by 1.853 billion dollars to 595.051 billion dollars in the week. Foreign "
        "currency assets also rose by 2.5 billion dollars to 528 billion dollars, data showed. "
        "Expressed in dollar terms, the foreign currency assets include the effect of appreciation or "
        "depreciation of non-US units like the euro, pound and yen held in the foreign exchange reserves."
    )
    dd = Deduplicator(DedupConfig())
    a = dd.add(Document(id="pti", text=exact))
    b = dd.add(Document(id="ians", text=rounded_report))
    assert a.cluster_id != b.cluster_id
    # A copy that keeps the exact figures, or drops some, is still a copy.
    kept = exact.replace(" Foreign currency assets, a major component of the reserves,", " Assets")
    assert dd.add(Document(id="copy", text=kept)).cluster_id == a.cluster_id


def test_times_and_dates_with_a_leading_zero_are_not_rounded_figures() -> None:
    assert not rounded(figure_set("updated 07:40:40 on 2024-03-23T04"), figure_set("3.7 million people"))
