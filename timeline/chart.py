"""Layout of the visual timeline on the public page, drawn as SVG on the server.

A single day is a point; an imprecise date ("2022", "September 2022") or a span is a bar from its
earliest to its latest day, so it is drawn as the whole span it may mean. Events are packed into
lanes, each labelled with its title where the label fits (beside the mark, or inside a long bar).

The axis covers the events, except that a few long spans may not stretch it over years where
nothing else happens: when more than a fifth of the axis would hold only such spans, the axis keeps
to the other events and the long spans run off its edge with an arrow (their label and tooltip give
their real dates). An open end (EDTF ``..``) runs to the edge with the same arrow. Ticks are years,
or months (with the years above them) when the range is short enough for them to be read.

The page gets the layout for three widths (wide, medium, narrow) and CSS shows the one that fits the
screen, so a phone gets a chart drawn for its width instead of a wide one cut off or shrunk.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .fuzzy_columns import OPEN_END, OPEN_START

WIDTH = 1000  # the wide layout's width, in SVG units (about a pixel each on a desktop page)
VARIANTS = (("wide", 1000), ("medium", 640), ("narrow", 360))
PAD = 10  # gutter left and right, where the arrows of runaway bars go
LANE_HEIGHT = 20
BAR_HEIGHT = 12
POINT_RADIUS = 5
MIN_BAR = 3  # px: the shortest span drawn (still a bar, never mistaken for a point)
CHAR_WIDTH = 6.0  # px per character of an 11 px sans-serif label (measured 5.4 in Chromium's)
BOLD_CHAR_WIDTH = 6.8  # the same in bold, as labels inside bars are
LABEL_GAP = 4
LABEL_LANES = 20  # lanes where labels go; beyond them, marks go unlabelled where they fit
MAX_LANES = 40  # beyond, a mark that fits no lane is drawn over others (its link and tooltip stay)
LONG_SHARE = 0.5  # a span longer than this share of all events' range may be cut at the axis' edge…
WASTE_SHARE = 0.2  # …when more than this share of the axis would hold nothing but such spans
MIN_CORE_DAYS = 60  # …and the other events cover two months at least (else the axis shows all)
MIN_LABEL_SPACING = 34  # px between two tick labels
MIN_MINOR_SPACING = 6  # px between two unlabelled tick lines
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
STEPS = (1, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000)  # tick steps, in months


@dataclass(frozen=True)
class Bar:
    """One event's mark: a point (``point``, centre ``cx``) or a bar from ``x`` over ``width``."""

    event_id: int
    title: str
    label: str  # the event's date label ("September 2022"), for the tooltip
    kind: str
    x: float
    y: float
    width: float
    point: bool  # a single day: drawn as a point
    cx: float = 0.0
    cy: float = 0.0
    text: str = ""  # the label drawn beside or inside the mark ("" when none fits)
    text_x: float = 0.0
    text_y: float = 0.0
    text_anchor: str = "start"
    text_inside: bool = False
    runs_left: bool = False  # open start, or starts before the axis: an arrow on the left edge
    runs_right: bool = False
    arrow_left: str = ""  # SVG polygon points of the arrows
    arrow_right: str = ""
    href: str = ""  # the event's page


@dataclass(frozen=True)
class Tick:
    x: float
    text: str
    major: bool = True  # a year; a month or an unlabelled line is not
    row: int = 0  # 0: the top row (years), 1: the month row below it
    y1: int = 14  # where its line starts (below its label)

    @property
    def text_x(self) -> float:
        return round(self.x + 3, 1)

    @property
    def text_y(self) -> int:
        return 24 if self.row else 11


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    name: str = "wide"
    top: int = 16  # y where the lanes' area starts (below the tick labels)
    start: date | None = None  # the axis' first and last day
    end: date | None = None
    kinds: list[tuple[str, str]] = field(default_factory=list)  # (kind, its name) of the kinds drawn
    variants: list[Chart] = field(default_factory=list)  # this layout and the narrower ones

    @property
    def marks_svg(self) -> SafeString:
        """The SVG of every mark, each a link to its event with its label and a tooltip. Built here
        rather than in the template: a page of 500 events has 1,500 marks, which Django's template
        engine took over a second to write; everything from the database is escaped."""
        return mark_safe("\n".join(_mark_svg(bar) for bar in self.bars))


