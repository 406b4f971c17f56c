"""What ``find_dates`` and ``extract_events`` share: FILE… with --published, --manifest, --format."""

from __future__ import annotations

from django.core.management.base import CommandError

from timeline import dates


def add_file_arguments(parser, *, published_help: str, manifest_help: str) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--published", help=published_help)
    parser.add_argument("--manifest", help=manifest_help)
    parser.add_argument("--format", choices=["json", "text"], default="json")


def published_date(text: str | None):
    """``--published`` read as timeline.dates reads any date (None when not given); a CommandError
    naming the option when it is not a date."""
    if not text:
        return None
    try:
        return dates.parse(text)
    except ValueError as exc:
        raise CommandError(f"--published: {exc}") from None
