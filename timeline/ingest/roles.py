"""Who did what: the role of each party a sentence names, read from the words around it.

The roles are ``Participation.Role``. The act's verb (or the words that told its kind: "visit",
"decree", "shelled") is found first, then:

- its **subject** is the actor — the speaker for a statement or a report. The subject is the party
  named nearest before the verb in its clause, with the parties coordinated with it ("Arden and
  Belmore met": both). A party inside a prepositional phrase ("talks between Russia and Ukraine",
  "President Voss of Arden", "involved in Kremlin discussions") is not the subject, unless the phrase
  names who acts for it ("negotiators from Arden", "the board of Halden University"); nor is a
  possessive before another party ("Belmore's prime minister, Ilse Marten": Marten). "Belmore's
  army", "Russian forces" make Belmore and Russia the subject. With no party before the verb, a
  "he"/"she" before it is the person named last;
- a party **not invited**, **excluded**, absent or named after "without" is only ``mentioned``: it did
  not take part, and is never the actor;
- the **host** is the subject of "hosted", and the place of a visit ("visited X", "visit to X",
  "arrived in X", "talks held in X"); the party hosted or met is a ``participant``;
- the **target** is the object of a hostile act ("Russia invaded Ukraine", "shelled villages in
  Arden's valley", "accused Belmore", "sanctions on X"), and the territory of a claim;
- the **recipient** is who is told, offered or sent something, and who "received" it ("U.S.
  officials received overtures from the Kremlin": the Kremlin acts);
- the **mediator** brokered or mediated ("a ceasefire brokered by Calder");
- every other party named is ``mentioned``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from timeline.models import Participation

from .kinds import SPEECH_VERB, SPOKEN
from .parties import Mention, PartyInfo

R = Participation.Role

_PREPOSITION = re.compile(
    r"(?:^|\W)(?:of|from|in|at|to|with|for|on|against|over|near|into|between|about|by|outside|inside|"
    r"across|among|under|toward|towards|than|like|per|including|despite|around|within|without|beyond)"
    r"\s+(?:the\s+|a\s+|an\s+)?$",
    re.I,
)
# Who acts for a party named after "of"/"from": "negotiators from Arden", "the board of governors of X".
_AGENT_BEFORE_PREPOSITION = re.compile(
    r"\b(?:negotiators|officials|representatives|delegates|delegation|envoys?|diplomats|leaders?|"
    r"ministers?|president|government|ministry|army|forces|troops|soldiers|military|board|council|"
    r"governors|directors|members|parliament|police|spokes(?:person|man|woman)|court|authorities|"
    r"cabinet|administration|team|players|management|staff|executives?|lawyers)"
    r"(?:\s+of\s+(?:the\s+)?\w+)?\s+(?:of|from)\s+(?:the\s+)?$",
    re.I,
)
_OBJECT = re.compile(
    r"(?<![-\w])(?:[a-z]+ed|won|beat|beating|beats|met|meets|told|tells|hosts|hosting|visits|visiting|"
    r"invaded|accuses|accusing|urged|urges|thanked|called|struck|hit|sent|gave)\s+(?:the\s+)?$"
)
_POSSESSIVE = re.compile(r"^['’]s?\b")
_AGENT_NOUN = re.compile(
    r"^['’]s?\s+(?:\w+\s+){0,2}?(?:army|forces|troops|military|navy|government|ministry|minister|president|"
    r"prime minister|leader|court|parliament|police|embassy|envoy|spokes(?:person|man|woman)|board|"
    r"council|cabinet|authorities|officials|delegation|negotiators|diplomats|administration|management)\b",
    re.I,
)
_COORDINATION = re.compile(r"^\s*(?:,|,?\s+and|&)\s*$")
_CLAUSE_BREAK = re.compile(
    r";|\.\s|,\s+(?:and|but|while|whereas|although|though)\s+|\b(?:when|after|before|while)\s"
)
_RELATIVE = re.compile(r"^\s*,\s+(?:who|which)\s+(?:\w+\s+){0,2}$")
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")

# Not taking part: after the party, or before it.
_EXCLUDED_AFTER = re.compile(
    r"^(?:\s*,[^,]{0,90},)?\s+(?:(?:was|were|is|are|has been|have been|had been)\s+(?:not|never)\s+"
    r"(?:invited|included|consulted|present|represented|involved|asked|allowed|admitted)|"
    r"(?:did|does|do|will|would)\s+not\s+(?:attend|take part|participate|join|sign|come)|"
    r"(?:declined|refused) to (?:attend|take part|participate|join)|stayed away|was absent|were absent|"
    r"boycotted|was excluded|were excluded|was left out|were left out|was barred|were barred)\b",
    re.I,
)
_EXCLUDED_BEFORE = re.compile(
    r"\b(?:without|excluding|except(?:\s+for)?|not including|absence of|exclusion of|excluded|barred|"
    r"left out|uninvited)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
    re.I,
)
_MEDIATOR_BEFORE = re.compile(r"\b(?:brokered|mediated|facilitated)\s+by\s+(?:the\s+)?$", re.I)
_MEDIATOR_AFTER = re.compile(
    r"^(?:-|\s+)(?:brokered|mediated|mediating)\b|^\s+(?:as|acting as)\s+(?:a\s+)?mediator", re.I
)
_HOST_BEFORE = re.compile(
    r"\b(?:visit(?:ed|s|ing)?|(?:visit|trip|journey|travel(?:led|ed)?) to|arrived in|held in|hosted by|"
    r"summit in|talks in)\s+(?:the\s+)?$",
    re.I,
)
_HOST_VERB = re.compile(r"\bhost(?:ed|s|ing)\b", re.I)
_PARTICIPANT_BEFORE = re.compile(
    r"\b(?:met|meets|meeting|met with|meets with|talks with|hosted|hosts|welcomed|received|beat|beating|"
    r"defeated|against|played)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
    re.I,
)
_TARGET_BEFORE = re.compile(
    r"\b(?:invaded|invade|invades|invasion of|attacked|attacks?|shelled|shelling|bombed|struck|strikes? on|"
    r"raided|entered|crossed into|occupied|annexed|sanctioned|sanctions (?:on|against)|accused|accuses|"
    r"criticised|criticized|condemned|blamed|threatened|warned|expelled|against|claim (?:over|to))\s+"
    r"(?:the\s+)?(?:\w+\s+){0,3}(?:of|in|on|into)?\s*(?:the\s+)?$",
    re.I,
)
_RECIPIENT_BEFORE = re.compile(
    r"\b(?:told|tells|offered|offers|proposed to|sent|handed|wrote to|gave|awarded|promised|informed|"
    r"assured|urged|asked)\s+(?:the\s+)?$",
    re.I,
)
_RECEIVED = re.compile(r"\breceived\b", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$")
# A finite verb, when the kind gives no verb of its own.
_FINITE = re.compile(
    r"(?<![-\w])(?<!the )(?<!a )(?<!an )(?<!its )(?<!his )(?<!her )(?<!their )"
    r"(?:[a-z]+(?:ed)|won|beat|struck|held|made|met|took|began|came|went|led|left|sent|set|put|cut|ran|rose|"
    r"fell|grew|brought|bought|sold|spoke|wrote|told|said|gave|chose|drew|hit|lost|paid|kept|will|would|"
    r"shall|has|have|had|was|were|is|are|did|can|could|may|might|must|should|intends|plans|hopes|"
    r"wants|holds|hosts|meets|says|signs|votes)(?![-\w])"
)
_AGENT_AFTER_DEMONYM = re.compile(
    r"([A-Z][a-z]+)\s+(?:forces|troops|army|soldiers|military|navy|jets|warplanes|drones|officials|"
    r"government|authorities|negotiators|diplomats)\b"
)


@functools.lru_cache(maxsize=4096)
def demonyms(party: PartyInfo) -> frozenset[str]:
    """The adjectives of a state's name ("Russian", "Ukrainian", "Chinese"), for "Russian forces"."""
    if party.kind != "state":
        return frozenset()
    forms = set()
    for name in party.names:
        if " " in name or not name[:1].isupper():
            continue
        stem = name[:-1] if name[-1] in "aeo" else name
        forms |= {
            name + "n",
            name + "ian",
            stem + "ian",
            stem + "ese",
            name + "ese",
            stem + "ish",
            name + "i",
        }
    return frozenset(forms)


