"""Every write to the domain goes through here: validated, atomic, keyword-only.

The API, the admin, management commands and the seed loader call these functions, so a rule
(a quote must match its source, a date must parse, an end cannot precede its start) lives once.

Beside other writers (issue 17, ``timeline.concurrency``): a change is made on the row as stored,
locked, and writes only the fields it was given; ``if_version`` makes it conditional on the row's
version (``VersionMismatch`` otherwise); a create that loses a race on a unique value is refused
like a duplicate made later; a deadlock is retried.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from . import dates, selectors
from .concurrency import (  # noqa: F401  (VersionMismatch, WriteConflict: callers catch them from here)
    VersionMismatch,
    WriteConflict,
    check_version,
    copy_fields,
    insert,
    lock_row,
    retry_on_conflict,
    save_checked,
)
from .dates import FuzzyDate
from .fuzzy_columns import reserved_bound_error
from .models import Citation, Event, Participation, Party, Place, Source, content_hash
from .quotes import check_quote, locate_quote


@dataclass(frozen=True)
class CitationInput:
    """A citation to attach to an event: offsets may be left out and are then found from the quote."""

    source: Source
    quote: str
    char_start: int | None = None
    char_end: int | None = None
    attributed_to: Party | None = None


def check_storable(value: FuzzyDate, *, field: str) -> FuzzyDate:
    """Refuse a date with a known bound on 0001-01-01 or 9999-12-31: those days stand for open bounds
    in the date columns (``fuzzy_columns``), so it would read back as open-ended."""
    error = reserved_bound_error(value)
    if error is not None:
        raise ValidationError({field: error})
    return value


def resolve_date(*, text: str, end: str = "", anchor: Source | None = None, field: str = "date") -> FuzzyDate:
    """Read an event's date (and optional end) as the editor wrote it; relative phrases use the
    anchor source's publication date. Errors are ValidationErrors keyed by the field."""
    anchor_date = anchor.published if anchor is not None else None
    try:
        start = dates.parse(text, anchor_date)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None
    return _with_end(check_storable(start, field=field), end=end, anchor_date=anchor_date)


def _with_end(start: FuzzyDate, *, end: str, anchor_date: FuzzyDate | None) -> FuzzyDate:
    """``start`` alone, or the span from it to ``end`` read against the same anchor; errors name ``end``."""
    if not end:
        return start
    try:
        finish = dates.parse(end, anchor_date)
    except ValueError as exc:
        raise ValidationError({"end": str(exc)}) from None
    check_storable(finish, field="end")
    try:
        return dates.span(start, finish)
    except ValueError as exc:
        raise ValidationError({"end": str(exc)}) from None


def resolve_published(text: str) -> FuzzyDate:
    """Read a source's publication date (text or EDTF, never relative). Errors name ``published``."""
    try:
        value = dates.parse(text)
    except ValueError as exc:
        raise ValidationError({"published": str(exc)}) from None
    return check_storable(value, field="published")


def _apply_date(event: Event, *, date: str | FuzzyDate, end: str, anchor: Source | None) -> None:
    if isinstance(date, FuzzyDate):
        fuzzy = _with_end(check_storable(date, field="date"), end=end, anchor_date=anchor.published if anchor else None)
        text = date.text or date.edtf
    else:
        fuzzy = resolve_date(text=date, end=end, anchor=anchor)
        text = date.strip()
    event.date = fuzzy
    event.date_text = text
    event.end_text = end.strip()
    event.date_anchor = anchor


# --- parties, places, sources --------------------------------------------------------------------


@retry_on_conflict
@transaction.atomic
def party_create(
    *,
    name: str,
    kind: str,
    slug: str = "",
    aliases: Sequence[str] = (),
    description: str = "",
    wikidata_id: str = "",
    affiliation: Party | None = None,
) -> Party:
    party = Party(
        name=name.strip(),
        slug=slug or slugify(name),
        kind=kind,
        aliases=[a.strip() for a in aliases],
        description=description,
        wikidata_id=wikidata_id,
        affiliation=affiliation,
    )
    party.full_clean()
    insert(party)
    return party