def layout(events) -> Chart | None:
    """The wide layout of ``events`` (None for none), with every width's layout in ``variants``."""
    rows = list(events)
    if not rows:
        return None
    wanted = axis_range(rows)
    if wanted is None:  # no known bound at all
        return None
    urls = {e.pk: _event_url(e.pk) for e in rows}
    charts = [_layout(rows, wanted, width, name, urls) for name, width in VARIANTS]
    charts[0].variants.extend(charts)
    return charts[0]


# --- the axis ------------------------------------------------------------------------------------


def _known(e) -> tuple[int | None, int | None]:
    lo = None if e.earliest == OPEN_START else e.earliest.toordinal()
    hi = None if e.latest == OPEN_END else e.latest.toordinal()
    return lo, hi


def _hull(rows) -> tuple[int, int] | None:
    values = [v for e in rows for v in _known(e) if v is not None]
    return (min(values), max(values)) if values else None


def axis_range(rows) -> tuple[int, int] | None:
    """First and last day (ordinals) the axis must show, before rounding to its ticks: all events'
    known bounds, unless spans over half of that range would fill more than ``WASTE_SHARE`` of it by
    themselves: then the other events' range (if they cover ``MIN_CORE_DAYS``; a day or two beside a
    year is shown on the whole year)."""
    full = _hull(rows)
    if full is None:
        return None
    full_days = full[1] - full[0] + 1

    def is_long(e):
        lo, hi = _known(e)
        return lo is not None and hi is not None and hi - lo + 1 > LONG_SHARE * full_days

    core = _hull([e for e in rows if not is_long(e)]) or full
    core_days = core[1] - core[0] + 1
    if full_days - core_days <= WASTE_SHARE * full_days or core_days < MIN_CORE_DAYS:
        return full
    return core


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_start(index: int) -> date:
    index = min(max(index, 12), 9999 * 12 + 11)
    return date(index // 12, index % 12 + 1, 1)


def _axis(lo: int, hi: int, plot_width: float) -> tuple[int, int, int]:
    """The tick step (months) and the axis' first and last day, rounded outward to the step."""
    for step in STEPS:
        first = _month_index(date.fromordinal(lo)) // step * step
        last = _month_index(date.fromordinal(hi)) // step * step + step  # exclusive
        start = _month_start(first).toordinal()
        end = (_month_start(last).toordinal() - 1) if last <= 9999 * 12 + 11 else date.max.toordinal()
        px_per_day = plot_width / (end - start + 1)
        if step * 30.44 * px_per_day >= MIN_LABEL_SPACING:
            return step, start, end
    return STEPS[-1], start, end


def _ticks(step: int, start: int, end: int, x_of) -> tuple[list[Tick], int]:
    """Tick marks and the y where the lanes start (one row of labels for years, two with months)."""
    first, last = _month_index(date.fromordinal(start)), _month_index(date.fromordinal(end))
    months_px = x_of(_month_start(first + 1).toordinal()) - x_of(start)
    ticks: list[Tick] = []
    if step < 12:  # months (or quarters) labelled in a second row, years above them
        for m in range(first, last + 1):
            x = x_of(_month_start(m).toordinal())
            if m % step == 0:
                ticks.append(Tick(x, MONTHS[m % 12], major=False, row=1, y1=27))
            elif months_px >= MIN_MINOR_SPACING:
                ticks.append(Tick(x, "", major=False, row=1, y1=30))
        years = [m for m in range(first, last + 1) if m % 12 == 0]
        if years:
            ticks += [Tick(x_of(_month_start(m).toordinal()), str(m // 12), row=0) for m in years]
        # the year the axis starts in, unless January is first or the next year's label is too close
        if first % 12 and (not years or x_of(_month_start(years[0]).toordinal()) - x_of(start) >= 36):
            ticks.append(Tick(x_of(start), str(first // 12), row=0, y1=27))
        return ticks, 30
    years_px = months_px * 12
    for m in range(first, last + 1, 12):
        x = x_of(_month_start(m).toordinal())
        if m % step == 0:
            ticks.append(Tick(x, str(m // 12)))
        elif years_px >= MIN_MINOR_SPACING:
            ticks.append(Tick(x, "", major=False, y1=16))
    if step == 12 and months_px >= MIN_MINOR_SPACING:  # years labelled, months as faint lines
        ticks += [
            Tick(x_of(_month_start(m).toordinal()), "", major=False, y1=16)
            for m in range(first, last + 1)
            if m % 12
        ]
    return ticks, 16


# --- labels and lanes ----------------------------------------------------------------------------


def shorten(text: str, chars: int) -> str:
    """``text`` cut to at most ``chars`` characters, at a word where one is near, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= chars:
        return text
    if chars < 2:
        return ""
    cut = text[: chars - 1]
    space = cut.rfind(" ")
    if text[len(cut)] != " " and space >= chars * 0.6:  # not at a word's end: drop the partial word
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


class _Lane:
    """The stretches of one lane already taken, kept sorted (they never overlap), so whether a
    stretch is free is one binary search."""

    def __init__(self):
        self.starts: list[float] = []
        self.ends: list[float] = []

    def free(self, lo: float, hi: float) -> bool:
        at = bisect.bisect_left(self.starts, hi + 3)  # stretches starting before this one ends
        return at == 0 or self.ends[at - 1] + 3 <= lo  # the last of them ends before it starts

    def take(self, lo: float, hi: float) -> None:
        at = bisect.bisect_left(self.starts, lo)
        self.starts.insert(at, lo)
        self.ends.insert(at, hi)


def _event_url(pk: int) -> str:
    return reverse("event-page", args=[pk])


def _mark_svg(bar: Bar) -> str:
    shape = (
        f'<circle class="point" cx="{bar.cx}" cy="{bar.cy}" r="{POINT_RADIUS}"></circle>'
        if bar.point
        else f'<rect class="bar" x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{BAR_HEIGHT}" rx="3"></rect>'
    )
    if bar.runs_left:
        shape += f'<polygon class="runs" points="{bar.arrow_left}"></polygon>'
    if bar.runs_right:
        shape += f'<polygon class="runs" points="{bar.arrow_right}"></polygon>'
    if bar.text:
        anchor = ' text-anchor="end"' if bar.text_anchor == "end" else ""
        inside = " inside" if bar.text_inside else ""
        shape += (
            f'<text class="label{inside}" x="{bar.text_x}" y="{bar.text_y}"{anchor}>{escape(bar.text)}</text>'
        )
    return (
        f'<a href="{escape(bar.href)}" class="mark k-{escape(bar.kind)}">'
        f"<title>{escape(bar.label)}: {escape(bar.title)}</title>{shape}</a>"
    )


def _arrow(x: float, yc: float, direction: int) -> str:
    """The points of a small triangle at a bar's end ``x``, pointing left (-1) or right (1)."""
    tip, base = x + 7 * direction, x + direction
    return f"{tip:.1f},{yc} {base:.1f},{yc - 6} {base:.1f},{yc + 6}"


def _layout(rows, wanted: tuple[int, int], width: int, name: str, urls: dict[int, str]) -> Chart:
    plot = width - 2 * PAD
    step, start, end = _axis(*wanted, plot)
    days = end - start + 1

    def x_of(ordinal: int) -> float:
        return PAD + (min(max(ordinal, start), end + 1) - start) / days * plot

    ticks, top = _ticks(step, start, end, x_of)
    max_chars = max(12, min(48, int(width * 0.4 / CHAR_WIDTH)))

    marks = []
    for e in rows:
        lo, hi = _known(e)
        runs_left = lo is None or lo < start
        runs_right = hi is None or hi > end
        point = e.earliest == e.latest
        x0 = x_of(start if runs_left else lo)
        x1 = x_of(end + 1 if runs_right else hi + 1)
        if point:
            cx = (x0 + x1) / 2
            x0, x1 = cx - POINT_RADIUS, cx + POINT_RADIUS
        elif x1 - x0 < MIN_BAR:
            x1 = x0 + MIN_BAR
        cut = (lo is not None and lo < start) or (hi is not None and hi > end)
        marks.append((cut or x1 - x0 > plot / 3, e, x0, x1, point, runs_left, runs_right))
    # Points and short spans take the top lanes; bars over much of the axis, or cut at its edge,
    # come after them, so a long span does not push everything else down.
    marks.sort(key=lambda m: (m[0], m[1].earliest, m[1].latest, m[1].pk))

    lanes: list[_Lane] = []
    bars = []
    overflow = 0
    for _, e, x0, x1, point, runs_left, runs_right in marks:
        text = shorten(e.title, max_chars)
        tw = _text_width(text)
        options = []  # (footprint lo, hi, text x, anchor, inside)
        left_edge = x0 - (8 if runs_left else 0)
        right_edge = x1 + (8 if runs_right else 0)
        inside_text = shorten(e.title, int((x1 - x0 - 10) / BOLD_CHAR_WIDTH)) if not point else ""
        inside = (left_edge, right_edge, x0 + 5, "start", True)
        if len(inside_text) >= len(text):  # the whole label fits in the bar: there it goes
            options.append(inside)
        if right_edge + LABEL_GAP + tw <= width - 2:
            options.append((left_edge, right_edge + LABEL_GAP + tw, right_edge + LABEL_GAP, "start", False))
        if left_edge - LABEL_GAP - tw >= 2:
            options.append((left_edge - LABEL_GAP - tw, right_edge, left_edge - LABEL_GAP, "end", False))
        if len(text) > len(inside_text) >= 12:  # else a shorter label inside rather than none
            options.append(inside)
        placed = None
        for i, lane in enumerate(lanes[:LABEL_LANES]):  # labelled, in the first lane with room
            placed = next(((i, o) for o in options if lane.free(o[0], o[1])), None)
            if placed:
                break
        bare = (left_edge, right_edge, 0.0, "start", None)  # no label
        if placed is None and len(lanes) >= LABEL_LANES:  # unlabelled, where the mark fits
            i = next((i for i, lane in enumerate(lanes) if lane.free(left_edge, right_edge)), None)
            if i is not None:
                placed = (i, bare)
        if placed is None and len(lanes) >= MAX_LANES:  # the chart is full: drawn over others
            overflow += 1
            placed = (overflow % MAX_LANES, bare)
        if placed is None:  # a new lane, labelled while labels may open lanes
            lanes.append(_Lane())
            placed = (len(lanes) - 1, options[0] if options and len(lanes) <= LABEL_LANES else bare)
        i, (f0, f1, text_x, anchor, inside) = placed
        if lanes[i].free(f0, f1):
            lanes[i].take(f0, f1)
        y = top + 4 + i * LANE_HEIGHT
        yc = y + BAR_HEIGHT / 2
        bars.append(
            Bar(
                e.pk,
                e.title,
                e.date_label,
                e.kind,
                round(x0, 1),
                y,
                round(x1 - x0, 1),
                point=point,
                cx=round((x0 + x1) / 2, 1),
                cy=yc,
                text=(inside_text if inside else text) if inside is not None else "",
                text_x=round(text_x, 1),
                text_y=yc + 4,
                text_anchor=anchor,
                text_inside=bool(inside),
                runs_left=runs_left,
                runs_right=runs_right,
                arrow_left=_arrow(x0, yc, -1) if runs_left else "",
                arrow_right=_arrow(x1, yc, 1) if runs_right else "",
                href=urls[e.pk],
            )
        )
    bars.sort(key=lambda b: (b.y, b.x))
    names = {e.kind: e.get_kind_display() for e in rows}
    kinds = [(kind, names[kind]) for kind in dict.fromkeys(b.kind for b in bars)]
    height = top + 4 + len(lanes) * LANE_HEIGHT + 4
    return Chart(
        width,
        height,
        bars,
        ticks,
        name=name,
        top=top,
        start=date.fromordinal(start),
        end=date.fromordinal(end),
        kinds=kinds,
    )
