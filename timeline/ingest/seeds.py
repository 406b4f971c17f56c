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

from timeline.models import Party, SeedRecord, content_hash

from .article import read_article
from .errors import IngestError
from .fixtures import FixtureReport, fixture_file_load
from .ingestion import IngestReport, article_ingest
from .manifest import manifest_entry, manifest_load
from .selectors import party_matcher

ARTICLE = "article"  # SeedRecord.kind of a seed article ingested


@dataclass
class SeedsReport:
    fixtures: list[FixtureReport] = field(default_factory=list)
    articles: list[IngestReport] = field(default_factory=list)
    # Seed articles ingested by an earlier run: not read again, so that what editors did with the
    # events and citations they gave (a draft deleted, a citation removed) is not undone.
    skipped_articles: list[str] = field(default_factory=list)

    @property
    def kept(self) -> list[str]:
        """Every record left alone because it was changed or deleted since it was loaded."""
        return [f"{Path(r.path).name}: {line}" for r in self.fixtures for line in r.kept]

    @property
    def changed(self) -> bool:
        return any(r.changed for r in self.fixtures) or any(r.changed for r in self.articles)


def seeds_load(
    *,
    fixtures_dir: str | Path,
    seeds_dir: str | Path,
    manifest_path: str | Path | None = None,
    progress: bool | None = None,
    reset: bool = False,
) -> SeedsReport:
    """Load ``fixtures_dir/*.json`` (in name order), then ingest ``seeds_dir/*.txt``.
    ``progress=None`` shows a progress bar only on a terminal. A row changed or deleted since it was
    loaded is left alone (``SeedsReport.kept``) and a seed article already ingested is not ingested
    again, unless ``reset``: then the fixtures are written over the rows and the articles re-read."""
    fixture_files = sorted(Path(fixtures_dir).glob("*.json"))
    article_files = sorted(Path(seeds_dir).glob("*.txt"))
    manifest_path = Path(manifest_path) if manifest_path else Path(seeds_dir) / "manifest.json"
    manifest = manifest_load(manifest_path) if manifest_path.is_file() else {}
    for name in sorted(set(manifest) - {f.name for f in article_files}):
        raise IngestError(f"names no article file in {seeds_dir}", path=manifest_path, record=name)

    with transaction.atomic():  # the check: everything, then roll it all back
        _run(fixture_files, article_files, manifest, progress, "checking", reset)
        transaction.set_rollback(True)
    # For real: fixture_file_load and article_ingest are each one transaction.
    return _run(fixture_files, article_files, manifest, progress, "loading", reset)


def _run(fixture_files, article_files, manifest, progress, label, reset) -> SeedsReport:
    report = SeedsReport()
    steps = [("fixture", f) for f in fixture_files] + [("article", f) for f in article_files]
    disable = None if progress is None else not progress
    for kind, path in tqdm(steps, desc=label, unit="file", disable=disable, file=sys.stderr, leave=False):
        if kind == "fixture":
            report.fixtures.append(fixture_file_load(path=path, reset=reset))
        else:
            ingested = _ingest(path, manifest, reset)
            if ingested is None:
                report.skipped_articles.append(str(path))
            else:
                report.articles.append(ingested)
    return report


def _ingest(path: Path, manifest: dict, reset: bool) -> IngestReport | None:
    """The article ingested, or None if an earlier run ingested it (and ``reset`` is not asked)."""
    publishers = [name for p in Party.objects.filter(kind=Party.Kind.MEDIA) for name in p.names]
    article = read_article(path, overrides=manifest_entry(manifest, path), known_publishers=publishers)
    digest = content_hash(article.body)
    if not reset and SeedRecord.objects.filter(kind=ARTICLE, key=digest).exists():
        return None
    with transaction.atomic():
        report = article_ingest(article=article, matcher=party_matcher())
        SeedRecord.objects.get_or_create(kind=ARTICLE, key=digest, defaults={"loaded": {"path": path.name}})
    return report
