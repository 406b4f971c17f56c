"""The public page's visual timeline (timeline.chart): points for days, bars for spans, labels,
ticks that follow the range, long spans that do not take the axis, a layout for phones."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from types import SimpleNamespace

from django.urls import reverse

from timeline import chart, services
from timeline.fuzzy_columns import OPEN_END, OPEN_START


def ev(pk, earliest, latest=None, title=None, kind="statement"):
    """A stand-in for an Event row: the fields the layout reads."""
    latest = latest or earliest
    return SimpleNamespace(
        pk=pk,
        title=title or f"Event number {pk}",
        date_label=f"{earliest} – {latest}",
        kind=kind,
        earliest=earliest,
        latest=latest,
        get_kind_display=lambda: kind.title(),
    )


def bars_by_id(c):
    return {b.event_id: b for b in c.bars}


def test_a_day_is_a_point_and_a_month_is_a_bar_a_month_long():
    day = ev(1, date(2022, 2, 24))
    month = ev(2, date(2022, 9, 1), date(2022, 9, 30))
    two_months = ev(3, date(2022, 11, 1), date(2022, 12, 31))
    c = chart.layout([day, month, two_months])
    bars = bars_by_id(c)
    assert bars[1].point and not bars[2].point and not bars[3].point
    assert bars[1].width == 2 * chart.POINT_RADIUS  # a dot, whatever the scale
    # A bar's width is its span on the axis: September has 30 days, November and December 61.
    assert abs(bars[2].width / bars[3].width - 30 / 61) < 0.01


def test_a_point_is_drawn_as_a_circle_and_a_span_as_a_rect(client, db):
    services.event_create(title="A single day", date="2022-02-24", status="reviewed")
    services.event_create(title="A whole month", date="September 2022", status="reviewed")
    html = client.get(reverse("timeline-page")).content.decode()
    wide = html[html.index('class="chart-wide"') : html.index("</svg>")]
    assert wide.count("<circle") == 1 and wide.count('<rect class="bar"') == 1


def test_a_short_range_gets_month_ticks_under_its_years():
    c = chart.layout([ev(1, date(2023, 2, 1)), ev(2, date(2023, 11, 20))])
    texts = [t.text for t in c.ticks if t.text]
    assert "2023" in texts
    assert {"Feb", "Apr", "Jun"} <= set(texts)  # at least every other month is named


def test_a_long_range_gets_year_ticks_only():
    c = chart.layout([ev(1, date(1990, 1, 1)), ev(2, date(2024, 6, 1))])
    texts = [t.text for t in c.ticks if t.text]
    assert texts and all(t.isdigit() for t in texts)
    assert not any(t in chart.MONTHS for t in texts)


def test_tick_labels_never_crowd_each_other_at_any_width():
    for years in (1, 3, 12, 60, 400):
        events = [ev(1, date(1900, 1, 1)), ev(2, date(1900 + years, 1, 1))]
        for c in chart.layout(events).variants:
            for row in (0, 1):
                xs = sorted(t.x for t in c.ticks if t.text and t.row == row)
                gaps = [b - a for a, b in pairwise(xs)]
                assert all(g >= 30 for g in gaps), (years, c.name, row, gaps)


def test_a_long_span_does_not_take_the_axis_from_the_other_events():
    span = ev(1, date(2000, 1, 1), date(2024, 3, 31), title="A long span")
    days = [ev(10 + i, date(2024, 1 + i, 15)) for i in range(6)]
    c = chart.layout([span, *days])
    assert c.start >= date(2023, 1, 1)  # the axis keeps to the other events…
    bars = bars_by_id(c)
    assert bars[1].runs_left and bars[1].arrow_left  # …and the span runs off its edge, with an arrow
    # the days (five months apart) are spread over the axis, not squeezed into 1/50 of 24 years
    assert bars[15].cx - bars[10].cx > 0.6 * c.width
    # and the long bar is drawn below them: the first lane is theirs
    assert bars[1].y > bars[10].y


def test_a_day_beside_a_year_is_shown_on_the_whole_year():
    c = chart.layout([ev(1, date(2022, 1, 1), date(2022, 12, 31)), ev(2, date(2022, 2, 24))])
    assert c.start == date(2022, 1, 1) and c.end == date(2022, 12, 31)
    assert not any(b.runs_left or b.runs_right for b in c.bars)


def test_spans_that_fit_keep_the_whole_axis():
    a = ev(1, date(2022, 1, 1), date(2022, 12, 31))
    b = ev(2, date(2022, 3, 1))
    c = chart.layout([a, b])
    bars = bars_by_id(c)
    assert c.start <= date(2022, 1, 1) and c.end >= date(2022, 12, 31)
    assert not bars[1].runs_left and not bars[1].runs_right


def test_an_open_start_runs_off_the_left_edge_with_an_arrow():
    until = ev(1, OPEN_START, date(2023, 12, 23))
    since = ev(2, date(2024, 5, 21), OPEN_END)
    c = chart.layout([until, since, ev(3, date(2023, 6, 1))])
    bars = bars_by_id(c)
    assert bars[1].runs_left and not bars[1].runs_right
    assert bars[2].runs_right and not bars[2].runs_left
    assert c.start.year == 2023 and c.end.year == 2024  # open bounds do not stretch the axis


def test_marks_are_labelled_with_their_titles_where_the_label_fits():
    c = chart.layout(
        [ev(1, date(2022, 2, 24), title="Russia launches its military operation"), ev(2, date(2022, 12, 1))]
    )
    bar = bars_by_id(c)[1]
    assert bar.text == "Russia launches its military operation"
    assert bar.text_x > bar.cx  # beside the point, to its right


def test_labels_never_overlap_another_mark_or_label_in_their_lane():
    events = [
        ev(i, date(2022, 1 + i % 12, 1 + i % 27), title=f"Event {i} " + "word " * (i % 9)) for i in range(60)
    ]
    for c in chart.layout(events).variants:
        lanes = {}
        for b in c.bars:
            lo, hi = b.x - (8 if b.runs_left else 0), b.x + b.width + (8 if b.runs_right else 0)
            if b.text and not b.text_inside:
                w = len(b.text) * chart.CHAR_WIDTH
                lo, hi = (
                    (min(lo, b.text_x - w), hi) if b.text_anchor == "end" else (lo, max(hi, b.text_x + w))
                )
            assert 0 <= lo and hi <= c.width, (c.name, b)
            for other in lanes.setdefault(b.y, []):
                assert hi <= other[0] or lo >= other[1], (c.name, b.event_id)
            lanes[b.y].append((lo, hi))


def test_a_long_title_is_shortened_at_a_word_with_an_ellipsis():
    assert chart.shorten("Zelensky says peace talks can only proceed once Crimea is back", 30) == (
        "Zelensky says peace talks can…"
    )
    assert chart.shorten("short", 30) == "short"


def test_every_width_has_its_own_layout_and_the_page_carries_all_three(client, db):
    services.event_create(title="A single day", date="2022-02-24", status="reviewed")
    c = chart.layout([ev(1, date(2022, 2, 24))])
    assert [v.width for v in c.variants] == [1000, 640, 360]
    html = client.get(reverse("timeline-page")).content.decode()
    for name in ("wide", "medium", "narrow"):
        assert f'class="chart-{name}"' in html


def test_chart_titles_and_labels_are_escaped(client, db):
    services.event_create(title="<b>bold</b> & co", date="2022-02-24", status="reviewed")
    html = client.get(reverse("timeline-page")).content.decode()
    svg = html[html.index("<svg") : html.index("</figure>")]
    assert "<b>bold</b>" not in svg and "&lt;b&gt;bold&lt;/b&gt; &amp; co" in svg


def test_the_chart_uses_no_inline_style_attributes(client, db):
    services.event_create(title="A month", date="September 2022", kind="proposal", status="reviewed")
    html = client.get(reverse("timeline-page")).content.decode()
    figure = html[html.index('<figure class="chart"') : html.index("</figure>")]
    assert "style=" not in figure and "<script" not in figure
    assert 'class="mark k-proposal"' in figure


def test_many_events_on_one_day_keep_the_chart_to_a_bounded_height_and_all_their_marks():
    events = [ev(i, date(2022, 2, 24), title=f"Same day {i}") for i in range(300)]
    for c in chart.layout(events).variants:
        assert len(c.bars) == 300  # every event keeps its mark (and its link)
        assert c.height <= c.top + 8 + chart.MAX_LANES * chart.LANE_HEIGHT
        assert sum(1 for b in c.bars if b.text) <= chart.LABEL_LANES  # labels only where they fit
