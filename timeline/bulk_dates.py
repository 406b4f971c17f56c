"""The dates of one bulk import: each distinct date read once, its storable columns built once.

A news file repeats its dates: 100,000 synthetic events and sources hold ~69,000 distinct date
texts, and a real timeline repeats days far more (every source published on 24 February 2022). The
services' rules (``services.resolve_date`` / ``resolve_published``, which call ``dates.parse`` and
refuse the reserved days) and the model's own accessor (``FuzzyDateAccessor``) still decide every
distinct input; a repeat reuses their answer. That is exact because both are pure functions of
their input: the text, the end and the anchor's publication date (``dates.parse`` is already cached
on the same key). Only successes are kept: a refused date ends the import with its error.

Why not just a bigger ``dates.parse`` cache: that one lives as long as the process (every web
worker), and a hit still pays for the services' wrappers, the accessor and the date adapter, which
cost as much again as the parse (profile in the commit message).

Memory stays bounded: each cache holds at most ``LIMIT`` entries (0.5–0.7 KB each, measured with
tracemalloc: under 50 MB per cache) and is emptied when full, so a file of 1,000,000 events with a
million distinct dates costs no more memory than one with ten (it only re-reads more)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from . import services
from .dates import FuzzyDate
from .fuzzy_columns import FuzzyDateAccessor

LIMIT = 1 << 16  # distinct texts remembered per cache; emptied when full


class _Columns:
    """Receives the columns the model's own accessor computes from a FuzzyDate."""

    date = FuzzyDateAccessor(text="date_text", label="date_label")
    published = FuzzyDateAccessor("published_")


class ImportDates:
    """``published(text)`` and ``event(text, end, anchor)`` with the services' errors, cached."""

    def __init__(self, adapt_date: Callable):
        self.adapt = adapt_date
        self._published: dict[str, tuple] = {}
        self._events: dict[tuple, tuple] = {}
        self.unpublished = self._published_columns(None)  # a source with no publication date

    def _published_columns(self, value: FuzzyDate | None) -> tuple:
        holder = _Columns()
        holder.published = value
        a = self.adapt
        return (holder.published_text, a(holder.published_earliest), a(holder.published_latest),
                holder.published_precision, holder.published_approximate, holder.published_uncertain,
                holder.published_edtf, holder.published_label)

    def published(self, text: str) -> tuple[FuzzyDate, tuple]:
        """A source's publication date and its columns (published_text … published_label).
        Raises the ValidationError of ``services.resolve_published``."""
        found = self._published.get(text)
        if found is None:
            value = services.resolve_published(text)
            found = value, self._published_columns(value)
            _remember(self._published, text, found)
        return found

    def event(self, text: str, end: str, anchor: FuzzyDate | None) -> tuple:
        """An event date's columns (earliest, latest, precision, approximate, uncertain, edtf,
        date_label), ``anchor`` being the anchor source's publication date (or None). Raises the
        ValidationError of ``services.resolve_date``."""
        key = (text, end, anchor)
        found = self._events.get(key)
        if found is None:
            value = services.resolve_date(
                text=text, end=end, anchor=SimpleNamespace(published=anchor) if anchor is not None else None
            )
            holder = _Columns()
            holder.date = value
            a = self.adapt
            found = (a(holder.earliest), a(holder.latest), holder.precision, holder.approximate,
                     holder.uncertain, holder.edtf, holder.date_label)
            _remember(self._events, key, found)
        return found


def _remember(cache: dict, key, value) -> None:
    if len(cache) >= LIMIT:
        cache.clear()  # bounded memory; emptying beats LRU bookkeeping on every hit
    cache[key] = value