def read_roles(
    sentence: str,
    offset: int,
    mentions: Sequence[Mention],
    kind: str,
    *,
    spans: Iterable[tuple[int, int]] | None = None,
    trigger: re.Pattern | None = None,
    pronoun_person: PartyInfo | None = None,
    demonym_parties: Sequence[PartyInfo] = (),
) -> tuple[tuple[str, str], ...]:
    """(slug, role) for each party ``sentence`` names, the principal first. ``mentions`` carry
    offsets into the article, ``offset`` is where the sentence starts in it; ``spans`` (offsets into
    the sentence) are the words that report the act — parties outside them are only mentioned;
    ``trigger`` is the pattern that told the act's kind."""
    spans = list(spans) if spans is not None else [(0, len(sentence))]
    local = [(m, m.start - offset, m.end - offset) for m in mentions]
    inside = [(m, s, e) for m, s, e in local if any(a <= s < b for a, b in spans)]
    roles: dict[str, str] = {}
    principal_role = str(R.SPEAKER if kind in SPOKEN else R.ACTOR)

    excluded = {m.slug for m, s, e in inside if _excluded(sentence, s, e)}
    for m, s, e in inside:
        if m.slug in excluded:
            roles.setdefault(m.slug, str(R.MENTIONED))
        elif _MEDIATOR_BEFORE.search(sentence[:s]) or _MEDIATOR_AFTER.match(sentence[e:]):
            roles.setdefault(m.slug, str(R.MEDIATOR))

    verb_at = _verb(sentence, spans, kind, trigger)
    # "U.S. officials received overtures from the Kremlin": the Kremlin acts, the officials receive.
    received = _RECEIVED.search(sentence)
    subjects: list[str] = []
    if received and any(_FROM_BEFORE.search(sentence[:s]) and s > received.start() for _, s, _ in inside):
        giver = next(m for m, s, _ in inside if _FROM_BEFORE.search(sentence[:s]) and s > received.start())
        roles.setdefault(giver.slug, principal_role)
        for m, _, e in inside:
            if e <= received.start() and m.slug not in roles:
                roles[m.slug] = str(R.RECIPIENT)
    elif verb_at is not None:
        subjects = _subjects(sentence, inside, verb_at, excluded)
        if not subjects:
            subjects = _demonym_subject(sentence, verb_at, demonym_parties)
        if not subjects and (main := _main_verb(sentence, spans)) is not None and main < verb_at:
            # The kind's word is in a clause of its own ("signed an agreement…, after talks
            # mediated by Switzerland"): the subject is the main verb's.
            subjects = _subjects(sentence, inside, main, excluded)
        if not subjects and pronoun_person is not None and _PRONOUN.search(sentence[:verb_at]):
            subjects = [pronoun_person.slug]
        hosting = bool(_HOST_VERB.match(sentence, verb_at)) or bool(
            _HOST_VERB.search(sentence[verb_at : verb_at + 12])
        )
        for slug in subjects:
            roles.setdefault(slug, str(R.HOST) if hosting else principal_role)

    decided = set(roles)
    for m, s, _ in inside:
        if m.slug in decided:
            continue
        role = _object_role(sentence, s, verb_at, kind, principal_role, m.party)
        if _RANK[role] > _RANK.get(roles.get(m.slug), -1):
            roles[m.slug] = str(role)
    for m, _, _ in local:
        roles.setdefault(m.slug, str(R.MENTIONED))
    principal = [slug for slug, role in roles.items() if role in (R.ACTOR, R.SPEAKER)]
    return tuple(sorted(roles.items(), key=lambda item: item[0] not in principal))


