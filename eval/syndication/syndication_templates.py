"""Recurring wire templates for the evaluation set: daily and monthly bulletins whose fixed paragraphs
repeat across days (Jaccard 0.3-0.4 between days) while the figures change. Each day is its own story.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

FOREX = (
    "BEIJING, {mon}. {d} (Xinhua) -- The central parity rate of the Chinese currency renminbi "
    "{dir} {pips} pips to {rate} against the U.S. dollar {day}, according to the China Foreign "
    "Exchange Trade System.",
    "In China's spot foreign exchange market, the yuan is allowed to rise or fall by 2 percent from the "
    "central parity rate each trading day.",
    "The central parity rate of the yuan against the U.S. dollar is based on a weighted average of prices "
    "offered by market makers before the opening of the interbank market each business day.",
    "The yuan was quoted at {eur} per euro and {jpy} per 100 Japanese yen, with {vol} billion yuan "
    "changing hands by the {hour} o'clock fixing.",
)
EXPORTS = (
    "DHAKA, {mon}. {d} (AP) -- Bangladesh's merchandise exports {dir} {pct} percent year on year in "
    "{month} to {bn} billion dollars, the Export Promotion Bureau said {day}.",
    "Ready-made garments, which account for more than four fifths of the country's export earnings, "
    "brought in {rmg} billion dollars during the month, the bureau's data showed.",
    "The bureau compiles its monthly figures from customs declarations at the ports of Chittagong and "
    "Mongla and revises them when late shipping documents arrive.",
    "Jute goods earned {jute} million dollars and leather {leather} million dollars, against a monthly "
    "target of {target} billion dollars set by the commerce ministry.",
)
GOLD = (
    "KARACHI, {mon}. {d} (PTI) -- Gold prices in the local market {dir} by {rs} rupees per tola {day}, "
    "settling at {price} rupees, the All Sindh Saraf Jewellers Association said.",
    "The price of ten grams of 24-karat gold moved to {ten} rupees, while silver traded at {silver} rupees "
    "per tola.",
    "Jewellers said local prices follow the international bullion market, where gold was quoted at {oz} "
    "dollars an ounce, and the exchange rate of the rupee against the dollar.",
    "Traders expect demand to stay {mood} ahead of the wedding season, the association added.",
)


# Each day's bulletin adds a line of market colour; with the changed figures this keeps different days of
# one template at the 0.3-0.4 Jaccard real recurring bulletins show.
COLOUR = (
    "Dealers at {bank} attributed the move to {reason}.",
    "Trading was {pace} on {day2} as {who} waited for {reason}.",
    "{who} said {reason} had kept activity {pace} through the morning session.",
    "Volumes were {pace}, with {who} citing {reason}.",
    "A strategist at {bank} expected {reason} to weigh on sentiment into {day2}.",
    "{who} at {bank} said the market had already priced in {reason}.",
)
BANKS = (
    "Harbour Securities",
    "Meridian Bank",
    "Silk Road Capital",
    "Eastgate Trust",
    "Lotus Brokers",
    "Anchor Finance",
)
REASONS = (
    "weaker factory data from overseas",
    "a firmer dollar in Asian hours",
    "month-end demand from importers",
    "the holiday schedule in Europe",
    "fresh tariff threats",
    "expectations of a rate cut in Washington",
    "a drop in crude oil prices",
    "heavy selling by exporters",
    "the quarterly tax payments",
)
WHO = (
    "Importers",
    "Exporters",
    "Retail buyers",
    "Fund managers",
    "Wholesale dealers",
    "Corporate treasurers",
)
PACES = ("thin", "brisk", "subdued", "heavy", "light", "steady")


def _colour(rng: random.Random) -> str:
    lines = rng.sample(COLOUR, 3)
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    return " ".join(
        line.format(bank=rng.choice(BANKS), reason=rng.choice(REASONS), who=rng.choice(WHO),
                    pace=rng.choice(PACES), day2=rng.choice(days))
        for line in lines
    )  # fmt: skip


def _fill(template: tuple[str, ...], when: datetime, rng: random.Random) -> list[str]:
    values = {
        "mon": when.strftime("%b"), "d": when.day, "day": f"on {when.strftime('%A')}",
        "month": (when - timedelta(days=30)).strftime("%B"), "dir": rng.choice(["rose", "fell"]),
        "pips": rng.randint(3, 250), "rate": f"7.{rng.randint(1000, 2999)}",
        "eur": f"7.{rng.randint(6000, 9999)}", "jpy": f"4.{rng.randint(5000, 9999)}",
        "vol": rng.randint(120, 480), "hour": rng.choice([9, 10]),
        "pct": f"{rng.randint(1, 19)}.{rng.randint(0, 9)}",
        "bn": f"{rng.randint(3, 5)}.{rng.randint(10, 99)}",
        "rmg": f"{rng.randint(2, 4)}.{rng.randint(10, 99)}",
        "jute": rng.randint(60, 120), "leather": rng.randint(70, 140), "target": f"5.{rng.randint(10, 99)}",
        "rs": rng.randint(200, 3500), "price": f"{rng.randint(200, 280)},{rng.randint(100, 999)}",
        "ten": f"{rng.randint(170, 240)},{rng.randint(100, 999)}",
        "silver": f"{rng.randint(2, 3)},{rng.randint(100, 999)}",
        "oz": f"{rng.randint(2300, 2700)}", "mood": rng.choice(["firm", "subdued", "steady", "weak"]),
    }  # fmt: skip
    paragraphs = [paragraph.format(**values) for paragraph in template]
    paragraphs.insert(1, _colour(rng))
    return paragraphs


def template_series(rng: random.Random, start: datetime) -> list[dict]:
    """Bulletins on consecutive days (monthly ones a month apart), each with one or two outlet copies."""
    docs: list[dict] = []
    series = [("forex", FOREX, timedelta(days=1), "xinhua"), ("exports", EXPORTS, timedelta(days=30), "ap"),
              ("gold", GOLD, timedelta(days=1), "pti")]  # fmt: skip
    for name, template, step, agency in series:
        for day in range(5 if step.days == 1 else 3):
            when = start + timedelta(days=10) + step * day + timedelta(hours=rng.randint(1, 5))
            paragraphs = _fill(template, when, rng)
            label = f"template-{name}-{day}"
            docs.append(_doc(label, "wire", paragraphs, when, agency, agency))
            for n in range(rng.randint(1, 2)):
                copy = list(paragraphs)
                copy[0] = copy[0].split(" -- ", 1)[1]
                if rng.random() < 0.5:
                    copy = copy[:-1]
                copy.append("With inputs from agencies")
                docs.append(
                    _doc(label, f"c{n}", copy, when + timedelta(hours=rng.randint(1, 8)), "outlet", None)
                )
    return docs


def _doc(
    label: str, part: str, paragraphs: list[str], when: datetime, source: str, agency: str | None
) -> dict:
    return {
        "id": f"{label}-{part}", "label": label, "text": "\n\n".join(paragraphs), "title": label,
        "source": source, "published_at": when.isoformat(), "agency": agency, "edits": ["template"],
    }  # fmt: skip
