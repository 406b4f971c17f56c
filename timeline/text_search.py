"""The text search (``?q=``) on SQLite: an FTS5 index read with PostgreSQL's query semantics.

PostgreSQL answers ``q`` with ``websearch_to_tsquery('english', q)`` over ``search_vector``, the
stored ``to_tsvector('english', search_text)``, and its GIN index (migration 0012; the last section
below bounds how many events a query can match from that column's statistics). SQLite answers it from
``timeline_event_fts``, an FTS5 index of the same column (migration 0008), with ``q`` read the way
``websearch_to_tsquery`` reads it:

- words are all required; ``"a quoted phrase"`` is a phrase; ``-word`` (or ``-"a phrase"``, or
  ``- word`` apart) excludes, ``--word`` does not; ``or`` between two terms makes either do;
  tsquery's own operators (``! & | ( ) <``) are skipped; other punctuation separates words;
- English stop words (PostgreSQL's own list, below) are dropped, so ``the war`` asks for ``war``
  and a ``q`` of stop words only matches nothing, as on PostgreSQL;
- words are case-folded and stemmed (FTS5's ``porter`` tokenizer; PostgreSQL's ``english`` config
  uses the later Snowball stemmer: the two agree on most English words, not on every one).

Known differences, all narrow: a stop word inside a phrase (``"end of the war"``) must be that very
word on SQLite, where PostgreSQL accepts any word in its place; a hyphenated word (``cease-fire``)
also matches the two words written apart on SQLite; PostgreSQL's parser keeps e-mail addresses,
URLs and decimal numbers whole where FTS5 splits them into their words (either matches the same
text written the same way); a combining accent typed after its letter (``e`` + U+0301) separates
tokens here and is dropped, where PostgreSQL keeps it in the word; and the stemmers differ as above.

The user's text never reaches FTS5's query syntax as syntax: every term is a double-quoted FTS5
string (quotes inside doubled) made of letters and digits only, joined by operators written here,
so no input (``"``, ``*``, ``NEAR(``, ``OR``, ``-``, ``^``, ``:``) can make a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TABLE = "timeline_event_fts"
# Case-folded, stemmed, diacritics kept (PostgreSQL's english config does not unaccent either).
TOKENIZE = "porter unicode61 remove_diacritics 0"

# PostgreSQL's share/tsearch_data/english.stop (the Snowball list), which its 'english' config drops.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while of
    at by for with about against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each few more most other
    some such no nor not only own same so than too very s t can will just don should now""".split()
)

# A token as both parsers see one: a run of letters and digits (FTS5's unicode61 default token
# characters are the Unicode categories L*, N* and Co; '_' and every mark and symbol separate).
_TOKEN = re.compile(r"[^\W_]+")
# Characters websearch_to_tsquery skips between operands (tsquery's operators, which websearch
# syntax does not have); a '-' after one of them, or after white space, excludes what follows.
_SKIPPED = frozenset("!&|()<")


@dataclass
class Group:
    """Terms that must all match (``required``) and none of which may (``excluded``); each term a
    tuple of tokens, matched as a phrase."""

    required: list[tuple[str, ...]] = field(default_factory=list)
    excluded: list[tuple[str, ...]] = field(default_factory=list)


def parse(q: str) -> list[Group]:
    """``q`` as ``websearch_to_tsquery`` reads it: groups joined by ``or``, each a conjunction of
    terms, some excluded. Terms with no word left once stop words are dropped vanish with the
    operators before them (as on PostgreSQL: ``war or the`` is ``war``). No groups: match nothing."""
    groups: list[Group] = [Group()]
    pending_or = negated = False
    for unit, is_minus in _units(q):
        if is_minus:
            negated = not negated  # "--war" is "war", as on PostgreSQL
            continue
        if unit.lower() == "or" and not negated and not unit.startswith('"'):
            pending_or = True
            continue
        term = _term(unit)
        if term:
            if pending_or and (groups[-1].required or groups[-1].excluded):
                groups.append(Group())
            pending_or = False
            (groups[-1].excluded if negated else groups[-1].required).append(term)
        negated = False
    return [g for g in groups if g.required or g.excluded]


def _units(q: str):
    """(unit, is_minus) in order: a '-' that excludes, a quoted phrase (its opening quote kept, to
    the closing quote or the end), or a word (to white space, a quote or a skipped character)."""
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace() or c in _SKIPPED:
            i += 1
        elif c == "-":
            yield "-", True
            i += 1
        elif c == '"':
            close = q.find('"', i + 1)
            close = n if close < 0 else close
            yield q[i:close], False
            i = close + 1
        else:
            j = i
            while j < n and not (q[j].isspace() or q[j] == '"' or q[j] in _SKIPPED):
                j += 1
            yield q[i:j], False
            i = j


def _term(text: str) -> tuple[str, ...]:
    """The words of one unit, stop words dropped from its ends (a phrase keeps those inside it)."""
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    while tokens and tokens[0] in STOP_WORDS:
        tokens.pop(0)
    while tokens and tokens[-1] in STOP_WORDS:
        tokens.pop()
    return tuple(tokens)


