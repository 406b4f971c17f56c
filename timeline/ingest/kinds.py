"""A first guess at an event's kind from the words that report it, for a reviewer to confirm.

The kinds are those of ``Event.Kind``: a political and diplomatic typology. Rules are tried in
order and the first that matches wins:

1. acts outside that typology that would otherwise pass for one of its kinds are ``other``: a
   court's ruling, a sports result, a company's results. A vote of a council, board, parliament or
   shareholders is no election: a law it passes is a ``decree``, anything else ``other``;
2. the specific acts (an election, a military action, a decree, an annexation, an overture) before
   the generic ones (a report, a statement, a meeting, talks), because "signed a decree making
   negotiations impossible" is a decree that mentions negotiations, not a negotiation;
3. nothing matched: ``other``. An unsure guess is ``other`` rather than a wrong kind.

Words that are also ordinary English ("attacked the plan", "an offensive remark", "met
expectations", "a press conference", "pitch invasion") only count in the sense that makes the kind.

Which words are judged (``kind_text``): a sentence may report two acts ("the spokesperson said the
shipments would arrive next month"; "the dam was completed in August, and the ministry has said it
will fill it in January"). The act a date belongs to is told by the words around that date: its
clause, and for a reported speech either the speaker's words up to the verb of speech (the
statement) or what is reported after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from timeline.models import Event

K = Event.Kind

# A body that votes ("the council voted", "shareholders voted", "MPs voted").
_VOTING_BODY = (
    r"(?:council|councillors|board|governors|directors|committee|commission|assembly|parliament|senate|"
    r"congress|lawmakers|legislators|legislature|MPs|deputies|shareholders|members|jury|panel|cabinet|"
    r"union|delegates|trustees|judges|justices)"
)
_ELECTORAL = (
    r"\b(?:by-?)?elections?\b|\belect(?:s|ed|ing)?\b|\bre-?elected\b|\breferend(?:um|a|ums)\b|\bvoters\b|"
    r"\bwent to the polls\b|\bpolling (?:day|stations?)\b|\bturnout\b|\bcast (?:their|his|her) ballots?\b|"
    r"\bballot(?:s|ing)?\b(?![^.]{0,30}\bstrike)|\bprimar(?:y|ies) (?:vote|election|race)\b"
)
_MILITARY_CONTEXT = (
    r"\b(?:forces|troops|army|armies|soldiers|military|militar\w+|militants?|rebels?|insurgents?|navy|"
    r"warplanes?|jets?|drones?|missiles?|rockets?|artillery|tanks?|gunmen|civilians?|killed|killing|"
    r"wounded|casualties|airstrikes?|air strikes?|shelling|shelled|bombing|bombed|front ?line|"
    r"occupied|battalions?|brigades?)\b"
)
_RULES: list[tuple[str, str]] = [
    # 1. Outside the typology.
    (
        K.OTHER,
        r"\b(?:court|judges?|justices?|tribunal|jury)\b[^.]{0,120}?\b(?:ruled|rules|ruling|verdict|sentenced|"
        r"acquitted|convicted|upheld|overturned|quashed|struck down|strikes down|dismissed|threw out)\b"
        r"|\b(?:ruled|sentenced|acquitted|convicted|upheld|overturned|quashed|struck down)\b[^.]{0,80}?\b"
        r"(?:court|judges?|justices?|tribunal)\b",
    ),
    (K.ELECTION, _ELECTORAL),
    (
        K.OTHER,
        # A sports result: a win, defeat or draw in a match, final, league or cup, or a score.
        r"\b(?:won|wins|beat|beats|beaten|beating|defeated|lost|draw|drew|clinched|lifted|retained|"
        r"equalised|equalized|scored|relegated|promoted)\b[^.]{0,80}?\b(?:final|semi-final|match|game|"
        r"cup|title|trophy|championship|tournament|league|derby|medal|race|season|play-?offs?|"
        r"\d{1,2}-\d{1,2})\b|\b(?:took charge|took over as (?:manager|coach)|qualifiers?|kick-?off)\b",
    ),
    (
        K.OTHER,
        # A company's results, deals and market moves.
        r"\b(?:(?:first|second|third|fourth)-quarter|quarterly|half-year|full-year|annual|fiscal)\s+"
        r"(?:results?|profits?|loss(?:es)?|revenues?|earnings|sales)\b"
        r"|\b(?:net (?:profit|income|loss)|operating (?:profit|income)|revenues?|earnings|turnover|"
        r"pre-tax profit)\b[^.]{0,60}?(?:[$€£¥]|\b\d+(?:\.\d+)?\s?(?:%|per ?cent|million|billion|bn|m)\b)"
        r"|\b(?:shares?|stock) (?:in \w+ )?(?:rose|fell|jumped|slumped|climbed|dropped|tumbled)\b"
        r"|\b(?:acquisition|takeover|purchase|merger) of\b|\binvestor day\b|\bprofit (?:forecast|warning)\b",
    ),
    (
        K.DECREE,
        rf"\b{_VOTING_BODY}\b[^.]{{0,60}}?\bvot(?:e|ed|es|ing)\b[^.]{{0,80}}?\b(?:law|bill|ordinance|by-?law|"
        r"legislation|statute|amendment|decree|act)\b",
    ),
    (
        K.OTHER,
        rf"\b{_VOTING_BODY}\b[^.]{{0,60}}?\bvot(?:e|ed|es|ing)\b|\bvot(?:e|ed|ing)\b[^.]{{0,40}}?\b"
        r"(?:against|in favour|in favor|to (?:approve|reject|raise|cut|adopt|end|suspend|dismiss|replace))\b"
        r"|\b\d{1,3}-\d{1,3} vote\b|\bthe vote\b",
    ),
    # 2. The specific acts of the typology.
    (
        K.MILITARY_ACTION,
        r"\bmilitary operation|\b(?:forces|troops|army|soldiers|tanks) (?:entered|crossed|attacked|advanced|"
        r"captured|seized|shelled|withdrew|invaded|stormed|pushed)|\bshell(?:ed|ing|s)\b|"
        r"\b(?:air|missile|drone|rocket) ?(?:strikes?|attacks?)\b|\bbombard(?:ed|ing|ment)\b|"
        r"\blaunched (?:a|an|its) (?:military|attack|assault|invasion|offensive|strike)|"
        r"(?<!pitch )\binva(?:de|ded|des|sion)\b(?! of privacy)",
    ),
    (
        K.MILITARY_ACTION,
        # Words that are military only among military words ("attacked the plan" is not).
        rf"(?=[^.]*{_MILITARY_CONTEXT})[^.]*?(?:\battack(?:ed|s|ing)?\b|\b(?:an|the|its|a|their|counter-?)"
        r"\s*offensive\b(?!\s+(?:remark|comment|language|line|player|coordinator))|\bstrikes? on\b|\braids?\b)",
    ),
    (
        K.DECREE,
        r"\bdecree|\bsigned (?:a|the|into) (?:law|bill|order)|\bexecutive order|"
        r"\b(?:passed|enacted|adopted|promulgated|vetoed)\b[^.]{0,30}?\b(?:law|bill|legislation|act|"
        r"ordinance|statute|amendment)\b|\b(?:law|bill|legislation|ordinance|statute),? (?:was )?"
        r"(?:passed|enacted|adopted)\b|\bnew law\b(?=[^.]{0,40}\b(?:took effect|comes into force|"
        r"came into force|was passed|was signed)\b)",
    ),
    (K.ANNEXATION, r"\bannex|\bclaim (?:over|to)\b|\bterritorial claim"),
    (
        K.PROPOSAL,
        r"\boverture|\bpropos(?:al|als|ed|es)\b|\boffer(?:ed|s)?\b(?!\s+(?:no|little|few)\b)|\bpeace plan\b",
    ),
    # 3. The generic ones.
    (K.REPORT, r"(?<![-\w])(?:revealed|reported|reports|disclosed|published a report)\b"),
    (
        K.STATEMENT,
        r"\b(?:said|says|stated|states|declared|declares|announced|announces|emphasi[sz]ed|stressed|echoed|"
        r"reiterated|warned|warns|insist(?:s|ed)|asserted|asserts|signal(?:l)?ed|indicated|told|claimed|claims|"
        r"statements?|remarks|threats?|(?<!-)called|welcomed|condemned|critici[sz]ed|accused|defended|praised|"
        r"denied|added|wrote)\b",
    ),
    (
        K.MEETING,
        r"\bmeet(?:s)?\b|\bmet\b(?!\s+(?:[\w'’]+\s+){0,2}(?:expectations|estimates|forecasts|targets|demand|deadline|criteria|"
        r"requirements|goals?))|\bmeetings?\b|\bsummit\b|(?<!press )(?<!news )\bconference\b|"
        r"\bvisit(?:ed|s|ing)?\b|\bhost(?:ed|s|ing)\b|\btalks (?:were )?held\b|\bheld talks\b|"
        r"\barrived in\b|\bstate visit\b|\bwill discuss\b",
    ),
    (K.NEGOTIATION, r"\bnegotiat|\btalks\b|\bceasefire\b|\btruce\b|\bbrokered\b|\bmediat"),
]
_COMPILED = [(kind, re.compile(pattern, re.I)) for kind, pattern in _RULES]

REPEATABLE = frozenset({K.STATEMENT, K.REPORT, K.NEGOTIATION, K.MEETING, K.OTHER})
"""Kinds of act that recur (a leader speaks, an outlet reports, parties meet): two mentions of the
same kind, parties and month may well be two different acts."""

SPOKEN = frozenset({K.STATEMENT, K.REPORT})

# A verb of speech and what follows it. Not in a hyphenated word ("never-before-reported").
SPEECH_VERB = re.compile(
    r"(?<![-\w])(?:said|says|stated|declared|announced|emphasi[sz]ed|stressed|echoed|reiterated|warned|"
    r"warns|insist(?:s|ed)|asserted|asserts|signal(?:l)?ed|indicated|told|claimed|claims|revealed|"
    r"reported|disclosed|added|wrote|argued|noted|confirmed|denied|saying|adding|insisting|warning|"
    r"arguing|stating|described|called(?!\s+(?:off|in|up|out)\b))\b"
)
# Where one clause ends and another (with its own act) begins.
_CLAUSE_BREAK = re.compile(
    r";\s+|,\s+(?:and|but|while|whereas|as|after|before|when|although|though)\s+|"
    r"\s+(?:when|after|before|while|until)\s+(?=[A-Z\w])|,\s+(?:who|which)\s+|\s*—\s*"
)


_FIRST_TYPOLOGY_RULE = next(i for i, (kind, _) in enumerate(_RULES) if kind == K.MILITARY_ACTION)


def guess(sentence: str) -> tuple[str, re.Pattern | None]:
    """The kind, and the pattern of the rule that told it when that pattern finds the act's word
    (not for the rules of acts outside the typology, which may start at the subject: "court ruled")."""
    for i, (kind, pattern) in enumerate(_COMPILED):
        if pattern.search(sentence):
            return str(kind), (pattern if i >= _FIRST_TYPOLOGY_RULE or kind == K.ELECTION else None)
    return str(K.OTHER), None


def guess_kind(sentence: str) -> str:
    return guess(sentence)[0]


def clauses(sentence: str) -> list[tuple[int, int]]:
    """The sentence cut into clauses, as (start, end) offsets into it."""
    cuts = [0]
    for m in _CLAUSE_BREAK.finditer(sentence):
        cuts.append(m.start())
    cuts.append(len(sentence))
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


# ", police said.": a speech that only attributes what the sentence reports.
_ATTRIBUTION = re.compile(
    r",\s+[^,;]{1,80}?\s+(?:said|says|reported|reports|announced|confirmed|added|told\s+\w+)"
    r"(?:\s+(?:at|on|in|late|early)\s+[^,;]{1,30})?\s*[.!?]?[\"”’']?\s*$"
)
_COMPLEMENT_MARK = re.compile(r"\b(?:that|whether)\b|[\"“‘]|(?<!\w)'(?=\w)")
_AUX = re.compile(
    r"\b(?:would|will|had|has|have|was|were|is|are|could|should|can|must|may|might|did|does|do|shall)\b"
)
_SUBJECT_PRONOUN = re.compile(r"\s+(?:it|he|she|they|we|I|there)\s+\w")
# A relative clause between a subject and its verb: "Ortiz, who proposed it in March 2023, called…".
_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which)\s+[^,]+,")
_CLAUSE_STOP = re.compile(r";|,\s+(?:as|while|when|after|before|because|although|though)\b")


def complement(sentence: str, verb_end: int) -> int | None:
    """Where what a verb of speech reports begins ("said [that] the talks would…"), or ``None`` when
    the verb has no clause after it ("reported a 31% drop in profit on Thursday")."""
    stop = _CLAUSE_STOP.search(sentence, verb_end)
    end = stop.start() if stop else len(sentence)
    if mark := _COMPLEMENT_MARK.search(sentence, verb_end, end):
        return mark.start()
    if _AUX.search(sentence, verb_end, end) or _SUBJECT_PRONOUN.match(sentence, verb_end):
        return verb_end
    return None


def speech_dated_by(sentence: str, speech: re.Match, at: int) -> bool:
    """Whether the date at ``at`` dates the speech ("warned on Sunday that…", "In November, he
    declared…") rather than what it reports ("said the meeting would be on 20 June")."""
    start = complement(sentence, speech.end())
    if at < speech.start():
        return not _in_relative_clause(sentence, at, speech.start())
    return start is None or at < start or adjacent(sentence, speech.end(), at)


def _in_relative_clause(sentence: str, at: int, before: int) -> tuple[int, int] | None:
    """The relative clause, ending before offset ``before``, that holds offset ``at``."""
    for found in _RELATIVE_CLAUSE.finditer(sentence, 0, before):
        if found.start() < at < found.end():
            return found.start(), found.end()
    return None


def act_spans(
    sentence: str, at: int | None, others: list[int], speeches: Sequence[re.Match]
) -> list[tuple[int, int]]:
    """The parts of ``sentence`` (as (start, end) offsets) that report the act dated at offset ``at``
    (``None``: the act the sentence reports without a date of its own). ``others`` are the offsets
    of the sentence's other dates; ``speeches`` its verbs of speech, if it reports a speech: the
    speech is told up to where what it reports begins, what it reports after that."""
    start, end = 0, len(sentence)
    speech = speeches[0] if speeches else None
    if at is not None and (before := [s for s in speeches if s.start() < at]):
        speech = before[-1]  # "called it a mistake and said the meeting would be on 20 June"
    if speech is not None:
        attribution = _ATTRIBUTION.search(sentence)
        if attribution and speech.start() > attribution.start():
            end, speech = attribution.start(), None  # the act is what the attribution reports
        elif (
            at is not None
            and at < speech.start()
            and (relative := _in_relative_clause(sentence, at, speech.start()))
        ):
            return [(0, relative[1])]  # the act of "Ortiz, who proposed it in March 2023, said…"
        elif at is not None and at < speech.start() and _CLAUSE_BREAK.search(sentence, at, speech.start()):
            speech = None  # the date's clause ends before the speech begins
        elif complement(sentence, speech.end()) is None:
            speech = None  # nothing reported: the verb is the act ("reported a drop in profit")
    if speech is not None:
        reported = complement(sentence, speech.end())
        if at is None or speech_dated_by(sentence, speech, at):
            # The speech itself, without a relative clause that tells another act.
            spans, cut = [], 0
            for found in _RELATIVE_CLAUSE.finditer(sentence, 0, speech.start()):
                if any(found.start() < o < found.end() for o in others):
                    spans.append((cut, found.start()))
                    cut = found.end()
            return [*spans, (cut, reported)]
        start = reported
    others = [o for o in others if start <= o < end]
    if at is None or not others:
        return [(start, end)]
    # Leave out the clauses that hold the sentence's other dates: they tell other acts.
    return [
        (a + start, b + start)
        for a, b in clauses(sentence[start:end])
        if (a <= at - start < b) or not any(a <= o - start < b for o in others)
    ]


def kind_text(sentence: str, at: int | None, others: list[int], speeches: Sequence[re.Match]) -> str:
    """The words that tell the kind of the act dated at ``at`` (see ``act_spans``)."""
    return " ".join(sentence[a:b] for a, b in act_spans(sentence, at, others, speeches))


_BETWEEN_VERB_AND_DATE = re.compile(
    r"^[\s,]*(?:(?!that\b|whether\b|if\b|would\b|will\b|could\b|should\b|had\b|has\b|have\b|was\b|were\b|"
    r"is\b|are\b|to\b)[\w’'-]+[\s,]+){0,4}$"
)


def adjacent(sentence: str, verb_end: int, at: int) -> bool:
    """Whether the date at ``at`` follows the verb of speech closely enough to date the speech
    ("warned on Sunday that…", "told reporters on Monday") rather than what it reports."""
    return bool(_BETWEEN_VERB_AND_DATE.match(sentence[verb_end:at]))
