"""Request body parsers."""

from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

from timeline import json_limits


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, read with ``timeline.json_limits``: a body nested deeper than any of ours
    ("[[[[…]]]]") is a 400 like any other malformed JSON instead of a ``RecursionError`` (measured
    before it is parsed, so no deep value reaches a serializer), and a string holding a NUL character — which
    PostgreSQL cannot store or even compare, and SQLite would store — is a 400 naming its field
    (``citations[0].quote``) on both databases, wherever it is in the body."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        raw = stream.read() if stream is not None else b""
        try:
            data = json_limits.loads(
                raw.decode(encoding), parse_constant=json.strict_constant if self.strict else None
            )
        except (ValueError, LookupError) as exc:  # JSONDecodeError, JSONTooDeep, UnicodeDecodeError, NaN
            raise ParseError(f"JSON parse error - {exc}") from None
        path = json_limits.find_nul(data)
        if path is not None:
            raise ValidationError(_nested(path, ["contains a NUL character (\\0), which no field accepts."]))
        return data


def _nested(path: tuple, detail):
    """The error for the value at ``path`` shaped as a serializer's errors are (``{"citations": [{},
    {"quote": [...]}]}``), so a client finds it where it finds any other error of that field."""
    for step in reversed(path):
        detail = [{}] * step + [detail] if isinstance(step, int) else {step: detail}
    return detail if path else {"non_field_errors": detail}

