"""Every read the API, the admin, the public pages and commands share. A query lives here once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import connections, router
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils.dateparse import parse_datetime

from . import dates, id_lists, overlap, place_dates
from .models import ChangeStamp, Citation, Event, Participation, Party, Place, Source, content_hash
from .search import events_matching  # noqa: F401 - the text search's read, with the others here


def date_window(*, start: str | None = None, end: str | None = None) -> tuple[date | None, date | None]:
    """Turn window bounds as written ('2022-09', 'September 2022', EDTF…) into days, widening outward:
    ``start='2022-09'`` means from 1 September, ``end='2022-09'`` through 30 September.
    Raises ValueError naming the bound that is wrong."""
    lo = hi = None
    if start:
        try:
            lo = dates.parse(start).earliest
        except ValueError as exc:
            raise ValueError(f"start: {exc}") from None
    if end:
        try:
            hi = dates.parse(end).latest
        except ValueError as exc:
            raise ValueError(f"end: {exc}") from None
    if lo and hi and hi < lo:
        raise ValueError(f"end: {end!r} ends before start {start!r} begins")
    return lo, hi


def events_in_range(
    *,
    start: date | None = None,
    end: date | None = None,
    match: str = "overlap",
    queryset: QuerySet | None = None,
) -> QuerySet[Event]:
    """Events whose [earliest, latest] overlaps the window (``match='overlap'``) or lies entirely
    inside it (``match='within'``). Either bound may be None (unbounded).

    An overlap window with a start is also marked on the queryset: ``timeline.overlap.bounded_sets``
    reads it as three bounded index ranges (the keyset pagination of the API does)."""
    qs = Event.objects.all() if queryset is None else queryset
    if match == "within":
        bounds = [("earliest", ">=", start), ("latest", "<=", end)]
    elif match == "overlap":
        bounds = [("earliest", "<=", end), ("latest", ">=", start)]
    else:
        raise ValueError(f"match: must be 'overlap' or 'within', not {match!r}")
    bounds = [(field, op, day) for field, op, day in bounds if day]
    if bounds:
        qs = qs.filter(**{f"{field}__{'lte' if op == '<=' else 'gte'}": day for field, op, day in bounds})
    if hasattr(qs, "date_bounds"):
        # Marked so that other tables holding a copy of the dates apply them too (timeline.place_dates).
        qs.date_bounds = (*qs.date_bounds, *bounds)
        if match == "overlap" and start:
            # Marked so that a paginated read bounds its index scans (timeline.overlap).
            qs._overlap_start = start
    return qs


def may_see_drafts(user) -> bool:
    """Whether ``user`` sees draft events: an editor (who may view or change events) does; anyone
    else only when the ``TIMELINE_PUBLIC_DRAFTS`` setting opens drafts to everyone."""
    if getattr(settings, "TIMELINE_PUBLIC_DRAFTS", False):
        return True
    return bool(user is not None and user.is_authenticated and (
        user.has_perm("timeline.view_event") or user.has_perm("timeline.change_event")
    ))


def events_visible(*, user, queryset: QuerySet | None = None) -> QuerySet[Event]:
    """The events ``user`` may read: every one for an editor, reviewed ones for anyone else (the
    one rule the API's lists, details and exports and the public pages share)."""
    qs = Event.objects.all() if queryset is None else queryset
    return qs if may_see_drafts(user) else qs.filter(status=Event.Status.REVIEWED)


def parties_taking_part(*, user) -> QuerySet[Party]:
    """Parties that take part in an event ``user`` may read, by name: per party, one probe of its
    participations joined to their events (EXISTS). Filtered by ``id IN (the visible events)``
    instead, SQLite matched each party's participations against every reviewed event: 10 s for the
    public page's list at 50,000 events and 10,000 parties."""
    rows = Participation.objects.filter(party=OuterRef("pk"))
    if not may_see_drafts(user):
        rows = rows.filter(event__status=Event.Status.REVIEWED)
    return Party.objects.filter(Exists(rows)).order_by("name")


def events_with_details(queryset: QuerySet | None = None) -> QuerySet[Event]:
    """Events with parties and citations loaded in a fixed number of queries, whatever the page size."""
    qs = Event.objects.all() if queryset is None else queryset
    return qs.prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("party").order_by("role", "party__name"),
        ),
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("source", "source__publisher", "attributed_to").order_by(
                "source_id", "char_start"
            ),
        ),
        "places",
    )


