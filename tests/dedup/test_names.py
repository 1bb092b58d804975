"""Name slots: a recurring template about another place stays apart, a copy with other clutter does not."""

import numpy as np

from dedup import DedupConfig, Deduplicator, Document
from dedup.names import Substitutions, name_slots, pack, substituted, unpack

STATEMENT = (
    "The Foreign Ministry has strongly condemned the bombing at a railway station in {country}'s capital, "
    "{city}, which resulted in several deaths and injuries to innocent people.\n"
    "In a statement, the Ministry affirmed that the government expresses its strong condemnation of these "
    "criminal acts and its permanent rejection of all forms of violence and terrorism aimed at undermining "
    "security and stability in contravention of international law.\n"
    "The Ministry expressed its sincere condolences and sympathy to the government and people of {country} "
    "and to the families of the victims of this heinous crime, as well as its wishes for a speedy recovery "
    "for all the injured."
)


def statement(country: str, city: str) -> str:
    return STATEMENT.format(country=country, city=city)


def cluster_ids(texts: dict[str, str], config: DedupConfig) -> dict[str, str]:
    dd = Deduplicator(config)
    return {doc_id: dd.add(Document(id=doc_id, text=body)).cluster_id for doc_id, body in texts.items()}


def test_a_template_naming_another_place_stays_apart() -> None:
    texts = {"eastport": statement("Norland", "Eastport"), "westburg": statement("Sudavia", "Westburg")}
    assert len(set(cluster_ids(texts, DedupConfig()).values())) == 2
    # The same pair without the name test is one story: the wording alone cannot tell them apart.
    assert len(set(cluster_ids(texts, DedupConfig(name_substitutions=0)).values())) == 1


def test_a_copy_with_its_own_credit_and_clutter_names_is_still_a_copy() -> None:
    copy = (
        "Eastport, Norland (WAM) -- " + statement("Norland", "Eastport").rsplit(".", 2)[0] + ".\n"
        "Weather in Lakeside is sunny as Minister Kovacs opens the Harbour Bridge on Friday."
    )
    texts = {"wire": statement("Norland", "Eastport"), "copy": copy}
    assert len(set(cluster_ids(texts, DedupConfig()).values())) == 1


def test_weekdays_are_not_names_and_shared_phrases_with_other_names_count() -> None:
    sentence = "Officials from the regional office said on {day} that the council of {town} met. However, the mayor of {town} spoke."
    left = name_slots(sentence.format(day="Monday", town="Lakeside"))
    right = name_slots(sentence.format(day="Tuesday", town="Hillview"))
    # "council of _", "_ met however" and "mayor of _" hold other towns; "said on _" would be a fourth
    # if weekdays counted as names (copies published a day apart say "Monday" and "Tuesday").
    assert substituted(left, right).phrases == 3
    assert substituted(left, name_slots(sentence.format(day="Tuesday", town="Lakeside"))).phrases == 0


def test_packed_figures_and_slots_round_trip_and_the_older_layout_reads_as_neither() -> None:
    figures = np.array([3, 9, 27], dtype=np.uint32)
    slots = name_slots("Officials in Lakeside said the mayor of Lakeside spoke.")
    packed_figures, packed_slots = unpack(pack(figures, slots))
    assert np.array_equal(packed_figures, figures) and np.array_equal(packed_slots, slots)
    assert np.array_equal(unpack(pack(figures, np.zeros((0, 2), dtype=np.uint32)))[0], figures)
    # Figure hashes stored before this layout cannot be compared with figure codes.
    old_figures, old_slots = unpack(figures.tobytes())
    assert len(old_figures) == 0 and len(old_slots) == 0


def test_a_phrase_anchored_on_a_shared_name_is_not_compared() -> None:
    # "<someone> in Rosario said" with other people in one place is one event seen by other sources,
    # not a template about another event.
    left = name_slots(
        "Speaking on the record late last night at the office, Trade in Rosario said the harvest was late."
    )
    right = name_slots(
        "According to sources close to the talks held at night, Diplomats in Rosario said the harvest was late."
    )
    assert substituted(left, right) == Substitutions(0, 0)


TALLY = (
    "India reports {cases} new COVID-19 cases in last 24 hours\n"
    "NEW DELHI - India reported {cases} new COVID-19 cases in the last 24 hours, according to government "
    "data on Sunday.\n"
    "The nationwide tally of infections has reached {total} million since the start of the pandemic, "
    "according to the health ministry.\n"
    "The country reported {deaths} deaths overnight, taking the overall tally to {dead} fatalities."
)


def test_a_daily_tally_with_other_figures_in_the_same_phrases_stays_apart() -> None:
    monday = TALLY.format(cases="15,906", total="34.17", deaths="561", dead="454,269")
    tuesday = TALLY.format(cases="41,831", total="31.65", deaths="541", dead="424,351")
    # The headline's figure counts although it opens its line: that is where a bulletin puts it.
    assert substituted(name_slots(monday), name_slots(tuesday)) == Substitutions(0, 4)
    texts = {"monday": monday, "tuesday": tuesday}
    assert len(set(cluster_ids(texts, DedupConfig()).values())) == 2
    assert len(set(cluster_ids(texts, DedupConfig(figure_substitutions=99)).values())) == 1


def test_a_copy_that_corrects_one_figure_or_adds_others_is_still_a_copy() -> None:
    wire = TALLY.format(cases="15,906", total="34.17", deaths="561", dead="454,269")
    corrected = TALLY.format(cases="15,906", total="34.17", deaths="516", dead="454,269")
    cluttered = wire + "\nMost read: 12 dead as 3,400 flee floods; markets up 1.2 percent."
    assert substituted(name_slots(wire), name_slots(corrected)).figures == 1
    assert substituted(name_slots(wire), name_slots(cluttered)) == Substitutions(0, 0)
    texts = {"wire": wire, "corrected": corrected, "cluttered": cluttered}
    assert len(set(cluster_ids(texts, DedupConfig()).values())) == 1
