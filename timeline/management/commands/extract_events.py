"""``manage.py extract_events FILE… [--published DATE] --format json``: the candidate events of
article files, one JSON line per file. Reads the parties from the database; writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.ingest.article import read_article
from timeline.ingest.errors import IngestError
from timeline.ingest.extractor import extract
from timeline.ingest.manifest import manifest_beside, manifest_entry, manifest_load
from timeline.ingest.selectors import party_matcher
from timeline.management.file_commands import add_file_arguments, published_date
from timeline.models import Party, content_hash


class Command(BaseCommand):
    help = (
        "Print the dated events found in article files (one JSON line per file). Nothing is written to "
        "the database. Offsets index the article body, which is what a Source stores."
    )

    def add_arguments(self, parser):
        add_file_arguments(
            parser,
            published_help="The publication date, as timeline.dates reads it ('23 December 2023', 'late May 2024'); "
            "overrides the article's header and manifest.",
            manifest_help="A manifest.json with per-file metadata (default: manifest.json beside each file).",
        )

    def handle(self, *args, files, published, manifest, format, **options):
        published_date(published)  # a CommandError naming --published before any file is read
        explicit = manifest_load(manifest) if manifest else None
        matcher = party_matcher()
        publishers = [name for p in Party.objects.filter(kind=Party.Kind.MEDIA) for name in p.names]
        failed = 0
        for path in files:
            try:
                entry = dict(manifest_entry(explicit if explicit is not None else _beside(path), path))
                if published:
                    entry["published_text"] = published
                article = read_article(path, overrides=entry, known_publishers=publishers)
                extraction = extract(
                    text=article.body,
                    published=article.published,
                    published_text=article.published_text,
                    matcher=matcher,
                )
            except (IngestError, OSError) as exc:
                failed += 1
                self.stderr.write(str(exc) if isinstance(exc, IngestError) else f"{path}: {exc.strerror}")
                continue
            if format == "json":
                self.stdout.write(json.dumps(_as_json(path, article, extraction), ensure_ascii=False))
            else:
                self._write_text(path, article, extraction)
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be read")

    def _write_text(self, path, article, extraction):
        published = article.published
        self.stdout.write(f"{path}: {article.title} — {published.label if published else 'undated'}")
        for c in extraction.candidates:
            parties = ", ".join(slug for slug, _ in c.parties) or "-"
            self.stdout.write(f"  {c.date.label:<28} {c.kind:<16} {parties:<40} {c.quote[:90]}")
        for u in extraction.unresolved:
            self.stdout.write(f"  unresolved {u.date_text!r}: {u.reason}")


def _beside(path: str) -> dict:
    found = manifest_beside(path)
    return manifest_load(found) if found else {}


def _as_json(path: str, article, extraction) -> dict:
    published = article.published
    return {
        "file": str(Path(path)),
        "source": {
            "title": article.title,
            "publisher": article.publisher or None,
            "via": article.via or None,
            "section": article.section or None,
            "url": article.url or None,
            "language": article.language,
            "published": published.as_dict() if published else None,
            "content_hash": content_hash(article.body),
            "length": len(article.body),
        },
        "events": [c.as_json() for c in extraction.candidates],
        "unresolved": [u.as_json() for u in extraction.unresolved],
    }