_RANK = {
    str(r): i for i, r in enumerate([R.MENTIONED, R.PARTICIPANT, R.MEDIATOR, R.RECIPIENT, R.TARGET, R.HOST])
}
_RANK.update({str(R.ACTOR): 9, str(R.SPEAKER): 9})
# A purpose clause: "visit … to discuss … talks with Ukraine" — Ukraine did not take part in the visit.
_PURPOSE = re.compile(r"\bto\s+(?!the\b|a\b|an\b|its\b|his\b|her\b|their\b)[a-z]+\b")


def _object_role(
    sentence: str, at: int, verb_at: int | None, kind: str, principal_role: str, party: PartyInfo
) -> str:
    """The role of a party named at ``at``, after the act's verb: its object, a place, an agent."""
    if verb_at is None or at <= verb_at:
        return str(R.MENTIONED)
    before = sentence[max(0, at - 60) : at]
    purpose = _PURPOSE.search(sentence, verb_at, at)
    if _TARGET_BEFORE.search(before) or (kind in ("military_action", "annexation") and not _by(before)):
        return str(R.TARGET)
    if purpose:
        return str(R.MENTIONED)
    if _HOST_BEFORE.search(before) and party.kind != "person":
        return str(R.HOST)
    if _PARTICIPANT_BEFORE.search(before) or (kind == "meeting" and _HOST_BEFORE.search(before)):
        return str(R.PARTICIPANT)
    if _RECIPIENT_BEFORE.search(before):
        return str(R.RECIPIENT)
    if _by(before) and kind not in SPOKEN:
        return principal_role
    return str(R.MENTIONED)


