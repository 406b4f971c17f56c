"""The export formats of an event list, in one place for every caller (the API's renderers, the
admin's actions): ``csv``, ``ical`` and ``timelinejs``, one module per format holding all of that
format's rules. Each has ``stream(events, *, links)``, which yields the file as byte chunks from an
iterable of events (``selectors.events_for_listing``), so an export is never built in memory.

``links`` is anything with ``event(pk) -> str`` (the event's absolute URL): ``links.EventLinks``, or
the API's ``Links``, which has the same method. Nothing here imports from ``api``.
"""
