"""Write a synthetic timeline in the import format (JSONL; see README "Bulk import format").

    python bench/generate.py --events 1000000 --out data.jsonl --seed 1

Parties first, then sources (short texts built from sentences), then events that cite sentences of
those texts at their exact offsets. The same seed always gives the same file.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import orjson

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
PARTY_KINDS = ["person", "state", "organisation", "alliance", "media", "group"]
EVENT_KINDS = ["military_action", "statement", "negotiation", "proposal", "decree", "meeting", "election",
               "annexation", "report", "other"]
ROLES = ["actor", "speaker", "target", "recipient", "mediator", "host", "participant", "mentioned"]
WORDS = ("talks truce border army envoy treaty summit vote decree council minister ceasefire offensive "
         "report claim region capital delegation sanctions alliance parliament accord statement").split()
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2025, 12, 31)
DAYS = (LAST_DAY - FIRST_DAY).days


def party_records(rng: random.Random, *, count: int):
    for n in range(count):
        kind = PARTY_KINDS[n % len(PARTY_KINDS)]
        yield {"type": "party", "slug": f"party-{n:05d}", "name": f"{rng.choice(WORDS).title()} {n}",
               "kind": kind, "aliases": [f"P{n}"] if n % 3 == 0 else []}


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return f"{words[0].title()} {' '.join(words[1:])} {n}."


def source_records(rng: random.Random, *, count: int, parties: int, spans: list):
    """Sources, and for each its sentences' offsets in ``spans`` (what events will quote)."""
    media = [n for n in range(parties) if PARTY_KINDS[n % len(PARTY_KINDS)] == "media"]
    for n in range(count):
        parts, offsets, cursor = [], [], 0
        for i in range(rng.randint(3, 5)):
            s = sentence(rng, n * 10 + i)
            offsets.append((cursor, cursor + len(s)))
            parts.append(s)
            cursor += len(s) + 1
        spans.append(offsets)
        published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        yield {"type": "source", "key": f"s{n}", "title": f"Article {n}", "text": " ".join(parts),
               "published": published.isoformat(), "publisher": f"party-{rng.choice(media):05d}",
               "url": f"https://example.org/a/{n}"}


def date_fields(rng: random.Random) -> dict:
    """About 60% day, 25% month, 12% year and 3% spans / approximate / open-ended dates, written
    the ways editors write them (ISO, English, EDTF)."""
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    roll = rng.random()
    if roll < 0.60:
        text = day.isoformat() if rng.random() < 0.5 else f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        return {"date": text}
    if roll < 0.85:
        text = f"{day.year}-{day.month:02d}" if rng.random() < 0.5 else f"{MONTHS[day.month - 1]} {day.year}"
        return {"date": text}
    if roll < 0.97:
        return {"date": str(day.year)}
    kind = rng.random()
    if kind < 0.45:  # a span of days to months
        end = min(day + timedelta(days=rng.randint(1, 400)), LAST_DAY)
        return {"date": day.isoformat(), "end": end.isoformat()}
    if kind < 0.75:
        return {"date": f"c. {day.year}"}
    if kind < 0.93:
        return {"date": f"mid-{MONTHS[day.month - 1]} {day.year}"}
    if kind < 0.965:  # open end: "since then"
        return {"date": f"{day.isoformat()}/.."}
    return {"date": f"../{day.isoformat()}"}  # open start: "until then"


def event_records(rng: random.Random, *, count: int, parties: int, spans: list):
    for n in range(count):
        slugs = rng.sample(range(parties), rng.choice((2, 3, 3, 4)))
        citations = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            s = rng.randrange(len(spans))
            start, end = rng.choice(spans[s])
            citations.append({"source": f"s{s}", "char_start": start, "char_end": end})
        yield {"type": "event", "key": f"gen-{n}", "title": f"Event {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
               "kind": rng.choice(EVENT_KINDS), "status": "reviewed", **date_fields(rng),
               "parties": [{"party": f"party-{p:05d}", "role": rng.choice(ROLES)} for p in slugs],
               "citations": citations}


def generate(*, events: int, out, seed: int, parties: int = 10_000, sources: int = 100_000) -> None:
    rng = random.Random(seed)
    spans: list = []
    texts: dict = {}
    write = out.write
    for record in party_records(rng, count=parties):
        write(orjson.dumps(record) + b"\n")
    for record in source_records(rng, count=sources, parties=parties, spans=spans):
        texts[record["key"]] = record["text"]
        write(orjson.dumps(record) + b"\n")
    for record in event_records(rng, count=events, parties=parties, spans=spans):
        for c in record["citations"]:  # the quote is the source's words at those offsets
            c["quote"] = texts[c["source"]][c["char_start"]:c["char_end"]]
        write(orjson.dumps(record) + b"\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--parties", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="output file, '-' for stdout")
    args = parser.parse_args(argv)
    if args.out == "-":
        generate(events=args.events, out=sys.stdout.buffer, seed=args.seed, parties=args.parties, sources=args.sources)
        return
    with Path(args.out).open("wb") as out:
        generate(events=args.events, out=out, seed=args.seed, parties=args.parties, sources=args.sources)


if __name__ == "__main__":
    main()
