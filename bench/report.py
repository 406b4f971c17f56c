"""Print the figures of a results JSON as Markdown rows (ratios against the peers of the same run).

    python -m bench.report bench/results.json
"""

from __future__ import annotations

import json
import sys


def _met(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def _rounds(ours: dict) -> str:
    """The ratio of every round when ours and the floor were loaded in turns (the median is shown)."""
    rounds = ours.get("rounds")
    if not rounds:
        return ""
    return f"; median of {len(rounds)} rounds in turns, ratios " + " / ".join(f"{r['ratio']:.2f}" for r in rounds)


def rows(r: dict) -> list[str]:
    out = []
    i = r.get("import")
    if i:
        n = i["rows"]["event"]
        out.append(f"| import {n:,} events, SQLite: ours {i['ours_sqlite_s']:.1f} s vs raw executemany "
                   f"{i['raw_sqlite_s']:.1f} s | ours is {i['ours_sqlite_s'] / i['raw_sqlite_s']:.1f}× the floor "
                   f"| within 2×: {_met(i['ours_sqlite_s'] <= 2 * i['raw_sqlite_s'])} |")
        if "ours_postgres_s" in i:
            out.append(f"| import {n:,} events, PostgreSQL: ours {i['ours_postgres_s']:.1f} s vs raw COPY "
                       f"{i['raw_copy_s']:.1f} s | ours is {i['ours_postgres_s'] / i['raw_copy_s']:.1f}× the floor "
                       f"| within 2×: {_met(i['ours_postgres_s'] <= 2 * i['raw_copy_s'])} |")
        m = i["small_rows"]["event"]
        out.append(f"| import {m:,} events, SQLite: ours {i['ours_small_s']:.1f} s vs loaddata {i['loaddata_s']:.1f} s "
                   f"| ours is {i['loaddata_s'] / i['ours_small_s']:.1f}× faster | ≥ 50×: "
                   f"{_met(i['loaddata_s'] >= 50 * i['ours_small_s'])} |")
        if "raw_small_s" in i:
            out.append(f"| the same {m:,} events' rows by raw executemany (nothing read or checked): "
                       f"{i['raw_small_s']:.2f} s | loaddata / raw = {i['loaddata_s'] / i['raw_small_s']:.0f}×: the "
                       f"most any importer could reach | (bound on the 50× target) |")
        if "loaddata_rss_mib" in i:
            out.append(f"| peak RSS of loaddata ({m:,} events) | {i['loaddata_rss_mib']:.0f} MiB | (the peer; no target) |")
        out.append(f"| peak RSS of the import, its largest process ({n:,} events, SQLite / PostgreSQL) | "
                   f"{i['ours_sqlite_rss_mib']:.0f} / {i.get('ours_postgres_rss_mib', 0):.0f} MiB | < 1 GiB: "
                   f"{_met(max(i['ours_sqlite_rss_mib'], i.get('ours_postgres_rss_mib', 0)) < 1024)} |")
    si = r.get("serve_import")
    if si:
        out.append(f"| peak RSS importing {si['events']:,} events into SQLite, largest process (the served file; {si['seconds']:.0f} s) | "
                   f"{si['rss_mib']:.0f} MiB | < 1 GiB: {_met(si['rss_mib'] < 1024)} |")
    h = r.get("http")
    if h:
        o, d, f = h["ours"], h["datasette"], h["floor"]
        out.append(f"| range query, req/s: ours {o['rps']:.1f} vs Datasette {d['rps']:.1f} | "
                   f"{o['rps'] / d['rps']:.1f}× Datasette | ≥ 2×: {_met(o['rps'] >= 2 * d['rps'])} |")
        out.append(f"| range query, p99: ours {o['p99_ms']:.0f} ms vs Datasette {d['p99_ms']:.0f} ms "
                   f"(Datasette timeouts: {d.get('timeouts', '?')}) | | lower p99: "
                   f"{_met(o['p99_ms'] < d['p99_ms'] or d.get('timeouts', 0) > 0)} |")
        out.append(f"| range query, req/s: ours {o['rps']:.1f} vs floor {f['rps']:.1f} (p99 {f['p99_ms']:.0f} ms)"
                   f"{_rounds(o)} | {o['rps'] / f['rps']:.2f} of the floor | ≥ 1/3: {_met(o['rps'] >= f['rps'] / 3)} |")
        first, deep = h["ours_first_page"], h["ours_deep_page"]
        turns = deep.get("rounds")
        turns = (f"; median of {len(turns)} rounds in turns, ratios "
                 + " / ".join(f"{1 / r['ratio']:.2f}" for r in turns)) if turns else ""
        out.append(f"| cursor page 1,000 deep vs first page, req/s: {deep['rps']:.1f} vs {first['rps']:.1f}{turns} | "
                   f"deep page takes {first['rps'] / deep['rps']:.2f}× the first's time | within 1.2×: "
                   f"{_met(first['rps'] / deep['rps'] <= 1.2)} |")
        out.append(f"| peak RSS serving: ours (largest gunicorn process) {h['ours_rss_mib']:.0f} MiB, "
                   f"Datasette {h['datasette_rss_mib']:.0f} MiB | | < 1 GiB: {_met(h['ours_rss_mib'] < 1024)} |")
    hp = r.get("http_postgres")
    if hp:
        o, f = hp["ours"], hp["floor"]
        out.append(f"| range query on PostgreSQL, req/s: ours {o['rps']:.1f} vs psycopg floor {f['rps']:.1f} "
                   f"(p99 {o['p99_ms']:.0f} vs {f['p99_ms']:.0f} ms){_rounds(o)} | {o['rps'] / f['rps']:.2f} of the floor | "
                   f"≥ 1/3: {_met(o['rps'] >= f['rps'] / 3)} |")
        prepared = hp.get("ours_prepared")
        if prepared:
            out.append(f"| the same with PG_PREPARE_THRESHOLD=5 (opt-in prepared statements), one run: ours "
                       f"{prepared['rps']:.1f} req/s | {prepared['rps'] / f['rps']:.2f} of the floor | (an option, "
                       f"not the default) |")
        one = hp.get("ours_one_event")
        if one:
            out.append(f"| the same query on PostgreSQL, one event a page: ours {one['rps']:.1f} req/s | "
                       f"{one['rps'] / f['rps']:.2f} of the floor | (the framework's fixed cost) |")
    for key, database in (("conditional_get", "SQLite"), ("conditional_get_postgres", "PostgreSQL")):
        cg = r.get(key)
        for case in ("page", "event", "csv") if cg else ():
            c = cg[case]
            out.append(f"| {case} ({database}), req/s: 304 Not Modified {c['not_modified_304']['rps']:.1f} vs 200 "
                       f"{c['ok_200']['rps']:.1f} (p99 {c['not_modified_304']['p99_ms']:.0f} vs {c['ok_200']['p99_ms']:.0f} ms) "
                       f"| {c['ratio_304_to_200']:.1f}× | (issue 19: measured, no target) |")
    sp = r.get("serve_import_postgres")
    if sp:
        out.append(f"| peak RSS importing {sp['events']:,} events into PostgreSQL (the served database; "
                   f"{sp['seconds']:.0f} s) | {sp['rss_mib']:.0f} MiB | < 1 GiB: {_met(sp['rss_mib'] < 1024)} |")
    dt = r.get("dates")
    if dt:
        out.append(f"| parse {dt['strings']:,} distinct strings, cache cleared: ours {dt['ours_s']:.2f} s vs "
                   f"dateparser.parse {dt['dateparser_s']:.1f} s | {dt['dateparser_s'] / dt['ours_s']:.0f}× faster | "
                   f"≥ 50×: {_met(dt['dateparser_s'] >= 50 * dt['ours_s'])} |")
        out.append(f"| slowest single input: ours {dt['ours_max_ms']:.0f} ms ({dt['ours_slowest']!r}); dateparser "
                   f"{dt['dateparser_max_ms']:.0f} ms ({dt['dateparser_slowest']!r}) | | < 100 ms: "
                   f"{_met(dt['ours_max_ms'] < 100)} |")
    e = r.get("extraction")
    if e:
        out.append(f"| extraction, seed articles ×{e['articles'] // 2}: ours {e['ours_per_s']:.0f} articles/s vs "
                   f"search_dates {e['search_dates_per_s']:.1f} | {e['ours_per_s'] / e['search_dates_per_s']:.0f}× | (no target) |")
    return out


if __name__ == "__main__":
    data = json.loads(open(sys.argv[1]).read())
    print("| figure | ratio | target |\n|---|---|---|")
    print("\n".join(rows(data)))
