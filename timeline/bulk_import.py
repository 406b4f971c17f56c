"""Bulk import of parties, sources and events from JSONL (the format is in README "Bulk import").

Every record is checked with the rules the API and the services apply (the model fields' own
validation for lengths, choices and slugs; ``services.resolve_date`` for dates; ``quotes`` for
citations), in Python, and the rows are then written in bulk: ``COPY`` on PostgreSQL,
``executemany`` on SQLite. Saving a million events one ORM ``save()`` at a time would take hours.
Reading and checking runs in a forked child process where it can (below, "the reader process"),
beside the writing.

The import is all-or-nothing: it runs in one transaction, so a bad record (reported with its line
number and the field) or a killed process leaves the database as it was, and running it again
starts over. Re-running a finished import changes nothing: parties are matched by slug, sources by
content hash, and events whose ``key`` is already stored are skipped. An event record without a key
gets the one the services would give it (``models.event_key_base``: its title and date,
``truce-overtures-2022-09``), numbered ``-2``, ``-3``… in file order when records of the same file
would share it. That depends on the file alone, so a second run finds every key stored; and it costs
no query per event (the keys of a batch are looked up at once, like given keys).

No history rows are written (see README): the historical tables would double the volume written,
and an imported row's first history entry is its first edit.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import re
import select
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator, URLValidator
from django.db import connection, transaction
from django.utils import timezone

from . import change_stamp, json_limits, quotes
from .bulk_dates import ImportDates
from .bulk_writer import Writer
from .models import Citation, Event, Participation, Party, Source, content_hash, event_key_base

# Events (or sources) held in memory before their rows are written. Sources count on their own: a
# file lists its sources before the events that cite them, and 100,000 of them in the first batch
# made that batch a tenth of the whole import, written while the reader waited. FLUSH_BYTES bounds
# a batch of long articles (5,000 sources of 50 KB would be 250 MB, held several times over while
# it is handed from the reader process to the writer).
FLUSH_EVERY = 5_000
FLUSH_BYTES = 8 << 20  # bytes of the file read
# How often a wait on another process or thread returns to Python, to raise a Ctrl-C that the
# kernel handed to another thread (see _reader._read).
SIGNAL_CHECK_SECONDS = 0.2
# The model's choices, read once: ``Role.values`` builds a new list on every access.
ROLES = frozenset(Participation.Role.values)


class BadRecord(Exception):
    """A record that the API would refuse: ``line`` of the file, ``field`` of the record."""

    def __init__(self, *, line: int, field: str, message: str):
        super().__init__(f"line {line}: {field}: {message}")
        self.line, self.field, self.message = line, field, message


@dataclass
class ImportStats:
    parties: int = 0
    sources: int = 0
    events: int = 0
    participations: int = 0
    citations: int = 0
    skipped_events: int = 0


def _messages(exc: ValidationError, prefix: str, default_field: str) -> tuple[str, str]:
    """(field, message) of the first error, the field prefixed with where it is in the record."""
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.error_dict.items()))
        return f"{prefix}{name}", "; ".join(e.message % (e.params or {}) for e in errors)
    return f"{prefix}{default_field}", "; ".join(exc.messages)


# A plain http(s) URL with an ASCII host name: every string this matches URLValidator accepts too
# (tests/test_bulk_import_fast_paths.py checks that with generated URLs); anything else, IDN hosts
# and IP addresses included, goes to URLValidator itself. URLValidator costs ~70 µs a call.
_PLAIN_URL = re.compile(
    r"https?://(?P<host>[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
    r"\.[a-z]{2,63})(?::[1-9][0-9]{0,4})?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/?#-]*)?\Z",
    re.IGNORECASE,
)


def _plain_url(value: str) -> bool:
    m = _PLAIN_URL.match(value)
    return m is not None and len(m["host"]) <= 253 and len(value) <= URLValidator.max_length


def _inline_rules(field) -> list[Callable[[str], bool]] | None:
    """The field's validators as plain predicates, or None when one of them has no inline form.

    Django's own validators look their regex up through a lazy object on every call, which is most of
    ``Field.clean``'s ~10 µs; the same compiled pattern called directly gives the same answer."""
    rules = []
    for v in field.validators:
        if isinstance(v, MaxLengthValidator):
            continue  # checked with max_length
        if isinstance(v, URLValidator):
            rules.append(_plain_url)  # a subset: a miss is decided by URLValidator
        elif type(v) is RegexValidator and not v.inverse_match:
            rules.append(re.compile(v.regex.pattern, v.regex.flags).search)
        else:
            return None
    return rules


