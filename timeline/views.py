"""Public, read-only pages over the selectors."""

from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Event


def timeline_page(request):
    events = selectors.events_with_details(Event.objects.all())[:500]
    return render(request, "timeline/timeline.html", {"events": events})


def event_page(request, pk: int):
    event = get_object_or_404(selectors.events_with_details(), pk=pk)
    return render(request, "timeline/event.html", {"event": event})
