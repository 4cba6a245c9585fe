"""Who appears with whom, drawn: the co-occurrence network as a picture and as a table of pairs.

:class:`NetworkView` shows an :class:`app.insight.network.Network` with the positions
:func:`app.insight.network.layout` gave it (computed off the GUI thread by the caller):

- the picture (:class:`~app.ui.insight.network_canvas.NetworkCanvas`, in ``network_canvas.py``,
  its geometry in ``network_geometry.py``): a circle per name, a line per pair, the top names
  labelled; clicking a name emits ``node_activated(type, text)``, a line
  ``pair_activated(key_a, key_b)``; its context menu saves it as PNG or SVG.
- the table (:class:`~app.ui.insight.network_table.NetworkPairModel` behind a
  :class:`QSortFilterProxyModel`, in ``network_table.py``): one row per pair, sorted by the
  articles naming both; a double-click or Enter emits ``pair_activated``.
- a "top N" spin box (``top_changed(int)``) and a choice of the whole library or the current list
  (``scope_changed("library" | "list")``): the caller recomputes and calls ``set_network`` again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from app.insight.network import Network
from app.ui.entities.legend import is_dark
from app.ui.insight.network_canvas import SYNC_EDGES, NetworkCanvas
from app.ui.insight.network_geometry import ALWAYS_LABELLED, LABELLED, MAX_DRAWN_EDGES
from app.ui.insight.network_table import NetworkPairModel, NetworkPairTable

MAX_NODES = 100  # what the picture is made for (the spin box's maximum)
SCOPES = ("library", "list")


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


# the picture's and the table's names stay importable from here, where they were before the split
__all__ = ["ALWAYS_LABELLED", "LABELLED", "MAX_DRAWN_EDGES", "MAX_NODES", "SCOPES", "SYNC_EDGES", "NetworkCanvas",
           "NetworkPairModel", "NetworkPairTable", "NetworkView"]
