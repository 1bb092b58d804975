"""Generate the labelled syndication evaluation set (fixed seed): wire stories, rough outlet copies,
hard negatives per event, recurring wire templates, flashes and unrelated singles.

Run: python eval/syndication/generate.py [--out eval/syndication/docs.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from syndication_events import (
    ADJS,
    AGENCY_NAMES,
    CLUTTER,
    DAYS,
    EVENTS,
    FRAMES,
    GROUPS,
    LOCAL_LINES,
    OUTLETS,
    SYNONYMS,
    THINGS,
    VERBS,
)
from syndication_templates import template_series

SEED = 20260827
START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
ANGLES = ("announcement", "reaction", "analysis")
LEADS = {
    "announcement": "{p0}, the {t0}, {verb} on {day} a {adj} plan for {topic}, "
    "saying {n1} {group} would benefit.",
    "reaction": "{group} and campaigners in {country} reacted with {adj} concern on {day} "
    "to news about {topic}, as {p1} called for {thing}.",
    "analysis": "The outcome of {topic} could reshape {thing} across {country} for years, {n2} analysts "
    "surveyed by {agency_name} said, pointing to {adj} risks.",
}


def slots(event: dict, rng: random.Random) -> dict[str, str]:
    """Fillers for one sentence: the event's fixed entities plus fresh random details."""
    (p0, t0), (p1, t1) = event["people"]
    return {
        "p0": p0, "t0": t0, "p1": p1, "t1": t1, "place": event["place"], "country": event["country"],
        "org": event["org"], "topic": event["topic"], "agency_name": AGENCY_NAMES[event["agency"]],
        "n1": str(rng.randint(3, 900)), "n2": str(rng.randint(2, 60)), "n3": str(rng.randint(1990, 2025)),
        "day": rng.choice(DAYS), "adj": rng.choice(ADJS), "verb": rng.choice(VERBS),
        "thing": rng.choice(THINGS), "group": rng.choice(GROUPS),
    }  # fmt: skip


def fill(frame: str, event: dict, rng: random.Random) -> str:
    text = frame.format(**slots(event, rng))
    return text[0].upper() + text[1:]


def write_story(event: dict, angle: str, frames: list[str], when: datetime, rng: random.Random) -> dict:
    """A wire story as paragraphs: datelined lead, the event's quote, then its own frames."""
    agency_name = AGENCY_NAMES[event["agency"]]
    dateline = f"{event['place'].upper()}, {when.strftime('%b')}. {when.day} ({agency_name}) -- "
    sentences = [fill(frame, event, rng) for frame in frames]
    speaker = event["people"][0 if angle != "reaction" else 1][0]
    sentences.insert(rng.randint(1, 3), f'"{event["quote"]}," {speaker} said.')
    paragraphs = [dateline + fill(LEADS[angle], event, rng)]
    while sentences:
        take = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    title = f"{event['topic'][0].upper()}{event['topic'][1:]}: {angle} in {event['place']}"
    return {"paragraphs": paragraphs, "title": title}


