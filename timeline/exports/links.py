"""The URL an export gives for each event: the event in the API, absolute when a request is known."""

from __future__ import annotations

from typing import Protocol

from django.urls import reverse


class Links(Protocol):
    def event(self, pk: int) -> str: ...


class EventLinks:
    """Absolute URLs of events in the API (``/api/events/<id>/``), built once per export."""

    def __init__(self, request):
        path = reverse("event-list")
        self.events = request.build_absolute_uri(path) if request is not None else path

    def event(self, pk: int) -> str:
        return f"{self.events}{pk}/"
