"""The extractor: an article body → candidate events, one per date a sentence gives.

The date finder (``timeline.dates.finder``) reads the whole body once; for every sentence the
phrases that may date an act are taken from its findings (``phrases``, an adapter with no date
rules of its own), each read with the right anchor, and a candidate is made: the date, the date text as written, the sentence as
the quote with its offsets into the body (the stored ``Source.text``), the parties named (``parties``)
with a guessed role, a guessed kind (``kinds``). Anchors:

- a phrase that names its year: the finder's reading;
- a relative phrase ("next March", "on Saturday", "November last year"): the finder's reading against
  the publication date (tense decides "on Thursday"); with a publication date too coarse for it,
  ``timeline.dates.parse`` against that date;
- a phrase without a year ("on 3 March") against the last date that named a year earlier in the same
  paragraph ("7 March 2022" → 2022), else the publication date, else the last such date in the article;
- "the following day", "that month"…: the finder's reading from the date the narrative stands at;
- "between 10 and 14 March 2022", "from March 2022 to June 2022": one span, not its end alone.

A relative phrase the finder cannot resolve ("a month later" with no date before it) is reported
as unresolved, and the sentence is then not dated by the publication date either.

An undated sentence that reports a recent act is dated by the publication date (see ``cues``).
A phrase that cannot be read honestly (no anchor, an anchor too coarse, "5/6/2023") is reported as
unresolved, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from timeline import dates
from timeline.dates import DateParseError, FuzzyDate
from timeline.dates.finder import Findings, find_dates
from timeline.dates.value import MONTH_NAMES
from timeline.models import Participation

from . import cues
from .acts import forecast, one_event_per_act
from .kinds import SPEECH_VERB, act_spans, guess, speech_dated_by
from .parties import Mention, PartyInfo, PartyMatcher
from .phrases import NOTHING, PREVIOUS, PUBLICATION, YEAR, DatePhrase, find_phrases
from .roles import read_roles
from .sentences import Span, paragraphs, sentences

# How a candidate's date was established.
TEXT = "text"  # the phrase itself, or the phrase read against the publication date
CONTEXT = "context"  # the phrase borrowed its year or its date from an earlier sentence
PUBLICATION_BASIS = "publication"  # no phrase: the sentence reports a recent act

_LEAD_IN = re.compile(
    r"^(?:(?:However|Notably|Furthermore|Moreover|Meanwhile|Symbolically|Conversely|Additionally|Still|"
    r"Yet|But|And|Also|Recently|Then|Later|Earlier|Separately|Amid [^,]{1,60}),\s+)+"
)
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_TITLE_WORDS = re.compile(
    r"^(?:['’]s)?(?:\s+(?:[A-Z][\w.-]*|president|prime|foreign|defen[cs]e|deputy|minister|secretary|"
    r"spokes(?:person|man|woman)|leader|chancellor|envoy|ambassador|chief|of|state)){1,5}\s+$"
)
TITLE_LENGTH = 140


@dataclass(frozen=True)
class Candidate:
    """A dated statement found in an article, before anyone has reviewed it."""

    date: FuzzyDate
    date_text: str  # as written ("On February 24, 2022"), or what the publication basis reads as
    stored_date_text: str  # reads back to ``date`` against the source's publication date
    basis: str
    quote: str
    char_start: int
    char_end: int
    parties: tuple[tuple[str, str], ...]  # (slug, role), the principal party first
    kind: str
    title: str
    note: str = ""  # how the date was read, for a reviewer

    @property
    def party_slugs(self) -> frozenset[str]:
        return frozenset(slug for slug, _ in self.parties)

    @property
    def principal_slugs(self) -> frozenset[str]:
        principal = {slug for slug, role in self.parties if role in PRINCIPAL_ROLES}
        return frozenset(principal or self.party_slugs)

    def as_json(self) -> dict:
        return {
            "date_text": self.date_text,
            "earliest": self.date.earliest.isoformat() if self.date.earliest else None,
            "latest": self.date.latest.isoformat() if self.date.latest else None,
            "precision": str(self.date.precision),
            "edtf": self.date.edtf,
            "label": self.date.label,
            "quote": self.quote,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "parties": [slug for slug, _ in self.parties],
            "roles": dict(self.parties),
            "kind": self.kind,
            "basis": self.basis,
            "title": self.title,
        }


PRINCIPAL_ROLES = frozenset({Participation.Role.ACTOR, Participation.Role.SPEAKER})


@dataclass(frozen=True)
class Unresolved:
    """A date phrase the extractor found but could not read honestly."""

    date_text: str
    char_start: int
    char_end: int
    reason: str

    def as_json(self) -> dict:
        return {
            "date_text": self.date_text,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "reason": self.reason,
        }


@dataclass
class Extraction:
    candidates: list[Candidate] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)


@dataclass
class _Context:
    published: FuzzyDate | None
    published_text: str
    article_year: FuzzyDate | None = None  # the last date in the article that named its year
    paragraph_year: FuzzyDate | None = None
    previous: FuzzyDate | None = None  # the last date read in the paragraph
    last_person: PartyInfo | None = None
    # What the date finder (timeline.dates.finder) read in the whole text.
    findings: Findings = field(default_factory=lambda: Findings([], []))


def extract(
    *, text: str, published: FuzzyDate | None, matcher: PartyMatcher, published_text: str = ""
) -> Extraction:
    """Candidate events in ``text`` (an article body, exactly as stored)."""
    result = Extraction()
    ctx = _Context(
        published=published,
        published_text=published_text or (published.text if published else ""),
        findings=find_dates(text, published),
    )
    for paragraph in paragraphs(text):
        ctx.paragraph_year = ctx.previous = ctx.last_person = None
        for sentence in sentences(text, paragraph):
            result.candidates.extend(_sentence_candidates(text, sentence, ctx, matcher, result.unresolved))
    result.candidates = one_event_per_act(
        text=text, candidates=result.candidates, published=published, matcher=matcher
    )
    return result


def _sentence_candidates(
    text: str, sentence: Span, ctx: _Context, matcher: PartyMatcher, unresolved: list[Unresolved]
) -> list[Candidate]:
    quote = text[sentence.start : sentence.end]
    mentions = _fold_designations(text, matcher.mentions(text, sentence.start, sentence.end))
    dated: list[tuple[FuzzyDate, str, str, str]] = []  # (date, date text, basis, note)
    phrases = find_phrases(text, sentence.start, sentence.end, findings=ctx.findings)
    # "expected demand to recover next year": a trend forecast for a date is no act at that date.
    phrases = [p for p in phrases if not forecast(quote, p.start - sentence.start)]
    for phrase in phrases:
        try:
            values, basis, note = _read(phrase, ctx)
        except DateParseError as exc:
            unresolved.append(Unresolved(phrase.text, phrase.start, phrase.end, str(exc)))
            continue
        dated.extend((value, phrase.text, basis, note) for value in values)
        ctx.previous = values[-1]
        if phrase.needs in (NOTHING, PUBLICATION):  # it names its year, outright or relatively
            ctx.paragraph_year = ctx.article_year = values[-1]
    dated = _most_precise(dated)
    # A date the sentence gives but we could not read ("next March" with no anchor) is reported as
    # unresolved; the publication date would be no honest substitute for it.
    if not phrases and ctx.published is not None:
        cue = cues.publication_cue(quote, mentions, sentence.start)
        if cue is not None:
            dated.append(_publication_date(cue, ctx))
    elif dated and ctx.published is not None and _speech_undated(quote, mentions, sentence.start, phrases):
        # "Aalto said his country would raise it at the meeting on 20 June": the meeting is dated,
        # the statement is news of the publication date.
        dated.insert(0, _publication_date(cues.PAST, ctx))
    pronoun_person = None
    if ctx.last_person and not any(m.party.kind == "person" for m in mentions) and _PRONOUN.search(quote):
        pronoun_person = ctx.last_person
    people = [m.party for m in mentions if m.party.kind == "person"]
    if people:
        ctx.last_person = people[-1]
    if not dated:
        return []
    speeches = list(SPEECH_VERB.finditer(quote))
    where = {phrase.text: phrase.start - sentence.start for phrase in phrases}
    candidates = []
    for value, date_text, basis, note in dated:
        at = None if basis == PUBLICATION_BASIS else where.get(date_text)
        others = [o for o in where.values() if o != at]
        kind, parties = _reading(
            quote, sentence.start, mentions, at, others, speeches, pronoun_person, matcher
        )
        candidates.append(
            Candidate(
                date=value,
                date_text=date_text,
                stored_date_text=_stored_text(date_text, value, ctx.published),
                basis=basis,
                quote=quote,
                char_start=sentence.start,
                char_end=sentence.end,
                parties=parties,
                kind=kind,
                title=_title(quote, date_text if basis != PUBLICATION_BASIS else ""),
                note=note,
            )
        )
    return candidates


# --- reading dates --------------------------------------------------------------------------------


def _read(phrase: DatePhrase, ctx: _Context) -> tuple[list[FuzzyDate], str, str]:
    if phrase.needs == NOTHING:
        return [_finders(phrase)], TEXT, ""
    if phrase.needs == PUBLICATION:
        # with a publication date too coarse for the finder ("late May or early June 2024"), or
        # none, timeline.dates reads the phrase against it (or says why it cannot)
        values = [phrase.value] if phrase.value is not None else [dates.parse(phrase.core, ctx.published)]
        return values, TEXT, f"'{phrase.text}' read against the publication date ({_label(ctx.published)})."
    if phrase.needs == YEAR:
        return _read_without_year(phrase, ctx)
    if phrase.needs == PREVIOUS:
        if phrase.value is not None:
            return [phrase.value], CONTEXT, f"'{phrase.text}' counts from the date before it."
        return _read_reference(phrase, ctx)
    raise AssertionError(phrase.needs)


def _finders(phrase: DatePhrase) -> FuzzyDate:
    if phrase.value is None:
        raise DateParseError(phrase.reason)
    return phrase.value


def _read_without_year(phrase: DatePhrase, ctx: _Context) -> tuple[list[FuzzyDate], str, str]:
    error: DateParseError | None = None
    for anchor, basis, where in (
        (ctx.paragraph_year, CONTEXT, "an earlier date in its paragraph"),
        (ctx.published, TEXT, "the publication date"),
        (ctx.article_year, CONTEXT, "an earlier date in the article"),
    ):
        if anchor is None:
            continue
        try:
            # against the publication date the finder's reading (tense decides the year), and before
            # any earlier year when its clause looks ahead ("will elect a new board in March")
            ahead = _ahead(phrase.value, ctx.published)
            if ahead or (anchor is ctx.published and phrase.value is not None):
                anchor, basis, where = ctx.published, TEXT, "the publication date"
                values = [phrase.value]
            else:
                values = [dates.parse(phrase.core, anchor)]
        except DateParseError as exc:
            error = exc
            continue
        return values, basis, f"'{phrase.text}' names no year; the year comes from {where} ({anchor.label})."
    raise error or DateParseError(
        phrase.reason
        or f"{phrase.text!r} names no year, and neither the text before it nor a publication date gives one"
    )


def _ahead(value: FuzzyDate | None, published: FuzzyDate | None) -> bool:
    """Whether the finder read ``value`` after the publication date (its clause looks ahead)."""
    return bool(
        value is not None
        and published is not None
        and published.latest is not None
        and value.earliest is not None
        and value.earliest > published.latest
    )


def _read_reference(phrase: DatePhrase, ctx: _Context) -> tuple[list[FuzzyDate], str, str]:
    previous = ctx.previous
    if not re.search(r"(?:day|month|year|time)$", phrase.core.lower()):
        raise DateParseError(phrase.reason)  # "a week later", "the following Tuesday": the finder's word
    if previous is None or previous.earliest is None or previous.latest is None:
        raise DateParseError(
            phrase.reason
            or f"{phrase.text!r} refers to an earlier date, but no date precedes it in its paragraph"
        )
    words = phrase.text.lower()
    if words.endswith("day"):
        if not previous.is_day:
            raise DateParseError(
                f"{phrase.text!r} refers to a day, but the date before it is {previous.label}"
            )
        value = previous
    elif words.endswith("month"):
        if (previous.earliest.year, previous.earliest.month) != (previous.latest.year, previous.latest.month):
            raise DateParseError(
                f"{phrase.text!r} refers to a month, but the date before it is {previous.label}"
            )
        value = dates.parse(f"{MONTH_NAMES[previous.earliest.month - 1]} {previous.earliest.year}")
    elif words.endswith("year"):
        if previous.earliest.year != previous.latest.year:
            raise DateParseError(
                f"{phrase.text!r} refers to a year, but the date before it is {previous.label}"
            )
        value = dates.parse(str(previous.earliest.year))
    else:
        value = previous
    return [value], CONTEXT, f"'{phrase.text}' refers to the date before it ({previous.label})."


def _publication_date(cue: str, ctx: _Context) -> tuple[FuzzyDate, str, str, str]:
    published = ctx.published
    written = ctx.published_text if re.search(r"[A-Za-z]{3,}", ctx.published_text) else published.label
    if cue == cues.PREVIOUSLY:
        attempts = [f"../{published.latest.isoformat()}"] if published.latest else []
        note = (
            "The sentence gives no date and says the act came earlier: some time up to the publication date."
        )
    elif cue == cues.PRESENT:
        attempts = [f"as of {written}", f"as of {published.label}"]
        note = "The sentence gives no date; what it states holds as of the publication date."
    else:
        # A reported act is news of the publication date, but may be a little older: uncertain.
        attempts = [written if published.uncertain else f"{written}?", f"{published.label}?"]
        note = "The sentence gives no date; it reports the act as news of the publication date."
    for attempt in [*attempts, published.edtf]:
        try:
            value = dates.parse(attempt)
        except DateParseError:
            continue
        if attempt == published.edtf or value.earliest is None or _covers(published, value):
            return value, attempt, PUBLICATION_BASIS, note
    raise AssertionError("the publication date's own EDTF always reads back")


def _covers(published: FuzzyDate, value: FuzzyDate) -> bool:
    return (value.earliest, value.latest) == (published.earliest, published.latest)


def _most_precise(dated: list[tuple[FuzzyDate, str, str, str]]) -> list[tuple[FuzzyDate, str, str, str]]:
    """Within one sentence, a date that contains another is only context for it ("In 2022, on
    24 February …")."""
    kept = []
    for i, item in enumerate(dated):
        value = item[0]
        finer = any(
            j != i
            and value.contains(other[0])
            and (other[0].earliest, other[0].latest) != (value.earliest, value.latest)
            for j, other in enumerate(dated)
        )
        duplicate = any(
            (other[0].earliest, other[0].latest, other[0].precision)
            == (value.earliest, value.latest, value.precision)
            for other in kept
        )
        if not finer and not duplicate:
            kept.append(item)
    return kept


def _stored_text(date_text: str, value: FuzzyDate, published: FuzzyDate | None) -> str:
    """A date text that reads back to ``value`` against the publication date: the text as written
    when it does, else the label ("3 March 2022"), else the EDTF."""
    for attempt in (date_text, value.label, value.edtf):
        try:
            again = dates.parse(attempt, published)
        except DateParseError:
            continue
        if _same(again, value):
            return attempt
    return value.edtf


def _same(a: FuzzyDate, b: FuzzyDate) -> bool:
    return (a.earliest, a.latest, a.precision, a.edtf, a.approximate, a.uncertain) == (
        b.earliest,
        b.latest,
        b.precision,
        b.edtf,
        b.approximate,
        b.uncertain,
    )


def _label(value: FuzzyDate | None) -> str:
    return value.label if value else "none"


# --- parties and titles ---------------------------------------------------------------------------


def _fold_designations(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Russia's Foreign Minister Sergei Lavrov" names Lavrov, not Russia as a second party."""
    folded = []
    for i, mention in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            nxt is not None
            and nxt.party.kind == "person"
            and nxt.party.affiliation == mention.slug
            and _TITLE_WORDS.match(text[mention.end : nxt.start])
        ):
            continue
        folded.append(mention)
    return folded


def _reading(
    quote: str,
    offset: int,
    mentions: list[Mention],
    at: int | None,
    others: list[int],
    speeches: list[re.Match],
    pronoun_person: PartyInfo | None,
    matcher: PartyMatcher,
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The kind and the parties' roles of the act dated at ``at`` in ``quote`` (see ``kinds`` and
    ``roles``): read from the words that report that act, not from the whole sentence."""
    spans = act_spans(quote, at, others, speeches)
    kind, trigger = guess(" ".join(quote[a:b] for a, b in spans))
    if not mentions and pronoun_person is None:
        return kind, ()
    return kind, read_roles(
        quote,
        offset,
        mentions,
        kind,
        spans=spans,
        trigger=trigger,
        pronoun_person=pronoun_person,
        demonym_parties=matcher.states(),
    )


def _speech_undated(quote: str, mentions: list[Mention], offset: int, phrases: list[DatePhrase]) -> bool:
    """Whether a party's speech is reported and every date of the sentence is inside what it said."""
    speech = cues.undated_speech(quote, mentions, offset)
    if speech is None:
        return False
    return all(not speech_dated_by(quote, speech, phrase.start - offset) for phrase in phrases)


def _title(quote: str, date_text: str) -> str:
    """A draft title: the sentence without its lead-in and leading date, cut to a title's length."""
    title = _LEAD_IN.sub("", quote).strip()
    if date_text and title.startswith(date_text):
        title = title[len(date_text) :].lstrip(" ,")
    title = title.rstrip(" .")
    title = title[:1].upper() + title[1:]
    if len(title) > TITLE_LENGTH:
        title = title[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return title