def roughen(sentence: str, rng: random.Random) -> str:
    """Outlet house style: drop or swap a word, the way sub-editors tighten copy."""
    words = sentence.split()
    if len(words) < 6:
        return sentence
    i = rng.randrange(1, len(words) - 1)
    if rng.random() < 0.5:
        del words[i]
    else:
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def copy_of(
    story: dict, event: dict, outlet: str, other_title: str, rng: random.Random
) -> tuple[str, list[str]]:
    """An outlet's copy with realistic rough edits; returns the text and the edits applied."""
    paragraphs = list(story["paragraphs"])
    edits: list[str] = []
    lead = paragraphs[0]
    roll = rng.random()
    if roll < 0.35:
        lead, _ = re.subn(r"^[^(]*\([^)]*\) -- ", "", lead)
        edits.append("dateline-removed")
    elif roll < 0.6:
        lead = re.sub(r"^[^(]*\([^)]*\) -- ", f"{event['place'].upper()}: ", lead)
        edits.append("dateline-changed")
    paragraphs[0] = lead
    if rng.random() < 0.3:
        paragraphs[0] = fill(rng.choice(FRAMES), event, rng) + " " + fill(rng.choice(FRAMES), event, rng)
        edits.append("lead-rewritten")
    if rng.random() < 0.45 and len(paragraphs) > 3:
        paragraphs = paragraphs[: rng.randint(2, max(2, len(paragraphs) // 2))]
        edits.append("truncated")
    if rng.random() < 0.5:
        kept = [paragraphs[0]] + [p for p in paragraphs[1:] if rng.random() > 0.3]
        edits.append(f"dropped-{len(paragraphs) - len(kept)}")
        paragraphs = kept
    if rng.random() < 0.75:
        words = [w for w in SYNONYMS if rng.random() < 0.7]
        for word in words:
            paragraphs = [re.sub(rf"\b{re.escape(word)}\b", SYNONYMS[word], p) for p in paragraphs]
        edits.append("house-style")
    if rng.random() < 0.6:
        paragraphs = [" ".join(roughen(s, rng) if rng.random() < 0.4 else s for s in re.split(r"(?<=\.) ", p))
                      for p in paragraphs]  # fmt: skip
        edits.append("subedited")
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 2)):
            line = fill(rng.choice(LOCAL_LINES).replace("{outlet}", outlet), event, rng)
            paragraphs.insert(rng.randint(1, len(paragraphs)), line)
        edits.append("local-paragraphs")
    if rng.random() < 0.6:
        for _ in range(rng.randint(1, 3)):
            line = rng.choice(CLUTTER).format(
                other=other_title, place=event["place"], agency_name=AGENCY_NAMES[event["agency"]]
            )
            paragraphs.insert(rng.choice([0, len(paragraphs)]), line)
        edits.append("clutter")
    if rng.random() < 0.5:
        paragraphs.append(rng.choice(["The BRICS Post with inputs from Agencies", "With inputs from agencies",
                                      f"Source: {AGENCY_NAMES[event['agency']]}"]))  # fmt: skip
        edits.append("credit-line")
    return "\n\n".join(paragraphs), edits


def generate(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    docs: list[dict] = []
    stories: list[tuple[dict, dict, str, datetime]] = []
    for e_index, event in enumerate(EVENTS):
        frames = list(FRAMES)
        rng.shuffle(frames)
        per = len(frames) // len(ANGLES)
        event_day = START + timedelta(days=4 * e_index, hours=rng.randint(0, 10))
        for a_index, angle in enumerate(ANGLES):
            when = event_day + timedelta(hours=rng.randint(0, 30))
            story = write_story(event, angle, frames[a_index * per : (a_index + 1) * per], when, rng)
            stories.append((event, story, f"{event['key']}-{angle}", when))
    titles = [story["title"] for _, story, _, _ in stories]
    for event, story, label, when in stories:
        if rng.random() < 0.7:  # the agency's own copy is not always crawled
            docs.append(_doc(label, "wire", "\n\n".join(story["paragraphs"]), story["title"], event["agency"],
                             when, event["agency"], ["original"]))  # fmt: skip
        for n in range(rng.randint(4, 8)):
            outlet = rng.choice(OUTLETS)
            text, edits = copy_of(story, event, outlet, rng.choice(titles), rng)
            published = when + timedelta(minutes=rng.randint(20, 36 * 60))
            title = (
                story["title"] if rng.random() < 0.4 else f"{event['place']}: {story['title'].split(':')[0]}"
            )
            docs.append(_doc(label, f"c{n}", text, title, outlet, published, None, edits))
        if rng.random() < 0.25:
            flash = (
                "URGENT: " + re.sub(r"^[^(]*\([^)]*\) -- ", "", story["paragraphs"][0]).split(",")[0] + "."
            )
            flash_text = flash + " " + re.sub(r"^[^(]*\([^)]*\) -- ", "", story["paragraphs"][0])
            docs.append(_doc(label, "flash", flash_text, "Flash", rng.choice(OUTLETS),
                             when - timedelta(minutes=15), None, ["flash"]))  # fmt: skip
    docs.extend(template_series(rng, START))
    for n in range(20):
        event = rng.choice(EVENTS)
        frames = rng.sample(FRAMES, 8)
        text = "\n\n".join(fill(frame, event, rng) for frame in frames)
        docs.append(_doc(f"single-{n}", "single", text, "Local news", rng.choice(OUTLETS),
                         START + timedelta(hours=rng.randint(0, 24 * 50)), None, ["single"]))  # fmt: skip
    docs.sort(key=lambda doc: doc["published_at"])
    return docs


def _doc(label: str, part: str, text: str, title: str, source: str, when: datetime, agency: str | None,
         edits: list[str]) -> dict:  # fmt: skip
    return {
        "id": f"{label}-{part}", "label": label, "text": text, "title": title, "source": source,
        "published_at": when.isoformat(), "agency": agency, "edits": edits,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("docs.jsonl"))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    docs = generate(args.seed)
    with args.out.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    labels = {doc["label"] for doc in docs}
    print(f"wrote {len(docs)} documents in {len(labels)} clusters to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
