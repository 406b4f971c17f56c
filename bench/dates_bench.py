"""The fuzzy-date module against dateparser, on the same inputs.

``parse`` is lru_cached; every timing here clears the cache first and every corpus string is
distinct, so each call is a cold parse (what an import of new data pays).
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
NON_DATES = ["the minister said", "talks collapsed", "no comment", "forty soldiers", "Kyiv Oblast",
             "a long war", "the summit was cancelled", "weapons and ammunition", "rain on the border", "X-17"]
RELATIVE = ["next March", "last week", "on Saturday", "this year", "November last year", "last year",
            "next year", "earlier this month", "last month", "this month"]


def corpus(*, size: int = 10_000, seed: int = 7) -> list[tuple[str, date | None]]:
    """(text, anchor day or None): about 30% ISO, 15% partial, 30% English, 10% relative (with an
    anchor), 15% non-dates; all distinct."""
    rng = random.Random(seed)
    seen, out = set(), []
    while len(out) < size:
        day = date(1900, 1, 1) + timedelta(days=rng.randrange(45_000))
        roll, anchor = rng.random(), None
        if roll < 0.30:
            text = day.isoformat()
        elif roll < 0.45:
            text = rng.choice([f"{day.year}-{day.month:02d}", str(day.year)])
        elif roll < 0.75:
            text = rng.choice([f"{day.day} {MONTHS[day.month - 1]} {day.year}",
                               f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
                               f"{MONTHS[day.month - 1]} {day.year}"])
        elif roll < 0.85:
            text, anchor = rng.choice(RELATIVE), day
        else:
            text = f"{rng.choice(NON_DATES)} {rng.randrange(10_000)}"
        if (text, anchor) not in seen:
            seen.add((text, anchor))
            out.append((text, anchor))
    return out


def _timed(function, items) -> tuple[float, float, str]:
    """(total seconds, slowest single call in ms, that input)."""
    slowest, worst, started = 0.0, "", time.perf_counter()
    for item in items:
        t = time.perf_counter()
        function(item)
        took = time.perf_counter() - t
        if took > slowest:
            slowest, worst = took, item[0]
    return time.perf_counter() - started, slowest * 1000, worst


def run_parse(*, size: int = 10_000) -> dict:
    import dateparser

    from timeline import dates

    items = corpus(size=size)
    anchors = {a: dates.parse(a.isoformat()) for _, a in items if a}

    def ours(item):
        text, anchor = item
        try:
            dates.parse(text, anchors[anchor] if anchor else None)
        except ValueError:
            pass

    def theirs(item):
        text, anchor = item
        settings = {"RELATIVE_BASE": datetime.combine(anchor, datetime.min.time())} if anchor else None
        dateparser.parse(text, settings=settings)

    dateparser.parse("1 January 2000")  # load its language data outside the timing
    # One warm-up call down each path that imports or builds something on first use (our rules;
    # python-edtf, imported for EDTF-shaped text our parser refuses; the DateDataParser): a process
    # pays those once, ~0.2-0.4 s each, not per input. dateparser.parse got its warm-up above.
    for warm in ("1 January 1999", "X-17 0", "Thursday, 11 January 2024 09:15 GMT"):
        ours((warm, None))
    dates.parse.cache_clear()
    ours_s, ours_max, ours_worst = _timed(ours, items)
    theirs_s, theirs_max, theirs_worst = _timed(theirs, items)
    # The date finder (timeline.dates.finder) on the same strings, each as a whole text: what
    # find_dates and POST /api/dates/find/ do for a short input.
    from timeline.dates.finder import find_dates

    find_dates("warm up on 1 January 1999", None)
    finder_s, finder_max, finder_worst = _timed(lambda item: find_dates(item[0], anchors[item[1]] if item[1] else None), items)
    return {"strings": len(items), "ours_s": ours_s, "ours_max_ms": ours_max, "ours_slowest": ours_worst,
            "dateparser_s": theirs_s, "dateparser_max_ms": theirs_max, "dateparser_slowest": theirs_worst,
            "finder_s": finder_s, "finder_max_ms": finder_max, "finder_slowest": finder_worst}


def run_extraction(*, repeat: int = 20) -> dict:
    """Seed articles, each read ``repeat`` times (cache cleared before each pass)."""
    from pathlib import Path

    from dateparser.search import search_dates

    from timeline import dates
    from timeline.ingest.article import read_article
    from timeline.ingest.extractor import extract
    from timeline.ingest.selectors import party_matcher

    root = Path(__file__).resolve().parent.parent / "seeds"
    articles = [read_article(p) for p in sorted(root.glob("*.txt"))]
    matcher = party_matcher()
    search_dates("warm up on 1 January 2000")
    started = time.perf_counter()
    for _ in range(repeat):
        dates.parse.cache_clear()
        for a in articles:
            extract(text=a.body, published=a.published, published_text=a.published_text, matcher=matcher)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(repeat):
        for a in articles:
            search_dates(a.body)
    theirs = time.perf_counter() - started
    n = repeat * len(articles)
    return {"articles": n, "ours_per_s": n / ours, "search_dates_per_s": n / theirs}
