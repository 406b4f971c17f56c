"""Public, read-only pages over the selectors: the timeline at /, one page per event and one per source."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from api.throttling import throttle_public_page

from . import chart, selectors
from .models import Event, Party, Source
from .quotes import quote_segments

PAGE_LIMIT = 100  # events a page (issue 17: 500 made a 970 KB page); bulk clients use the API's cursor
MAX_PAGE = 1000  # deeper than this, OFFSET costs grow: the API's keyset cursor serves such reads


def _page_number(request, errors: dict) -> int:
    raw = request.GET.get("page", "").strip() or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        errors["page"] = f"must be a whole number from 1 to {MAX_PAGE}, not {raw[:20]!r}"
        return 1
    return int(raw)


def _page_link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"?{query.urlencode()}"


def _party_options(user, *, chosen: str) -> str:
    """The party list's ``<option>``s, escaped, built here: a template loop over 10,000 parties took
    0.6 s of the page (a slug and a name each, never the model instances)."""
    rows = selectors.parties_taking_part(user=user).values_list("slug", "name")
    selected = mark_safe(" selected")
    return format_html_join("", '<option value="{}"{}>{}</option>', ((slug, selected if slug == chosen else "", name) for slug, name in rows))


@throttle_public_page
def timeline_page(request):
    params = {k: request.GET.get(k, "").strip() for k in ("start", "end", "party", "kind")}
    errors = {}
    qs = selectors.events_visible(user=request.user)
    try:
        lo, hi = selectors.date_window(start=params["start"] or None, end=params["end"] or None)
        qs = selectors.events_in_range(start=lo, end=hi, queryset=qs)
    except ValueError as exc:
        field, _, message = str(exc).partition(": ")
        errors[field] = message
    if params["party"]:
        party = Party.objects.filter(slug=params["party"]).first()
        if party is None:
            errors["party"] = f"unknown party {params['party']!r}"
        else:
            qs = selectors.events_for_party(party=party, queryset=qs)
    if params["kind"]:
        if params["kind"] in Event.Kind.values:
            qs = qs.filter(kind=params["kind"])
        else:
            errors["kind"] = f"unknown kind {params['kind']!r}"
    page = _page_number(request, errors)
    first = (page - 1) * PAGE_LIMIT
    events = [] if errors else selectors.events_page(queryset=qs, first=first, count=PAGE_LIMIT + 1)
    has_next = len(events) > PAGE_LIMIT
    events = events[:PAGE_LIMIT]
    status = 400 if errors else 200
    if not errors and not events and page > 1:  # "Events 101–100" was shown, with a link back
        errors["page"] = f"there is no page {page}: these events fill fewer pages"
        status = 404
    years = [(year, list(group)) for year, group in groupby(events, key=lambda e: e.earliest.year)]
    context = {
        "params": params,
        "errors": errors,
        "years": years,
        "count": len(events),
        "limit": PAGE_LIMIT,
        "page": page,
        "first_number": first + 1,
        "last_number": first + len(events),
        "next_link": _page_link(request, page + 1) if has_next else None,
        "previous_link": _page_link(request, page - 1) if page > 1 and not errors else None,
        "chart": chart.layout(events),
        # Parties that take part in something the reader may see: one index probe each (EXISTS), not a
        # DISTINCT over every participation (340 ms of the page at 150,000 participations on PostgreSQL).
        "party_options": _party_options(request.user, chosen=params["party"]),
        "kinds": Event.Kind.choices,
    }
    return render(request, "timeline/timeline.html", context, status=status)


def event_page(request, pk: int):
    event = get_object_or_404(selectors.events_with_details(selectors.events_visible(user=request.user)), pk=pk)
    return render(request, "timeline/event.html", {"event": event})


def source_page(request, pk: int):
    """A source in public: publisher, publication date as known, the text with every quote cited by
    an event the reader may see highlighted, and those events."""
    try:
        source = selectors.source_for_page(pk=pk, events=selectors.events_visible(user=request.user))
    except Source.DoesNotExist:
        raise Http404(f"No source has the id {pk}.") from None
    citations = source.shown_citations
    citing = sorted(
        {c.event_id: c.event for c in citations}.values(), key=lambda e: (e.earliest, e.latest, e.pk)
    )
    number = {event.pk: n for n, event in enumerate(citing, 1)}
    for c in citations:
        c.number = number[c.event_id]  # the event's number in the list, shown after each quote
    context = {
        "source": source,
        "citing": citing,
        "quote_count": len(citations),
        "segments": quote_segments(source.text, citations),
    }
    return render(request, "timeline/source.html", context)
