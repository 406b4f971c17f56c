"""Public, read-only pages over the selectors: the timeline at / and one page per event."""

from __future__ import annotations

from itertools import groupby

from django.shortcuts import get_object_or_404, render

from . import chart, selectors
from .models import Event, Party

PAGE_LIMIT = 500  # the page is for reading; bulk clients use the API's cursor pagination


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
    events = (
        []
        if errors
        else list(selectors.events_with_details(qs.order_by("earliest", "latest", "id"))[:PAGE_LIMIT])
    )
    years = [(year, list(group)) for year, group in groupby(events, key=lambda e: e.earliest.year)]
    context = {
        "params": params,
        "errors": errors,
        "years": years,
        "count": len(events),
        "limit": PAGE_LIMIT,
        "chart": chart.layout(events),
        "parties": Party.objects.filter(
            participations__event__in=selectors.events_visible(user=request.user).values("pk")
        ).distinct().order_by("name"),
        "kinds": Event.Kind.choices,
    }
    return render(request, "timeline/timeline.html", context, status=400 if errors else 200)


def event_page(request, pk: int):
    event = get_object_or_404(selectors.events_with_details(selectors.events_visible(user=request.user)), pk=pk)
    return render(request, "timeline/event.html", {"event": event})