def events_for_party(
    *, party: Party, role: str | None = None, queryset: QuerySet | None = None
) -> QuerySet[Event]:
    """Events in which ``party`` takes part (in ``role``, if given): its participations read first
    when few (``timeline.id_lists``)."""
    qs = Event.objects.all() if queryset is None else queryset
    rows = Participation.objects.using(qs.db).filter(party=party)
    if role:
        rows = rows.filter(role=role)
    return id_lists.few_first(qs, rows.values("event_id"))


def events_for_parties(
    *, parties: Iterable[Party], role: str | None = None, queryset: QuerySet | None = None
) -> QuerySet[Event]:
    """Events in which every one of ``parties`` takes part (each in ``role``, if given).

    One party is ``events_for_party``. Several are one subquery over participations, grouped by
    event and kept when the count of distinct parties found is the count asked for: its cost grows
    with the participations of the parties named, not with the number of joins (a join per party
    made PostgreSQL plan for 12 s at 40 parties). Read first when few, as one party's are."""
    parties = list(dict.fromkeys(parties))
    if len(parties) == 1:
        return events_for_party(party=parties[0], role=role, queryset=queryset)
    qs = Event.objects.all() if queryset is None else queryset
    if not parties:
        return qs
    rows = Participation.objects.using(qs.db).filter(party__in=parties)
    if role:
        rows = rows.filter(role=role)
    having_all = (
        rows.order_by()
        .values("event_id")
        .annotate(_found=Count("party_id", distinct=True))
        .filter(_found=len(parties))
        .values("event_id")
    )
    return id_lists.few_first(qs, having_all)


def events_with_role(*, role: str, queryset: QuerySet | None = None) -> QuerySet[Event]:
    """Events in which some party takes part in ``role``. A correlated EXISTS, not ``pk IN (…)``:
    a third of all events have an actor, so the list of them is most of the table (SQLite built
    it whole, then sorted it, for every page); checked per event, the date window and the page's
    LIMIT bound the work (tests/test_query_plans.py, bench/filters_bench.py)."""
    qs = Event.objects.all() if queryset is None else queryset
    return qs.filter(Exists(Participation.objects.filter(event_id=OuterRef("pk"), role=role)))


def source_with_text(*, text: str, exclude: Source | None = None) -> Source | None:
    """The stored source holding the same article (same content hash, so whitespace and Unicode
    form do not count), other than ``exclude``; None if there is none."""
    qs = Source.objects.filter(content_hash=content_hash(text))
    if exclude is not None and exclude.pk is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.first()


def party_for_name(name: str) -> Party | None:
    """The party a name or alias refers to (case-insensitive), or None."""
    wanted = name.strip().casefold()
    for party in Party.objects.only("id", "name", "slug", "aliases"):
        if wanted in {n.casefold() for n in party.names} or wanted == party.slug:
            return party
    return None


# --- API reads: text search, sources, sync -------------------------------------------------------

def events_citing(*, sources: Iterable[Source], queryset: QuerySet | None = None) -> QuerySet[Event]:
    """Events citing any of ``sources``."""
    qs = Event.objects.all() if queryset is None else queryset
    return qs.filter(pk__in=Citation.objects.filter(source__in=list(sources)).values("event_id"))


def events_at(*, places: Iterable[Place], queryset: QuerySet | None = None) -> QuerySet[Event]:
    """Events that happened at any of ``places``: read first when few (``timeline.id_lists``)."""
    qs = Event.objects.all() if queryset is None else queryset
    rows = Event.places.through.objects.using(qs.db).filter(place__in=list(places))
    bounds = getattr(qs, "date_bounds", ())
    if bounds:
        # The window, applied to the dates copied onto the place's rows: only the events in it are
        # looked up (the page's query checks them again).
        rows = rows.filter(place_dates.CopiedDates(bounds))
    return id_lists.few_first(qs, rows.values("event_id"))


def events_updated_since(*, since: datetime, queryset: QuerySet | None = None) -> QuerySet[Event]:
    """Events created or changed at or after ``since``, for clients that sync. Deletions are not seen."""
    qs = Event.objects.all() if queryset is None else queryset
    return qs.filter(updated__gte=since)


