"""``manage.py load_seeds``: the curated fixtures, then the seed articles — the timeline a new user
sees on the first ``make run``. Running it again creates nothing; a broken input changes nothing.

The fixture loader saves rows raw (as ``loaddata`` does), which django-simple-history skips; here each
event, party and source it creates or changes gets its history record ("+" or "~", no user, a change
reason naming the fixtures) in the same transaction, so an editor can revert a seed row to what was
loaded. Rows the seed articles add go through the services and have their history already."""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models.signals import post_save

from timeline.ingest.errors import IngestError
from timeline.ingest.seeds import seeds_load
from timeline.models import Event, Party, Source

HISTORY_TRACKED = (Event, Party, Source)
CREATED_REASON = "loaded from fixtures"
UPDATED_REASON = "updated from fixtures"


def _record_raw_save(sender, instance, created, raw=False, using=None, **kwargs):
    if raw and sender in HISTORY_TRACKED:
        sender.history.bulk_history_create(
            [instance],
            update=not created,
            default_change_reason=CREATED_REASON if created else UPDATED_REASON,
        )


@contextmanager
def history_of_raw_saves():
    """While it is open, a raw save (a fixture record) of an event, party or source writes its history
    record, inside the loader's transaction (rolled back with it when the loader only checks)."""
    post_save.connect(_record_raw_save, weak=False, dispatch_uid="load_seeds_history")
    try:
        yield
    finally:
        post_save.disconnect(dispatch_uid="load_seeds_history")


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
            with history_of_raw_saves():
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
