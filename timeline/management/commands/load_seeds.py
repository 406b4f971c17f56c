"""``manage.py load_seeds``: the curated fixtures, then the seed articles — the timeline a new user
sees on the first ``make run``. Running it again creates nothing; a broken input changes nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from timeline.ingest.errors import IngestError
from timeline.ingest.seeds import seeds_load
from timeline.models import Event, Party, Source


class Command(BaseCommand):
    help = (
        "Load fixtures/*.json and ingest seeds/*.txt, one transaction per file, checking every input first."
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

    def handle(self, *args, fixtures, seeds, manifest, no_progress, verbosity, **options):
        try:
            report = seeds_load(
                fixtures_dir=fixtures,
                seeds_dir=seeds,
                manifest_path=manifest,
                progress=False if no_progress else None,
            )
        except IngestError as exc:
            raise CommandError(f"{exc} (nothing was loaded)") from None
        except OSError as exc:
            raise CommandError(f"{exc.filename}: {exc.strerror} (nothing was loaded)") from None
        if verbosity >= 2:
            for line in [r.summary() for r in report.fixtures] + [r.summary() for r in report.articles]:
                self.stdout.write(line)
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
