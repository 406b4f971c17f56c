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


def _ratios(rounds: list[float]) -> str:
    return " / ".join(f"{ratio:.2f}" for ratio in rounds)


def _range_rows(h: dict, database: str, *, datasette: bool) -> list[str]:
    """The range query against each peer of the run: the median round's req/s, every round's ratio."""
    out = []
    check = h.get("floor_check", {})
    same = h["range"]["same_output_floor"]
    how = "byte for byte" if check.get("byte_for_byte") else "the same JSON value" if check.get("same_value") else "?"
    out.append(f"| range query, {database}, req/s: ours {same['ours']['rps']:.1f} vs the same-output floor "
               f"{same['peer']['rps']:.1f} (p99 {same['ours']['p99_ms']:.0f} vs {same['peer']['p99_ms']:.0f} ms; its "
               f"page checked equal to ours, {how}); {len(same['rounds'])} rounds in turns, ratios {_ratios(same['rounds'])} "
               f"| {same['ratio']:.2f} of the floor | ≥ 0.5: {_met(same['ratio'] >= 0.5)} |")
    flat = h["range"]["flat_floor"]
    out.append(f"| range query, {database}, req/s: ours {flat['ours']['rps']:.1f} vs the flat floor {flat['peer']['rps']:.1f} "
               f"(bounded index scans, the same events checked); ratios {_ratios(flat['rounds'])} | {flat['ratio']:.2f} "
               f"of the flat floor | (no target) |")
    if datasette:
        fast = h["range"]["datasette_nocount"]
        out.append(f"| range query, req/s: ours {fast['ours']['rps']:.1f} vs Datasette without counting "
                   f"(`_shape=array&_nocount=1`, immutable, no facet suggestions) {fast['peer']['rps']:.1f}; "
                   f"ratios {_ratios(fast['rounds'])} | {fast['ratio']:.2f}× Datasette | ≥ 2×: {_met(fast['ratio'] >= 2)} |")
        shared = h["range"].get("shared_cache_vs_datasette")
        if shared:
            out.append(f"| the same, ours with `SHARED_CACHE_URL` (the throttle's counts in Redis, as several hosts "
                       f"run it), req/s: {shared['ours']['rps']:.1f} vs Datasette {shared['peer']['rps']:.1f}; ratios "
                       f"{_ratios(shared['rounds'])} | {shared['ratio']:.2f}× Datasette | ≥ 2×: "
                       f"{_met(shared['ratio'] >= 2)} |")
        d = h["datasette_default"]
        times = f"{same['ours']['rps'] / d['rps']:.1f}×" if d["rps"] else "(no request answered)"
        out.append(f"| range query, req/s: Datasette's default JSON (counts every match) {d['rps']:.1f}, p99 "
                   f"{d['p99_ms']:.0f} ms, {d['requests']} requests answered in the run, timeouts {d.get('timeouts', 0)} "
                   f"(wrk's timeout {d.get('wrk_timeout_s', '?')} s), one run | {times} | (for the record) |")
    return out


