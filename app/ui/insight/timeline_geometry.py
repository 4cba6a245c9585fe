"""Where the timeline strip's parts go, as plain data: its bars, tick labels, undated box, and the
top row's title or legend and chosen range, computed from a
:class:`~app.insight.timeline.Timeline` and a size (and the font's metrics), and what is under a
point of it. :class:`app.ui.insight.timeline_view.TimelineView` lays them out once per timeline,
size, font or language change and only draws them when it paints.

A bar stands for one bucket of one series while the buckets are wide enough; past that, for the
busiest of the buckets in its pixel column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, NamedTuple

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from app.insight.timeline import Timeline

UNDATED = -1  # the bucket index that stands for the undated box
MARGIN = 6  # px around the picture
GAP = 8  # px between the bars and the undated box
TICK = 3  # px of a tick mark under the baseline
SWATCH = 9  # px of a legend swatch
LABEL_SPACING = 10  # px at least between two tick labels


@dataclass(frozen=True, slots=True)
class Bar:
    rect: QRectF
    series: int
    first: int  # the buckets it stands for (one, unless several share a pixel column)
    last: int


@dataclass(frozen=True, slots=True)
class Tick:
    x: float  # where its tick mark is: the middle of a wide bar, else the start of the period
    text: str
    rect: QRectF  # where the label is drawn


# Tick labels go on buckets that start a round period; the first rule whose labels do not crowd
# each other wins. Each list runs from every bucket to the sparsest.
def _year_rules(step: int) -> Callable[[date], bool]:
    return lambda d: d.month == 1 and d.day == 1 and d.year % step == 0


_TICK_RULES: dict[str, list[Callable[[date], bool]]] = {
    "day": [lambda d: True, lambda d: d.day % 2 == 1 and d.day < 31, lambda d: d.day in (1, 6, 11, 16, 21, 26),
            lambda d: d.day in (1, 11, 21), lambda d: d.day in (1, 16), lambda d: d.day == 1,
            lambda d: d.day == 1 and d.month % 2 == 1, lambda d: d.day == 1 and d.month % 3 == 1,
            lambda d: d.day == 1 and d.month % 6 == 1, *(_year_rules(s) for s in (1, 2, 5, 10))],
    "week": [lambda d: True, lambda d: d.isocalendar()[1] % 2 == 1, lambda d: d.isocalendar()[1] % 4 == 1,
             lambda d: d.isocalendar()[1] % 13 == 1, lambda d: d.isocalendar()[1] % 26 == 1,
             *(lambda d, s=s: d.isocalendar()[1] == 1 and d.isocalendar()[0] % s == 0 for s in (1, 2, 5, 10))],
    "month": [lambda d: True, lambda d: d.month % 2 == 1, lambda d: d.month % 3 == 1, lambda d: d.month % 6 == 1,
              *(_year_rules(s) for s in (1, 2, 5, 10, 20))],
    "year": [lambda d, s=s: d.year % s == 0 for s in (1, 2, 5, 10, 20, 50, 100)],
}


@dataclass(slots=True)
class Strip:
    """The bars, ticks and undated box of one timeline at one size."""

    width: float = 0.0
    height: float = 0.0
    buckets: int = 0  # how many buckets the bars stand for
    plot: QRectF = field(default_factory=QRectF)  # where the bars stand (their bottom is the baseline)
    bucket_width: float = 0.0
    per_bucket: bool = True  # one bar per bucket and series (else one per pixel column)
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    undated_box: QRectF = field(default_factory=QRectF)

    def bucket_at(self, x: float, strict_y: float | None = None) -> int | None:
        """The bucket under ``x`` (None beside the bars); with ``strict_y``, only over the bars
        and their tick labels."""
        plot = self.plot
        if not self.buckets or not plot.left() <= x < plot.right():
            return None
        if strict_y is not None and not plot.top() <= strict_y <= self.height - MARGIN:
            return None
        return min(int((x - plot.left()) / self.bucket_width), self.buckets - 1)

    def series_at(self, x: float, bucket: int, series: int) -> int | None:
        """The series of the bar under ``x`` in ``bucket`` when ``series`` are compared (None when
        the bars are too thin to tell)."""
        if series <= 1:
            return 0
        if not self.per_bucket:
            return None
        bw = self.bucket_width
        gap = _bar_gap(bw)
        offset = x - (self.plot.left() + bucket * bw + gap / 2)
        return min(max(int(offset / ((bw - gap) / series)), 0), series - 1)

    def undated_row_at(self, y: float, line: float, series: int) -> int | None:
        """The series whose undated count is on the row at ``y`` of the undated box (None off the rows)."""
        inner = self.undated_box.adjusted(6, 4, -6, -4)
        first_row = inner.center().y() - (series + 1) * line / 2 + line
        row = int((y - first_row) // line)
        return row if 0 <= row < series else None


def _bar_gap(bucket_width: float) -> float:
    return 0.0 if bucket_width < 4 else min(bucket_width * 0.2, 8.0)


def undated_width(fm: QFontMetricsF, words: list[str], series: int) -> float:
    """The undated box fits the widest of ``words`` (its label wraps; with each series' count
    when ``series`` are compared)."""
    extra = SWATCH + 4 if series > 1 else 0
    return max(fm.horizontalAdvance(word) for word in words) + extra + 12


def lay_out_strip(t: Timeline | None, maximum: int, fm: QFontMetricsF, width: float, height: float,
                  undated_words: list[str]) -> Strip:
    """The bars (as tall as their counts, ``maximum`` the full height), the tick labels and the
    undated box (fitting ``undated_words``) of ``t`` in a strip ``width`` × ``height``."""
    line = fm.height()
    strip = Strip(width, height, len(t.buckets) if t is not None else 0)
    top = MARGIN + line + 4  # the title or legend row, and the chosen range with its "×"
    bottom = height - MARGIN - line - TICK - 2  # the baseline; tick labels under it
    right = width - MARGIN
    if t is not None and any(s.undated for s in t.series):
        box_w = undated_width(fm, undated_words, len(t.series))
        strip.undated_box = QRectF(right - box_w, top, box_w, bottom - top + TICK + 2 + line)
        right -= box_w + GAP
    strip.plot = plot = QRectF(MARGIN, top, max(1.0, right - MARGIN), max(1.0, bottom - top))
    if t is None or not t.buckets:
        return strip
    n, k = len(t.buckets), max(1, len(t.series))
    strip.bucket_width = bw = plot.width() / n
    strip.per_bucket = bw / k >= 1.5
    scale = plot.height() / maximum if maximum else 0.0

    def height_of(count: int) -> float:
        return 0.0 if count <= 0 else max(1.0, count * scale)

    if strip.per_bucket:
        gap = _bar_gap(bw)
        sub = (bw - gap) / k
        for i in range(n):
            x0 = plot.left() + i * bw + gap / 2
            for s, series in enumerate(t.series):
                if hh := height_of(series.counts[i]):
                    strip.bars.append(Bar(QRectF(x0 + s * sub, plot.bottom() - hh, sub, hh), s, i, i))
    else:  # several buckets per pixel column: the busiest of them stands for the column
        columns = max(1, int(plot.width()))
        for c in range(columns):
            first = int(c * n / columns)
            last = max(first, int((c + 1) * n / columns) - 1)
            heights = sorted(((height_of(max(series.counts[first:last + 1])), s) for s, series in enumerate(t.series)),
                             reverse=True)  # tallest first, so every series shows its top
            for hh, s in heights:
                if hh:
                    strip.bars.append(Bar(QRectF(plot.left() + c, plot.bottom() - hh, 1.0, hh), s, first, last))
    strip.ticks = lay_out_ticks(t, plot, bw, fm)
    return strip


def lay_out_ticks(t: Timeline, plot: QRectF, bw: float, fm: QFontMetricsF) -> list[Tick]:
    """Tick labels under the bars of ``plot`` (``bw`` wide each), on round periods that leave
    their labels room; the span's ends when too few round periods fall in it."""
    need = max(fm.horizontalAdvance(b.label) for b in (t.buckets[0], t.buckets[-1])) + LABEL_SPACING
    rules = _TICK_RULES[t.unit]
    chosen: list[int] = []
    for rule in rules:  # the densest rule whose labels have room
        chosen = [i for i, b in enumerate(t.buckets) if rule(b.start)]
        if len(chosen) >= 2 and min(b - a for a, b in zip(chosen, chosen[1:])) * bw >= need:
            break
        if len(chosen) < 2 and chosen:
            break
    y = plot.bottom() + TICK + 1
    placed: list[Tick] = []
    centred = bw >= need  # a label under each bar's middle; else from the start of its period

    def place(i: int) -> None:
        text = t.buckets[i].label
        width = fm.horizontalAdvance(text)
        x = plot.left() + (i + 0.5 if centred else i) * bw
        left = min(x - width / 2 if centred else x, plot.right() - width)
        rect = QRectF(left, y, width, fm.height())
        if any(rect.adjusted(-LABEL_SPACING / 2, 0, LABEL_SPACING / 2, 0).intersects(p.rect) for p in placed):
            return
        if left < plot.left() - 0.5:  # wider than the whole strip
            return
        placed.append(Tick(x, text, rect))

    for i in chosen:
        place(i)
    if len(placed) < 2:  # too few round periods in the span: label its ends if they fit
        place(0)
        place(len(t.buckets) - 1)
    return sorted(placed, key=lambda tick: tick.x)


