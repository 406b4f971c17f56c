"""From news articles to timeline events: read an article file, find the sentences that place an
event in time, match the parties they name, and merge what several sources report into one event.

- ``article``: the article file (headline, optional headers, body, footer noise) → ``Article``;
- ``manifest``: per-file metadata that fills in or overrides what an article's text lacks;
- ``sentences``, ``phrases``, ``parties``, ``kinds``, ``cues``: the pieces the extractor is built from;
- ``extractor``: the body → candidate events (dates read only through ``timeline.dates``);
- ``matching``: which existing event a candidate already is, or can merge into (reads in ``selectors``);
- ``ingestion``: the service that stores an article and its candidates;
- ``fixtures``: loading curated fixture files and refusing inconsistent records;
- ``seeds``: the one loader behind ``manage.py load_seeds``;
- ``errors``: ``IngestError``, which names the file and record that is wrong.
"""
