"""The network as a table: one row per pair of names with the articles naming both, sortable (a
:class:`QSortFilterProxyModel` over :class:`NetworkPairModel`); a double-click or Enter on a row
emits ``row_activated``. :class:`app.ui.insight.network_view.NetworkView` shows it beside the picture.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView

from app import palette
from app.insight.network import Network
from app.ui.entities.legend import swatch_icon
from app.ui.entities.marks import type_name


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