def fts5_string(term: tuple[str, ...]) -> str:
    """One term as an FTS5 string: a phrase of its tokens, quoted (FTS5 reads nothing inside a
    string as syntax; a double quote inside is written twice)."""
    return '"' + " ".join(term).replace('"', '""') + '"'


def fts5_any(terms: list[tuple[str, ...]]) -> str:
    return " OR ".join(fts5_string(t) for t in terms)


def fts5_group(group: Group) -> str:
    """A group with at least one required term as one FTS5 expression."""
    expression = "(" + " AND ".join(fts5_string(t) for t in group.required) + ")"
    if group.excluded:
        expression += " NOT (" + fts5_any(group.excluded) + ")"
    return expression


# --- the index: an external-content FTS5 table over timeline_event.search_text --------------------

# Triggers keep the index in step with every write to the events table, whatever makes it: the ORM,
# the services' UPDATE of search_text, the bulk import's executemany, a DELETE cascading from the
# admin, raw SQL. An external-content table stores no second copy of the text: 'delete' must be given
# the text that was indexed, which the triggers read from the old row.
_TRIGGERS = {
    f"{TABLE}_ai": f"""CREATE TRIGGER {TABLE}_ai AFTER INSERT ON timeline_event BEGIN
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"{TABLE}_ad": f"""CREATE TRIGGER {TABLE}_ad AFTER DELETE ON timeline_event BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
    f"{TABLE}_au": f"""CREATE TRIGGER {TABLE}_au AFTER UPDATE OF id, search_text ON timeline_event
        WHEN old.id IS NOT new.id OR old.search_text IS NOT new.search_text BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END""",
}


def ensure_index(connection, *, create: bool = False) -> bool:
    """Make sure the SQLite index and its triggers exist, and rebuild the index from the events table
    if either was missing. Returns whether it rebuilt. Nothing on other databases.

    ``create=False`` (after every ``migrate``) only repairs an index migration 0008 made: Django's
    SQLite schema editor alters a table by copying it to a new one and dropping the old, which drops
    its triggers with it, so a later migration on timeline_event would otherwise leave the index
    silently stale."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name = %s OR (type = 'trigger' AND tbl_name = 'timeline_event')",
                       [TABLE])
        present = {name for _, name in cursor.fetchall()}
        if TABLE not in present:
            if not create:
                return False
            cursor.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_text, content='timeline_event', "
                           f"content_rowid='id', tokenize='{TOKENIZE}')")
        missing = [name for name in _TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(_TRIGGERS[name])
        if TABLE in present and not missing:
            return False
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")
        return True


def drop_index(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in _TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


# --- PostgreSQL: how many events a query names, by the planner's own statistics -------------------

# A tsquery as PostgreSQL writes it (``websearch_to_tsquery(…)::text``): quoted lexemes (a quote
# inside doubled; a weight or prefix mark after a colon), phrase operators, and & | ! ( ).
_TSQUERY_TOKEN = re.compile(r"'((?:[^']|'')*)'(?::[*A-D]+)?|<(?:-|\d+)>|[&|!()]")


def tsquery_share(tsquery: str, frequencies: dict[str, float]) -> float:
    """At most what share of events ``tsquery`` (its text form) can match, by the index's statistics
    (``frequencies``: a lexeme → the share of events holding it, for its most common elements): all
    of AND'd or phrased terms as many as the rarest, either of OR'd terms as many as both together,
    a NOT anything. A lexeme missing from ``frequencies`` counts as none: it is rarer than the least
    common one listed, and the caller reads its matches from the index with a limit, a read that
    costs at most that many entries. PostgreSQL's planner prices such a lexeme at up to 0.5 % of the
    table instead (ts_selfuncs.c): at 1,000,000 events it walked the whole chronology computing
    ``to_tsvector`` per event for a word in one event, and the request timed out.

    A bound, not the planner's estimate (which multiplies AND'd terms): twenty common words each in
    60 % of events multiply to 36 events, but the index reads all twenty lists of 600,000 entries to
    find them (0.6 s), where the date order's walk fills a page from the first few thousand events."""
    tokens = [("lexeme", m.group(1).replace("''", "'")) if m.group(1) is not None else m.group(0)
              for m in _TSQUERY_TOKEN.finditer(tsquery)]
    position = 0

    def peek():
        return tokens[position] if position < len(tokens) else None

    def take():
        nonlocal position
        position += 1
        return tokens[position - 1]

    def either() -> float:  # a | b, the loosest
        share = both()
        while peek() == "|":
            take()
            share += both()
        return share

    def both() -> float:  # a & b
        share = phrase()
        while peek() == "&":
            take()
            share = min(share, phrase())
        return share

    def phrase() -> float:  # a <-> b, a <2> b: bound tighter than &
        share = operand()
        while isinstance(peek(), str) and peek().startswith("<"):
            take()
            share = min(share, operand())
        return share

    def operand() -> float:
        token = take() if peek() is not None else None
        if token == "!":
            operand()
            return 1.0
        if token == "(":
            share = either()
            if peek() == ")":
                take()
            return share
        if isinstance(token, tuple):
            return frequencies.get(token[1], 0.0)
        return 1.0  # nothing to read (an empty query): no estimate that could skip the plan

    return min(max(either(), 0.0), 1.0) if tokens else 1.0
