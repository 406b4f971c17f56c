"""The direction in time a clause points to, read from its verbs (normalisation, not recognition):
"plans to leave on Thursday" looks ahead, "left on Thursday" back, "postponed until Friday"
ahead of the act."""

from __future__ import annotations

import re

from .patterns import FUTURE, PAST, WEAK_FUTURE

# --- tense --------------------------------------------------------------------------------------

_MODALS = {"will", "'ll", "shall", "would", "wo", "might", "should", "must", "could"}
# What often follows "to" without being a verb: "sentenced to death", "returned to power".
_NOT_INFINITIVE = {
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these",
    "those", "him", "them", "us", "me", "it", "death", "power", "office", "jail", "prison", "court",
    "hospital", "safety", "school", "work", "bed", "war", "life", "town", "home", "date", "be",
    "some", "all", "any", "each", "every", "no", "one", "two", "three", "nearly", "about", "more",
    "less", "over", "under", "around", "almost", "near", "where", "what", "whom", "fight",
}  # fmt: skip
# Verbs (and words) that point forward when "to" or "for" follows them: "plans to leave on Thursday",
# "is expected to join in April", "set for Nov. 3".
_TO_VERBS = {
    "plan", "plans", "planned", "planning", "expect", "expects", "expected", "hope", "hopes", "hoped",
    "intend", "intends", "intended", "aim", "aims", "aimed", "promise", "promises", "promised", "vow",
    "vows", "vowed", "pledge", "pledges", "pledged", "threaten", "threatens", "threatened", "agree",
    "agrees", "agreed", "decide", "decides", "decided", "want", "wants", "wanted", "prepare",
    "prepares", "prepared", "schedule", "scheduled", "set", "due", "going", "is", "are", "was", "were",
    "seek", "seeks", "sought", "ready", "likely", "about", "slated", "poised", "asked", "ordered",
}  # fmt: skip
# "to" after these is a preposition: "according to police", "compared to sales".
_TO_PREPOSITION = {
    "according", "compared", "prior", "next", "close", "similar", "due", "thanks", "up", "relative",
    "owing", "addition", "contrary", "regard", "respect", "attention", "access", "return", "trip",
    "visit", "journey", "way", "back", "went", "go", "goes", "came", "come", "moved", "fled", "sent",
}  # fmt: skip
_FORWARD = {"scheduled", "slated", "upcoming", "coming", "tentatively"}
# a verb that moves something later: what follows its "until"/"till" lies after the act ("postponed
# until Tuesday", "adjourned till Monday"), whatever the verb's own tense
_DEFER = {
    "postpone",
    "postponed",
    "postpones",
    "postponing",
    "delay",
    "delayed",
    "delays",
    "delaying",
    "defer",
    "deferred",
    "defers",
    "deferring",
    "adjourn",
    "adjourned",
    "adjourns",
    "adjourning",
    "suspend",
    "suspended",
    "suspends",
    "suspending",
    "extend",
    "extended",
    "extends",
    "extending",
}
# The present tense of a scheduled event points forward: "the law takes effect Jan. 1", "the
# session opens in March", "results are due in the fall".
_SCHEDULE_PRESENT = {
    "begins", "starts", "opens", "ends", "expires", "resumes", "takes", "arrives", "leaves", "meets",
    "returns", "closes", "convenes", "reconvenes", "kicks", "launches", "due",
}  # fmt: skip
# A plan names an event ahead of it: "planned a demonstration on Saturday" (when the date follows).
_PLAN_WORDS = {
    "plan",
    "plans",
    "planned",
    "planning",
    "schedule",
    "schedules",
    "expected",
    "expects",
    "expect",
}
_PAST_IRREGULAR = {
    "was", "were", "had", "did", "said", "told", "left", "met", "went", "came", "took", "made", "gave",
    "began", "held", "won", "lost", "fell", "rose", "saw", "found", "got", "sent", "spent", "struck",
    "fought", "brought", "bought", "thought", "sought", "led", "fled", "shot", "ran", "flew", "wrote",
    "spoke", "broke", "chose", "drove", "became", "built", "caught", "drew", "felt", "grew", "heard",
    "hid", "hung", "kept", "knew", "laid", "lit", "meant", "paid", "rode", "rang", "sank", "sat",
    "shook", "slept", "sold", "stood", "stole", "swore", "taught", "threw", "understood", "woke",
    "wore", "wept", "been", "dealt", "forgave", "overthrew", "withdrew", "underwent", "ago", "begun",
    "taken", "given", "seen", "written", "spoken", "chosen", "shown", "known", "done", "gone",
}  # fmt: skip
_NOT_VERBS_ED = {
    "hundred", "need", "speed", "indeed", "seed", "feed", "breed", "creed", "greed", "red", "bed",
    "shed", "united", "armed", "alleged", "so-called", "related", "based", "limited", "interested",
    "concerned", "involved", "unidentified", "proceed", "exceed", "succeed", "embed", "naked",
    "sacred", "wicked", "kindred", "hatred", "bloodshed", "watershed", "detailed", "advanced",
    "organized", "organised", "renewed", "repeated", "continued", "unprecedented", "biased",
}  # fmt: skip
_BE_PRESENT = {"is", "are", "am", "'s", "being"}
_BE_PAST = {"was", "were", "been"}
_PRESENT = {"says", "say", "is", "are", "am", "tells", "believes", "thinks", "insists"}
# words that open or join another clause, which the tense of an apposition is not read across
_JOINING = {"that", "after", "before", "until", "since", "and", "or", "but", "as", "than"}
_CLAUSE_WORDS = {
    "where", "when", "which", "who", "whom", "whose", "because", "while", "although", "though", "if",
    "unless", "whether",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|[,;:()]|''|``|\"")


