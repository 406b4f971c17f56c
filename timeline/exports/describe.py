"""What an export was asked for, in words: the calendar's name, the TimelineJS title slide.

The words are the request's own (``party: russia · start: 2022``), so the reader sees what to change to
get something else. Paging and format parameters are not what was asked for and are left out.
"""

from __future__ import annotations

NOT_FILTERS = frozenset({"format", "cursor", "page_size", "bom"})
MAX_VALUE = 100  # a longer value is cut: a name is not the place for a pasted article


def filters(request) -> list[tuple[str, str]]:
    """(name, value) pairs: the parent of a nested list (``party``, ``source``), then each filter."""
    if request is None:
        return []
    pairs = []
    match = getattr(request, "resolver_match", None)
    if match is not None and (match.url_name or "").endswith("-events") and len(match.kwargs) == 1:
        pairs.append((match.url_name.removesuffix("-events"), str(*match.kwargs.values())))
    query = getattr(request, "query_params", None) or request.GET
    for name in query:
        if name in NOT_FILTERS:
            continue
        values = [v.strip() for v in query.getlist(name) if v.strip()]
        if values:
            pairs.append((name, ", ".join(values)))
    return [(name[:MAX_VALUE], _cut(value)) for name, value in pairs]


def _cut(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def in_words(request) -> str:
    """``party: russia · start: 2022``, or "" when nothing was asked for. (Not ';' nor ',', which a
    calendar's text escapes and some readers show escaped.)"""
    return " · ".join(f"{name}: {value}" for name, value in filters(request))


def title(request, *, everything: str = "Timeline events") -> str:
    words = in_words(request)
    return f"{everything} ({words})" if words else everything
