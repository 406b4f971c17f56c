"""A first guess at an event's kind from the words of its sentence, for a reviewer to confirm.

Rules are tried in order and the first that matches wins: the specific acts (an election, a
military action, a decree, an annexation, an overture) before the generic ones (a report, a
statement, a meeting, talks), because "signed a decree making negotiations impossible" is a decree
that mentions negotiations, not a negotiation."""

from __future__ import annotations

import re

from timeline.models import Event

_RULES = [
    (Event.Kind.ELECTION, r"\belection|\bvot(?:e|ed|ing)\b|\breferend|\bballot"),
    (
        Event.Kind.MILITARY_ACTION,
        r"military operation|\binva(?:de|ded|des|sion)\b|\b(?:forces|troops|army) (?:entered|crossed|attacked|advanced|"
        r"captured|seized|shelled|withdrew)|\boffensive\b|\battack(?:ed|s)?\b|\bshell(?:ed|ing)\b|\b(?:air|missile|drone) ?strikes?\b"
        r"|\bbombard|\blaunched (?:a|an|its) (?:military|attack|assault|invasion|offensive|strike)",
    ),
    (
        Event.Kind.DECREE,
        r"\bdecree|\bsigned (?:a|the|into) (?:law|bill|order)|\bexecutive order|\blegislation\b|\bnew law\b",
    ),
    (Event.Kind.ANNEXATION, r"\bannex|\bclaim (?:over|to)\b|\bterritorial claim"),
    (Event.Kind.PROPOSAL, r"\boverture|\bpropos(?:al|als|ed|es)\b|\boffer(?:ed|s)?\b|\bpeace plan\b"),
    (Event.Kind.REPORT, r"\b(?:revealed|reported|reports|disclosed|published a report)\b"),
    (
        Event.Kind.STATEMENT,
        r"\b(?:said|says|stated|states|declared|declares|announced|announces|emphasi[sz]ed|stressed|echoed|"
        r"reiterated|warned|warns|insist(?:s|ed)|asserted|asserts|signal(?:l)?ed|indicated|told|claimed|claims|"
        r"statements?|remarks|threats?)\b",
    ),
    (
        Event.Kind.MEETING,
        r"\bmet\b|\bmeeting with\b|\bsummit\b|\bconference\b|\bvisit(?:ed|s)?\b|\bhosted\b|\btalks (?:were )?held\b",
    ),
    (Event.Kind.NEGOTIATION, r"\bnegotiat|\btalks\b|\bceasefire\b|\btruce\b"),
]
_COMPILED = [(kind, re.compile(pattern, re.I)) for kind, pattern in _RULES]

REPEATABLE = frozenset(
    {Event.Kind.STATEMENT, Event.Kind.REPORT, Event.Kind.NEGOTIATION, Event.Kind.MEETING, Event.Kind.OTHER}
)
"""Kinds of act that recur (a leader speaks, an outlet reports, parties meet): two mentions of the
same kind, parties and month may well be two different acts."""

SPOKEN = frozenset({Event.Kind.STATEMENT, Event.Kind.REPORT})


def guess_kind(sentence: str) -> str:
    for kind, pattern in _COMPILED:
        if pattern.search(sentence):
            return str(kind)
    return str(Event.Kind.OTHER)
