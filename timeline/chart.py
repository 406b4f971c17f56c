"""Layout of the visual timeline on the public page: every event is a bar from its earliest to its
latest day, so an imprecise date ("2022") is drawn as the span it covers, never as a point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .fuzzy_columns import OPEN_END, OPEN_START

WIDTH = 1000
LANE_HEIGHT = 22
MIN_BAR = 6  # px: a one-day event must still be visible and clickable


@dataclass(frozen=True)
class Bar:
    event_id: int
    title: str
    label: str
    kind: str
    x: float
    y: float
    width: float
    point: bool  # a single day: drawn as a dot-like bar


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]


def _ordinal(d: date) -> int:
    return d.toordinal()


def layout(events) -> Chart | None:
    """Pack events into lanes (first lane where the bar fits) on a shared time axis."""
    rows = [e for e in events]
    if not rows:
        return None
    known_lo = [e.earliest for e in rows if e.earliest != OPEN_START]
    known_hi = [e.latest for e in rows if e.latest != OPEN_END]
    lo = min(known_lo or known_hi)
    hi = max(known_hi or known_lo)
    lo, hi = date(lo.year, 1, 1), date(hi.year, 12, 31)
    span = max(_ordinal(hi) - _ordinal(lo), 1)

    def x_of(d: date) -> float:
        d = min(max(d, lo), hi)  # open-ended events run to the edge of the chart
        return round((_ordinal(d) - _ordinal(lo)) / span * WIDTH, 1)

    lanes: list[float] = []  # right edge of the last bar in each lane
    bars = []
    for e in sorted(rows, key=lambda e: (e.earliest, e.latest, e.pk)):
        x0, x1 = x_of(e.earliest), x_of(e.latest) + WIDTH / span
        width = max(x1 - x0, MIN_BAR)
        lane = next((i for i, right in enumerate(lanes) if right + 2 <= x0), None)
        if lane is None:
            lanes.append(0)
            lane = len(lanes) - 1
        lanes[lane] = x0 + width
        bars.append(
            Bar(
                e.pk,
                e.title,
                e.date_label,
                e.kind,
                x0,
                24 + lane * LANE_HEIGHT,
                round(width, 1),
                point=e.earliest == e.latest,
            )
        )
    step = max(1, (hi.year - lo.year + 1) // 10)
    ticks = [Tick(x_of(date(y, 1, 1)), str(y)) for y in range(lo.year, hi.year + 1, step)]
    return Chart(WIDTH, 24 + len(lanes) * LANE_HEIGHT + 8, bars, ticks)
