"""The finder's building blocks: the words and regular-expression pieces its rules are made of
(months, weekdays, days, years, counts), the tense directions, and the exception a rule raises
when it recognises a date it cannot resolve honestly."""

from __future__ import annotations

# --- building blocks -----------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "21st": 21,
}  # fmt: skip

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# A month: its full name, or its abbreviation with a period ("Aug."); without the period only
# before a day ("Aug 7"), as "Jan" or "Mar" alone are names or words.
MON = rf"(?:(?:{_MONTH_FULL})\b|(?:{_MONTH_ABBR})\.|(?:{_MONTH_ABBR})\b(?=\s+\d))"
DAY = (
    r"(?<![\d,.$])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d,]\d|\d|:\d|\s*(?:%|percent\b|a\.m\.|p\.m\.))"
)
YEAR = r"(?<![\d$€£#.,])(?<!\d-)(?:1\d\d\d|20\d\d)(?![\d%]|,\d|\.\d)"
WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!s\b)"
SEASON = r"(?:spring|summer|fall|autumn|winter)"
PART = r"(?:(?:early|mid|late)[- ]?|(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the\s+)?)"
ORD_NUM = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
COUNT = r"(?:\d{1,3}|(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty))"
UNIT = r"(?:day|week|month|year|decade)"

PAST, FUTURE = "past", "future"
_NEAR_AHEAD_DAYS = 92
# A weaker pointer forward ("would", "could", a plan without "to", an infinitive further back): the
# occurrence nearest the reference date, whichever side, rather than the next one.
WEAK_FUTURE = "future?"


class _Decline(Exception):
    """An expression recognised as a date that cannot be resolved honestly: reported unresolved."""
