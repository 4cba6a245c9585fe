"""Who appears with whom, drawn: the co-occurrence network as a picture and as a table of pairs.

:class:`NetworkView` shows an :class:`app.insight.network.Network` with the positions
:func:`app.insight.network.layout` gave it (computed off the GUI thread by the caller):

- the picture (:class:`NetworkCanvas`): a circle per name, its area proportional to the articles
  naming it, in its type's colours from the reading pane (:mod:`app.palette`); a line per pair,
  wider and darker the more articles name both. The top names are labelled beside their circles
  (placed greedily where they overlap least, long names elided); the rest are labelled on hover.
  Hovering a name highlights it and its lines; clicking it emits ``node_activated(type, text)``,
  clicking a line ``pair_activated(key_a, key_b)``. Tab and the arrow keys move a focus through
  the names, Enter activates one. The context menu saves the picture as PNG or SVG (the same
  painting code draws the widget, the PNG and the SVG).
- the table (:class:`NetworkPairModel` behind a :class:`QSortFilterProxyModel`): one row per pair,
  sorted by the articles naming both; a double-click or Enter emits ``pair_activated``.
- a "top N" spin box (``top_changed(int)``) and a choice of the whole library or the current list
  (``scope_changed("library" | "list")``): the caller recomputes and calls ``set_network`` again.

Everything size-dependent (centres, radii, label places, pens) is computed once per network and
size; a paint only draws. Clicks and hovers are answered from a pick image (each circle and line
drawn once, without antialiasing, in a colour that encodes its index), so finding what is under
the pointer costs one pixel read however many lines there are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QEvent, QLineF, QModelIndex, QPoint, QPointF, QRect, QRectF, QSize,
    QObject, QSortFilterProxyModel, Qt, QThreadPool, QTimer, Signal,
)
from PySide6.QtGui import (
    QAccessible, QAccessibleEvent, QBrush, QColor, QContextMenuEvent, QFontMetricsF, QIcon, QImage,
    QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPalette, QPen, QPixmap, QStandardItem,
    QStandardItemModel,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMenu, QSpinBox,
    QTableView, QTabWidget, QToolTip, QVBoxLayout, QWidget,
)

from app import palette
from app.insight.network import Network
from app.ui import errors
from app.ui.entities.legend import is_dark, swatch_icon
from app.ui.entities.marks import type_name

MAX_NODES = 100  # what the picture is made for (the spin box's maximum)
ALL_LABELS = 25  # up to this many names, every one is labelled; beyond, only the top LABELLED
LABELLED = 20
# the heaviest lines drawn: all 4,950 pairs of 100 names are a grey fog (the table has every pair)
MAX_DRAWN_EDGES = 1500
WEIGHT_CLASSES = 12  # lines are drawn in this many widths and shades
LINES_PER_PATH = 12  # about 3 ms of stroking per call
SYNC_EDGES = 150  # up to this many lines are drawn on the GUI thread (under 40 ms at worst), more in a worker
ALWAYS_LABELLED = 5  # these are labelled even where their label overlaps another
LABEL_CHARS = 8  # labels are elided at about this many Chinese characters (hover shows more)
HOVER_LABEL_CHARS = 16
EXPORT_SIZE = QSize(1000, 750)  # a saved picture when the widget was never laid out
SCOPES = ("library", "list")
_NODE_FLAG = 0x800000  # in the pick image: node i is _NODE_FLAG | (i + 1), edge k is k + 1


def _mix(colour: str, towards: str, share: float) -> QColor:
    """``colour`` moved ``share`` of the way to ``towards`` (both ``#rrggbb``)."""
    a, b = QColor(colour), QColor(towards)
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * share, a.greenF() + (b.greenF() - a.greenF()) * share,
                           a.blueF() + (b.blueF() - a.blueF()) * share)


def _covered(rect: QRectF, others: list[QRectF]) -> float:
    """The area of ``rect`` that ``others`` cover (counted once per other)."""
    area = 0.0
    for other in others:
        if rect.intersects(other):
            o = rect.intersected(other)
            area += o.width() * o.height()
    return area