def commands(r: dict) -> list[str]:
    """Every wrk command of the HTTP parts, one line each (the servers' ports as in the run)."""
    lines = []
    for part in ("http", "http_postgres"):
        h = r.get(part) or {}
        for section in ("range", "deep"):
            for name, url in (h.get(section) or {}).get("urls", {}).items():
                lines.append(f"{part} {section} {name}: {h[section]['runs'][name][0].get('command', url)}")
        for name in ("datasette_default", "ours_one_event", "ours_prepared"):
            if name in h and "command" in h[name]:
                lines.append(f"{part} {name}: {h[name]['command']}")
    return lines


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
    if h and "range" in h:
        out += _range_rows(h, "SQLite", datasette=True)
        deep = h["deep"]["deep_page"]
        out.append(f"| cursor page 1,000 deep vs first page, req/s: {deep['peer']['rps']:.1f} vs {deep['ours']['rps']:.1f}; "
                   f"median of {len(deep['rounds'])} rounds in turns, ratios {_ratios(deep['rounds'])} | deep page takes "
                   f"{deep['ratio']:.2f}× the first's time | within 1.2×: {_met(deep['ratio'] <= 1.2)} |")
        out.append(f"| peak RSS serving: ours (largest gunicorn process) {h['ours_rss_mib']:.0f} MiB, "
                   f"Datasette {h['datasette_rss_mib']:.0f} MiB | | < 1 GiB: {_met(h['ours_rss_mib'] < 1024)} |")
    hp = r.get("http_postgres")
    if hp and "range" in hp:
        out += _range_rows(hp, "PostgreSQL", datasette=False)
        ours = hp["range"]["same_output_floor"]["ours"]
        prepared = hp.get("ours_prepared")
        if prepared:
            out.append(f"| the same with PG_PREPARE_THRESHOLD=5 (opt-in prepared statements), one run: ours "
                       f"{prepared['rps']:.1f} req/s (ours in the rounds: {ours['rps']:.1f}) | | (an option, not the default) |")
        one = hp.get("ours_one_event")
        if one:
            out.append(f"| the same query on PostgreSQL, one event a page: ours {one['rps']:.1f} req/s | | "
                       f"(the framework's fixed cost) |")
    x = r.get("exports_postgres")
    if x:
        out.append(f"| CSV export of {x['rows']:,} events on PostgreSQL (`{x['query']}`, in process): ours {x['ours_s']:.1f} s "
                   f"({x['ours_rows_per_s']:,} rows/s) vs `COPY (SELECT …) TO STDOUT` of the same cells {x['copy_s']:.1f} s "
                   f"({x['copy_rows_per_s']:,} rows/s; checked cell by cell); median of {len(x['rounds']['ours'])} rounds "
                   f"in turns | {x['ratio']:.2f} of COPY's rows/s | ≥ 1/3: {_met(x['ratio'] >= 1 / 3)} |")
    for key, database in (("conditional_get", "SQLite"), ("conditional_get_postgres", "PostgreSQL")):
        cg = r.get(key)
        for case in ("page", "event", "csv") if cg else ():
            c = cg[case]
            out.append(f"| {case} ({database}), req/s: 304 Not Modified {c['not_modified_304']['rps']:.1f} vs 200 "
                       f"{c['ok_200']['rps']:.1f} (p99 {c['not_modified_304']['p99_ms']:.0f} vs {c['ok_200']['p99_ms']:.0f} ms) "
                       f"| {c['ratio_304_to_200']:.1f}× | (issue 19: measured, no target) |")
    for database, result in (r.get("filters") or {}).items():
        worst = max((c for name, c in result["cases"].items() if name != "range"), key=lambda c: c["ratio_to_range_p50"])
        over = [f"{name} {c['ratio_to_range_p50']:.1f}×" for name, c in result["cases"].items() if c["ratio_to_range_p50"] > 3]
        over += [f"{name} not answered ({c['status']} after {c['seconds']} s)" for name, c in result.get("not_answered", {}).items()]
        base = result["cases"]["range"]
        out.append(f"| every documented filter ({len(result['cases']) - 1} cases), {database}, {result['events']:,} events, "
                   f"in process: p50 against the plain range query's ({base['p50_ms']:.1f} ms); worst {worst['url']} "
                   f"{worst['p50_ms']:.1f} ms; over 3×: {', '.join(over) or 'none'} | worst {worst['ratio_to_range_p50']:.2f}× "
                   f"| ≤ 3×: {_met(not over)} |")
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
    print("\nwrk commands (rerun one line against the same servers):\n" + "\n".join(commands(data)))
    if data.get("filters"):
        from bench.filters_bench import table

        for database, result in data["filters"].items():
            print(f"\nfilters ({result.get('command', '')}):\n\n" + table(result, vendor=database))
