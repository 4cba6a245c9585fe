"""The legend over the reading pane: a check box per entity type with its colour and its count.

Unchecking a type hides its highlights (``types_changed(frozenset)`` with the types to show);
the counts are the current article's mentions of each type.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QCheckBox, QLabel, QLayout, QWidget

from app.model import ENTITY_TYPES
from app.ui.entities import marks as entity_marks

SWATCH = 12


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Base).lightness() < 128


def swatch_icon(entity_type: str, dark: bool) -> QIcon:
    """A small square in the type's tint, edged with its underline colour."""
    pixmap = QPixmap(SWATCH, SWATCH)
    pixmap.fill(QColor(entity_marks.ENTITY_COLORS[dark][entity_type][0]))
    painter = QPainter(pixmap)
    painter.setPen(entity_marks.swatch_color(entity_type, dark))
    painter.drawRect(0, 0, SWATCH - 1, SWATCH - 1)
    painter.fillRect(0, SWATCH - 3, SWATCH, 3, entity_marks.swatch_color(entity_type, dark))
    painter.end()
    return QIcon(pixmap)


class FlowLayout(QLayout):
    """Items left to right, wrapping onto further lines when the pane is narrow."""

    def __init__(self, parent=None, spacing: int = 14, line_spacing: int = 2):
        super().__init__(parent)
        self._items = []
        self._spacing, self._line_spacing = spacing, line_spacing

    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i: int):  # noqa: N802
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i: int):  # noqa: N802
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        m = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in self._items) + self._spacing * max(0, len(self._items) - 1)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        m = self.contentsMargins()
        width = max((i.minimumSize().width() for i in self._items), default=0)
        return QSize(width + m.left() + m.right(), self.heightForWidth(width + m.left() + m.right()))

    def _arrange(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line = area.x(), y + line + self._line_spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


class EntityLegend(QWidget):
    types_changed = Signal(object)  # frozenset of the types to highlight

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("entityLegend")
        self.title = QLabel(self)
        self.boxes: dict[str, QCheckBox] = {}
        layout = FlowLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.addWidget(self.title)
        for entity_type in ENTITY_TYPES:
            box = QCheckBox(self)
            box.setObjectName(f"legend{entity_type.title()}")
            box.setChecked(True)
            box.setIconSize(QSize(SWATCH, SWATCH))
            box.toggled.connect(self._on_toggled)
            self.boxes[entity_type] = box
            layout.addWidget(box)
        self._counts = {t: 0 for t in ENTITY_TYPES}
        self._dark = None
        self._recolor()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Entities:"))
        self.setToolTip(self.tr("Entity highlights in this article; untick a type to hide it"))
        for entity_type, box in self.boxes.items():
            box.setText(self.tr("{name} {count}").format(
                name=entity_marks.type_name(entity_type), count=self._counts[entity_type]))
            box.setToolTip(entity_marks.tooltip_text(entity_type))
            box.setEnabled(self._counts[entity_type] > 0)  # greyed: none in this article

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._recolor()
        super().changeEvent(event)

    def _recolor(self) -> None:
        dark = is_dark(self)
        if dark != self._dark:
            self._dark = dark
            for entity_type, box in self.boxes.items():
                box.setIcon(swatch_icon(entity_type, dark))

    def set_counts(self, counts: dict[str, int]) -> None:
        self._counts = {t: int(counts.get(t, 0)) for t in ENTITY_TYPES}
        self.retranslate()

    @property
    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def shown_types(self) -> frozenset[str]:
        return frozenset(t for t, box in self.boxes.items() if box.isChecked())

    def set_shown_types(self, types) -> None:
        for entity_type, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(entity_type in types)
            box.blockSignals(False)
        self.types_changed.emit(self.shown_types())

    def _on_toggled(self, _checked: bool) -> None:
        self.types_changed.emit(self.shown_types())
