"""Where the network's picture puts everything, and what is under a point of it.

:func:`build_geometry` computes, once per network, size and theme, the circles (area proportional to
the articles naming a name), the lines (the heaviest :data:`MAX_DRAWN_EDGES`, in
:data:`WEIGHT_CLASSES` widths and shades, batched into short paths for stroking) and the labels of
the top names (placed greedily where they overlap least, long names elided); the rest are placed on
hover (:func:`hover_label`). What is under the pointer is answered from a pick image
(:func:`pick_image`): each circle and line drawn once, without antialiasing, in a colour that
encodes its index, so finding it costs one pixel read however many lines there are.
:class:`app.ui.insight.network_canvas.NetworkCanvas` draws and answers from these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPixmap

from app.insight.network import Network

ALL_LABELS = 25  # up to this many names, every one is labelled; beyond, only the top LABELLED
LABELLED = 20
# the heaviest lines drawn: all 4,950 pairs of 100 names are a grey fog (the table has every pair)
MAX_DRAWN_EDGES = 1500
WEIGHT_CLASSES = 12  # lines are drawn in this many widths and shades
LINES_PER_PATH = 12  # about 3 ms of stroking per call
ALWAYS_LABELLED = 5  # these are labelled even where their label overlaps another
LABEL_CHARS = 8  # labels are elided at about this many Chinese characters (hover shows more)
HOVER_LABEL_CHARS = 16
_NODE_FLAG = 0x800000  # in the pick image: node i is _NODE_FLAG | (i + 1), edge k is k + 1


def _covered(rect: QRectF, others: list[QRectF]) -> float:
    """The area of ``rect`` that ``others`` cover (counted once per other)."""
    area = 0.0
    for other in others:
        if rect.intersects(other):
            o = rect.intersected(other)
            area += o.width() * o.height()
    return area


@dataclass
class Geometry:
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


def build_geometry(network: Network, positions: list[tuple[float, float]], font: QFont, ink_colour: str,
                   width: int, height: int) -> Geometry:
    """Where everything goes for ``network`` (``positions`` in [0, 1]²) at ``width`` × ``height``:
    circles, lines by weight class (their pens in ``ink_colour``), and the labels shown without
    hovering."""
    g = Geometry(width, height)
    nodes, edges = network.nodes, network.edges
    n = len(nodes)
    if not n:
        return g
    crowd = min(1.0, math.sqrt(30 / n))
    r_max = max(7.0, min(26.0, min(width, height) * 0.05 * crowd))
    r_min = max(3.0, r_max * 0.22)
    most = max(node.articles for node in nodes) or 1
    g.radii = [max(r_min, r_max * math.sqrt(node.articles / most)) for node in nodes]
    fm = QFontMetricsF(font)
    margin_x = r_max + 6
    margin_y = r_max + 6
    span_x, span_y = max(1.0, width - 2 * margin_x), max(1.0, height - 2 * margin_y)
    g.centres = [QPointF(margin_x + x * span_x, margin_y + y * span_y) for x, y in positions]
    g.paint_order = sorted(range(n), key=lambda i: (-g.radii[i], i))
    drawn = edges[:MAX_DRAWN_EDGES]
    # widths and shades span the weights drawn, so that lines of 30 to 50 shared articles
    # differ as much as lines of 1 to 20
    lightest, heaviest = min((e.weight for e in drawn), default=1), max((e.weight for e in drawn), default=1)
    spread = heaviest - lightest
    ink = QColor(ink_colour)
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
        rect = place_label(i, fm, text, g, boxes, placed, bounds)
        if i >= ALWAYS_LABELLED and _covered(rect, placed) > 0.15 * rect.width() * rect.height():
            continue
        placed.append(rect)
        g.labels[i] = (rect, text)
    g.boxes, g.placed, g.metrics = boxes, placed, fm  # for labels placed on hover
    return g


def place_label(i: int, fm: QFontMetricsF, text: str, g: Geometry, boxes: list[QRectF],
                placed: list[QRectF], bounds: QRectF) -> QRectF:
    """Where node ``i``'s label ``text`` overlaps the labels ``placed`` so far and the circles
    (``boxes``) least, and stays inside ``bounds``."""
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


def hover_label(g: Geometry, network: Network, i: int) -> tuple[QRectF, str]:
    """Node ``i``'s label: the one always shown, else one placed (once) when it is hovered."""
    if i in g.labels:
        return g.labels[i]
    if i not in g.hover_labels:
        fm = g.metrics
        text = fm.elidedText(network.nodes[i].text, Qt.TextElideMode.ElideRight,
                             fm.horizontalAdvance("中") * HOVER_LABEL_CHARS)
        rect = place_label(i, fm, text, g, g.boxes, g.placed, QRectF(0, 0, g.width, g.height))
        g.hover_labels[i] = (rect, text)
    return g.hover_labels[i]


def pick_image(g: Geometry) -> QImage:
    """Each line and circle (and always-shown label) drawn once, without antialiasing, in a
    colour that encodes it: what is under a point is one pixel read (built on the first question)."""
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


def item_under(g: Geometry, pos: QPoint | QPointF) -> tuple[str, int] | None:
    """``("node", i)``, ``("edge", k)`` or None: what is at ``pos`` (of a network with nodes)."""
    x, y = int(pos.x()), int(pos.y())
    if not (0 <= x < g.width and 0 <= y < g.height):
        return None
    value = pick_image(g).pixel(x, y) & 0xFFFFFF
    if not value:
        return None
    if value & _NODE_FLAG:
        return ("node", (value & ~_NODE_FLAG) - 1)
    return ("edge", value - 1)


def neighbour_towards(g: Geometry, i: int, key: Qt.Key) -> int | None:
    """The nearest node to node ``i`` in an arrow ``key``'s direction (within 60° of it),
    preferring the straightest."""
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
