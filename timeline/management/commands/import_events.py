"""``manage.py import_events FILE.jsonl``: bulk-load parties, sources and events (README "Bulk import")."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from timeline.bulk_import import BadRecord, StorageFull, gather_statistics, import_file


class Command(BaseCommand):
    help = "Import parties, sources and events from a JSONL file, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSONL file: one party, source or event record per line")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, path, no_progress, **options):
        if not os.path.exists(path):
            raise CommandError(f"{path}: no such file")
        stats = None  # set once the import has committed
        try:
            # tqdm's disable=None turns the bar off when stderr is not a terminal (CI logs stay clean).
            # The bar moves a batch at a time (5,000 events or sources, or 8 MiB of the file).
            with tqdm(total=os.path.getsize(path), unit="B", unit_scale=True, desc="import",
                      disable=True if no_progress else None, mininterval=0.5) as bar:
                stats = import_file(path=path, on_progress=bar.update)
        except BadRecord as exc:
            raise CommandError(f"{path}: {exc}; nothing was imported") from None
        except StorageFull:
            raise CommandError(
                f"{path}: the database's disk is full; nothing was imported. Free space on "
                "the database's disk and run it again."
            ) from None
        except KeyboardInterrupt:
            # Ctrl-C: the transaction was rolled back (and the reader process ended) on the way
            # here, unless it came after the commit; say which instead of a traceback. 130 is the
            # shell's code for SIGINT.
            done = "the import had finished and is stored" if stats is not None else "nothing was imported"
            raise CommandError(f"{path}: interrupted; {done}", returncode=130) from None
        gather_statistics()
        self.stdout.write(
            f"Imported {stats.parties} parties, {stats.sources} sources, {stats.events} events "
            f"({stats.participations} participations, {stats.citations} citations); "
            f"{stats.skipped_events} events already stored were skipped."
        )