def _field_checks(model) -> dict[str, Callable[..., object]]:
    """Per field name, ``check(value, line, prefix="")``: the value if the model field's own rules
    (max_length, choices, blank, slug, URL…) accept it, else ``BadRecord`` with Django's message.

    Text fields are checked inline (length, choices, blank and their regex validators): ``Field.clean``
    costs ~10 µs a call (a URL ~70 µs), which was most of the import time over millions of values. A
    value the inline rules do not accept goes through ``Field.clean`` itself, which either accepts it
    (a rare valid form, such as an IDN URL) or gives Django's own error message. Each field gets its
    own closure with only the tests it needs: the generic one (a rule table, ``all()`` over a
    generator) cost ~2.5 µs a value, over a million values an import of 100,000 events checks."""
    checks = {}
    for f in model._meta.concrete_fields:
        slow = _slow_check(f)
        rules = _inline_rules(f) if f.get_internal_type() in ("CharField", "TextField", "SlugField") else None
        checks[f.name] = slow if rules is None else _fast_check(f, rules, slow)
    return checks


def _slow_check(f):
    def check(value, line: int, prefix: str = ""):
        try:
            return f.clean(value, None)
        except ValidationError as exc:
            raise BadRecord(line=line, field=f"{prefix}{f.name}", message="; ".join(exc.messages)) from None

    return check


def _fast_check(f, rules: list[Callable[[str], bool]], slow):
    """The inline form of ``f``'s rules for ``str`` values (a nullable field's None goes to ``slow``)."""
    max_length, blank = f.max_length, f.blank

    def accepts(value: str) -> bool:
        return (max_length is None or len(value) <= max_length) and (value or blank) \
            and (not value or all(ok(value) for ok in rules))

    if f.choices:
        # The choices the other rules accept too: then one set lookup is the whole check.
        accepted = frozenset(v for v in (str(v) for v, _ in f.flatchoices) if accepts(v))

        def check(value, line: int, prefix: str = ""):
            return value if isinstance(value, str) and value in accepted else slow(value, line, prefix)
    elif not rules:
        def check(value, line: int, prefix: str = ""):
            if isinstance(value, str) and (max_length is None or len(value) <= max_length) and (value or blank):
                return value
            return slow(value, line, prefix)
    elif len(rules) == 1 and max_length is not None:  # a slug, a key, a URL: one pattern
        rule = rules[0]

        def check(value, line: int, prefix: str = ""):
            if isinstance(value, str) and len(value) <= max_length and (rule(value) if value else blank):
                return value
            return slow(value, line, prefix)
    else:
        def check(value, line: int, prefix: str = ""):
            return value if isinstance(value, str) and accepts(value) else slow(value, line, prefix)
    return check


@dataclass(slots=True)
class _KnownSource:
    text: str
    published: object  # FuzzyDate | None; anchors relative event dates


@dataclass
class _Batch:
    parties: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    events: list = field(default_factory=list)
    participations: list = field(default_factory=list)
    citations: list = field(default_factory=list)


def _columns(model, names: Iterable[str]) -> list[str]:
    return [model._meta.get_field(n).column for n in names]


PARTY_FIELDS = ["id", "created", "updated", "name", "slug", "kind", "aliases", "description", "wikidata_id"]
SOURCE_FIELDS = ["id", "created", "updated", "title", "publisher", "via", "url", "author", "language", "text",
                 "content_hash", "published_text", "published_earliest", "published_latest",
                 "published_precision", "published_approximate", "published_uncertain", "published_edtf",
                 "published_label"]
EVENT_FIELDS = ["id", "created", "updated", "key", "title", "summary", "kind", "status", "date_text", "end_text",
                "date_anchor", "earliest", "latest", "precision", "approximate", "uncertain", "edtf",
                "date_label", "search_text"]
PARTICIPATION_FIELDS = ["created", "updated", "event", "party", "role"]
CITATION_FIELDS = ["created", "updated", "event", "source", "quote", "char_start", "char_end", "attributed_to"]