def _render_lines(width: int, height: int, ratio: float, strokes: list[tuple[QPen, QPainterPath]]) -> QImage:
    """The lines on a transparent image (any thread: no widget, no font)."""
    image = QImage(QSize(width, height) * ratio, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for pen, path in strokes:
        painter.strokePath(path, pen)
    painter.end()
    return image


class _LinesDrawn(QObject):
    done = Signal(object, QImage)  # the geometry, its lines


@dataclass
class _Geometry:
    """Where everything goes for one network at one size."""

    width: int
    height: int
    centres: list[QPointF] = field(default_factory=list)
    radii: list[float] = field(default_factory=list)
    lines: list[QLineF] = field(default_factory=list)  # per drawn edge (the heaviest MAX_DRAWN_EDGES)
    pens: list[QPen] = field(default_factory=list)  # per drawn edge, shared by the edges of a weight class
    strokes: list[tuple[QPen, QPainterPath]] = field(default_factory=list)  # the lines by weight class, lightest first
    edge_layer: QPixmap | None = None  # the lines, drawn once for the widget
    labels: dict[int, tuple[QRectF, str]] = field(default_factory=dict)  # always-shown labels
    hover_labels: dict[int, tuple[QRectF, str]] = field(default_factory=dict)  # placed on demand
    paint_order: list[int] = field(default_factory=list)  # biggest circles first, small ones on top
    boxes: list[QRectF] = field(default_factory=list)  # each circle's bounding box
    placed: list[QRectF] = field(default_factory=list)  # the always-shown labels' rectangles
    metrics: QFontMetricsF | None = None
    pick: QImage | None = None  # built on the first question about the pointer


class NetworkCanvas(QWidget):
    """The picture: circles for names, lines for pairs, labels beside the top names."""

    node_activated = Signal(str, str)  # entity type, text
    pair_activated = Signal(tuple, tuple)  # (type, text) of each name
    dossier_requested = Signal(str, str)  # entity type, text: "Dossier of …" on a name

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 240)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._network = Network((), ())
        self._positions: list[tuple[float, float]] = []
        self._edges_of: list[list[int]] = []  # node -> its edges
        self._neighbours: list[set[int]] = []
        self._geometry: _Geometry | None = None
        self._hover: tuple[str, int] | None = None  # ("node", i) or ("edge", k)
        self._pressed: tuple[str, int] | None = None
        self._focus: int | None = None  # the node the keyboard is on
        self._dark = is_dark(self)
        self._last_layer: QPixmap | None = None
        self._resizing = QTimer(self, singleShot=True, interval=150)
        self._resizing.timeout.connect(self.update)
        # the pool before the carrier: children go in the order they came, and the pool waits
        # for a drawing in progress, whose result goes out through the carrier
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._carrier = _LinesDrawn(self)
        self._carrier.done.connect(self._lines_drawn)
        self._drawing: _Geometry | None = None  # the geometry whose lines the worker is drawing
        self.retranslate()

    # -- data ------------------------------------------------------------------------------------
    @property
    def network(self) -> Network:
        return self._network

    @property
    def focused_node(self) -> int | None:
        return self._focus

    def set_network(self, network: Network, positions: list[tuple[float, float]]) -> None:
        if len(positions) != len(network.nodes):
            raise ValueError(f"{len(positions)} positions for {len(network.nodes)} nodes")
        self._network, self._positions = network, [(float(x), float(y)) for x, y in positions]
        self._edges_of = [[] for _ in network.nodes]
        self._neighbours = [set() for _ in network.nodes]
        for k, e in enumerate(network.edges):
            self._edges_of[e.a].append(k)
            self._edges_of[e.b].append(k)
            self._neighbours[e.a].add(e.b)
            self._neighbours[e.b].add(e.a)
        self._hover = self._pressed = None
        self._focus = 0 if self.hasFocus() and network.nodes else None
        self._geometry = None
        self._last_layer = None
        self._describe_focus()
        self.update()

    def node_centre(self, i: int) -> QPointF:
        """Where node ``i`` is drawn, in widget coordinates."""
        return QPointF(self._current_geometry().centres[i])

    def node_radius(self, i: int) -> float:
        return self._current_geometry().radii[i]

    def edge_midpoint(self, k: int) -> QPointF:
        return self._current_geometry().lines[k].center()

    def labelled_nodes(self) -> list[int]:
        """The nodes labelled without hovering, in the order their labels were placed."""
        return list(self._current_geometry().labels)

    def label_rect(self, i: int) -> QRectF | None:
        placed = self._current_geometry().labels.get(i)
        return QRectF(placed[0]) if placed else None

    # -- texts -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Network of names"))
        self._describe_focus()
        self.update()

    def node_tooltip(self, i: int) -> str:
        node = self._network.nodes[i]
        articles = self.tr("1 article") if node.articles == 1 else self.tr("{n} articles").format(n=node.articles)
        mentions = self.tr("1 mention") if node.mentions == 1 else self.tr("{n} mentions").format(n=node.mentions)
        return self.tr("{name} ({type}) — {articles}, {mentions}").format(
            name=node.text, type=type_name(node.type), articles=articles, mentions=mentions)

    def edge_tooltip(self, k: int) -> str:
        e = self._network.edges[k]
        a, b = self._network.nodes[e.a].text, self._network.nodes[e.b].text
        if e.weight == 1:
            return self.tr("{a} — {b}: 1 article names both").format(a=a, b=b)
        return self.tr("{a} — {b}: {n} articles name both").format(a=a, b=b, n=e.weight)

    def tooltip_at(self, pos: QPoint | QPointF) -> str:
        item = self.item_at(pos)
        if item is None:
            return ""
        kind, index = item
        return self.node_tooltip(index) if kind == "node" else self.edge_tooltip(index)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            dark = is_dark(self)
            if dark != self._dark:
                self._dark = dark
                self._geometry = self._last_layer = None  # pens carry the theme's colours
                self.update()
        super().changeEvent(event)

    # -- geometry --------------------------------------------------------------------------------
    def _current_geometry(self) -> _Geometry:
        g = self._geometry
        if g is None or (g.width, g.height) != (self.width(), self.height()):
            g = self._geometry = self._build_geometry(self.width(), self.height())
        return g

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._geometry = None
        if self._last_layer is not None:
            self._resizing.start()
        super().resizeEvent(event)

    def _colours(self) -> palette.Palette:
        return palette.palette(self._dark)

    def _build_geometry(self, width: int, height: int) -> _Geometry:
        g = _Geometry(width, height)
        nodes, edges = self._network.nodes, self._network.edges
        n = len(nodes)
        if not n:
            return g
        crowd = min(1.0, math.sqrt(30 / n))
        r_max = max(7.0, min(26.0, min(width, height) * 0.05 * crowd))
        r_min = max(3.0, r_max * 0.22)
        most = max(node.articles for node in nodes) or 1
        g.radii = [max(r_min, r_max * math.sqrt(node.articles / most)) for node in nodes]
        fm = QFontMetricsF(self.font())
        margin_x = r_max + 6
        margin_y = r_max + 6
        span_x, span_y = max(1.0, width - 2 * margin_x), max(1.0, height - 2 * margin_y)
        g.centres = [QPointF(margin_x + x * span_x, margin_y + y * span_y) for x, y in self._positions]
        g.paint_order = sorted(range(n), key=lambda i: (-g.radii[i], i))
        drawn = edges[:MAX_DRAWN_EDGES]
        # widths and shades span the weights drawn, so that lines of 30 to 50 shared articles
        # differ as much as lines of 1 to 20
        lightest, heaviest = min((e.weight for e in drawn), default=1), max((e.weight for e in drawn), default=1)
        spread = heaviest - lightest
        ink = QColor(self._colours().text)
        # one pen per weight class, its lines in paths of LINES_PER_PATH: one call per path
        # instead of one per line, yet each call short, so that a worker thread drawing them
        # (which holds the GIL through every Qt call) lets the GUI thread in between
        classes: dict[int, tuple[QPen, list[QPainterPath]]] = {}
        for e in drawn:
            line = QLineF(g.centres[e.a], g.centres[e.b])
            step = round((e.weight - lightest) / spread * WEIGHT_CLASSES) if spread else WEIGHT_CLASSES // 2
            if step not in classes:
                share = step / WEIGHT_CLASSES
                colour = QColor(ink)
                colour.setAlpha(int(45 + 165 * share))
                pen = QPen(colour, 0.7 + 3.8 * share)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                classes[step] = (pen, [])
            pen, paths = classes[step]
            if not paths or paths[-1].elementCount() >= 2 * LINES_PER_PATH:
                paths.append(QPainterPath())
            paths[-1].moveTo(line.p1())
            paths[-1].lineTo(line.p2())
            g.pens.append(pen)
            g.lines.append(line)
        g.strokes = [(classes[step][0], path) for step in sorted(classes) for path in classes[step][1]]
        # labels: most-named first, each where it overlaps the labels placed so far and the
        # circles least (and stays inside the picture); past the first few, a label that would
        # still cover another is left for the hover, so a small picture is not a heap of text
        shown = range(n) if n <= ALL_LABELS else range(LABELLED)
        boxes = [QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r) for c, r in zip(g.centres, g.radii)]
        bounds = QRectF(0, 0, width, height)
        placed: list[QRectF] = []
        max_width = fm.horizontalAdvance("中") * LABEL_CHARS
        for i in shown:
            text = fm.elidedText(nodes[i].text, Qt.TextElideMode.ElideRight, max_width)
            rect = self._place_label(i, fm, text, g, boxes, placed, bounds)
            if i >= ALWAYS_LABELLED and _covered(rect, placed) > 0.15 * rect.width() * rect.height():
                continue
            placed.append(rect)
            g.labels[i] = (rect, text)
        g.boxes, g.placed, g.metrics = boxes, placed, fm  # for labels placed on hover
        return g

    @staticmethod
    def _place_label(i: int, fm: QFontMetricsF, text: str, g: _Geometry, boxes: list[QRectF],
                     placed: list[QRectF], bounds: QRectF) -> QRectF:
        w, h = fm.horizontalAdvance(text) + 8, fm.height() + 2
        c, r = g.centres[i], g.radii[i]
        gap, d = 3.0, r * 0.72
        x, y = c.x(), c.y()
        candidates = (
            (x + r + gap, y - h / 2), (x - r - gap - w, y - h / 2),  # right, left
            (x - w / 2, y + r + gap), (x - w / 2, y - r - gap - h),  # below, above
            (x + d + gap, y + d), (x + d + gap, y - d - h),  # right below, right above
            (x - d - gap - w, y + d), (x - d - gap - w, y - d - h),  # left below, left above
        )
        best, best_score = None, math.inf
        for cx, cy in candidates:
            rect = QRectF(cx, cy, w, h)
            inside = rect.intersected(bounds)
            score = (w * h - inside.width() * inside.height()) * 10
            score += _covered(rect, placed) * 3
            for j, box in enumerate(boxes):
                if j != i and rect.intersects(box):
                    o = rect.intersected(box)
                    score += o.width() * o.height()
            if score < best_score:
                best, best_score = rect, score
                if score == 0:
                    break
        return best

    def _hover_label(self, g: _Geometry, i: int) -> tuple[QRectF, str]:
        if i in g.labels:
            return g.labels[i]
        if i not in g.hover_labels:
            fm = g.metrics
            text = fm.elidedText(self._network.nodes[i].text, Qt.TextElideMode.ElideRight,
                                 fm.horizontalAdvance("中") * HOVER_LABEL_CHARS)
            rect = self._place_label(i, fm, text, g, g.boxes, g.placed, QRectF(0, 0, g.width, g.height))
            g.hover_labels[i] = (rect, text)
        return g.hover_labels[i]

    # -- what is where ---------------------------------------------------------------------------
    def _pick_image(self, g: _Geometry) -> QImage:
        if g.pick is None:
            image = QImage(max(1, g.width), max(1, g.height), QImage.Format.Format_RGB32)
            image.fill(0)
            p = QPainter(image)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            for k in reversed(range(len(g.lines))):  # heaviest drawn last: it wins where lines cross
                pen = QPen(QColor.fromRgb(k + 1), max(7.0, g.pens[k].widthF() + 4))
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                p.setPen(pen)
                p.drawLine(g.lines[k])
            p.setPen(Qt.PenStyle.NoPen)
            for i in g.paint_order:
                p.setBrush(QColor.fromRgb(_NODE_FLAG | (i + 1)))
                r = max(6.0, g.radii[i] + 2)
                p.drawEllipse(g.centres[i], r, r)
            for i, (rect, _) in g.labels.items():  # a name's label stands for it too
                p.fillRect(rect, QColor.fromRgb(_NODE_FLAG | (i + 1)))
            p.end()
            g.pick = image
        return g.pick

    def item_at(self, pos: QPoint | QPointF) -> tuple[str, int] | None:
        """``("node", i)``, ``("edge", k)`` or None: what a click at ``pos`` would activate."""
        if not self._network.nodes:
            return None
        g = self._current_geometry()
        x, y = int(pos.x()), int(pos.y())
        if not (0 <= x < g.width and 0 <= y < g.height):
            return None
        value = self._pick_image(g).pixel(x, y) & 0xFFFFFF
        if not value:
            return None
        if value & _NODE_FLAG:
            return ("node", (value & ~_NODE_FLAG) - 1)
        return ("edge", value - 1)

    # -- painting --------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        self._paint(p, self._current_geometry(), interactive=True)
        p.end()

    def _active(self) -> tuple[str, int] | None:
        if self._hover is not None:
            return self._hover
        if self._focus is not None and self.hasFocus():
            return ("node", self._focus)
        return None

    def _paint(self, p: QPainter, g: _Geometry, interactive: bool) -> None:
        colours = self._colours()
        paper, ink = QColor(colours.paper), QColor(colours.text)
        p.fillRect(QRectF(0, 0, g.width, g.height), paper)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        nodes, edges = self._network.nodes, self._network.edges
        if not nodes:
            p.setPen(QColor(ink))
            p.drawText(QRectF(0, 0, g.width, g.height), Qt.AlignmentFlag.AlignCenter,
                       self.tr("No people, places or organisations to show"))
            return
        active = self._active() if interactive else None
        lit_edges: set[int] = set()
        lit_nodes: set[int] = set()
        if active is not None:
            kind, index = active
            if kind == "node":
                lit_edges = set(self._edges_of[index])
                lit_nodes = {index} | self._neighbours[index]
            else:
                lit_edges = {index}
                lit_nodes = {edges[index].a, edges[index].b}
        # lines: the lightest first, the heavy ones over them; dimmed when something is active,
        # and those of the active name (or the active line) drawn again over them, darker
        if interactive:
            layer = self._edge_layer(g)
            if layer is not None:
                p.setOpacity(0.25 if active is not None else 1.0)
                p.drawPixmap(QPointF(0, 0), layer)
                p.setOpacity(1.0)
        else:
            self._stroke_edges(p, g)
        for k in sorted((k for k in lit_edges if k < len(g.lines)), reverse=True):
            pen = QPen(g.pens[k])
            colour = QColor(ink)
            colour.setAlpha(235)
            pen.setColor(colour)
            pen.setWidthF(pen.widthF() + 1.0)
            p.setPen(pen)
            p.drawLine(g.lines[k])
        # circles: the type's tint edged with its line colour (as the reading pane marks names)
        # (a name away from the one hovered is faded towards the paper, but stays opaque: the
        # lines it covers stay covered)
        fills = {t: QBrush(QColor(c.tint)) for t, c in colours.entities.items()}
        rims = {t: QPen(QColor(c.line), 1.6) for t, c in colours.entities.items()}
        faded_fills = {t: QBrush(_mix(c.tint, colours.paper, 0.65)) for t, c in colours.entities.items()}
        faded_rims = {t: QPen(_mix(c.line, colours.paper, 0.6), 1.2) for t, c in colours.entities.items()}
        for i in g.paint_order:
            node = nodes[i]
            faded = active is not None and i not in lit_nodes
            p.setBrush((faded_fills if faded else fills).get(node.type, QBrush(paper)))
            p.setPen((faded_rims if faded else rims).get(node.type, QPen(ink, 1.6)))
            p.drawEllipse(g.centres[i], g.radii[i], g.radii[i])
        if active is not None:
            lit = [active[1]] if active[0] == "node" else [edges[active[1]].a, edges[active[1]].b]
            for i in lit:
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QPen(ink, 2.2))
                p.drawEllipse(g.centres[i], g.radii[i] + 1.5, g.radii[i] + 1.5)
        if interactive and self._focus is not None and self.hasFocus():
            focus_pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.0, Qt.PenStyle.DashLine)
            r = g.radii[self._focus] + 5
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(focus_pen)
            p.drawEllipse(g.centres[self._focus], r, r)
        # labels on a veil of paper, so that lines behind them do not cross the characters
        veil = QColor(paper)
        veil.setAlpha(215)
        p.setFont(self.font())
        extra = []
        if active is not None:
            for i in ([active[1]] if active[0] == "node" else [edges[active[1]].a, edges[active[1]].b]):
                if i not in g.labels:
                    extra.append(i)
        for i, (rect, text) in list(g.labels.items()):
            dim = active is not None and i not in lit_nodes
            p.setOpacity(0.45 if dim else 1.0)
            self._draw_label(p, rect, text, veil, ink)
        p.setOpacity(1.0)
        for i in extra:
            rect, text = self._hover_label(g, i)
            strong = QColor(paper)
            strong.setAlpha(240)
            self._draw_label(p, rect, text, strong, ink)

    @staticmethod
    def _stroke_edges(p: QPainter, g: _Geometry) -> None:
        p.setBrush(Qt.BrushStyle.NoBrush)
        for pen, path in g.strokes:
            p.strokePath(path, pen)

    @property
    def edges_drawn(self) -> bool:
        """Whether the picture shows its lines (a large network's are drawn in a worker thread)."""
        g = self._geometry
        return g is not None and (g.edge_layer is not None or not g.lines)

    def _edge_layer(self, g: _Geometry) -> QPixmap | None:
        """The lines, drawn once per network, size and theme: the one slow part of a picture
        (Qt strokes 1,500 antialiased translucent lines in about 350 ms). Up to SYNC_EDGES lines
        are drawn at once, more in a worker thread (painting a QImage there is safe; Qt's calls
        release the GIL) while the picture shows the names. While the widget is being resized,
        the last layer is stretched over the new size and the lines are drawn again once the size
        has held still."""
        if g.edge_layer is not None:
            return g.edge_layer
        stale = None
        if self._last_layer is not None:
            stale = self._last_layer.scaled(QSize(g.width, g.height) * self._last_layer.devicePixelRatio(),
                                            Qt.AspectRatioMode.IgnoreAspectRatio)
            stale.setDevicePixelRatio(self._last_layer.devicePixelRatio())
        if self._resizing.isActive():
            return stale
        ratio = self.devicePixelRatioF()
        if len(g.lines) <= SYNC_EDGES:
            g.edge_layer = self._last_layer = QPixmap.fromImage(_render_lines(g.width, g.height, ratio, g.strokes))
            return g.edge_layer
        if self._drawing is not g:
            self._drawing = g
            strokes = [(QPen(pen), QPainterPath(path)) for pen, path in g.strokes]  # copies for the thread
            carrier, width, height = self._carrier, g.width, g.height
            self._pool.start(lambda: carrier.done.emit(g, _render_lines(width, height, ratio, strokes)))
        return stale

    def _lines_drawn(self, g: _Geometry, image: QImage) -> None:
        if self._drawing is g:
            self._drawing = None
        if g is self._geometry:
            g.edge_layer = self._last_layer = QPixmap.fromImage(image)
            self.update()

    @staticmethod
    def _draw_label(p: QPainter, rect: QRectF, text: str, veil: QColor, ink: QColor) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(veil)
        p.drawRoundedRect(rect, 3, 3)
        p.setPen(ink)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    # -- saving ----------------------------------------------------------------------------------
    def _export_geometry(self) -> _Geometry:
        if self.width() >= 200 and self.height() >= 150 and self.testAttribute(Qt.WidgetAttribute.WA_WState_Created):
            return self._current_geometry()
        return self._build_geometry(EXPORT_SIZE.width(), EXPORT_SIZE.height())

    def save_png(self, path: str | Path, scale: float = 2.0) -> None:
        """The picture as a PNG, ``scale`` times the widget's size (sharp on a high-density
        screen and in print). Raises OSError when it cannot be written."""
        g = self._export_geometry()
        image = QImage(int(g.width * scale), int(g.height * scale), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(scale)
        p = QPainter(image)
        self._paint(p, g, interactive=False)
        p.end()
        if not image.save(str(path), "PNG"):
            raise OSError(self.tr("Could not write {path}").format(path=path))

    def save_svg(self, path: str | Path) -> None:
        """The picture as SVG, drawn by the same code as the widget. Raises OSError when it
        cannot be written."""
        g = self._export_geometry()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(g.width, g.height))
        generator.setViewBox(QRect(0, 0, g.width, g.height))
        generator.setTitle(self.tr("Who appears with whom"))
        generator.setDescription(self.tr("People, places and organisations named in the same articles"))
        p = QPainter()
        if not p.begin(generator):
            raise OSError(self.tr("Could not write {path}").format(path=path))
        self._paint(p, g, interactive=False)
        p.end()
        if not Path(path).is_file():
            raise OSError(self.tr("Could not write {path}").format(path=path))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = QMenu(self)
        item = self.item_at(event.pos())
        if item is not None and item[0] == "node":
            node = self._network.nodes[item[1]]
            menu.addAction(self.tr("Dossier of {name}…").format(name=node.text),
                           lambda: self.dossier_requested.emit(node.type, node.text))
            menu.addSeparator()
        menu.addAction(self.tr("Save as PNG…"), lambda: self._save_as("png"))
        menu.addAction(self.tr("Save as SVG…"), lambda: self._save_as("svg"))
        menu.popup(event.globalPos())

    def _save_as(self, fmt: str) -> None:
        if fmt == "png":
            caption, name, filters = self.tr("Save the Picture as PNG"), "network.png", self.tr("PNG images (*.png)")
        else:
            caption, name, filters = self.tr("Save the Picture as SVG"), "network.svg", self.tr("SVG images (*.svg)")
        path, _ = QFileDialog.getSaveFileName(self, caption, name, filters)
        if not path:
            return
        if not path.lower().endswith("." + fmt):
            path += "." + fmt
        try:
            (self.save_png if fmt == "png" else self.save_svg)(path)
        except OSError as exc:
            errors.report_error(self, self.tr("Could not save the picture"), str(exc))

    # -- the pointer -----------------------------------------------------------------------------
    def _set_hover(self, item: tuple[str, int] | None) -> None:
        if item != self._hover:
            self._hover = item
            self.setCursor(Qt.CursorShape.PointingHandCursor if item else Qt.CursorShape.ArrowCursor)
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._set_hover(self.item_at(event.position()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        self._set_hover(None)
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._pressed = self.item_at(event.position()) if event.button() == Qt.MouseButton.LeftButton else None
        if self._pressed and self._pressed[0] == "node":
            self._focus = self._pressed[1]
            self._describe_focus()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pressed, self._pressed = self._pressed, None
        if event.button() == Qt.MouseButton.LeftButton and pressed is not None \
                and self.item_at(event.position()) == pressed:
            self._activate(pressed)
        super().mouseReleaseEvent(event)

    def _activate(self, item: tuple[str, int]) -> None:
        kind, index = item
        if kind == "node":
            node = self._network.nodes[index]
            self.node_activated.emit(node.type, node.text)
        else:
            e = self._network.edges[index]
            self.pair_activated.emit(self._network.nodes[e.a].key, self._network.nodes[e.b].key)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # -- the keyboard ----------------------------------------------------------------------------
    def focusInEvent(self, event) -> None:  # noqa: N802
        if self._network.nodes and self._focus is None and event.reason() != Qt.FocusReason.MouseFocusReason:
            last = event.reason() == Qt.FocusReason.BacktabFocusReason
            self._set_focus(len(self._network.nodes) - 1 if last else 0, tip=False)
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802
        """Tab and Shift+Tab go through the names, then on to the next widget."""
        n = len(self._network.nodes)
        if self.hasFocus() and n:
            if self._focus is None:
                target = 0 if forward else n - 1
            else:
                target = self._focus + (1 if forward else -1)
            if 0 <= target < n:
                self._set_focus(target)
                return True
        self._focus = None
        return super().focusNextPrevChild(forward)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        n = len(self._network.nodes)
        key = event.key()
        if not n:
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._focus is not None:
            self._activate(("node", self._focus))
        elif key == Qt.Key.Key_Home:
            self._set_focus(0)
        elif key == Qt.Key.Key_End:
            self._set_focus(n - 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            if self._focus is None:
                self._set_focus(0)
            else:
                target = self._neighbour_towards(self._focus, key)
                if target is not None:
                    self._set_focus(target)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _neighbour_towards(self, i: int, key: Qt.Key) -> int | None:
        """The nearest node in the arrow's direction (within 60° of it), preferring the straightest."""
        g = self._current_geometry()
        dx, dy = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
                  Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}[key]
        here = g.centres[i]
        best, best_cost = None, math.inf
        for j, c in enumerate(g.centres):
            if j == i:
                continue
            vx, vy = c.x() - here.x(), c.y() - here.y()
            along = vx * dx + vy * dy
            across = abs(vx * dy - vy * dx)
            if along <= 0 or across > along * math.tan(math.radians(60)):
                continue
            cost = along + 2 * across
            if cost < best_cost:
                best, best_cost = j, cost
        return best

    def _set_focus(self, i: int, tip: bool = True) -> None:
        self._focus = i
        self._describe_focus()
        self.update()
        if tip and self.isVisible():
            g = self._current_geometry()
            c, r = g.centres[i], g.radii[i]
            QToolTip.showText(self.mapToGlobal(QPoint(int(c.x() + r), int(c.y() + r))), self.node_tooltip(i), self)

    def _describe_focus(self) -> None:
        if self._focus is not None and self._focus < len(self._network.nodes):
            self.setAccessibleDescription(self.node_tooltip(self._focus))
        else:
            self.setAccessibleDescription(self.tr("Tab and the arrow keys move through the names; "
                                                  "Enter lists a name's articles"))
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.DescriptionChanged))


