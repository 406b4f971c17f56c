"""Every date expression in running English text, and what each means: the project's temporal tagger.

``find_dates(text, published)`` returns the date expressions of ``text`` in order, each with its
offsets and its value (a ``FuzzyDate``), and the expressions it recognised but would not resolve
honestly (``unresolved``, with the reason). It is built as the rule-based taggers are (HeidelTime,
SUTime): recognition by rules grouped by expression type, normalisation separate from it, and the
reference date of an underspecified expression chosen by tense and context.

Recognition (``_RULES``): explicit dates ("Aug. 7, 1998", "7 August 1998", "1998-08-07"), a month
and day without a year ("the Oct. 23 shooting"), months, seasons, years (also as modifiers, "the
1996 Olympic bombing"), decades, centuries, weekdays, holidays, quarters, halves and fiscal years
("third-quarter loss", "fiscal 1989", "the current quarter", "last year's third quarter", "the
quarter" after one is named), ordinal days ("on the 15th"), relative expressions ("a year ago",
"last fall", "earlier this month", "year-earlier", "the past three months", "the end of the year")
and expressions counted from the date the narrative stands at ("the following Tuesday", "a day
later", "later that year", "later in the month"). Bounded and open spans are built on top: "since
1990" (open end), "until/by Jan. 14" (open start), "from … to …", "between … and …", "Aug. 7-9",
"1999-2000"; "April 24 and 25" is two days.

Not dates, never reported: durations ("three years", "for 10 days"), sets ("every Monday",
"on Mondays"), times of day, plain numbers, "may" the verb, a month name that is a person's name
("April Glaspie"), a four-digit number that counts something ("2000 troops") or names a product.

Normalisation, with an honest precision (never finer than the text): "early December" is December
(the text does not say which days are early), "fiscal 1989" is 1989 flagged approximate and
uncertain (the fiscal year's start is not stated), "two years ago" is approximate.

Layout (a package, as HeidelTime and SUTime group their rules): recognition rules by expression
type in ``explicit`` (full dates, month and day, ordinal days), ``named`` (months, seasons,
holidays), ``years`` (years, decades, centuries), ``periods`` (quarters, halves, fiscal years),
``deictic`` (relative to the publication) and ``narrative`` (counted from the narrative date),
each with the filters that keep what is not a date out; normalisation in ``tense`` and
``context``; ``spans`` joins the dates read; ``core`` runs it all.

Reference date (``_Context``): the publication date for deictic expressions ("Thursday", "last
month"); the tense of the clause decides the direction (``_tense``: "plans to leave on Thursday" is
the coming Thursday, "left on Thursday" the past one, "expected to join in April" the coming April;
a weaker pointer forward, "would" or a plan without "to", takes the nearest occurrence; no tense
looks back unless the next occurrence is near); a full date, or a year opening the sentence, gives
its year to a month or day after it that names none; the date the narrative stands at (the last
day-precise date of this or the previous paragraph) anchors "the following Tuesday", "the next
day". With no reference, or one too coarse to decide, the expression is unresolved.
"""

from .core import find_dates, read_text_file
from .results import Findings, FoundDate, UnresolvedDate

__all__ = ["Findings", "FoundDate", "UnresolvedDate", "find_dates", "read_text_file"]