def events_for_api(queryset: QuerySet | None = None) -> QuerySet[Event]:
    """Events as the API finds them, without the long search text. Their JSON, related rows
    included, is built by the database (``api.event_json``); an export reads the related rows with
    ``events_for_listing``."""
    qs = Event.objects.all() if queryset is None else queryset
    return qs.defer("search_text")


def events_for_listing(queryset: QuerySet | None = None, *, citations: str = "full") -> QuerySet[Event]:
    """Events for a list (exports: CSV, iCalendar, TimelineJS, the admin's): without the long search text, and with their parties,
    citations (each source's summary, never its full text) and places attached as plain records in
    three queries per fetch (``timeline.listing``; read them with ``listed``). ``citations="source_ids"``:
    each citation as its source's id alone, for a list that shows no more (the CSV export)."""
    return events_for_api(queryset).for_listing(citations=citations)


def events_page(*, queryset: QuerySet, first: int, count: int) -> list[Event]:
    """Events ``first`` to ``first + count`` (exclusive) of ``queryset`` in date order, with their
    details (``events_with_details``). An overlap window with a start is read as its three bounded
    index ranges (``timeline.overlap.first_keys``: the keys of the first ``first + count`` events, no
    more), then those events by id; ``OFFSET`` over the plain window walked the chronology index from
    the table's first event before it reached the window."""
    ordered = queryset.order_by("earliest", "latest", "id")
    keys = overlap.first_keys(ordered, limit=first + count)
    if keys is None:
        return list(events_with_details(ordered)[first : first + count])
    ids = [key.id for key in keys[first:]]
    found = {event.pk: event for event in events_with_details(Event.objects.using(queryset.db).filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def listed(event: Event, relation: str) -> list:
    """The ``participations``, ``citations`` or ``places`` of an event from ``events_for_listing``
    (already loaded), or read now for an event that came from elsewhere."""
    loaded = getattr(event, f"listed_{relation}", None)
    return loaded if loaded is not None else list(getattr(event, relation).all())


# --- public pages ---------------------------------------------------------------------------------


def source_for_page(*, pk: int, events: QuerySet[Event]) -> Source:
    """The source ``pk`` with its publisher and outlet, and ``shown_citations``: the citations made by
    ``events`` (those the reader may see), each with its event, in the order of the text. Two queries.
    Raises ``Source.DoesNotExist``."""
    citations = (
        Citation.objects.filter(event__in=events)
        .select_related("event", "attributed_to")
        .defer("event__search_text")
        .order_by("char_start", "char_end", "event__earliest", "pk")
    )
    return (
        Source.objects.select_related("publisher", "via")
        .prefetch_related(Prefetch("citations", queryset=citations, to_attr="shown_citations"))
        .get(pk=pk)
    )


# --- HTTP validators -------------------------------------------------------------------------------


def change_stamp(*, using: str | None = None) -> tuple[int, datetime | None]:
    """``(generation, changed)`` of the change stamp: what every committed write to events, their
    participations, citations and places, parties, sources and places has moved on (database
    triggers, ``timeline.models.ChangeStamp``). One primary-key read. ``(0, None)`` when the row is
    missing (a flushed database before its first write): no response is ever given that stamp
    after a write, since the first write makes the row again with a ``changed`` time."""
    # Read where the data are read (the database router's choice, unless ``using`` names one): the
    # stamp and the rows must come from the same database for the stamp to cover them. Plain SQL:
    # it is the whole cost of a 304, and the ORM's query building was a third of it.
    alias = using or router.db_for_read(ChangeStamp)
    with connections[alias].cursor() as cursor:
        cursor.execute(_CHANGE_STAMP_SQL)
        row = cursor.fetchone()
    if row is None:
        return 0, None
    generation, changed = row
    if isinstance(changed, str):  # SQLite: the text the trigger wrote, in UTC
        changed = parse_datetime(changed)
    if changed.tzinfo is None:  # SQLite stores UTC without an offset
        changed = changed.replace(tzinfo=UTC)
    return generation, changed


_CHANGE_STAMP_SQL = f"SELECT generation, changed FROM {ChangeStamp._meta.db_table} WHERE id = 1"
