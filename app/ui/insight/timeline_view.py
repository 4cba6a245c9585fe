"""The timeline strip: articles per day, week, month or year, as bars, for one series or up to
three compared searches (each in its own colour, with a legend); the undated articles apart at
the right.

Click a bar or drag across several to choose a range: :attr:`TimelineView.range_chosen` carries
the ids of the chosen buckets (of the first series, or the series under the mouse when comparing)
and a description such as ``2023-05 – 2023-07``. The range stays highlighted until
:meth:`TimelineView.clear_range` (Esc, the "×" at the top right, or a click beside the bars),
which emits :attr:`TimelineView.range_cleared`. Keys: Left/Right move a cursor bucket (past the
last one to the undated box), Shift extends, Home/End, Up/Down pick the compared series, Enter
chooses, Esc clears.

Painting is cheap whatever the timeline: the bars, tick labels and boxes are laid out once per
:meth:`~TimelineView.set_timeline`, resize, font or language change
(:mod:`app.ui.insight.timeline_geometry`), with at most one bar per pixel column and series (a bar
then stands for the busiest of the buckets in its column). The same painting code draws the widget,
:meth:`~TimelineView.save_png` and :meth:`~TimelineView.save_svg`.

Why this module is over 400 lines: it is one widget whose painting, mouse, keyboard and words all
read and change the same few fields (the cursor, the drag, the chosen range, the compared series);
its geometry, the part that stands on its own, is in ``timeline_geometry.py``.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor, QContextMenuEvent, QFontMetricsF, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget

from app import palette
from app.insight.timeline import Bucket, Timeline
from app.ui.entities.legend import is_dark
from app.ui.insight import pictures
from app.ui.insight.timeline_geometry import (  # Bar, Tick and UNDATED re-exported (see __all__)
    MARGIN, SWATCH, TICK, UNDATED, Bar, Strip, Tick, lay_out_strip, lay_out_top_row,
)
from app.ui.settings import theme


class TimelineView(QWidget):
    """A compact strip (about 110 px high) drawing an :class:`app.insight.timeline.Timeline`."""

    range_chosen = Signal(list, str)  # the chosen articles' ids (in date order), a description
    range_cleared = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._timeline: Timeline | None = None
        self._max = 0
        self._strip = Strip()  # the bars, ticks and undated box as laid out for the current size
        self._clear_box = QRectF()  # the "×" shown while a range is chosen
        self._description_rect = QRectF()  # the chosen range's description, left of the "×"
        self._legend: list[tuple[QRectF, int, str]] = []  # (where, series, elided name)
        self._title = ""
        self._chosen: tuple[int, int, int] | None = None  # (series, first, last); UNDATED for the box
        self._description = ""
        self._drag: tuple[int, int, int] | None = None  # (series, anchor, current) while dragging
        self._cursor = -1  # keyboard cursor: a bucket, or len(buckets) for the undated box
        self._anchor: int | None = None  # where Shift+Left/Right started
        self._series = 0  # the series keys choose from when comparing
        self._hover = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self._update_colours()
        self._retranslate()

    # -- API ------------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(380, 110)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(160, 80)

    def timeline(self) -> Timeline | None:
        return self._timeline

    def set_timeline(self, timeline: Timeline | None) -> None:
        """Show ``timeline`` (None: nothing). A chosen range is dropped without a signal: the
        caller changed what the list shows anyway."""
        self._timeline = timeline
        self._max = max((c for s in timeline.series for c in s.counts), default=0) if timeline else 0
        self._chosen, self._description, self._drag, self._anchor = None, "", None, None
        self._cursor, self._hover, self._series = -1, -1, 0
        self._layout()
        self._update_accessible_description()
        self.update()

    def chosen_range(self) -> tuple[int, int, int] | None:
        """``(series, first bucket, last bucket)`` of the chosen range (``UNDATED`` twice for the
        undated box), or None."""
        return self._chosen

    def bars(self) -> tuple[Bar, ...]:
        """The bars as laid out for the current size (what is painted)."""
        return tuple(self._strip.bars)

    def undated_box(self) -> QRectF:
        """Where the undated articles are shown (empty when there are none)."""
        return QRectF(self._strip.undated_box)

    def ticks(self) -> tuple[Tick, ...]:
        return tuple(self._strip.ticks)

    def description(self) -> str:
        """The chosen range in words, as :attr:`range_chosen` gave it ("" when none is chosen)."""
        return self._description

    def clear_range(self) -> None:
        """Drop the chosen range; emits :attr:`range_cleared` when there was one."""
        self._anchor = self._drag = None
        if self._chosen is None:
            self.update()
            return
        self._chosen, self._description = None, ""
        self._layout_top_row()
        self.update()
        self.range_cleared.emit()

    def choose(self, series: int, first: int, last: int) -> None:
        """Choose buckets ``first`` to ``last`` of ``series`` (``UNDATED`` twice: its undated
        articles), as a click or drag would."""
        t = self._timeline
        if t is None or not t.series:
            return
        series = min(max(series, 0), len(t.series) - 1)
        if first == UNDATED or last == UNDATED:
            ids, text, span = list(t.series[series].undated_ids), self.tr("Undated"), (UNDATED, UNDATED)
        else:
            if not t.buckets:
                return
            lo, hi = sorted((min(max(first, 0), len(t.buckets) - 1), min(max(last, 0), len(t.buckets) - 1)))
            ids, span = t.ids_between(series, lo, hi), (lo, hi)
            text = t.buckets[lo].label if lo == hi else f"{t.buckets[lo].label} – {t.buckets[hi].label}"
        if len(t.series) > 1:
            text = self.tr("{name}: {range}").format(name=self._series_name(series), range=text)
        self._chosen, self._description, self._series = (series, *span), text, series
        self._drag = self._anchor = None
        self._layout_top_row()
        self.update()
        self.range_chosen.emit(ids, text)

    def save_png(self, path: str) -> None:
        """The picture as shown (without the keyboard cursor), at the widget's size."""
        image = QImage(self.size(), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(self._paper))
        painter = QPainter(image)
        self._paint(painter, export=True)
        painter.end()
        if not image.save(str(path), "PNG"):
            raise OSError(self.tr("Could not write {path}").format(path=path))

    def save_svg(self, path: str) -> None:
        """The picture as an SVG drawing (text stays text)."""
        pictures.write_svg(path, self.size(), self.tr("Timeline"), self._title or self.accessibleDescription(),
                           lambda painter: self._paint(painter, export=True),
                           self.tr("Could not write {path}").format(path=path))

    def tooltip_text(self, pos: QPointF) -> str:
        """What hovering at ``pos`` shows: the bucket and each series' count ("" off the bars)."""
        t = self._timeline
        if t is None:
            return ""
        if self._clear_box.contains(pos):
            return self.tr("Show all (Esc)")
        if self._strip.undated_box.contains(pos):
            lines = [self.tr("Without a full date: counted apart, not guessed")]
            lines += [self._count_line(n, s.undated) for n, s in enumerate(t.series)]
            return "\n".join(lines)
        i = self._bucket_at(pos.x(), strict_y=pos.y())
        if i is None:
            return ""
        return self.tooltip_text_for(i)

    # -- layout (once per timeline, size, font or language; never while painting) ---------------
    def _layout(self) -> None:
        t = self._timeline
        self._strip = lay_out_strip(t, self._max, QFontMetricsF(self.font()), float(self.width()),
                                    float(self.height()), self._undated_words() if t is not None else [])
        self._layout_top_row()

    def _layout_top_row(self) -> None:
        """The title or legend on the left, the chosen range and its "×" on the right."""
        t = self._timeline
        compared = t is not None and len(t.series) > 1
        names = [self._series_name(s) for s in range(len(t.series))] if compared else []
        self._clear_box, self._description_rect, self._legend, self._title = lay_out_top_row(
            QFontMetricsF(self.font()), self.width(), names, self._unit_title(t.unit) if t is not None else None,
            self._description if self._chosen is not None else None)

    def _undated_words(self) -> list[str]:
        """The undated box's label, word by word (it wraps), and each compared series' count."""
        t = self._timeline
        assert t is not None
        if len(t.series) == 1:
            return self.tr("{count} undated").format(count=t.series[0].undated).split()
        return [*self.tr("Undated").split(), *(str(s.undated) for s in t.series)]

    # -- painting -------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        self._paint(painter, export=False)
        painter.end()

    def _paint(self, p: QPainter, export: bool) -> None:
        p.fillRect(QRectF(0, 0, self.width(), self.height()), QColor(self._paper))
        t = self._timeline
        plot = self._strip.plot
        fm = QFontMetricsF(self.font())
        p.setFont(self.font())
        if t is None or not t.buckets:
            p.setPen(QColor(self._muted))
            text = self.tr("No article has a full date") if t is not None else self.tr("No timeline")
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, text)
        self._paint_top_row(p, fm, export)
        if t is not None and t.buckets:
            self._paint_bars(p, export)
            self._paint_ticks(p)
        if t is not None and not self._strip.undated_box.isNull():
            self._paint_undated(p, fm, export)

    def _paint_bars(self, p: QPainter, export: bool) -> None:
        t = self._timeline
        plot, bw = self._strip.plot, self._strip.bucket_width
        band_top, band_height = plot.top(), plot.height() + TICK

        def band(first: int, last: int, colour: QColor) -> None:
            x0 = plot.left() + first * bw
            p.fillRect(QRectF(x0, band_top, max(1.0, (last - first + 1) * bw), band_height), colour)

        if not export and 0 <= self._hover < len(t.buckets) and self._drag is None:
            band(self._hover, self._hover, self._hover_colour)
        shown = self._shown_range()
        if shown is not None and shown[1] != UNDATED:
            band(shown[1], shown[2], self._band_colour)
        for bar in self._strip.bars:  # only the chosen series' bars in the range keep their full colour
            faded = shown is not None and (shown[1] == UNDATED or bar.series != shown[0] or bar.last < shown[1]
                                           or bar.first > shown[2])
            p.fillRect(bar.rect, self._faded[bar.series % len(self._faded)] if faded
                       else self._colours[bar.series % len(self._colours)])
        p.setPen(QPen(QColor(self._rule), 1))
        p.drawLine(QPointF(plot.left(), plot.bottom() + 0.5), QPointF(plot.right(), plot.bottom() + 0.5))
        if not export and self.hasFocus() and 0 <= self._cursor < len(t.buckets):
            pen = QPen(QColor(self._text), 1, Qt.PenStyle.DotLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            cursor = QRectF(plot.left() + self._cursor * bw, band_top, bw, band_height)
            p.drawRect(cursor.adjusted(0.5, 0.5, -0.5, -0.5))

    def _paint_ticks(self, p: QPainter) -> None:
        baseline = self._strip.plot.bottom()
        p.setPen(QPen(QColor(self._rule), 1))
        for tick in self._strip.ticks:
            p.drawLine(QPointF(tick.x, baseline + 1), QPointF(tick.x, baseline + TICK))
        p.setPen(QColor(self._muted))
        for tick in self._strip.ticks:
            p.drawText(tick.rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, tick.text)

    def _paint_top_row(self, p: QPainter, fm: QFontMetricsF, export: bool) -> None:
        line = fm.height()
        if self._title:
            p.setPen(QColor(self._muted))
            p.drawText(QRectF(MARGIN, MARGIN, self.width(), line), Qt.AlignmentFlag.AlignLeft, self._title)
        for rect, s, name in self._legend:
            swatch = QRectF(rect.left(), rect.center().y() - SWATCH / 2, SWATCH, SWATCH)
            p.fillRect(swatch, self._colours[s % len(self._colours)])
            p.setPen(QColor(self._text))
            p.drawText(rect.adjusted(SWATCH + 4, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       name)
            if not export and s == self._series and self.hasFocus():  # the series keys choose from
                p.setPen(QPen(QColor(self._text), 1))
                p.drawLine(QPointF(rect.left(), rect.bottom() + 0.5), QPointF(rect.right(), rect.bottom() + 0.5))
        if self._chosen is not None and not self._clear_box.isNull():
            box, where = self._clear_box, self._description_rect
            text = fm.elidedText(self._description, Qt.TextElideMode.ElideMiddle, where.width() + 0.5)
            p.setPen(QColor(self._text))
            p.drawText(where.adjusted(-2, 0, 0, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            if not export:
                p.setPen(QPen(QColor(self._rule), 1))
                p.setBrush(QColor(self._hover_colour))
                p.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
                p.setPen(QPen(QColor(self._text), 1.4))
                c, r = box.center(), line * 0.2
                p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                p.drawLine(QPointF(c.x() - r, c.y() - r), QPointF(c.x() + r, c.y() + r))
                p.drawLine(QPointF(c.x() - r, c.y() + r), QPointF(c.x() + r, c.y() - r))
                p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_undated(self, p: QPainter, fm: QFontMetricsF, export: bool) -> None:
        t = self._timeline
        box = self._strip.undated_box
        shown = self._shown_range()
        chosen = shown is not None and shown[1] == UNDATED
        p.setBrush(self._band_colour if chosen else Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor(self._muted), 1, Qt.PenStyle.SolidLine if chosen else Qt.PenStyle.DashLine))
        p.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        if not export and self.hasFocus() and self._cursor == len(t.buckets):
            p.setPen(QPen(QColor(self._text), 1, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(box.adjusted(2.5, 2.5, -2.5, -2.5), 3, 3)
        inner = box.adjusted(6, 4, -6, -4)
        p.setPen(QColor(self._text))
        if len(t.series) == 1:
            text = self.tr("{count} undated").format(count=t.series[0].undated)
            p.drawText(inner, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
            return
        line = fm.height()
        rows = len(t.series) + 1
        y = inner.center().y() - rows * line / 2
        p.setPen(QColor(self._muted))
        p.drawText(QRectF(inner.left(), y, inner.width(), line), Qt.AlignmentFlag.AlignCenter, self.tr("Undated"))
        for s, series in enumerate(t.series):
            y += line
            swatch = QRectF(inner.left(), y + (line - SWATCH) / 2, SWATCH, SWATCH)
            p.fillRect(swatch, self._colours[s % len(self._colours)])
            p.setPen(QColor(self._text))
            p.drawText(QRectF(swatch.right() + 4, y, inner.right() - swatch.right() - 4, line),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(series.undated))

    def _shown_range(self) -> tuple[int, int, int] | None:
        """``(series, first, last)`` highlighted: the drag or keyboard extension under way, else
        the chosen range."""
        if self._drag is not None:
            return self._drag[0], *sorted(self._drag[1:])  # type: ignore[return-value]
        if self._anchor is not None and self._cursor >= 0:
            return self._series, *sorted((self._anchor, self._cursor))  # type: ignore[return-value]
        return self._chosen

    # -- mouse ------------------------------------------------------------------------------------
    def _bucket_at(self, x: float, strict_y: float | None = None) -> int | None:
        """The bucket under ``x`` (None beside the bars); with ``strict_y``, only over the bars
        and their tick labels."""
        return self._strip.bucket_at(x, strict_y)

    def _series_at(self, pos: QPointF, bucket: int) -> int:
        """The series of the bar under ``pos`` when comparing (the keys' series when bars are too thin)."""
        series = self._strip.series_at(pos.x(), bucket, len(self._timeline.series))
        return self._series if series is None else series

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        pos = event.position()
        t = self._timeline
        if self._clear_box.contains(pos):
            self.clear_range()
            return
        for rect, s, _name in self._legend:
            if rect.contains(pos):
                self._series = s
                self.update()
                return
        if t is not None and self._strip.undated_box.contains(pos):
            self._cursor = len(t.buckets)
            self.choose(self._undated_series_at(pos), UNDATED, UNDATED)
            return
        i = self._bucket_at(pos.x(), strict_y=pos.y())
        if i is None:  # beside the bars: the way back
            self.clear_range()
            return
        self._drag = (self._series_at(pos, i), i, i)
        self._anchor, self._cursor = None, i
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._drag is not None:
            x = min(max(pos.x(), self._strip.plot.left()), self._strip.plot.right() - 0.01)
            i = self._bucket_at(x)
            if i is not None and i != self._drag[2]:
                self._drag = (self._drag[0], self._drag[1], i)
                self._cursor = i
                self.update()
            return
        hover = self._bucket_at(pos.x(), strict_y=pos.y())
        hover = -1 if hover is None else hover
        if hover != self._hover:
            self._hover = hover
            self.update()
        over = self._clear_box.contains(pos) or self._strip.undated_box.contains(pos) or hover >= 0 or any(
            r.contains(pos) for r, _s, _n in self._legend)
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._drag is None:
            return super().mouseReleaseEvent(event)
        series, first, last = self._drag
        self.choose(series, first, last)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        if self._hover != -1:
            self._hover = -1
            self.update()
        super().leaveEvent(event)

    def _undated_series_at(self, pos: QPointF) -> int:
        t = self._timeline
        if len(t.series) <= 1:
            return 0
        row = self._strip.undated_row_at(pos.y(), QFontMetricsF(self.font()).height(), len(t.series))
        return self._series if row is None else row

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            return pictures.show_tooltip(self, event, self.tooltip_text(QPointF(event.pos())))
        return super().event(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Save as PNG…"), lambda: self._save_as("png"))
        menu.addAction(self.tr("Save as SVG…"), lambda: self._save_as("svg"))
        if self._chosen is not None:
            menu.addSeparator()
            menu.addAction(self.tr("Show all (Esc)"), self.clear_range)
        return menu

    def _save_as(self, kind: str) -> None:
        if kind == "png":
            title, pattern = self.tr("Save Timeline as PNG"), self.tr("PNG images (*.png)")
        else:
            title, pattern = self.tr("Save Timeline as SVG"), self.tr("SVG drawings (*.svg)")
        pictures.ask_and_save(self, kind, title, f"timeline.{kind}", pattern,
                              self.save_png if kind == "png" else self.save_svg, title)

    # -- keyboard -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        t = self._timeline
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        Key = Qt.Key
        if key == Key.Key_Escape:
            if self._anchor is not None or self._drag is not None:
                self._anchor = self._drag = None
                self.update()
            elif self._chosen is not None:
                self.clear_range()
            else:
                event.ignore()  # nothing to clear here: the window may want it
            return
        if t is None or not t.series:
            return super().keyPressEvent(event)
        n = len(t.buckets)
        last = n if any(s.undated for s in t.series) else n - 1  # n: the undated box
        if key in (Key.Key_Left, Key.Key_Right, Key.Key_Home, Key.Key_End) and last >= 0:
            if shift and n:
                if self._anchor is None:
                    self._anchor = min(max(self._cursor, 0), n - 1)
                top = n - 1
            else:
                self._anchor, top = None, last
            if self._cursor < 0:
                start = self._chosen[2] if self._chosen and self._chosen[2] >= 0 else None
                cursor = start if start is not None else (0 if key in (Key.Key_Right, Key.Key_Home) else top)
                if start is not None:
                    cursor += 1 if key == Key.Key_Right else -1 if key == Key.Key_Left else 0
            else:
                cursor = self._cursor + {Key.Key_Left: -1, Key.Key_Right: 1}.get(key, 0)
            cursor = 0 if key == Key.Key_Home else top if key == Key.Key_End else cursor
            self._cursor = min(max(cursor, 0), top)
            self._update_accessible_description()
            self.update()
            return
        if key in (Key.Key_Up, Key.Key_Down) and len(t.series) > 1:
            self._series = (self._series + (1 if key == Key.Key_Down else -1)) % len(t.series)
            self._update_accessible_description()
            self.update()
            return
        if key in (Key.Key_Return, Key.Key_Enter, Key.Key_Space) and self._cursor >= 0:
            if self._cursor == n:
                self.choose(self._series, UNDATED, UNDATED)
            else:
                self.choose(self._series, self._anchor if self._anchor is not None else self._cursor, self._cursor)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)

    # -- theme, language, size --------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802
        self._layout()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._update_colours()
            self.update()
        elif kind == QEvent.Type.FontChange:
            self._layout()
            self.update()
        elif kind == QEvent.Type.LanguageChange:
            self._retranslate()
            self._layout()
            self.update()
        super().changeEvent(event)

    def _update_colours(self) -> None:
        dark = is_dark(self)
        colours = palette.palette(dark)
        ui = theme.colors(dark)
        self._paper, self._text, self._muted, self._rule = colours.paper, colours.text, ui.muted, ui.rule
        self._colours = [QColor(c) for c in colours.series]
        self._faded = []
        for c in colours.series:
            faded = QColor(c)
            faded.setAlpha(80)
            self._faded.append(faded)
        self._band_colour = QColor(colours.text)
        self._band_colour.setAlpha(40 if dark else 26)
        self._hover_colour = QColor(colours.text)
        self._hover_colour.setAlpha(20 if dark else 12)

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Timeline"))
        self._update_accessible_description()

    def _update_accessible_description(self) -> None:
        keys = self.tr("Left and Right move between periods, Shift extends, Up and Down pick the search, "
                       "Enter chooses, Esc shows all.")
        t = self._timeline
        where = ""
        if t is not None and 0 <= self._cursor < len(t.buckets):
            where = self.tooltip_text_for(self._cursor).replace("\n", "; ")
        elif t is not None and self._cursor == len(t.buckets):
            where = "; ".join([self.tr("Undated"), *(self._count_line(n, s.undated) for n, s in enumerate(t.series))])
        self.setAccessibleDescription(" ".join(x for x in (where, keys) if x))

    # -- words ----------------------------------------------------------------------------------
    def tooltip_text_for(self, bucket: int) -> str:
        t = self._timeline
        return "\n".join([self._bucket_title(t.buckets[bucket]),
                          *(self._count_line(n, s.counts[bucket]) for n, s in enumerate(t.series))])

    def _series_name(self, series: int) -> str:
        t = self._timeline
        return (t.series[series].name if t is not None else "") or self.tr("Articles")

    def _count_line(self, series: int, count: int) -> str:
        return self.tr("{name}: {count}").format(name=self._series_name(series), count=count)

    def _bucket_title(self, bucket: Bucket) -> str:
        if self._timeline is not None and self._timeline.unit == "week":
            last = bucket.end - timedelta(days=1)
            return f"{bucket.label} ({bucket.start.isoformat()} – {last.isoformat()})"
        return bucket.label

    def _unit_title(self, unit: str) -> str:
        return {"day": self.tr("Articles per day"), "week": self.tr("Articles per week"),
                "month": self.tr("Articles per month"), "year": self.tr("Articles per year")}[unit]


# the strip's data types stay importable from here, where they were before timeline_geometry.py
__all__ = ["UNDATED", "Bar", "Tick", "TimelineView"]