class TopRow(NamedTuple):
    clear_box: QRectF  # the "×" shown while a range is chosen
    description_rect: QRectF  # the chosen range's description, left of the "×"
    legend: list[tuple[QRectF, int, str]]  # (where, series, elided name)
    title: str


def lay_out_top_row(fm: QFontMetricsF, width: float, names: list[str], title: str | None,
                    description: str | None) -> TopRow:
    """The title (``title``, None without a timeline) or, when several series are compared, the
    legend of their ``names`` on the left; the chosen range's ``description`` (None when none is
    chosen) and its "×" on the right."""
    line = fm.height()
    y = MARGIN
    right = width - MARGIN
    clear_box = description_rect = QRectF()
    legend: list[tuple[QRectF, int, str]] = []
    if description is not None:
        clear_box = QRectF(right - line, y, line, line)
        right -= line + 4
        # the legend keeps its natural width while it needs less than 40 % of the row
        legend_width = sum(SWATCH + 4 + fm.horizontalAdvance(n) + 14 for n in names)
        text_width = min(fm.horizontalAdvance(description),
                         right - MARGIN - min(legend_width, (right - MARGIN) * 0.4))
        text_width = max(text_width, 0.0)
        description_rect = QRectF(right - text_width, y, text_width, line)
        right -= text_width + 12
    if names:
        x = float(MARGIN)
        room = (right - MARGIN) / len(names) - SWATCH - 14
        for s, full in enumerate(names):
            name = fm.elidedText(full, Qt.TextElideMode.ElideRight, max(room, fm.height()))
            name_width = SWATCH + 4 + fm.horizontalAdvance(name)
            legend.append((QRectF(x, y, name_width, line), s, name))
            x += name_width + 14
        return TopRow(clear_box, description_rect, legend, "")
    if title is None:
        return TopRow(clear_box, description_rect, legend, "")
    return TopRow(clear_box, description_rect, legend,
                  fm.elidedText(title, Qt.TextElideMode.ElideRight, max(0.0, right - MARGIN)))