class NetworkPairModel(QStandardItemModel):
    """The network's pairs: name, type, the other name, its type, the articles naming both.

    A standard item model, made afresh for each network: the proxy then sorts thousands of rows
    in C++ (a Python ``data()`` answering each comparison took 200 ms for the 4,950 pairs of 100
    names). The count is an ``int``, so it sorts as a number.
    """

    COUNT_COLUMN = 4

    def __init__(self, network: Network | None = None, dark: bool = False, parent=None):
        super().__init__(0, 5, parent)
        self._network = network or Network((), ())
        self.dark = dark
        icons = {t: swatch_icon(t, dark) for t in palette.LIGHT.entities}
        names = {t: type_name(t) for t in {n.type for n in self._network.nodes}}
        nodes = self._network.nodes
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        display = Qt.ItemDataRole.DisplayRole
        no_icon = QIcon()
        # row k is edge k (the proxy sorts; this model never does), and every call counts here:
        # 4,950 rows of 5 cells
        for e in self._network.edges:
            a, b = nodes[e.a], nodes[e.b]
            count = QStandardItem()
            count.setData(e.weight, display)
            count.setTextAlignment(right)
            self.appendRow([QStandardItem(a.text), QStandardItem(icons.get(a.type, no_icon), names[a.type]),
                            QStandardItem(b.text), QStandardItem(icons.get(b.type, no_icon), names[b.type]), count])
        self.retranslate()

    @property
    def network(self) -> Network:
        return self._network

    def _type_cells(self):
        nodes = self._network.nodes
        for row, e in enumerate(self._network.edges):
            yield self.item(row, 1), nodes[e.a].type
            yield self.item(row, 3), nodes[e.b].type

    def set_dark(self, dark: bool) -> None:
        if dark != self.dark:
            self.dark = dark
            icons = {t: swatch_icon(t, dark) for t in palette.LIGHT.entities}
            for item, entity_type in self._type_cells():
                if entity_type in icons:
                    item.setIcon(icons[entity_type])

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Type"), self.tr("Named with"), self.tr("Type"),
                                        self.tr("Articles naming both")])
        for item, entity_type in self._type_cells():
            name = type_name(entity_type)
            if item.text() != name:
                item.setText(name)

    def keys(self, row: int) -> tuple[tuple[str, str], tuple[str, str]]:
        """The two names of the pair in ``row``."""
        e = self._network.edges[row]
        return self._network.nodes[e.a].key, self._network.nodes[e.b].key


