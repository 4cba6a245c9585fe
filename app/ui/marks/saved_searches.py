"""Saved searches in the side panel: each with its live count of matching articles (new arrivals
included), run by a click, renamed, reordered (dragged, or moved up and down) and deleted.

The searches themselves are :mod:`app.marks`' (``baozhi saved list`` / ``run`` read the same
ones). Counting runs every saved query off the GUI thread through the window's search
(:meth:`~app.ui.search.library_search.LibrarySearch.matching_ids_call`), again whenever the
library, the index or the marks change, debounced.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QThreadPool, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QToolButton,
    QVBoxLayout, QWidget,
)

from app.marks import MarksError
from app.ui import errors, workers


NAME_ROLE = Qt.ItemDataRole.UserRole + 1
QUERY_ROLE = Qt.ItemDataRole.UserRole + 2
COUNT_DEBOUNCE_MS = 300
LIST_ROWS = 5  # rows shown before the list scrolls


def ask_name(parent, title: str, label: str, text: str) -> str | None:
    """A name typed by the reader; None when cancelled (one function: tests stand in for it)."""
    name, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return name if ok else None


class SavedSearchList(QListWidget):
    """The list; ``dropped`` after a row was dragged to a new place."""

    dropped = Signal()

    def dropEvent(self, event) -> None:  # noqa: N802
        super().dropEvent(event)
        self.dropped.emit()


class SavedSearchPanel(QWidget):
    """Emits ``run_requested(query)`` when a saved search is clicked."""

    run_requested = Signal(str)
    changed = Signal()  # the saved searches were read again (their counts are due)

    def __init__(self, store, current_query, parent=None):
        super().__init__(parent)
        self.setObjectName("savedSearches")
        self.store = store
        self.current_query = current_query  # () -> the search box's query
        self.counts: dict[str, int | None] = {}  # query -> its count (None: being counted)
        self.title = QLabel(self)
        self.title.setObjectName("savedSearchesTitle")
        self.buttons: dict[str, QToolButton] = {}
        top = QHBoxLayout()
        top.setContentsMargins(2, 0, 0, 0)
        top.addWidget(self.title, 1)
        for name, text, slot in (("save", "+", self.save_current), ("rename", "✎", self.rename_selected),
                                 ("up", "↑", lambda: self.move_selected(-1)), ("down", "↓", lambda: self.move_selected(1)),
                                 ("delete", "−", self.delete_selected)):
            button = QToolButton(self)
            button.setText(text)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            top.addWidget(button)
            self.buttons[name] = button
        self.list = SavedSearchList(self)
        self.list.setObjectName("savedSearchList")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemClicked.connect(lambda item: self.run_requested.emit(item.data(QUERY_ROLE)))
        self.list.itemActivated.connect(lambda item: self.run_requested.emit(item.data(QUERY_ROLE)))
        self.list.dropped.connect(self._store_order)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Saved searches"))
        self.buttons["save"].setToolTip(self.tr("Save the current search"))
        self.buttons["rename"].setToolTip(self.tr("Rename the saved search"))
        self.buttons["up"].setToolTip(self.tr("Move up"))
        self.buttons["down"].setToolTip(self.tr("Move down"))
        self.buttons["delete"].setToolTip(self.tr("Delete the saved search"))
        self.list.setToolTip(self.tr("Click to run; drag to reorder"))
        self._relabel()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the list --------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [self.list.item(r).data(NAME_ROLE) for r in range(self.list.count())]

    def queries(self) -> list[str]:
        return [self.list.item(r).data(QUERY_ROLE) for r in range(self.list.count())]

    def reload(self) -> None:
        """The saved searches as the store has them now."""
        current = self.list.currentItem().data(NAME_ROLE) if self.list.currentItem() else None
        self.list.clear()
        for saved in self.store.saved_searches():
            item = QListWidgetItem()
            item.setData(NAME_ROLE, saved.name)
            item.setData(QUERY_ROLE, saved.query)
            item.setToolTip(saved.query)
            self.list.addItem(item)
            if saved.name == current:
                self.list.setCurrentItem(item)
        self._relabel()
        rows = max(1, min(LIST_ROWS, self.list.count()))
        self.list.setFixedHeight(rows * self.list.sizeHintForRow(0) + 2 * self.list.frameWidth() + 2
                                 if self.list.count() else 0)
        self.list.setVisible(self.list.count() > 0)
        self._update_buttons()
        self.changed.emit()

    def set_counts(self, counts: dict[str, int | None]) -> None:
        self.counts = dict(counts)
        self._relabel()

    def _relabel(self) -> None:
        for r in range(self.list.count()):
            item = self.list.item(r)
            count = self.counts.get(item.data(QUERY_ROLE))
            shown = "…" if count is None else str(count)
            item.setText(f"{item.data(NAME_ROLE)}  ({shown})")

    def count_text(self, name: str) -> str:
        """The row's text (its name and count), for tests and the screen reader."""
        return next((self.list.item(r).text() for r in range(self.list.count())
                     if self.list.item(r).data(NAME_ROLE) == name), "")

    def _update_buttons(self) -> None:
        row, n = self.list.currentRow(), self.list.count()
        for name in ("rename", "delete"):
            self.buttons[name].setEnabled(row >= 0)
        self.buttons["up"].setEnabled(row > 0)
        self.buttons["down"].setEnabled(0 <= row < n - 1)

    # -- changing them ---------------------------------------------------------------------------
    def _try(self, change) -> bool:
        try:
            change()
        except MarksError as err:
            errors.show_error(self.window(), self.tr("Saved searches"), str(err))
            return False
        self.reload()
        return True

    def save_current(self, name: str | None = None) -> bool:
        """Save the search box's query (under ``name``, else as the reader names it)."""
        query = self.current_query()
        if not query:
            errors.show_error(self.window(), self.tr("Saved searches"),
                              self.tr("Type a search first; then save it here to run it again with one click."))
            return False
        if name is None:
            name = ask_name(self.window(), self.tr("Save Search"), self.tr("Name of the saved search:"), query)
            if name is None:
                return False
        return self._try(lambda: self.store.save_search(name, query))

    def rename_selected(self, new: str | None = None) -> bool:
        item = self.list.currentItem()
        if item is None:
            return False
        old = item.data(NAME_ROLE)
        if new is None:
            new = ask_name(self.window(), self.tr("Rename Saved Search"), self.tr("New name:"), old)
            if new is None or new == old:
                return False
        return self._try(lambda: self.store.rename_search(old, new))

    def delete_selected(self) -> bool:
        item = self.list.currentItem()
        if item is None:
            return False
        name = item.data(NAME_ROLE)
        return self._try(lambda: self.store.delete_search(name))

    def move_selected(self, delta: int) -> bool:
        row = self.list.currentRow()
        names = self.names()
        target = row + delta
        if row < 0 or not 0 <= target < len(names):
            return False
        names.insert(target, names.pop(row))
        return self._try(lambda: self.store.reorder_searches(names))

    def _store_order(self) -> None:
        self._try(lambda: self.store.reorder_searches(self.names()))


