"""``manage.py find_dates FILE… [--published DATE] [--manifest PATH] --format json|text``: every date
expression in plain text files, one JSON line per file. Writes nothing to the database."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline import dates
from timeline.dates.finder import find_dates, read_text_file
from timeline.ingest.errors import IngestError
from timeline.ingest.manifest import manifest_beside, manifest_entry, manifest_load
from timeline.management.file_commands import add_file_arguments, published_date


class Command(BaseCommand):
    help = (
        "Print every date expression in plain text files (one JSON line per file): offsets into the "
        "decoded text (UTF-8, BOM dropped, line endings as \\n), each date's earliest/latest ISO days "
        "(inclusive; null for an open bound), and the expressions it would not resolve. Nothing is "
        "written to the database."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        add_file_arguments(
            parser,
            published_help="The publication date of every file, as timeline.dates reads it ('7 August 1998'); "
            "overrides the manifest.",
            manifest_help="A manifest.json giving 'published' per file name (default: manifest.json beside each file).",
        )

    def handle(self, *args, files, published, manifest, format, **options):
        fixed = published_date(published)
        try:
            explicit = manifest_load(manifest) if manifest else None
        except (IngestError, OSError) as exc:
            raise CommandError(f"--manifest: {exc}") from None
        failed = 0
        for path in files:
            try:
                text = read_text_file(Path(path).read_bytes())
                pub_text, pub = self._published(path, explicit, fixed, published)
            except UnicodeDecodeError as exc:
                failed += 1
                self.stderr.write(f"{path}: not UTF-8 text (byte {exc.start})")
                continue
            except (IngestError, OSError, ValueError) as exc:
                failed += 1
                self.stderr.write(f"{path}: {getattr(exc, 'strerror', None) or exc}")
                continue
            found = find_dates(text, pub)
            line = {
                "file": path,
                "published": (pub.as_dict() | {"text": pub_text}) if pub else None,
                **found.as_json(),
            }
            if format == "json":
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            else:
                self.stdout.write(f"{path}: published {pub.label if pub else 'unknown'}")
                for d in found.dates:
                    self.stdout.write(f"  {d.start:>6}-{d.end:<6} {d.text!r:<32} {d.value.label}")
                for u in found.unresolved:
                    self.stdout.write(f"  {u.start:>6}-{u.end:<6} {u.text!r:<32} unresolved: {u.reason}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be read")

    @staticmethod
    def _published(path, explicit, fixed, published):
        if fixed is not None:
            return published, fixed
        if explicit is not None:
            entry = manifest_entry(explicit, path)
        else:
            beside = manifest_beside(path)
            entry = manifest_entry(manifest_load(beside), path) if beside else {}
        text = entry.get("published_text")
        return (text, dates.parse(text)) if text else (None, None)
