"""Content negotiation where an explicit ``?format=`` wins over the Accept header.

DRF's default still matches Accept after ``?format=`` picked a renderer, so a browser or script that
sends ``Accept: application/json`` with ``?format=csv`` would get a 406. An unknown format is a 400
naming the parameter (DRF answers 404).

A path that serves one format (``/api/events.csv``: ``format_suffix``) serves it whatever the Accept
header says; a ``?format=`` naming another format there is a 400, not silently ignored.
"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class FormatFirstNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        asked = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if format_suffix and asked and asked != format_suffix:
            raise ValidationError(
                {"format": [f"this path serves {format_suffix} only; {asked[:50]!r} is served by the list's own path"]}
            )
        wanted = format_suffix or asked
        if not wanted:
            return super().select_renderer(request, renderers, format_suffix)
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        available = ", ".join(dict.fromkeys(r.format for r in renderers))
        raise ValidationError({"format": [f"{wanted[:50]!r} is not a format of this endpoint; one of: {available}"]})