class Importer:
    """One import run. Use ``run(lines)`` inside nothing: it opens its own transaction."""

    def __init__(self, *, on_progress: Callable[[int], None] | None = None):
        self.on_progress = on_progress or (lambda n: None)
        self.stats = ImportStats()
        self.party_checks = _field_checks(Party)
        self.source_checks = _field_checks(Source)
        self.event_checks = _field_checks(Event)
        self.vendor = connection.vendor
        self.dates = ImportDates(connection.ops.adapt_datefield_value)
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())

    # --- the run ---------------------------------------------------------------------------------

    def run(self, lines: Iterable[bytes]) -> ImportStats:
        with transaction.atomic(), connection.cursor() as cursor:
            self._reserve_ids(cursor)
            self.party_ids: dict[str, tuple[int, str]] = dict(
                (slug, (pk, kind)) for pk, slug, kind in Party.objects.values_list("id", "slug", "kind")
            )
            self.wikidata_slugs: dict[str, str] = dict(
                Party.objects.exclude(wikidata_id="").values_list("wikidata_id", "slug")
            )
            self.sources: dict[str, _KnownSource] = {}  # the reader's: what citations are checked against
            self.source_ids: dict[str, int] = {}  # the writer's: key -> id, given at flush time
            self.event_keys: set[str] = set()
            self.next_suffix: dict[str, int] = {}  # generated key base -> next number to try
            self.new_hashes: dict[str, int] = {}  # content hash -> id of the sources this run adds
            self.new_urls: set[str] = set()
            # The reader forks before the writer starts its thread (a fork copies only the thread
            # that forks), and the writer's last batch is waited for before the reader is ended.
            # SQLite: the change stamp (HTTP validators) moved on once, not by a trigger per row.
            with change_stamp.moved_on_once(cursor), _reader(self._batches, lines) as batches, Writer(cursor) as self.writer:
                for batch, pending_keys, size in batches:
                    self._flush(batch, pending_keys)
                    self.on_progress(size)
            self._advance_sequences(cursor)
        return self.stats

    def _batches(self, lines: Iterable[bytes]) -> Iterator[tuple[_Batch, dict, int]]:
        """The reader's side: (batch, its event keys, bytes read) every ``FLUSH_EVERY`` events or
        sources or ``FLUSH_BYTES`` of the file, and at the end; a bad record raises ``BadRecord`` after the batches before it were given.

        Nothing here touches the database: everything it needs (the parties stored before, the
        ids to give parties from) was read before, and what the writer learns (source and event
        ids, keys already stored) it never needs, so it can run in another process."""
        batch, pending_keys, size = _Batch(), {}, 0
        for number, raw in enumerate(lines, start=1):
            size += len(raw)
            if not raw or raw.isspace():  # what strip() would empty, without copying the line
                continue
            self._record(number, raw, batch, pending_keys)
            if len(batch.events) >= FLUSH_EVERY or len(batch.sources) >= FLUSH_EVERY or size >= FLUSH_BYTES:
                self.event_keys.update(pending_keys)
                yield batch, pending_keys, size
                batch, pending_keys, size = _Batch(), {}, 0
        yield batch, pending_keys, size

    def _reserve_ids(self, cursor) -> None:
        """Ids are given here so that participations and citations can name their event without a
        round trip; the tables are locked so that no other writer takes the same ids meanwhile
        (SQLite's BEGIN IMMEDIATE already holds the write lock).

        An id is never given twice, even one whose row was deleted (its history and its URL would
        pass to another row): the first id is past both the highest stored and the highest the
        table ever gave, which its sequence knows (PostgreSQL's, from ``nextval``; SQLite's
        AUTOINCREMENT in ``sqlite_sequence``), not ``MAX(id) + 1``."""
        models = (Party, Source, Event)
        if self.vendor == "postgresql":
            tables = ", ".join(m._meta.db_table for m in models)
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        self.next_id, self.first_id, high = {}, {}, {}
        for model in models:
            table = model._meta.db_table
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            high[model] = cursor.fetchone()[0]
            if self.vendor == "postgresql":
                # nextval is not rolled back: an import that fails leaves a gap, never a reuse.
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
                given = cursor.fetchone()[0] - 1
            else:
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                given = row[0] if row else 0
            self.next_id[model] = self.first_id[model] = max(high[model], given) + 1
        # Into empty tables (the usual first load) nothing can be stored already: skip the lookups.
        self.had_sources, self.had_events = high[Source] > 0, high[Event] > 0

    def _advance_sequences(self, cursor) -> None:
        """PostgreSQL's identity sequences do not see explicit ids: moved on past the last id given,
        never back (SQLite's AUTOINCREMENT sees them). Participations and citations are written
        without ids, from their sequences."""
        if self.vendor != "postgresql":
            return
        for model in (Party, Source, Event):
            # The highest id now stored (party ids are given in the reader process, so this side's
            # counter does not know them); the tables are locked, so ids from first_id on are ours.
            table = model._meta.db_table
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            last = cursor.fetchone()[0]
            if last >= self.first_id[model]:
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last])

    def _take_id(self, model) -> int:
        pk = self.next_id[model]
        self.next_id[model] = pk + 1
        return pk

    # --- records ---------------------------------------------------------------------------------

    def _record(self, line: int, raw: bytes, batch: _Batch, pending_keys: dict) -> None:
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as undecodable:
                raise BadRecord(line=line, field="(record)",
                                message=f"not UTF-8 text (byte {undecodable.start + 1} of the line)") from None
            raise BadRecord(line=line, field="(record)", message=f"not valid JSON: {exc}") from None
        if not isinstance(record, dict):
            raise BadRecord(line=line, field="(record)", message="must be a JSON object")
        # Both checks look at the line's bytes first (C speed) and walk the record only when it could fail.
        if json_limits.opening_brackets(raw) > json_limits.MAX_DEPTH and json_limits.depth(record) > json_limits.MAX_DEPTH:
            raise BadRecord(line=line, field="(record)",
                            message=f"nested more than {json_limits.MAX_DEPTH} levels deep")
        if b"\\u0000" in raw and (where := json_limits.nul_field(record)) is not None:
            # PostgreSQL cannot store it (and SQLite would): refused the same way on both.
            raise BadRecord(line=line, field=where, message="contains a NUL character (\\u0000), which no field accepts")
        kind = record.get("type")
        if kind == "event":
            self._event(line, record, batch, pending_keys)
        elif kind == "source":
            self._source(line, record, batch)
        elif kind == "party":
            self._party(line, record, batch)
        else:
            raise BadRecord(line=line, field="type", message=f"must be 'party', 'source' or 'event', not {kind!r}")

    def _party(self, line: int, r: dict, batch: _Batch) -> None:
        check = self.party_checks
        name = check["name"](_text(r, "name", line), line)
        slug = check["slug"](_text(r, "slug", line), line)
        kind = check["kind"](r.get("kind"), line)
        aliases = r.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise BadRecord(line=line, field="aliases", message="Aliases must be a list of non-empty names.")
        description = check["description"](r.get("description", ""), line)
        wikidata_id = check["wikidata_id"](r.get("wikidata_id", ""), line)
        if slug in self.party_ids:
            return  # already stored (or earlier in the file): a re-run keeps the first
        if wikidata_id:
            # One party per Wikidata id (party_wikidata_id_unique): named here, not as a database
            # error at the end of the batch.
            other = self.wikidata_slugs.setdefault(wikidata_id, slug)
            if other != slug:
                raise BadRecord(line=line, field="wikidata_id",
                                message=f"{wikidata_id} is already the Wikidata id of party '{other}'")
        pk = self._take_id(Party)
        self.party_ids[slug] = (pk, kind)
        batch.parties.append((pk, self.now, self.now, name.strip(), slug, kind,
                              orjson.dumps([a.strip() for a in aliases]).decode(), description, wikidata_id))

    def _media(self, slug, line: int, name: str) -> int | None:
        if slug in (None, ""):
            return None
        found = self.party_ids.get(slug) if isinstance(slug, str) else None
        if found is None:
            raise BadRecord(line=line, field=name, message=f"no party '{slug}'")
        if found[1] != Party.Kind.MEDIA:
            raise BadRecord(line=line, field=name, message=f"party '{slug}' is not a media party")
        return found[0]

    def _source(self, line: int, r: dict, batch: _Batch) -> None:
        check = self.source_checks
        key = r.get("key")
        if not isinstance(key, str) or not key:
            raise BadRecord(line=line, field="key", message="a source needs a key that events refer to it by")
        if key in self.sources:
            raise BadRecord(line=line, field="key", message=f"source key {key!r} is used twice")
        text = r.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadRecord(line=line, field="text", message="A source needs its full text, so that quotes can be checked.")
        title = check["title"](_text(r, "title", line), line).strip()
        url = check["url"](r.get("url", ""), line)
        author = check["author"](r.get("author", ""), line)
        language = check["language"](r.get("language", "en"), line)
        publisher = self._media(r.get("publisher"), line, "publisher")
        via = self._media(r.get("via"), line, "via")
        published, columns = None, self.dates.unpublished
        published_text = r.get("published") or ""
        if published_text:
            if not isinstance(published_text, str):
                raise BadRecord(line=line, field="published", message="must be text")
            try:
                published, columns = self.dates.published(published_text)
            except ValidationError as exc:
                raise BadRecord(line=line, field="published", message=_messages(exc, "", "published")[1]) from None
        digest = content_hash(text)
        batch.sources.append((key, digest, url, line, (
            None, self.now, self.now, title, publisher, via, url, author, language, text, digest, *columns,
        )))
        # Known at once: events later in the same batch cite it (the id is given at flush time).
        self.sources[key] = _KnownSource(text, published)

    def _event(self, line: int, r: dict, batch: _Batch, pending_keys: dict) -> None:
        check = self.event_checks
        title = check["title"](_text(r, "title", line), line).strip()
        summary = check["summary"](r.get("summary", ""), line)
        kind = check["kind"](r.get("kind", Event.Kind.OTHER), line)
        status = check["status"](r.get("status", Event.Status.DRAFT), line)
        key = r.get("key") or None
        if key is not None:
            key = check["key"](key, line)
            if key in self.event_keys or key in pending_keys:
                raise BadRecord(line=line, field="key", message=f"event key {key!r} is used twice")
        anchor_key = r.get("anchor_source")
        anchor = None
        if anchor_key:
            anchor = self.sources.get(anchor_key) if isinstance(anchor_key, str) else None
            if anchor is None:
                raise BadRecord(line=line, field="anchor_source", message=f"no source with key {anchor_key!r}")
        date_text, end_text = r.get("date"), r.get("end", "") or ""
        if not isinstance(date_text, str) or not date_text.strip():
            raise BadRecord(line=line, field="date", message="This field is required.")
        if not isinstance(end_text, str):
            raise BadRecord(line=line, field="end", message="must be text")
        check["date_text"](date_text, line)
        try:
            columns = self.dates.event(date_text, end_text, anchor.published if anchor else None)
        except ValidationError as exc:
            raise BadRecord(line=line, field=_messages(exc, "", "date")[0], message=_messages(exc, "", "date")[1]) from None
        if key is None:
            key = self._generated_key(event_key_base(title, columns[5]), pending_keys)  # [5]: edtf
        participations = self._participations(line, r.get("parties", []))
        citations, quotes_text = self._citations(line, r.get("citations", []))
        row = [None, self.now, self.now, key, title, summary, kind, status, date_text.strip(), end_text.strip(),
               anchor_key, *columns, "\n".join([title, summary, *quotes_text])]
        pending_keys[key] = line
        batch.events.append((row, participations, citations))

    def _generated_key(self, base: str, pending_keys: dict) -> str:
        """``base``, or ``base-2``, ``base-3``… when an earlier record of the file has it."""
        n = self.next_suffix.get(base)
        key = base if n is None else f"{base}-{n}"
        n = n or 1
        while key in self.event_keys or key in pending_keys:
            n += 1
            key = f"{base}-{n}"
        self.next_suffix[base] = n + 1
        return key

    def _participations(self, line: int, given) -> list[tuple[int, str]]:
        if not isinstance(given, list):
            raise BadRecord(line=line, field="parties", message="must be a list")
        seen = {}
        # (The field names of errors, "parties[2].role", are only built for an error.)
        for i, p in enumerate(given):
            slug = p.get("party") if isinstance(p, dict) else None
            found = self.party_ids.get(slug) if isinstance(slug, str) else None
            if found is None:
                raise BadRecord(line=line, field=f"parties[{i}].party", message=f"no party '{str(slug)[:100]}'")
            role = p.get("role", Participation.Role.ACTOR)
            if not isinstance(role, str) or role not in ROLES:
                raise BadRecord(line=line, field=f"parties[{i}].role",
                                message=f"Unknown role {role!r}; one of {', '.join(Participation.Role.values)}.")
            seen[(found[0], role)] = None  # the same party in the same role twice is one participation
        return list(seen)

    def _citations(self, line: int, given) -> tuple[list, list[str]]:
        if not isinstance(given, list):
            raise BadRecord(line=line, field="citations", message="must be a list")
        rows, texts = {}, []
        for i, c in enumerate(given):
            if not isinstance(c, dict):
                raise BadRecord(line=line, field=f"citations[{i}]", message="must be an object")
            key = c.get("source")
            source = self.sources.get(key) if isinstance(key, str) else None
            if source is None:
                raise BadRecord(line=line, field=f"citations[{i}].source", message=f"no source with key {str(key)[:100]!r}")
            quote, start, end = c.get("quote"), c.get("char_start"), c.get("char_end")
            if not isinstance(quote, str):
                raise BadRecord(line=line, field=f"citations[{i}].quote", message="This field is required.")
            if not (type(start) is int and type(end) is int and start >= 0 and end >= 0):  # the usual case, at once
                for name, value in (("char_start", start), ("char_end", end)):
                    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                        raise BadRecord(line=line, field=f"citations[{i}].{name}", message="must be a whole number ≥ 0")
            try:
                if start is None or end is None:
                    start, end = quotes.locate_quote(text=source.text, quote=quote, near=start)
                quotes.check_quote(text=source.text, quote=quote, char_start=start, char_end=end)
            except ValidationError as exc:
                name, message = _messages(exc, f"citations[{i}].", "quote")
                raise BadRecord(line=line, field=name, message=message) from None
            attributed = c.get("attributed_to")
            attributed_id = None
            if attributed:
                found = self.party_ids.get(attributed) if isinstance(attributed, str) else None
                if found is None:
                    raise BadRecord(line=line, field=f"citations[{i}].attributed_to", message=f"no party '{str(attributed)[:100]}'")
                attributed_id = found[0]
            # Like services._add_citation (get_or_create): the same span twice is one citation.
            rows.setdefault((key, start, end), (quote, attributed_id))
            texts.append(quote)
        return [(k, s, e, q, a) for (k, s, e), (q, a) in rows.items()], texts

    # --- writing ---------------------------------------------------------------------------------

    def _flush(self, batch: _Batch, pending_keys: dict) -> None:
        self.writer.wait()  # the batch before is written (or its error raised) before the lookups below
        parties = (Party, _columns(Party, PARTY_FIELDS), batch.parties)
        try:
            sources = self._new_sources(batch.sources)
        except BadRecord:
            # These parties were written before the sources were checked: an error writing them comes first.
            self.writer.write([parties])
            self.writer.wait()
            raise
        stored = set()
        if pending_keys and self.had_events:
            stored = set(Event.objects.filter(key__in=list(pending_keys)).values_list("key", flat=True))
        events, participations, citations = [], [], []
        # Locals and list comprehensions: this loop runs once per event, its inner ones per row.
        now, known, pk = self.now, self.source_ids, self.next_id[Event]
        for row, parts, cites in batch.events:
            if row[3] in stored:
                self.stats.skipped_events += 1
                continue
            row[0] = pk
            if row[10] is not None:
                row[10] = known[row[10]]
            events.append(row)
            participations += [(now, now, pk, party, role) for party, role in parts]
            citations += [(now, now, pk, known[k], q, s, e, a) for k, s, e, q, a in cites]
            pk += 1
        self.next_id[Event] = pk
        self.writer.write([
            parties,
            (Source, _columns(Source, SOURCE_FIELDS), sources),
            (Event, _columns(Event, EVENT_FIELDS), events),
            (Participation, _columns(Participation, PARTICIPATION_FIELDS), participations),
            (Citation, _columns(Citation, CITATION_FIELDS), citations),
        ])
        self.stats.parties += len(batch.parties)
        self.stats.events += len(events)
        self.stats.participations += len(participations)
        self.stats.citations += len(citations)

    def _new_sources(self, pending: list) -> Iterator[tuple]:
        """Rows of the sources not stored yet; a source already stored (same text) is reused, as
        ``services.source_get_or_create`` does. Two new sources with one URL are refused."""
        if not pending:
            return []
        stored, taken = {}, set()
        if self.had_sources:
            stored = dict(Source.objects.filter(content_hash__in=[p[1] for p in pending]).values_list("content_hash", "id"))
            urls = [p[2] for p in pending if p[2]]
            taken = set(Source.objects.filter(url__in=urls).values_list("url", flat=True))
        rows, seen_hash = [], self.new_hashes
        taken |= self.new_urls
        for key, digest, url, line, row in pending:
            existing = stored.get(digest) or seen_hash.get(digest)
            if existing:
                self.source_ids[key] = existing
                continue
            if url and url in taken:
                raise BadRecord(line=line, field="url", message="A source with this URL is already stored.")
            pk = self._take_id(Source)
            self.source_ids[key] = pk
            seen_hash[digest] = pk
            if url:
                taken.add(url)
                self.new_urls.add(url)
            rows.append((pk, *row[1:]))
        self.stats.sources += len(rows)
        return rows


