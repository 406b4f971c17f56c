"""Finding the parties a sentence names: every name and alias of the known parties, matched as
whole words and case-sensitively (proper names are capitalised; "US" is not "us"), longest first,
so "The Washington Post" is the newspaper and never the city.

A name followed by another capitalised word is the start of a longer proper name ("the Kyiv Post",
"The Moscow Times", "the Beijing Olympics") and does not name the party, unless that word is a
designation the party's own offices and bodies carry ("US President", "Kremlin Spokesman", "Ukraine
Defence Ministry", "the US Army"), a date word ("Putin Monday said") or another known name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The capitalised words that continue a designation of the party itself rather than make another name.
_DESIGNATION = re.compile(
    r"(?:President|Vice|Prime|Premier|Foreign|Defen[cs]e|Deputy|Minister|Ministry|Secretary|Spokes(?:person|"
    r"man|woman)|Leader|Chancellor|Envoy|Ambassador|Chief|Commander|General|Senator|Congress|Senate|"
    r"Parliament|Government|Administration|Army|Navy|Air|Armed|Forces|Military|Embassy|Department|State|"
    r"National|Special|Security|Intelligence|Officials?|Troops)$"
    r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
    r"July|August|September|October|November|December)$"
)
_NEXT_WORD = re.compile(r"[ \t]+([A-Z][\w’'.-]*)")


@dataclass(frozen=True)
class PartyInfo:
    """What the extractor needs to know about a party, detached from the database."""

    slug: str
    name: str
    kind: str
    names: tuple[str, ...]
    affiliation: str | None = None


@dataclass(frozen=True)
class Mention:
    party: PartyInfo
    start: int
    end: int

    @property
    def slug(self) -> str:
        return self.party.slug


class PartyMatcher:
    def __init__(self, parties: Iterable[PartyInfo]):
        self._by_slug = {p.slug: p for p in parties}
        self._states = [p for p in self._by_slug.values() if p.kind == "state"]
        self._by_name: dict[str, PartyInfo] = {}
        for party in self._by_slug.values():
            for name in party.names:
                self._by_name.setdefault(name, party)
        names = sorted(self._by_name, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
            if names
            else None
        )
        self._folded = {}
        for party in self._by_slug.values():
            for name in (*party.names, party.slug):
                self._folded.setdefault(name.casefold(), party)

    def __len__(self) -> int:
        return len(self._by_slug)

    def parties(self) -> list[PartyInfo]:
        return list(self._by_slug.values())

    def states(self) -> list[PartyInfo]:
        """The parties that are states (their adjectives name them: "Russian forces")."""
        return self._states

    def get(self, slug: str) -> PartyInfo | None:
        return self._by_slug.get(slug)

    def by_name(self, name: str) -> PartyInfo | None:
        """The party a name, alias or slug refers to, ignoring case (for metadata, not prose)."""
        return self._folded.get(name.strip().casefold())

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Mentions in ``text[start:end]``, in order, with offsets into ``text``."""
        if self._pattern is None:
            return []
        end = len(text) if end is None else end
        return [
            Mention(self._by_name[m.group(0)], m.start(), m.end())
            for m in self._pattern.finditer(text, start, end)
            if not self._longer_name(text, m.end(), end)
        ]

    def _longer_name(self, text: str, at: int, end: int) -> bool:
        """Whether the name ending at ``at`` runs on into another proper name ("Kyiv Post")."""
        nxt = _NEXT_WORD.match(text, at, end)
        if nxt is None:
            return False
        word = re.sub(r"[’']s$", "", nxt.group(1).rstrip("."))
        if _DESIGNATION.match(word) or self._pattern.match(text, nxt.start(1), end):
            return False
        return True