def _by(before: str) -> bool:
    return bool(re.search(r"\bby\s+(?:the\s+)?$", before))


def _excluded(sentence: str, start: int, end: int) -> bool:
    return bool(
        _EXCLUDED_AFTER.match(sentence[end:]) or _EXCLUDED_BEFORE.search(sentence[max(0, start - 40) : start])
    )


def _verb(sentence: str, spans: list[tuple[int, int]], kind: str, trigger: re.Pattern | None) -> int | None:
    """Where the act's verb (or the word that told its kind) is."""
    for a, b in spans:
        if trigger is not None and (found := trigger.search(sentence, a, b)):
            return _word_start(sentence, found)
        if kind in SPOKEN and (speech := SPEECH_VERB.search(sentence, a, b)):
            return speech.start()
        if found := _FINITE.search(sentence, a, b):
            return found.start()
    return None


def _main_verb(sentence: str, spans: list[tuple[int, int]]) -> int | None:
    for a, b in spans:
        if found := _FINITE.search(sentence, a, b):
            return found.start()
    return None


def _word_start(sentence: str, found: re.Match) -> int:
    """Where the trigger's act word starts: a pattern may begin at its subject ("forces entered")."""
    at = found.start()
    if m := re.match(r"(?:forces|troops|army|soldiers|tanks)\s+", sentence[at:], re.I):
        return at + m.end()
    return at


def _subjects(sentence: str, inside: list, verb_at: int, excluded: set[str]) -> list[str]:
    before_verb = [(m, s, e) for m, s, e in inside if e <= verb_at]
    for i in range(len(before_verb) - 1, -1, -1):
        m, s, e = before_verb[i]
        gap = sentence[e:verb_at]
        if _CLAUSE_BREAK.search(gap) and not _RELATIVE.match(gap):
            return []
        if not _eligible(sentence, s, e, verb_at, before_verb[i + 1 :]) or m.slug in excluded:
            if m.slug in excluded and not _PREPOSITION.search(sentence[:s]):
                return []  # the subject is the party that did not take part
            continue
        subjects = [m.slug]
        j = i
        while j > 0 and _COORDINATION.match(sentence[before_verb[j - 1][2] : before_verb[j][1]]):
            j -= 1
            if before_verb[j][0].slug not in excluded:
                subjects.insert(0, before_verb[j][0].slug)
        return list(dict.fromkeys(subjects))
    return []


def _eligible(sentence: str, start: int, end: int, verb_at: int, later: list) -> bool:
    """Whether the party named at [start, end) can be the subject of the verb at ``verb_at``."""
    before = sentence[:start]
    if _OBJECT.search(before):
        return False  # "accused Belmore", "hosted Voss": the object of a verb before it
    if _PREPOSITION.search(before) and not _AGENT_BEFORE_PREPOSITION.search(before):
        # In a prepositional phrase — unless coordinated with one that names who acts.
        coordinated = re.search(r"(?:,|\band)\s+$", before)
        if not coordinated:
            return False
    after = sentence[end:verb_at]
    if _POSSESSIVE.match(after):
        # "Belmore's army shelled": Belmore; "Belmore's prime minister, Ilse Marten, hosted": Marten.
        if later:
            return False
        return bool(_AGENT_NOUN.match(after)) or len(after.split()) <= 3
    return True


def _demonym_subject(sentence: str, verb_at: int, parties: Sequence[PartyInfo]) -> list[str]:
    window = sentence[max(0, verb_at - 40) : verb_at + 20]
    for found in _AGENT_AFTER_DEMONYM.finditer(window):
        for party in parties:
            if found.group(1) in demonyms(party):
                return [party.slug]
    return []