# --- the reader process ------------------------------------------------------------------------
#
# Reading and checking the records (JSON, field rules, dates, quotes) was more than half of an
# import into SQLite, and writing the rest; both ran on one core while the machine had two. With
# ``fork`` the reader runs in a child process, a copy of this one taken before the first batch
# (Django set up, the stored parties and ids read), so it needs no database connection: it never
# uses the one it inherited. Its batches come back through a pipe, in file order; memory stays
# bounded by the batch size (``FLUSH_EVERY``, ``FLUSH_BYTES``): the reader holds the batch it reads
# and at most three pickled ones (waiting for the queue, queued, being written to the pipe), the
# writer the one it receives and the one it writes. Errors keep their order: a bad
# record ends the reader after the batches before it were sent, and the writer raises it after
# writing those, as in one process.

# Linux's default. Where there is no ``fork`` (Windows; macOS offers it but Python advises against
# it) or only one core, or with IMPORT_READER_PROCESS=0, the reader runs in this process: the same
# code, one stage after the other.
CAN_FORK = sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods() \
    and len(os.sched_getaffinity(0)) > 1  # the cores this process may use (a container's, a taskset's)


def _read_in_child_wanted() -> bool:
    return CAN_FORK and settings.IMPORT_READER_PROCESS


class _reader:
    """``with _reader(produce, lines) as batches``: what ``produce(lines)`` yields, read in a child
    process when it can and may (else in this one); the child is ended on leaving.

    A plain pipe (1 MiB where Linux allows it) with a length before each message, read into one
    buffer. ``multiprocessing``'s ``Connection`` would do about as well: receiving the 117 MB of
    100,000 events' batches costs it 0.075 s of CPU, this 0.023 s; unpickling them costs ~1.7 s."""

    def __init__(self, produce: Callable[[Iterable[bytes]], Iterator], lines: Iterable[bytes]):
        self.produce, self.lines, self.process = produce, lines, None

    def __enter__(self) -> Iterator:
        if not _read_in_child_wanted():
            return self.produce(self.lines)
        read_end, write_end = os.pipe()
        try:  # fewer, larger writes (Linux allows up to 1 MiB unprivileged by default)
            import fcntl

            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 1 << 20)
        except OSError:
            pass
        self.pipe = open(read_end, "rb", buffering=0)
        process = multiprocessing.get_context("fork").Process(
            target=_read_in_child, args=(self.produce, self.lines, write_end, read_end),
            name="import-reader", daemon=True)
        # Ctrl-C is held back over the fork: arriving between the fork and the child's ignoring it,
        # it raised KeyboardInterrupt in the child (a traceback of the reader's). Held back, it reaches
        # this process once the child exists, and the child, which ignores it before it lets it
        # through, never (a fork does not inherit signals waiting, only the mask).
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            process.start()
        except OSError:  # no fork now (out of memory, a process limit): read here instead
            self.pipe.close()
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            return self.produce(self.lines)
        finally:
            os.close(write_end)  # this process's copy: reading then ends (b"") when the child's does
        self.process = process
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held back is raised here
        except BaseException:
            self.__exit__()  # the with statement will not: its __enter__ did not return
            raise
        return self._received()

    def _read(self, size: int) -> memoryview | None:
        buffer = memoryview(bytearray(size))
        done = 0
        while done < size:
            # Never block in read() itself: Ctrl-C reaches a process with threads (tqdm's monitor,
            # the PostgreSQL writer's) through whichever thread the kernel picks, and only the main
            # thread raises KeyboardInterrupt, when it next runs Python. A read() the signal did not
            # interrupt would wait for the reader forever (seen in CI: the import hung after Ctrl-C).
            while not select.select([self.pipe], [], [], SIGNAL_CHECK_SECONDS)[0]:
                pass
            n = self.pipe.readinto(buffer[done:])
            if not n:
                return None
            done += n
        return buffer

    def _received(self) -> Iterator:
        while True:
            header = self._read(8)
            message = header and self._read(int.from_bytes(header, "little"))
            if message is None:
                self.process.join(5)
                code = self.process.exitcode
                how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                raise RuntimeError(f"the import's reader process ended before the file did ({how})")
            kind, payload = pickle.loads(message)
            if kind == "batch":
                yield payload
            elif kind == "done":
                return
            elif kind == "bad":
                raise BadRecord(**payload)
            else:
                raise RuntimeError(f"the import's reader process failed:\n{payload}")

    def __exit__(self, *exc) -> bool:
        if self.process is not None:
            self.pipe.close()  # a child still writing gets BrokenPipeError and ends
            self.process.join(1)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        return False