class SavedSearchCounts(QObject):
    """Counts the panel's saved searches in the background, debounced; ``counted`` after each run."""

    counted = Signal()

    def __init__(self, panel: SavedSearchPanel, library_search, parent=None):
        super().__init__(parent)
        self.panel = panel
        self.library_search = library_search
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._generation = 0
        self._tasks: dict[QObject, workers.CallTask] = {}
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COUNT_DEBOUNCE_MS)
        self.timer.timeout.connect(self.count_now)

    def schedule(self, *_args) -> None:
        self.timer.start()

    def count_now(self) -> None:
        queries = list(dict.fromkeys(self.panel.queries()))
        if not queries:
            return
        self._generation += 1
        calls = [(q, self.library_search.matching_ids_call([q])) for q in queries]

        def count() -> dict[str, int | None]:
            out: dict[str, int | None] = {}
            for query, call in calls:
                try:
                    found = call()
                except Exception:  # noqa: BLE001 - a query that cannot run counts as nothing found
                    out[query] = 0
                    continue
                out[query] = None if found is None else len(found[0])
            return out

        task = workers.CallTask(self._generation, count)
        self._tasks[task.signals] = task
        task.signals.finished.connect(self._on_counted)
        task.signals.failed.connect(lambda _m, s=task.signals: self._tasks.pop(s, None))
        self.pool.start(task)

    def _on_counted(self, counts) -> None:
        task = self._tasks.pop(self.sender(), None)
        if task is None or task.generation != self._generation:
            return
        self.panel.set_counts(counts)
        self.counted.emit()

    def wait(self, ms: int = 30000) -> bool:
        return self.pool.waitForDone(ms)