@retry_on_conflict
@transaction.atomic
def place_create(
    *, name: str, kind: str = Place.Kind.OTHER, slug: str = "", parent: Place | None = None
) -> Place:
    place = Place(name=name, slug=slug or slugify(name), kind=kind, parent=parent)
    place.full_clean()
    insert(place)
    return place


@retry_on_conflict
@transaction.atomic
def source_create(
    *,
    title: str,
    text: str,
    published: str | FuzzyDate | None = None,
    publisher: Party | None = None,
    via: Party | None = None,
    url: str = "",
    author: str = "",
    language: str = "en",
) -> Source:
    """Store an article. The same text stored twice is refused (see ``source_get_or_create``)."""
    if not text.strip():
        raise ValidationError({"text": "A source needs its full text, so that quotes can be checked."})
    source = Source(
        title=title.strip(),
        text=text,
        publisher=publisher,
        via=via,
        url=url,
        author=author,
        language=language,
    )
    if isinstance(published, str) and published.strip():
        source.published = resolve_published(published)
    elif isinstance(published, FuzzyDate):
        source.published = check_storable(published, field="published")
    source.content_hash = content_hash(text)
    _refuse_second_copy(text)
    source.full_clean()
    insert(source, recheck=lambda: _refuse_second_copy(text))
    return source


def _refuse_second_copy(text: str) -> None:
    if selectors.source_with_text(text=text) is not None:
        raise ValidationError({"text": "This article is already stored (same content hash)."})


def source_get_or_create(**kwargs) -> tuple[Source, bool]:
    existing = selectors.source_with_text(text=kwargs["text"])
    if existing is not None:
        return existing, False
    return source_create(**kwargs), True


# --- events --------------------------------------------------------------------------------------


def _add_citation(event: Event, c: CitationInput) -> Citation:
    start, end = c.char_start, c.char_end
    if start is None or end is None:
        start, end = locate_quote(text=c.source.text, quote=c.quote, near=start)
    check_quote(text=c.source.text, quote=c.quote, char_start=start, char_end=end)
    citation, _ = Citation.objects.get_or_create(
        event=event,
        source=c.source,
        char_start=start,
        char_end=end,
        defaults={"quote": c.quote, "attributed_to": c.attributed_to},
    )
    return citation


@retry_on_conflict
@transaction.atomic
def event_create(
    *,
    title: str,
    date: str | FuzzyDate,
    end: str = "",
    anchor: Source | None = None,
    kind: str = Event.Kind.OTHER,
    summary: str = "",
    status: str = Event.Status.DRAFT,
    parties: Iterable[tuple[Party, str]] = (),
    citations: Iterable[CitationInput] = (),
    places: Iterable[Place] = (),
    key: str | None = None,
) -> Event:
    """Create an event with its participations and citations, all or nothing.

    Without a ``key`` the event gets one made from its title and date (``truce-overtures-2022-09``,
    with ``-2``, ``-3``… when that is taken; see ``Event.save``)."""
    event = Event(title=title.strip(), summary=summary, kind=kind, status=status, key=key or None)
    _apply_date(event, date=date, end=end, anchor=anchor)
    event.full_clean()
    insert(event)
    for party, role in parties:
        _add_participation(event, party, role)
    for citation in citations:
        _add_citation(event, citation)
    event.places.set(places)
    _refresh_search_text(event)
    return event


def event_reindex(*, event: Event) -> None:
    """Bring the event's search text up to date after its citations changed outside these services
    (the admin's inline formsets)."""
    _refresh_search_text(event)


def _refresh_search_text(event: Event) -> None:
    quotes = event.citations.values_list("quote", flat=True)
    text = "\n".join([event.title, event.summary, *quotes])
    if text != event.search_text:
        event.search_text = text
        Event.objects.filter(pk=event.pk).update(search_text=text)


_EVENT_FIELDS = {"title", "summary", "kind", "status", "key"}
# The columns ``_apply_date`` sets: written together when any part of the date is given.
_DATE_FIELDS = {"date_text", "end_text", "date_anchor", "earliest", "latest", "precision", "approximate", "uncertain",
                "edtf", "date_label"}