def _read_in_child(produce, lines, write_end: int, read_end: int) -> None:
    """The child's whole life: send each batch, then "done" or the error that ended the reading.

    A thread writes to the pipe while the child reads on: a batch is larger than the pipe holds,
    so a child writing it itself waits for the writer to finish the batch before and only then
    starts the next (measured on 100,000 events: the writer idle 1.5 s of 12.8 that way, 1.1 s of
    12.3 with the thread)."""
    # Ctrl-C reaches the whole process group: the import's own process answers it, and its
    # leaving (the pipe closed, or a kill) ends this one. Here it would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held back over the fork (_reader)
    os.close(read_end)
    outbox = _Outbox(open(write_end, "wb", buffering=0))

    def send(kind: str, payload) -> None:
        outbox.put(pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL))

    try:
        # The inherited connection is the writer's, in the middle of its transaction: a query
        # from here would run inside it, unseen. None is needed; one is a bug, and says so.
        with connection.execute_wrapper(_no_queries):
            for batch in produce(lines):
                send("batch", batch)
                del batch  # pickled: the objects can go before the next batch is read
        send("done", None)
    except BrokenPipeError:
        pass  # the writer stopped (its own error, an interrupt, killed): nobody is listening
    except BadRecord as exc:
        _last_word(send, "bad", {"line": exc.line, "field": exc.field, "message": exc.message})
    except BaseException:  # noqa: BLE001 - a bug or MemoryError is reported by the writer, not lost
        _last_word(send, "crash", traceback.format_exc())
    finally:
        outbox.close()
    if outbox.error is not None:
        # The pipe thread failed otherwise than by the writer leaving (a MemoryError, say): nothing
        # can be sent any more, so say it here; the writer sees the pipe end and this exit code.
        traceback.print_exception(outbox.error)
        sys.exit(1)


