"""The one seed loader: curated fixtures first, then the seed articles, idempotently.

Every input is checked before anything is kept: the whole load runs once inside a transaction that
is rolled back, so a broken input (an undecodable file, an event whose end is before its start, an
unknown party, a quote that is not in its source) stops the run with an error naming the file and
the record, and the database is left exactly as it was. Then the load runs for real, one
transaction per file. A second run finds everything in place and creates nothing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from tqdm import tqdm

from timeline.models import Party

from .article import read_article
from .errors import IngestError
from .fixtures import FixtureReport, fixture_file_load
from .ingestion import IngestReport, article_ingest
from .manifest import manifest_entry, manifest_load
from .selectors import party_matcher


@dataclass
class SeedsReport:
    fixtures: list[FixtureReport] = field(default_factory=list)
    articles: list[IngestReport] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(r.changed for r in self.fixtures) or any(r.changed for r in self.articles)


def seeds_load(
    *,
    fixtures_dir: str | Path,
    seeds_dir: str | Path,
    manifest_path: str | Path | None = None,
    progress: bool | None = None,
) -> SeedsReport:
    """Load ``fixtures_dir/*.json`` (in name order), then ingest ``seeds_dir/*.txt``.
    ``progress=None`` shows a progress bar only on a terminal."""
    fixture_files = sorted(Path(fixtures_dir).glob("*.json"))
    article_files = sorted(Path(seeds_dir).glob("*.txt"))
    manifest_path = Path(manifest_path) if manifest_path else Path(seeds_dir) / "manifest.json"
    manifest = manifest_load(manifest_path) if manifest_path.is_file() else {}
    for name in sorted(set(manifest) - {f.name for f in article_files}):
        raise IngestError(f"names no article file in {seeds_dir}", path=manifest_path, record=name)

    with transaction.atomic():  # the check: everything, then roll it all back
        _run(fixture_files, article_files, manifest, progress, "checking")
        transaction.set_rollback(True)
    # For real: fixture_file_load and article_ingest are each one transaction.
    return _run(fixture_files, article_files, manifest, progress, "loading")


def _run(fixture_files, article_files, manifest, progress, label) -> SeedsReport:
    report = SeedsReport()
    steps = [("fixture", f) for f in fixture_files] + [("article", f) for f in article_files]
    disable = None if progress is None else not progress
    for kind, path in tqdm(steps, desc=label, unit="file", disable=disable, file=sys.stderr, leave=False):
        if kind == "fixture":
            report.fixtures.append(fixture_file_load(path=path))
        else:
            report.articles.append(_ingest(path, manifest))
    return report


def _ingest(path: Path, manifest: dict) -> IngestReport:
    publishers = [name for p in Party.objects.filter(kind=Party.Kind.MEDIA) for name in p.names]
    article = read_article(path, overrides=manifest_entry(manifest, path), known_publishers=publishers)
    return article_ingest(article=article, matcher=party_matcher())
