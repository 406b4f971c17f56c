"""Memory and speed of a full export: one request through Django's WSGI handler, in this process, its
streamed body read to the end and thrown away, as a server would send it.

    DATABASE_URL=sqlite:///bench/work/exports/db.sqlite3 python bench/exports_memory.py --format csv

Prints the rows, the bytes, the seconds, rows/s, and the resident memory (RSS) of the process at
start-up and as the body streams (after 1 %, 10 %, 50 % and 100 % of the rows): a constant-memory
export keeps the RSS flat once the first chunks are read. DEBUG is off (with it on, Django keeps
every query's SQL, which grows with the number of chunks). Not part of `make test` or `make bench`.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
os.environ.setdefault("API_ANON_RATE", "1000000/minute")


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", default="csv", choices=["csv", "ics", "timelinejs"])
    parser.add_argument("--query", default="", help="more query parameters, e.g. 'start=2000'")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from timeline.models import Event

    total = Event.objects.count()
    query = f"format={args.format}" + (f"&{args.query}" if args.query else "")
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/api/events/", "QUERY_STRING": query,
        "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "REMOTE_ADDR": "127.0.0.1",
    }
    status = []
    at_start = rss_mib()
    started = time.perf_counter()
    body = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    size = 0
    marks = {}
    for chunk in body:
        size += len(chunk)
        # the rows sent so far, estimated from the bytes (rows are of similar length)
        for share in (0.01, 0.1, 0.5):
            if share not in marks and size >= share * SIZE_HINT.get(args.format, 0) > 0:
                marks[share] = rss_mib()
    body.close()
    seconds = time.perf_counter() - started
    marks[1.0] = rss_mib()
    print(f"{args.format} ?{query}: {status[0]}")
    print(f"events in the database: {total:,}; bytes sent: {size:,}; {seconds:.1f} s; "
          f"{total / seconds:,.0f} rows/s (of the whole table; the filter may send fewer)")
    print(f"RSS at start-up {at_start:.0f} MiB; " + "; ".join(
        f"after {share:.0%} of the body {mib:.0f} MiB" for share, mib in sorted(marks.items())))
    print(f"peak RSS (ru_maxrss) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


# Bytes a full export of the bench's 1,000,000 events comes to (from a first run): where the 1 %,
# 10 % and 50 % marks fall. A wrong hint only moves the marks.
SIZE_HINT = {"csv": 430_000_000, "ics": 1_000_000_000, "timelinejs": 6_000_000}

if __name__ == "__main__":
    main()