class NetworkPairTable(QTableView):
    """The pairs, sortable; Enter or a double-click on a row emits ``row_activated``."""

    row_activated = Signal(QModelIndex)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.doubleClicked.connect(self.row_activated)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.row_activated.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class NetworkView(QWidget):
    """The network as a picture and a table, with the top-N and scope controls above them."""

    node_activated = Signal(str, str)  # entity type, text: list this name's articles
    dossier_requested = Signal(str, str)  # entity type, text: open this name's dossier
    pair_activated = Signal(tuple, tuple)  # (type, text), (type, text): the articles naming both
    top_changed = Signal(int)  # the caller recomputes with this many names
    scope_changed = Signal(str)  # "library" or "list"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.top_label = QLabel()
        self.top_box = QSpinBox()
        self.top_box.setRange(10, MAX_NODES)
        self.top_box.setValue(30)
        self.top_box.setSingleStep(10)
        self.top_box.setKeyboardTracking(False)  # typing "50" asks once, not for 5 then 50
        self.top_label.setBuddy(self.top_box)
        self.scope_label = QLabel()
        self.scope_box = QComboBox()
        self.scope_box.addItem("", "library")
        self.scope_box.addItem("", "list")
        self.scope_label.setBuddy(self.scope_box)
        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.canvas = NetworkCanvas()
        self.model = NetworkPairModel(dark=is_dark(self), parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortLocaleAware(True)  # names in the language's order (pinyin for Chinese)
        self.table = NetworkPairTable()
        self.table.setModel(self.proxy)
        self.table.sortByColumn(NetworkPairModel.COUNT_COLUMN, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        picture = QWidget()
        picture_layout = QVBoxLayout(picture)
        picture_layout.setContentsMargins(0, 0, 0, 0)
        picture_layout.setSpacing(2)
        picture_layout.addWidget(self.canvas, 1)
        picture_layout.addWidget(self.hint)
        picture.setFocusProxy(self.canvas)
        self.tabs = QTabWidget()
        self.tabs.addTab(picture, "")
        self.tabs.addTab(self.table, "")

        controls = QHBoxLayout()
        controls.addWidget(self.top_label)
        controls.addWidget(self.top_box)
        controls.addSpacing(12)
        controls.addWidget(self.scope_label)
        controls.addWidget(self.scope_box)
        controls.addStretch(1)
        controls.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.tabs, 1)

        self._table_network: Network | None = None  # a network the table has not shown yet
        self.tabs.currentChanged.connect(self._tab_changed)
        self.canvas.node_activated.connect(self.node_activated)
        self.canvas.pair_activated.connect(self.pair_activated)
        self.canvas.dossier_requested.connect(self.dossier_requested)
        self.table.row_activated.connect(self._row_activated)
        self.top_box.valueChanged.connect(self.top_changed)
        self.scope_box.currentIndexChanged.connect(lambda _: self.scope_changed.emit(self.scope))
        self.retranslate()

    # -- what it shows ---------------------------------------------------------------------------
    @property
    def network(self) -> Network:
        return self.canvas.network

    def set_network(self, network: Network, positions: list[tuple[float, float]]) -> None:
        """Show ``network`` with ``positions`` from :func:`app.insight.network.layout` (one per
        node, in [0, 1]²)."""
        self.canvas.set_network(network, positions)
        self._table_network = network
        if self.tabs.currentWidget() is self.table:
            self._fill_table()
        self._summarise()

    def _fill_table(self) -> None:
        """The table's rows, made when the table is shown (the 4,950 pairs of 100 names take 80 ms)."""
        if self._table_network is None:
            return
        network, self._table_network = self._table_network, None
        old, self.model = self.model, NetworkPairModel(network, is_dark(self), self)
        self.proxy.setSourceModel(self.model)  # sorted again by the column the table shows sorted
        old.deleteLater()

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.table:
            self._fill_table()

    def pair_proxy(self) -> QSortFilterProxyModel:
        """The table's sorted pairs, made now if the table has not been shown since the last network."""
        self._fill_table()
        return self.proxy

    @property
    def top(self) -> int:
        return self.top_box.value()

    def set_top(self, n: int) -> None:
        """Show ``n`` in the spin box without asking for a new network (restoring a setting)."""
        self.top_box.blockSignals(True)
        self.top_box.setValue(n)
        self.top_box.blockSignals(False)

    @property
    def scope(self) -> str:
        return self.scope_box.currentData()

    def set_scope(self, scope: str) -> None:
        """Choose ``"library"`` or ``"list"`` without emitting ``scope_changed``."""
        if scope not in SCOPES:
            raise ValueError(f"scope is one of {SCOPES}, not {scope!r}")
        self.scope_box.blockSignals(True)
        self.scope_box.setCurrentIndex(SCOPES.index(scope))
        self.scope_box.blockSignals(False)

    def save_png(self, path: str | Path) -> None:
        self.canvas.save_png(path)

    def save_svg(self, path: str | Path) -> None:
        self.canvas.save_svg(path)

    def _row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.pair_activated.emit(*self.model.keys(self.proxy.mapToSource(index).row()))

    # -- language and theme ----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.top_label.setText(self.tr("&Names:"))
        self.top_box.setToolTip(self.tr("How many of the most-named people, places and organisations to show"))
        self.top_box.setAccessibleName(self.tr("Number of names"))
        self.scope_label.setText(self.tr("&From:"))
        self.scope_box.setItemText(0, self.tr("Whole library"))
        self.scope_box.setItemText(1, self.tr("Current list"))
        self.scope_box.setAccessibleName(self.tr("Names from"))
        self.tabs.setTabText(0, self.tr("&Picture"))
        self.tabs.setTabText(1, self.tr("&Table"))
        self.table.setAccessibleName(self.tr("Pairs of names and the articles naming both"))
        self.hint.setText(self.tr("Click a name for its articles, a line for the articles naming both. "
                                  "Right-click to save the picture."))
        self.model.retranslate()
        self._summarise()

    def _summarise(self) -> None:
        network = self.canvas.network
        nodes = self.tr("1 name") if len(network.nodes) == 1 else self.tr("{n} names").format(n=len(network.nodes))
        pairs = self.tr("1 pair") if len(network.edges) == 1 else self.tr("{n} pairs").format(n=len(network.edges))
        if len(network.edges) > MAX_DRAWN_EDGES:
            self.summary.setText(self.tr("{names}, {pairs} (the picture draws the {drawn} strongest)").format(
                names=nodes, pairs=pairs, drawn=MAX_DRAWN_EDGES))
        else:
            self.summary.setText(self.tr("{names}, {pairs}").format(names=nodes, pairs=pairs))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self.model.set_dark(is_dark(self))
        super().changeEvent(event)
