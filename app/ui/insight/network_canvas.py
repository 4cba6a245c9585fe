"""The network's picture: a circle per name, its area proportional to the articles naming it, in
its type's colours from the reading pane (:mod:`app.palette`); a line per pair, wider and darker the
more articles name both. The top names are labelled beside their circles; the rest are labelled on
hover. Hovering a name highlights it and its lines; clicking it emits ``node_activated(type, text)``,
clicking a line ``pair_activated(key_a, key_b)``. Tab and the arrow keys move a focus through the
names, Enter activates one. The context menu saves the picture as PNG or SVG (the same painting code
draws the widget, the PNG and the SVG).

Where everything goes, and what is under the pointer, is computed once per network and size in
:mod:`app.ui.insight.network_geometry`; a paint only draws. The lines, the one slow part, are drawn
once into a layer, in a worker thread when there are many.

Why this module is over 400 lines: it is one widget whose painting, pointer, keyboard and saving
all read and change the same state (the hovered and focused name, the geometry and its line
layer); what stands on its own, the geometry, is in ``network_geometry.py``.

One module because painting, hit-testing, keyboard focus and the saved pictures share one
widget's state; the geometry they all read is already apart.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QAccessible, QAccessibleEvent, QBrush, QColor, QContextMenuEvent, QImage, QKeyEvent, QMouseEvent, QPainter,
    QPainterPath, QPaintEvent, QPalette, QPen, QPixmap,
)
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from app import palette
from app.insight.network import Network
from app.ui.entities.legend import is_dark
from app.ui.entities.marks import type_name
from app.ui.insight import pictures
from app.ui.insight.network_geometry import (
    Geometry, build_geometry, hover_label, item_under, neighbour_towards,
)

SYNC_EDGES = 150  # up to this many lines are drawn on the GUI thread (under 40 ms at worst), more in a worker
EXPORT_SIZE = QSize(1000, 750)  # a saved picture when the widget was never laid out


def _mix(colour: str, towards: str, share: float) -> QColor:
    """``colour`` moved ``share`` of the way to ``towards`` (both ``#rrggbb``)."""
    a, b = QColor(colour), QColor(towards)
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * share, a.greenF() + (b.greenF() - a.greenF()) * share,
                           a.blueF() + (b.blueF() - a.blueF()) * share)



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
        self._geometry: Geometry | None = None
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
        self._drawing: Geometry | None = None  # the geometry whose lines the worker is drawing
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
    def _current_geometry(self) -> Geometry:
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

    def _build_geometry(self, width: int, height: int) -> Geometry:
        return build_geometry(self._network, self._positions, self.font(), self._colours().text, width, height)

    # -- what is where ---------------------------------------------------------------------------
    def item_at(self, pos: QPoint | QPointF) -> tuple[str, int] | None:
        """``("node", i)``, ``("edge", k)`` or None: what a click at ``pos`` would activate."""
        if not self._network.nodes:
            return None
        return item_under(self._current_geometry(), pos)

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

    def _paint(self, p: QPainter, g: Geometry, interactive: bool) -> None:
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
            rect, text = hover_label(g, self._network, i)
            strong = QColor(paper)
            strong.setAlpha(240)
            self._draw_label(p, rect, text, strong, ink)

    @staticmethod
    def _stroke_edges(p: QPainter, g: Geometry) -> None:
        p.setBrush(Qt.BrushStyle.NoBrush)
        for pen, path in g.strokes:
            p.strokePath(path, pen)

    @property
    def edges_drawn(self) -> bool:
        """Whether the picture shows its lines (a large network's are drawn in a worker thread)."""
        g = self._geometry
        return g is not None and (g.edge_layer is not None or not g.lines)

    def _edge_layer(self, g: Geometry) -> QPixmap | None:
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

    def _lines_drawn(self, g: Geometry, image: QImage) -> None:
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
    def _export_geometry(self) -> Geometry:
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
        pictures.write_svg(path, QSize(g.width, g.height), self.tr("Who appears with whom"),
                           self.tr("People, places and organisations named in the same articles"),
                           lambda p: self._paint(p, g, interactive=False),
                           self.tr("Could not write {path}").format(path=path))
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
        pictures.ask_and_save(self, fmt, caption, name, filters, self.save_png if fmt == "png" else self.save_svg,
                              self.tr("Could not save the picture"))

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
            return pictures.show_tooltip(self, event, self.tooltip_at(event.pos()))
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
                target = neighbour_towards(self._current_geometry(), self._focus, key)
                if target is not None:
                    self._set_focus(target)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

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
