"""The extractor against hand-annotated articles: exact-interval precision, recall and F1.

    .venv/bin/python -m bench.extract_quality            # the totals and each article's score
    .venv/bin/python -m bench.extract_quality -v         # also every miss and every extra candidate

The articles are tests/articles/*.txt named in tests/articles/expected_events.json, a list of the
acts each article dates, written down before the extractor was run on them (see its "about"); those
it names "held_out" were also written after the extractor's rules, the only unseen ones. A
candidate matches an expected event when its quote contains one of the event's ``words`` and its
interval (earliest, latest) is exactly the event's; each event and each candidate matches at most
once, so two candidates for one act count one true and one false positive. Kinds and roles are
scored on the matched pairs only. Parties are the article's own list (no database is needed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "articles"
EXPECTED = ARTICLES / "expected_events.json"


@dataclass
class Score:
    expected: int = 0
    candidates: int = 0
    matched: int = 0
    kinds_right: int = 0
    roles_checked: int = 0
    roles_right: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("expected", "candidates", "matched", "kinds_right", "roles_checked", "roles_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.matched / self.candidates if self.candidates else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    import django

    django.setup()


def score_article(name: str, entry: dict) -> Score:
    from timeline.ingest.article import read_article
    from timeline.ingest.extractor import extract
    from timeline.ingest.parties import PartyInfo, PartyMatcher

    matcher = PartyMatcher(
        PartyInfo(p["slug"], p["name"], p["kind"], tuple(p["names"]), p.get("affiliation"))
        for p in entry["parties"]
    )
    article = read_article(ARTICLES / name)
    candidates = extract(
        text=article.body, published=article.published, published_text=article.published_text, matcher=matcher
    ).candidates
    score = Score(expected=len(entry["events"]), candidates=len(candidates))
    used: set[int] = set()
    for event in entry["events"]:
        bounds = (date.fromisoformat(event["earliest"]), date.fromisoformat(event["latest"]))
        found = next(
            (
                i
                for i, c in enumerate(candidates)
                if i not in used
                and (c.date.earliest, c.date.latest) == bounds
                and any(words in c.quote for words in event["words"])
            ),
            None,
        )
        if found is None:
            score.misses.append(f"{name}: {event['earliest']}..{event['latest']} {event['words'][0]!r}")
            continue
        used.add(found)
        score.matched += 1
        candidate = candidates[found]
        if candidate.kind == event["kind"]:
            score.kinds_right += 1
        else:
            score.wrong.append(
                f"{name}: kind {candidate.kind}, expected {event['kind']}: {event['words'][0]!r}"
            )
        roles = dict(candidate.parties)
        for slug, role in event.get("roles", {}).items():
            score.roles_checked += 1
            if roles.get(slug) == role:
                score.roles_right += 1
            else:
                score.wrong.append(
                    f"{name}: {slug} is {roles.get(slug)}, expected {role}: {event['words'][0]!r}"
                )
    for i, c in enumerate(candidates):
        if i not in used:
            score.extras.append(f"{name}: {c.date.edtf} {c.kind} {c.quote[:80]!r}")
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list misses, extras and wrong kinds/roles"
    )
    args = parser.parse_args(argv)
    _setup()
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    articles, held_out = expected["articles"], set(expected.get("held_out", ()))
    total, sets = Score(), {"developed against": Score(), "held out": Score()}
    for name, entry in articles.items():
        score = score_article(name, entry)
        total.add(score)
        sets["held out" if name in held_out else "developed against"].add(score)
        print(
            f"{name:<40} expected {score.expected:>2}  found {score.candidates:>2}  matched {score.matched:>2}  "
            f"P {score.precision:.2f}  R {score.recall:.2f}  F1 {score.f1:.2f}"
        )
        if args.verbose:
            for line in score.misses:
                print(f"    missed  {line}")
            for line in score.extras:
                print(f"    extra   {line}")
            for line in score.wrong:
                print(f"    wrong   {line}")
    print()
    for label, part in sets.items():
        if part.expected:
            print(
                f"{label + ':':<19} P {part.precision:.3f}  R {part.recall:.3f}  F1 {part.f1:.3f} "
                f"({part.matched} of {part.expected} expected events, {part.candidates} candidates)"
            )
    print(
        f"all:                exact-interval P {total.precision:.3f}  R {total.recall:.3f}  F1 {total.f1:.3f} "
        f"({total.matched} of {total.expected} expected events, {total.candidates} candidates); "
        f"kinds right {total.kinds_right}/{total.matched}; roles right {total.roles_right}/{total.roles_checked}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
