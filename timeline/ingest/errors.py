"""The one error bad ingestion input raises: it names the file and the record that is wrong."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """An input file (article, manifest or fixture) that cannot be ingested as it is."""

    def __init__(self, detail: str, *, path: str | Path | None = None, record: str | None = None):
        self.detail = detail
        self.path = str(path) if path is not None else None
        self.record = record
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.path, self.record) if part)
        return f"{where}: {self.detail}" if where else self.detail
