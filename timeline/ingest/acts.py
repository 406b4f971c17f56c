"""One event per act: sentences that go on telling an act already found are folded into it.

News tells one act in several sentences: "Wren warned on Sunday that… Speaking on state
television, Wren said… 'We are not asking for favours,' Wren told the programme." Each of these
would be a candidate of its own (the last two dated by the publication), three events for one
remark. A candidate is folded into the one just before it (no other candidate between, at most two
sentences apart, in the same or the next paragraph) when it has no date of its own — or exactly the
same dates — and

- **the same party goes on**: its principal party (named, or "he"/"she") is the earlier one's, and
  it is a remark or the same kind of act ("Putin utilized his visit to Belarus… However, Putin
  emphasized… Putin stated, '…'"); or the sentence ties itself to the act's time ("At that time")
  and its party is the actor or one of its own ("overtures from the Kremlin. At that time, Putin
  indicated his satisfaction");
- **it names the act's occasion**: "said after the match", "during the visit", "at the vote";
- **it tells who did not take part in it**: "Calder was not invited to the talks".

An undated sentence is news of the publication date: it only joins an act of the last week before
the publication, never one of March 2023 told in a relative clause. A remark by another party about
the act ("Haddad said the decision would price out students") is a reaction, its own statement. A
"previously" or a standing position ("Moscow insists") is no continuation of anything.

The folded candidate keeps the first one's date, kind and title; its quote runs from the first
sentence to the last (the sentences between included), and it gains the parties they name: a party
new to the act keeps its role if it is the actor's own (Putin speaking for the Kremlin's overtures is
their speaker), another that spoke or acted in it is a participant, and the others take the role
their words give them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from timeline.dates import FuzzyDate
from timeline.models import Participation

from . import cues
from .kinds import SPOKEN, guess
from .parties import Mention, PartyMatcher
from .roles import read_roles
from .sentences import paragraphs, sentences

if TYPE_CHECKING:
    from .extractor import Candidate

R = Participation.Role
PRINCIPAL = frozenset({str(R.ACTOR), str(R.SPEAKER)})
RECENT_DAYS = 7
SENTENCES_APART = 2

# The nouns that name an act already told, and the words of the act they can name.
_FAMILIES = {
    r"visits?|trip|tour|stay": r"visit|arriv|trip|tour|travel",
    r"talks|negotiations|discussions": r"talk|negotiat|discuss|met\b|meet",
    r"meeting|summit|conference|session|ceremony|hearing": r"meet|met\b|summit|conference|session|ceremony|hear",
    r"match|final|game|race|derby|tie": r"match|final|game|race|derby|beat|won|defeat|drew|draw",
    r"vote|ballot|decision": r"vot|ballot|decid|decision|approv|reject",
    r"ruling|judgment|judgement|verdict|sentence|decision": r"rul|judg|verdict|sentenc|struck|upheld|overturn|court",
    r"attacks?|strikes?|shelling|bombardment|raids?|assault|offensive|invasion|incursion": (
        r"attack|strike|shell|bomb|raid|assault|offensive|inva|fire|entered|crossed"
    ),
    r"remarks?|comments?|statement|speech|interview|address|warning|briefing|announcement|appearance": (
        r"said|says|told|stated|warn|remark|comment|statement|speech|interview|address|announc|declar|"
        r"stress|emphasi|brief|echo|signal|indicat"
    ),
    r"results|figures|report": r"result|profit|revenue|earning|report|figures",
    r"deal|agreement|accord|treaty|memorandum|ceasefire|truce": r"sign|agree|deal|accord|treaty|memorandum|ceasefire|truce",
    r"election|referendum|poll": r"elect|referend|poll|vot",
}
_DEFINITE = r"(?:the|this|that|these|those|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?"
_OCCASION = re.compile(
    rf"\b(?:after|during|at|following|before|ahead of|on the sidelines of|in the wake of|on the eve of|"
    rf"at the end of|at the start of)\s+{_DEFINITE}(?P<noun>[a-z]+)\b",
    re.I,
)
_ABSENT = re.compile(
    rf"\b(?:not (?:been )?invited|(?:was|were) excluded|did not (?:attend|take part|join)|absent|left out|"
    rf"boycotted|stayed away|declined to (?:attend|join))\s+(?:to|from|in)?\s*{_DEFINITE}(?P<noun>[a-z]+)\b",
    re.I,
)
_TREND = (
    r"(?:recover|rise|fall|grow|slow|decline|increase|improve|ease|pick\s+up|rebound|stabili[sz]e|remain|"
    r"stay|peak|drop|climb|shrink|expand|weaken|strengthen|double|halve)"
)
_FORECAST = re.compile(
    rf"\b(?:expects?|expected|expecting|forecasts?|forecast|predicts?|predicted|projects?|projected|sees?|"
    rf"anticipates?|anticipated)\s+(?:[\w'’%-]+\s+){{1,5}}?to\s+{_TREND}\b|\b(?:is|are|was|were|be)\s+"
    rf"(?:expected|forecast|projected|predicted|likely|set)\s+to\s+{_TREND}\b",
    re.I,
)
_SAME_TIME = re.compile(
    r"(?:at|on|in|during|by)?\s*(?:that|the same)\s+(?:time|day|month|year|week|moment)\b", re.I
)
_NEW_ACT = re.compile(r"^\s*(?:Later|Separately|In a separate|Elsewhere|Meanwhile|Earlier)\b")


def forecast(sentence: str, at: int) -> bool:
    """Whether the date at offset ``at`` of ``sentence`` is when a trend is forecast to happen
    ("expected demand to recover next year", "growth is expected to slow in 2026"): no act of any
    party, so no event. A planned act ("will hold a review on 3 May") is one."""
    window = sentence[max(0, at - 90) : at]
    matches = list(_FORECAST.finditer(window))
    found = matches[-1] if matches else None  # the one nearest the date
    return found is not None and not re.search(r"[;.]|,\s+(?:and|but)\s", window[found.end() :])


def one_event_per_act(
    *,
    text: str,
    candidates: list[Candidate],
    published: FuzzyDate | None,
    matcher: PartyMatcher,
    mentions: Callable[[int, int], list[Mention]] | None = None,
) -> list[Candidate]:
    """``candidates`` (in the order of the text) with those that go on telling the act before them
    folded into it. ``mentions(start, end)`` gives the parties named in ``text[start:end]``."""
    if not candidates:
        return candidates
    mentions = mentions or (lambda start, end: matcher.mentions(text, start, end))
    spans = [(p, s) for p, paragraph in enumerate(paragraphs(text)) for s in sentences(text, paragraph)]
    where = {s.start: i for i, (_, s) in enumerate(spans)}
    starting: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        starting.setdefault(candidate.char_start, []).append(candidate)
    if any(start not in where for start in starting):
        return candidates  # quotes that are not one sentence each: nothing to fold
    out: list[Candidate] = []
    last: list[int] = []  # the index of the last sentence of each kept candidate
    for i, (_, sentence) in enumerate(spans):
        found = starting.get(sentence.start, [])
        if not found:
            # "Calder was not invited to the talks": a detail of the act, though no event of its own.
            quote = text[sentence.start : sentence.end]
            if (
                out
                and i - last[-1] <= SENTENCES_APART + 1
                and sentence.start >= out[-1].char_end
                and (_occasion(_ABSENT, quote, out[-1].quote))
            ):
                out[-1] = _fold(
                    text, out[-1], sentence.start, sentence.end, [], spans, where, mentions, matcher
                )
                last[-1] = i
            continue
        for candidate in found:
            if out and _goes_on(out[-1], candidate, published, i - last[-1], mentions, matcher):
                out[-1] = _fold(
                    text,
                    out[-1],
                    candidate.char_start,
                    candidate.char_end,
                    candidate.parties,
                    spans,
                    where,
                    mentions,
                    matcher,
                )
                last[-1] = i
            else:
                out.append(candidate)
                last.append(i)
    return out


def _goes_on(previous, candidate, published, apart: int, mentions, matcher) -> bool:
    """Whether ``candidate`` goes on telling the act of ``previous``, ``apart`` sentences after the
    last sentence that told it."""
    if candidate.char_start < previous.char_end:
        return False  # the same sentence (two dates)
    if apart > SENTENCES_APART + 1 or _NEW_ACT.match(candidate.quote):
        return False
    if candidate.basis == "publication":
        found = mentions(candidate.char_start, candidate.char_end)
        cue = cues.publication_cue(candidate.quote, found, candidate.char_start)
        if cue not in (cues.PAST, cues.RECENT) or not _recent(previous.date, published):
            return False
    elif (candidate.date.earliest, candidate.date.latest) != (previous.date.earliest, previous.date.latest):
        return False
    mine = _principal(candidate)
    # The act's own parties: who did it, and who spoke or took part in it.
    theirs = {slug for slug, role in previous.parties if role in PRINCIPAL or role == str(R.PARTICIPANT)}
    if mine and mine <= theirs and (candidate.kind in SPOKEN or candidate.kind == previous.kind):
        return True
    if mine and _SAME_TIME.match(candidate.date_text) and mine <= _with_members(theirs, matcher):
        # "…overtures from the Kremlin. At that time, Putin indicated his satisfaction": the writer
        # ties the sentence to the act's time, and its party is the actor's own.
        return True
    if _occasion(_OCCASION, candidate.quote, previous.quote):
        return True
    if mine and candidate.kind in SPOKEN:
        return False  # another party's reaction: its own statement
    return _occasion(_ABSENT, candidate.quote, previous.quote)


def _with_members(slugs: set[str], matcher: PartyMatcher) -> set[str]:
    """``slugs`` and the parties that belong to them (Putin to Russia) or they belong to."""
    related = set(slugs)
    for party in matcher.parties():
        if party.affiliation in slugs or (party.slug in slugs and party.affiliation):
            related.add(party.slug if party.affiliation in slugs else party.affiliation)
    return related


def _principal(candidate) -> frozenset[str]:
    return frozenset(slug for slug, role in candidate.parties if role in PRINCIPAL)


def _recent(value: FuzzyDate, published: FuzzyDate | None) -> bool:
    """Whether ``value`` lies within the week before the publication (news an undated sentence can
    go on telling)."""
    if published is None or None in (value.earliest, value.latest, published.earliest, published.latest):
        return False
    return (
        published.earliest - timedelta(days=RECENT_DAYS) <= value.earliest
        and value.latest <= published.latest
    )


def _occasion(pattern: re.Pattern, quote: str, act_quote: str) -> bool:
    """Whether ``quote`` names, with ``pattern``, the act ``act_quote`` tells ("after the match")."""
    for found in pattern.finditer(quote):
        noun = found.group("noun").lower()
        for nouns, words in _FAMILIES.items():
            if re.fullmatch(nouns, noun) and re.search(words, act_quote, re.I):
                return True
    return False


def _fold(text, previous, start, end, parties, spans, where, mentions, matcher) -> Candidate:
    """``previous`` told on to ``text[:end]``: the sentences from its end to ``end`` give their parties
    (``parties``: those already read for the last of them)."""
    roles = dict(previous.parties)
    principal = _principal(previous)
    people = [slug for slug in principal if (p := matcher.get(slug)) is not None and p.kind == "person"]
    person = matcher.get(people[0]) if people else None
    extra = []
    for _, sentence in spans[where[_sentence_start(previous.char_end, spans)] : where[start]]:
        if sentence.start < previous.char_end:
            continue
        quote = text[sentence.start : sentence.end]
        if found := mentions(sentence.start, sentence.end):
            kind, trigger = guess(quote)
            extra.extend(
                read_roles(quote, sentence.start, found, kind, trigger=trigger, pronoun_person=person)
            )
    if not parties and (found := mentions(start, end)):
        kind, trigger = guess(text[start:end])
        parties = read_roles(text[start:end], start, found, kind, trigger=trigger, pronoun_person=person)
    extra.extend(parties)
    own = _with_members(set(principal), matcher)
    for slug, role in extra:
        if role in PRINCIPAL and slug not in own:
            role = str(R.PARTICIPANT)  # another party that spoke or acted in it
        current = roles.get(slug)
        if current is None or (current == str(R.MENTIONED) and role not in PRINCIPAL):
            roles[slug] = role
    return replace(
        previous, quote=text[previous.char_start : end], char_end=end, parties=tuple(roles.items())
    )


def _sentence_start(at: int, spans) -> int:
    """The start of the first sentence that begins at or after ``at``."""
    for _, sentence in spans:
        if sentence.start >= at:
            return sentence.start
    return spans[-1][1].start
