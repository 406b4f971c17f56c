"""The extractor measured on the seeds against a hand-labelled list of their dated statements.

Each label names a sentence (by words only it contains) and the date it gives: the dates of the
issue's list, and the statements dated only by their article's publication. Recall is the share of
labels found with exactly those bounds and precision; a false positive is a candidate that matches
no label (a wrong date for a labelled sentence counts as one). To see the numbers:

    .venv/bin/python -m pytest tests/test_ingest_seed_recall.py -q -s
"""

from datetime import date

import pytest

from timeline.ingest.extractor import extract
from timeline.ingest.selectors import party_matcher

PUBLISHED_000 = (date(2024, 5, 21), date(2024, 6, 10), "month")  # late May or early June 2024
D = date

# (seed, words of the sentence, earliest, latest, precision, required by the issue)
LABELS = [
    (
        "000",
        "On February 24, 2022, Russia launched a military operation",
        D(2022, 2, 24),
        D(2022, 2, 24),
        "day",
        True,
    ),
    ("000", "Recently, the possibility of expanding this conflict", *PUBLISHED_000, False),
    (
        "000",
        "Putin utilized his visit to Belarus and his meeting with President Alexander Lukashenko",
        *PUBLISHED_000,
        True,
    ),
    (
        "000",
        "Putin emphasized that negotiations should be based on the 'facts on the ground'",
        *PUBLISHED_000,
        True,
    ),
    ("000", "Putin stated, 'There is talk again", *PUBLISHED_000, True),
    (
        "000",
        "One high-ranking Russian source involved in Kremlin discussions revealed",
        *PUBLISHED_000,
        False,
    ),
    ("000", "Moscow insists that Ukraine must cede territories", *PUBLISHED_000, False),
    (
        "000",
        "In November last year, he declared peace negotiations could only proceed",
        D(2023, 11, 1),
        D(2023, 11, 30),
        "month",
        True,
    ),
    ("000", "Zelensky signed a decree in 2022", D(2022, 1, 1), D(2022, 12, 31), "year", True),
    ("000", "Putin was not invited to peace talks held in Switzerland", *PUBLISHED_000, False),
    ("000", "as per Swiss President Viola Amherd's recent statement", *PUBLISHED_000, False),
    ("000", "Sergei Lavrov echoed the sentiment of futility", *PUBLISHED_000, False),
    ("002", "The New York Times revealed on Saturday", D(2023, 12, 23), D(2023, 12, 23), "day", True),
    (
        "002",
        "in September 2022, the U.S. officials received never-before-reported overtures",
        D(2022, 9, 1),
        D(2022, 9, 30),
        "month",
        True,
    ),
    ("002", "At that time, Putin indicated his satisfaction", D(2022, 9, 1), D(2022, 9, 30), "month", False),
    ("002", "The Washington Post previously reported", None, D(2023, 12, 23), "day", False),
    ("002", "as of November 2023, Zelensky reiterated", D(2023, 11, 1), D(2023, 11, 30), "month", True),
    (
        "002",
        "began in February 2022 when Russian forces entered Ukraine",
        D(2022, 2, 1),
        D(2022, 2, 28),
        "month",
        True,
    ),
    (
        "002",
        "Russia maintains its claim over Ukraine's Kherson",
        D(2023, 12, 23),
        D(2023, 12, 23),
        "day",
        False,
    ),
    ("002", "in the 2024 presidential election next March", D(2024, 3, 1), D(2024, 3, 31), "month", True),
]


@pytest.fixture
def candidates(seed_articles, seed_parties):
    matcher = party_matcher()
    return {
        key: extract(
            text=a.body, published=a.published, published_text=a.published_text, matcher=matcher
        ).candidates
        for key, a in seed_articles.items()
    }


def matches(label, seed, candidate) -> bool:
    label_seed, words, earliest, latest, precision, _ = label
    return (
        label_seed == seed
        and words in candidate.quote
        and (candidate.date.earliest, candidate.date.latest, str(candidate.date.precision))
        == (earliest, latest, precision)
    )


def score(candidates):
    found = [
        label for label in LABELS if any(matches(label, s, c) for s, cs in candidates.items() for c in cs)
    ]
    false = [
        (seed, c.date_text, c.quote[:60])
        for seed, cs in candidates.items()
        for c in cs
        if not any(matches(label, seed, c) for label in LABELS)
    ]
    return found, false


@pytest.mark.parametrize("label", [label for label in LABELS if label[5]], ids=lambda label: label[1][:40])
def test_each_dated_statement_of_the_issue_is_found_with_its_bounds_and_precision(label, candidates):
    seed = label[0]
    assert any(matches(label, seed, c) for c in candidates[seed])


def test_recall_and_false_positives_on_the_seeds(candidates):
    found, false = score(candidates)
    total = sum(len(cs) for cs in candidates.values())
    print(
        f"\nextractor on the seeds: recall {len(found)}/{len(LABELS)} = {len(found) / len(LABELS):.0%}; "
        f"{len(false)} false positive(s) among {total} candidate(s)"
    )
    assert len(found) == len(LABELS), [label[1] for label in LABELS if label not in found]
    assert false == []


def test_none_of_the_false_dates_of_the_seeds_is_found(candidates):
    written = " | ".join(c.date_text for cs in candidates.values() for c in cs)
    for false_date in (
        "398",
        "1703370797",
        "20231223",
        "22h31",
        "2024 presidential",
        "several months",
        "today",
    ):
        assert false_date not in written