def _last_word(send, kind: str, payload) -> None:
    try:
        send(kind, payload)
    except OSError:
        pass  # the writer has gone already


class _Outbox:
    """Messages written to the pipe by a thread, at most ``DEPTH`` waiting (bounded memory)."""

    DEPTH = 1

    def __init__(self, pipe):
        self.pipe, self.queue, self.broken = pipe, queue.Queue(self.DEPTH), threading.Event()
        self.error: BaseException | None = None  # what ended the thread, other than a closed pipe
        self.thread = threading.Thread(target=self._write, name="import-reader-pipe", daemon=True)
        self.thread.start()

    def put(self, message: bytes | None) -> None:
        while True:  # never wait forever on a thread that has ended (the writer gone, or a failure)
            if self.broken.is_set():
                raise BrokenPipeError("the import's writer stopped reading")
            try:
                return self.queue.put(message, timeout=0.2)
            except queue.Full:
                pass

    def _write(self) -> None:
        try:
            while (message := self.queue.get()) is not None:
                _write_all(self.pipe, len(message).to_bytes(8, "little"))
                _write_all(self.pipe, message)  # apart: joined, the header would copy the message
                del message
        except BaseException as exc:  # noqa: BLE001 - whatever ends the thread must end the waiting
            if not isinstance(exc, OSError):
                self.error = exc
        finally:
            self.broken.set()  # nothing more is written: put() must not wait for it

    def close(self) -> None:
        try:
            self.put(None)
        except BrokenPipeError:
            pass
        self.thread.join()
        try:
            self.pipe.close()
        except OSError:
            pass


