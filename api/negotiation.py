"""Content negotiation where an explicit ``?format=`` wins over the Accept header.

DRF's default still matches Accept after ``?format=`` picked a renderer, so a browser or script that
sends ``Accept: application/json`` with ``?format=csv`` would get a 406. An unknown format is a 400
naming the parameter (DRF answers 404).
"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class FormatFirstNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if not wanted:
            return super().select_renderer(request, renderers, format_suffix)
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        available = ", ".join(dict.fromkeys(r.format for r in renderers))
        raise ValidationError({"format": [f"{wanted[:50]!r} is not a format of this endpoint; one of: {available}"]})