def _participle(w: str) -> bool:
    lw = w.lower()
    if lw in _PAST_IRREGULAR and lw not in ("was", "were", "had", "did", "ago"):
        return True
    return len(lw) > 4 and lw.endswith("ed") and lw not in _NOT_VERBS_ED and w[0].islower()


def _cue(words: list[str], i: int, before: bool = True) -> str | None:
    """The tense word ``words[i]`` signals in its place: PAST, FUTURE, "present", or None.
    ``before``: the word comes before the date expression (the date is then its object's)."""
    w = words[i]
    lw = w.lower()
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    prev = words[i - 1].lower() if i > 0 else ""
    if lw in _MODALS:
        return FUTURE if lw in ("will", "'ll", "shall", "wo") else WEAK_FUTURE
    if before and lw in _PLAN_WORDS and nxt not in ("to", "for"):
        return WEAK_FUTURE
    if not before and lw.endswith("ed") and lw in _TO_VERBS:
        return PAST  # "On Friday, the government planned to pay": the planning was on Friday
    if (
        before
        and lw == "to"
        and nxt.isalpha()
        and nxt.islower()
        and nxt not in _NOT_INFINITIVE
        and prev not in _TO_PREPOSITION
    ):
        if not nxt.endswith(("ing", "ed")) and (not nxt.endswith("s") or nxt.endswith("ss")):
            return WEAK_FUTURE  # "subpoenaed him to testify ... on Feb. 10"
    if before and lw == "as" and nxt in ("soon", "early", "late"):
        return FUTURE  # "as soon as Tuesday"
    if lw in _TO_VERBS and nxt in ("to", "for") and not (lw in ("is", "are", "was", "were") and nxt == "for"):
        return FUTURE  # "plans to leave", "set for", "was to leave on Thursday" (still ahead then)
    if lw in _FORWARD:
        return FUTURE
    if before and lw in _SCHEDULE_PRESENT and nxt != "to":
        return FUTURE
    if _participle(w) or lw in ("was", "were", "had", "did"):
        if prev in _BE_PRESENT:
            return "present"  # "the case is heard in May": a passive present
        if prev == "be":
            back = [x.lower() for x in words[max(0, i - 4) : i - 1]]
            return (
                (FUTURE if {"will", "'ll", "shall"} & set(back) else WEAK_FUTURE)
                if _MODALS & set(back)
                else None
            )
        if prev in ("has", "have", "had") or prev in _BE_PAST or lw in _PAST_IRREGULAR:
            return PAST
        return PAST
    if lw in _PRESENT:
        return "present"
    return None