def _write_all(pipe, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[pipe.write(view):]


def _no_queries(execute, sql, params, many, context):
    raise RuntimeError(f"the import's reader process must not query the database: {sql[:200]}")


def _text(record: dict, name: str, line: int) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadRecord(line=line, field=name, message="This field is required.")
    return value


class StorageFull(Exception):
    """The database's disk filled up during an import: it was rolled back, and running it again
    cannot help until space is freed."""


def import_file(*, path: str | os.PathLike, on_progress: Callable[[int], None] | None = None) -> ImportStats:
    from django.db import DatabaseError

    from .db_errors import is_disk_full

    try:
        with open(path, "rb") as lines:
            return Importer(on_progress=on_progress).run(lines)
    except DatabaseError as exc:
        _shrink_sqlite_wal()
        if is_disk_full(exc):
            raise StorageFull(f"the database's disk is full ({exc}); the import was rolled back") from exc
        raise
    except BaseException:
        _shrink_sqlite_wal()
        raise


# The tables an import fills, whose statistics the query planner reads.
_IMPORTED_TABLES = ("timeline_party", "timeline_source", "timeline_event", "timeline_participation", "timeline_citation")


def gather_statistics() -> None:
    """Refresh the query planner's statistics after an import (``import_events`` calls it). Without
    them SQLite guesses every index equally selective and serves the date-range list from the
    ``status`` index, reading every reviewed event and sorting them for each page, where with them
    it walks the chronology index (tests/test_query_plans.py). PostgreSQL's autovacuum would get
    there in time; the first pages after an import should not wait for it. SQLite reads every row
    (5.5 s for the events at 1,000,000, against about 380 s of import): sampled at 1,000 rows an
    index (``analysis_limit``), its statistics said a status value covers 1,001 events, and ``?q=``
    read every reviewed event by the status index, sorting them and matching each (0.7 s a page at
    50,000 events, 14 ms with full statistics). PostgreSQL takes its usual sample."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 0")
            for table in _IMPORTED_TABLES:
                cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute(f"ANALYZE {', '.join(_IMPORTED_TABLES)}")


def _shrink_sqlite_wal() -> None:
    """After a failed import on SQLite, empty the write-ahead log: a rolled-back transaction leaves
    its pages in the file (as large as the import had got, on a disk that may be full)."""
    if connection.vendor != "sqlite" or connection.connection is None or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception:  # noqa: BLE001 - the import's own error is the one to report
        pass