@retry_on_conflict
@transaction.atomic
def event_update(
    *,
    event: Event,
    if_version: Collection[int] | None = None,
    date: str | FuzzyDate | None = None,
    end: str | None = None,
    anchor: Source | None = ...,
    parties: Iterable[tuple[Party, str]] | None = None,
    citations: Iterable[CitationInput] | None = None,
    places: Iterable[Place] | None = None,
    **fields,
) -> Event:
    """Change an event. Lists given (parties, citations, places) replace the current ones.

    The change is made on the event as stored now, locked until it is written, and writes only the
    fields given: a concurrent change of other fields is kept. With ``if_version`` it is made only
    if the event is still at one of those versions (``VersionMismatch`` otherwise). ``event`` is
    given the stored values afterwards (its new ``version`` included). An event deleted meanwhile is
    ``Event.DoesNotExist``.

    An event's key is stable: a new one may be given, but an empty one (the API's ``"key": null``)
    keeps the current key instead of removing it."""
    unknown = set(fields) - _EVENT_FIELDS
    if unknown:
        raise ValidationError({name: "Not a field that can be changed." for name in sorted(unknown)})
    current = lock_row(Event, event.pk)
    check_version(current, if_version)
    changed = {"updated"}
    for name, value in fields.items():
        if name == "key" and not value:
            continue
        setattr(current, name, value)
        changed.add(name)
    if date is not None or end is not None or anchor is not ...:
        _apply_date(
            current,
            date=date if date is not None else current.date_text,
            end=end if end is not None else current.end_text,
            anchor=current.date_anchor if anchor is ... else anchor,
        )
        changed |= _DATE_FIELDS
    current.full_clean()
    if parties is not None:
        current.participations.all().delete()
        for party, role in parties:
            _add_participation(current, party, role)
    if citations is not None:
        current.citations.all().delete()
        for citation in citations:
            _add_citation(current, citation)
    if places is not None:
        current.places.set(places)
    _refresh_search_text(current)
    save_checked(current, update_fields=changed)  # one new version for the whole change, related rows included
    copy_fields(source=current, target=event)
    return event


@retry_on_conflict
@transaction.atomic
def event_delete(*, event: Event, if_version: Collection[int] | None = None) -> None:
    """Delete an event with its participations and citations. The event is locked first, so a
    concurrent change either ends before (and its rows are deleted too) or finds it gone."""
    current = lock_row(Event, event.pk)
    check_version(current, if_version)
    current.delete()


@retry_on_conflict
@transaction.atomic
def event_redate(*, event: Event) -> Event:
    """Read the event's date text again (after its anchor source's date was corrected, say): the
    text as stored now, not as ``event`` holds it (it may have been changed since ``event`` was read)."""
    current = lock_row(Event, event.pk)
    return event_update(event=event, date=current.date_text, end=current.end_text, anchor=current.date_anchor)


def participation_add(*, event: Event, party: Party, role: str = Participation.Role.ACTOR) -> Participation:
    participation, created = _add_participation(event, party, role)
    if created:
        _touch(event)
    return participation


def _add_participation(event: Event, party: Party, role: str) -> tuple[Participation, bool]:
    if role not in Participation.Role.values:
        raise ValidationError(
            {"role": f"Unknown role {role!r}; one of {', '.join(Participation.Role.values)}."}
        )
    return Participation.objects.get_or_create(event=event, party=party, role=role)


def event_touch(*, event: Event) -> None:
    """Mark the event changed after its related rows were changed outside these services (a merge)."""
    _touch(event)


def _touch(event: Event) -> None:
    """Mark the event changed (``updated``) when only its related rows changed, so that clients
    syncing with ``updated_since`` see it), with a new version (its ETag changes)."""
    Event.objects.filter(pk=event.pk).update(updated=timezone.now(), version=F("version") + 1)


@transaction.atomic
def citation_add(
    *,
    event: Event,
    source: Source,
    quote: str,
    char_start: int | None = None,
    char_end: int | None = None,
    attributed_to: Party | None = None,
) -> Citation:
    citation = _add_citation(event, CitationInput(source, quote, char_start, char_end, attributed_to))
    _refresh_search_text(event)
    _touch(event)
    return citation
