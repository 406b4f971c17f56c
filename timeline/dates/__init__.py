"""All date understanding of the project: the only place that reads date text or calls dateparser.

>>> from timeline.dates import parse
>>> parse("September 2022").edtf, parse("September 2022").precision
('2022-09', <Precision.MONTH: 'month'>)
"""

from .edtf import edtf_bounds, parse_edtf
from .text import parse
from .value import DateParseError, FuzzyDate, Precision

__all__ = ["DateParseError", "FuzzyDate", "Precision", "edtf_bounds", "parse", "parse_edtf", "span"]


def span(start: FuzzyDate, end: FuzzyDate) -> FuzzyDate:
    """One date covering ``start`` to ``end`` (an EDTF interval); an error if the end is before the start."""
    from .text import _span

    return _span(start, end)
