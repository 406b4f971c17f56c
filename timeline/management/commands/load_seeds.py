"""``manage.py load_seeds``: the curated fixtures, then the seed articles — the timeline a new user
sees on the first ``make run``, which runs it on every start.

It adds what is missing and never overwrites what editors did: a row changed or deleted since it was
loaded is left alone and listed (``timeline.ingest.fixtures``), and a seed article already ingested
is not ingested again. ``--reset`` writes the fixtures back over such rows (each write dated now and
recorded in the history as "reset to the fixtures"). A broken input changes nothing.

Each event, party and source the loader creates or changes gets its history record ("+" or "~", no
user, a change reason naming the fixtures), so an editor can revert a seed row to what was loaded.
Rows the seed articles add go through the services and have their history already."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from timeline.ingest.errors import IngestError
from timeline.ingest.fixtures import CREATED_REASON, UPDATED_REASON  # noqa: F401 (named by tests)
from timeline.ingest.seeds import seeds_load
from timeline.models import Event, Party, Source


class Command(BaseCommand):
    help = (
        "Load fixtures/*.json and ingest seeds/*.txt, one transaction per file, checking every input first. "
        "Rows changed or deleted since they were loaded are left alone (and listed) unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", default=str(settings.BASE_DIR / "fixtures"), help="Fixture directory."
        )
        parser.add_argument(
            "--seeds", default=str(settings.BASE_DIR / "seeds"), help="Seed article directory."
        )
        parser.add_argument(
            "--manifest", help="Seed manifest (default: manifest.json in the seed directory)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar, even on a terminal.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Write the fixtures back over rows editors changed or deleted since they were loaded "
            "(recorded in the history), and ingest the seed articles again.",
        )

    def handle(self, *args, fixtures, seeds, manifest, no_progress, reset, verbosity, **options):
        try:
            report = seeds_load(
                fixtures_dir=fixtures,
                seeds_dir=seeds,
                manifest_path=manifest,
                progress=False if no_progress else None,
                reset=reset,
            )
        except IngestError as exc:
            raise CommandError(f"{exc} (nothing was loaded)") from None
        except OSError as exc:
            raise CommandError(f"{exc.filename}: {exc.strerror} (nothing was loaded)") from None
        if verbosity >= 2:
            for line in [r.summary() for r in report.fixtures] + [r.summary() for r in report.articles]:
                self.stdout.write(line)
            for path in report.skipped_articles:
                self.stdout.write(f"{path}: ingested by an earlier run, not read again (--reset to re-read)")
        for article in report.articles:
            for warning in article.warnings:
                self.stderr.write(f"{article.path}: {warning}")
        if verbosity >= 1:
            events = Event.objects.count()
            reviewed = Event.objects.filter(status=Event.Status.REVIEWED).count()
            self.stdout.write(
                f"{'Loaded' if report.changed else 'Nothing new'}: the timeline holds {events} event(s) "
                f"({reviewed} reviewed, {events - reviewed} draft), {Source.objects.count()} source(s), "
                f"{Party.objects.count()} parties."
            )
            if report.kept:
                self.stdout.write(
                    f"Left alone, changed or deleted since they were loaded ({len(report.kept)}; "
                    "--reset writes the fixtures back over them):"
                )
                for line in report.kept:
                    self.stdout.write(f"  {line}")
