"""The date finder beside chrono-node and dateparser on the TimeML development set, in one run.

    .venv/bin/python -m bench.dates_quality [--data ../shared/reference/timeml] [--out bench/out/dates]

Runs ``manage.py find_dates`` on the set's articles (their manifest gives each publication date);
chrono-node 2.10.3 (npm, pinned in bench/dates_quality_js/package.json; installed there on first
use) through ``chrono_dates.js``, ``chrono.parse`` with the publication date as its reference; and
dateparser's ``search_dates`` with the publication date as ``RELATIVE_BASE`` and
``PREFER_DATES_FROM='past'`` (news reports what has happened), each found text's period (day,
week, month, year) read back with dateparser's own ``DateDataParser`` to make it an interval. Then
the set's scorer (``score.py``) scores the three outputs and this prints recognition and value
precision / recall / F1 for each, and the scorer's side-by-side table.

The development set is never copied into the project: it is read where it lies (``--data``).
"""

from __future__ import annotations

import argparse
import calendar
import json
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
JS = HERE / "dates_quality_js"


def run_finder(files: list[Path], manifest: Path, out: Path) -> float:
    t0 = time.perf_counter()
    with out.open("w") as fh:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "find_dates",
                *map(str, files),
                "--manifest",
                str(manifest),
                "--format",
                "json",
            ],
            cwd=ROOT,
            stdout=fh,
            stderr=subprocess.DEVNULL,
            check=True,
        )
    return time.perf_counter() - t0


def run_chrono(files: list[Path], manifest: Path, out: Path) -> float:
    if not (JS / "node_modules" / "chrono-node").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=JS, check=True)
    t0 = time.perf_counter()
    with out.open("w") as fh:
        subprocess.run(
            ["node", "chrono_dates.js", str(manifest), *map(str, files)], cwd=JS, stdout=fh, check=True
        )
    return time.perf_counter() - t0


def _interval(d: datetime, period: str | None) -> tuple[str, str]:
    day = d.date()
    if period == "year":
        return f"{day.year:04d}-01-01", f"{day.year:04d}-12-31"
    if period == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1).isoformat(), day.replace(day=last).isoformat()
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday.isoformat(), (monday + timedelta(days=6)).isoformat()
    return day.isoformat(), day.isoformat()


def run_dateparser(files: list[Path], manifest: Path, out: Path) -> float:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    published = json.loads(manifest.read_text())
    t0 = time.perf_counter()
    with out.open("w") as fh:
        for path in files:
            text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
            base = datetime.fromisoformat(published[path.name]["published"]).replace(hour=12)
            settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
            reader = DateDataParser(languages=["en"], settings=settings)
            dates, cursor = [], 0
            for found, when in search_dates(text, languages=["en"], settings=settings) or []:
                start = text.find(found, cursor)
                if start < 0:
                    continue
                cursor = start + len(found)
                data = reader.get_date_data(found)
                earliest, latest = _interval(when, data.period if data else None)
                dates.append(
                    {"text": found, "start": start, "end": cursor, "earliest": earliest, "latest": latest}
                )
            fh.write(json.dumps({"file": str(path), "dates": dates, "unresolved": []}) + "\n")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "reference" / "timeml"))
    ap.add_argument("--out", default=str(HERE / "out" / "dates"))
    ap.add_argument("--only", choices=["finder", "chrono", "dateparser"], action="append")
    args = ap.parse_args()
    data = Path(args.data).resolve()
    scorer, articles = data / "score.py", data / "aquaint"
    manifest = articles / "manifest.json"
    files = sorted(articles.glob("*.txt"))
    if not files or not scorer.is_file():
        raise SystemExit(f"no development set at {data} (expected score.py and aquaint/*.txt)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    systems = {
        "finder": ("the project's find_dates", run_finder),
        "chrono": ("chrono-node 2.10.3 chrono.parse", run_chrono),
        "dateparser": ("dateparser search_dates (RELATIVE_BASE=DCT, past)", run_dateparser),
    }
    outputs = []
    for key, (name, run) in systems.items():
        if args.only and key not in args.only:
            continue
        path = out / f"{key}.jsonl"
        seconds = run(files, manifest, path)
        path.with_suffix(".meta.json").write_text(json.dumps({"system": name, "seconds": round(seconds, 1)}))
        outputs.append((name, path))
    print(f"{len(files)} articles from {articles}\n")
    print(f"{'system':<52} {'recognition P / R / F1':>24} {'value P / R / F1':>24}")
    for name, path in outputs:
        res = json.loads(
            subprocess.run(
                [sys.executable, str(scorer), str(path), "--json"], capture_output=True, text=True, check=True
            ).stdout
        )
        rec, val = res["recognition"], res["value"]
        print(
            f"{name:<52} {rec['precision']:.3f} / {rec['recall']:.3f} / {rec['f1']:.3f}"
            f"    {val['precision']:.3f} / {val['recall']:.3f} / {val['f1']:.3f}"
        )
    print()
    table = subprocess.run(
        [sys.executable, str(scorer), "--table", *(str(p) for _, p in outputs)],
        capture_output=True,
        text=True,
        check=True,
    )
    print(table.stdout)


if __name__ == "__main__":
    main()