def _tense(text: str, sent_start: int, start: int, end: int, sent_end: int) -> str | None:
    """The direction in time the clause around ``text[start:end]`` points to: PAST, FUTURE or None.

    The nearest tense cue before the expression in its clause decides ("he said he will leave on
    Thursday": will; "plans to leave on Thursday": plans to); with none, the nearest after it in its
    clause ("On Thursday, he left": left); an infinitive just before the expression ("to leave on
    Thursday") points forward. A present tense ("the case is heard in May") decides nothing."""
    words = _WORD.findall(text[sent_start:start])[-16:]
    low = [w.lower() for w in words]
    if "until" in low[-6:] or "till" in low[-6:]:
        # "postponed until Tuesday", "postponed the vote until Tuesday": after the act
        k = max(i for i, w in enumerate(low) if w in ("until", "till"))
        if k == len(low) - 1 and _DEFER & set(low[max(0, k - 5) : k]):
            return FUTURE
    modifier = text[start:end].lower().startswith("the ")
    # the infinitive just before: "to leave on Thursday", "to join in April"
    tail = [w.lower() for w in words[-4:]] if not modifier else []
    if len(tail) >= 2 and tail[-1] in ("on", "in", "by", "at", "until", "before", "after", "during"):
        tail = tail[:-1]
    if (
        len(tail) >= 2
        and tail[-2] == "to"
        and tail[-1].isalpha()
        and tail[-1] not in _NOT_INFINITIVE
        and (len(tail) < 3 or tail[-3] not in _TO_PREPOSITION)
        and words
        and not words[-1][:1].isupper()
    ):
        return FUTURE
    weak = None
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w == "," and 0 < i < len(words) - 1 and words[i - 1][:1].isupper() and words[i + 1][:1].isupper():
            continue  # a list of names: "Poland, Hungary and the Czech Republic"
        if w in (",", ";", ":", "(", ")", "''", "``", '"') or w.lower() in _CLAUSE_WORDS:
            break
        cue = _cue(words, i)
        if cue == WEAK_FUTURE:
            # a weak pointer may be made strong by the verb it depends on ("is expected to join
            # the board in April"), not undone by a past one ("subpoenaed him to testify on …")
            weak = WEAK_FUTURE
            continue
        if cue is not None:
            if weak and cue != FUTURE:
                return weak
            return None if cue == "present" else cue
    if weak:
        return weak
    after = _WORD.findall(text[end:sent_end])[:32]
    fronted = bool(after) and after[0] == ","
    if fronted:
        after = after[1:]
    for i, w in enumerate(after):
        # a fronted date ("In January, a week after …, a bombing killed") belongs to the main
        # clause, which may come after an apposition: commas do not end the search then
        if (
            (w == "," and not fronted)
            or w in (";", ":", "(", ")", "''", "``", '"')
            or w.lower() in _CLAUSE_WORDS
        ):
            break
        cue = _cue(after, i, before=False)
        if cue is not None:
            return None if cue == "present" else cue
    # a clause without a verb of its own ("…, her first stop Tuesday morning"): the nearest verb
    # of the sentence before it decides
    words = _WORD.findall(text[sent_start:start])[-40:]
    for i in range(len(words) - 1, -1, -1):
        if words[i] in (";", ":", "''", "``", '"') or words[i].lower() in _CLAUSE_WORDS | _JOINING:
            break  # not into another clause: only past the commas of an apposition
        if words[i] in (",", "(", ")"):
            continue
        cue = _cue(words, i)
        if cue is not None:
            return None if cue == "present" else cue
    return None
