"""When an undated sentence still reports a dated act: the article's own publication date.

News reports what just happened without repeating the date: "Putin stated, '…'", "Lavrov echoed…",
"as per Amherd's recent statement". Such a sentence is dated by the publication date — never by
anything more precise — and says so (its basis is "publication"):

- ``RECENT``: "recently", or "recent" before an act ("recent statement", "recent visit");
- ``PAST``: a party, then within a few words a verb of speech or diplomacy in the simple past
  ("Putin stated", "Putin was not invited"), or a visit to / meeting with a party. The present
  perfect ("has asserted") places nothing in time and does not count;
- ``PRESENT``: a party holding a position in the present tense ("Russia maintains its claim",
  "Moscow insists"): true as of the publication date;
- ``PREVIOUSLY``: a past act marked "previously" or "earlier": some time up to the publication.

A sentence whose only dates are inside what a party is reported to have said ("Aalto said his
country would raise the matter at the meeting on 20 June") reports two acts: the meeting of 20
June, and the statement, which the sentence does not date — news of the publication date like any
other (``undated_speech``). A continuation ("she added", "he said" after the speaker was named) is
the remark already reported, not a new one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .kinds import SPEECH_VERB
from .parties import Mention

RECENT, PAST, PRESENT, PREVIOUSLY = "recent", "past", "present", "previously"

_RECENT = re.compile(
    r"\b[Rr]ecently\b|\brecent\s+(?:statements?|remarks|comments|interview|speech|visit|meeting|talks|"
    r"report|announcement|decision|decree|address|call|trip)\b"
)
_PAST = re.compile(
    r"\b(?:said|stated|told|declared|announced|emphasi[sz]ed|stressed|echoed|revealed|warned|reiterated|"
    r"signal(?:l)?ed|indicated|asserted|urged|accused|denied|confirmed|met|visited|hosted|invited|signed|"
    r"launched|proposed|offered|rejected|agreed|threatened|reported|(?<!-)called|welcomed|defended|"
    r"condemned|criticised|criticized|praised|wrote)\b"
)
_PRESENT = re.compile(
    r"\b(?:maintains|insists|claims|asserts|says|demands|rejects|denies|argues|warns|vows|refuses)\b"
)
_NOT_SIMPLE = re.compile(r"\b(?:has|have|had|having|been|be|would|will|could|might|may|to)\W+(?:\w+\W+)?$")
_PREVIOUSLY = re.compile(r"\b(?:previously|earlier|formerly)\b")
_VISIT = re.compile(r"\b(?:visit|trip)\s+to\b|\bmeeting\s+with\b")
_SUBJECT_REACH = 8  # words between the party and its verb


def publication_cue(sentence: str, mentions: Sequence[Mention], offset: int) -> str | None:
    """Which cue dates this undated sentence by its publication, if any. ``mentions`` carry offsets
    into the article; ``offset`` is where ``sentence`` starts in it."""
    if not mentions:
        return None
    local = [(m.start - offset, m.end - offset) for m in mentions]
    past = _verb_after_party(_PAST, sentence, local)
    if past is not None and _PREVIOUSLY.search(sentence[: past + 40]):
        return PREVIOUSLY
    if _RECENT.search(sentence):
        return RECENT
    if past is not None:
        return PAST
    if (visit := _VISIT.search(sentence)) and any(start >= visit.end() for start, _ in local):
        return PAST
    if _verb_after_party(_PRESENT, sentence, local) is not None:
        return PRESENT
    return None


def _verb_after_party(verbs: re.Pattern, sentence: str, mentions: list[tuple[int, int]]) -> int | None:
    for verb in verbs.finditer(sentence):
        if _NOT_SIMPLE.search(sentence[: verb.start()]):
            continue
        for _, end in mentions:
            gap = sentence[end : verb.start()]
            if end <= verb.start() and len(gap.split()) <= _SUBJECT_REACH:
                return verb.start()
    return None


_NOT_SIMPLE_SPEECH = re.compile(
    r"\b(?:has|have|had|having|been|be|would|will|could|might|may|to|not)\s+(?:\w+\s+)?$"
)
_CONTINUING = re.compile(r"^(?:added|adding)$")


def undated_speech(sentence: str, mentions: Sequence[Mention], offset: int) -> re.Match | None:
    """The verb of speech of a party named in ``sentence`` (a simple past, not a continuation), if
    the sentence reports one."""
    local = [(m.start - offset, m.end - offset) for m in mentions]
    for verb in SPEECH_VERB.finditer(sentence):
        if _CONTINUING.match(verb.group(0)) or _NOT_SIMPLE_SPEECH.search(sentence[: verb.start()]):
            continue
        for _, end in local:
            gap = sentence[end : verb.start()]
            if end <= verb.start() and len(re.findall(r"[\w’'-]+", gap)) <= _SUBJECT_REACH:
                return verb
        return None
    return None
