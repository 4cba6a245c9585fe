"""The list as shown: the articles in the chosen order, or a search's hits alone in rank order."""

from __future__ import annotations

from PySide6.QtCore import QCollator, QLocale, QModelIndex, QObject, QStringListModel, Qt, QThreadPool, Signal

from app.model import Article, Snippet
from app.ui.article_list.model import ArticleListModel, IS_RELATED_ROLE, Index, SNIPPET_ROLE, any_related
from app.ui.article_list.sort import SORT_MODES, background_sort, sort_order, with_inverse

BACKGROUND_SORT_ROWS = 2000  # from this many articles a sort order is made off the GUI thread
GROW_STEP = 128  # rows added to Qt's row count per call (see ArticleProxyModel._resize_rows)
ROW_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren


class ArticleProxyModel(QStringListModel):
    """Sorting by page order, date or title with related articles kept under their parent; the
    search hits alone, in rank order, while a search is shown.

    The visible rows are a Python list of source rows, computed in one pass whenever the sort,
    the results or the articles change (a ``QSortFilterProxyModel`` asked Python once per row
    and per comparison from C++: a tenth of a second per keystroke at 10,000 articles, seconds
    at 100,000). A change is a layout change: the current row and the selection follow their
    articles, and rows that leave the list drop out of them.

    From :data:`BACKGROUND_SORT_ROWS` articles a sort order is made in a worker thread (at
    100,000 articles by date it held the GUI thread for 0.2-1 s, by title 4.5 s); the list keeps
    its order until it arrives (``sorting_changed``), and each order is kept per content and
    mode, so switching back is instant. An order for content or a mode no longer wanted is
    not shown.

    Its row count is Qt's, not Python's: the class is a ``QStringListModel`` whose (empty) C++
    strings are only a count kept equal to the Python rows (:meth:`_resize_rows`). A list view
    makes an index of every row at each layout, and a list model's ``index()`` asks
    ``rowCount()``: overridden in Python, that was 105,000 calls into the interpreter per layout
    at 100,000 articles (~170 ms of GUI thread, more while a background thread held the
    interpreter: each call waited for it), against ~13 ms in C++.
    """

    sorting_changed = Signal(bool)  # a sort order is being made in the background

    def __init__(self, parent=None):
        super().__init__(parent)
        self._mode = "page"  # the mode asked for (the list shows it once its order is made)
        self._needle = ""
        self._results: dict[str, tuple[int, Snippet]] | None = None  # id -> (rank, snippet) while searching
        self._hit_rows: list[int] = []  # the hits' source rows in rank order
        self._collator = QCollator(QLocale("zh_CN"))  # the GUI thread's, for the small libraries' sorts
        self._collator.setNumericMode(True)
        self._related = True  # until prepare_for() says otherwise
        self._order: tuple[list[int], list[int]] | None = None  # (order, at) of the whole list; None: page order
        self._shown_mode: str | None = "page"  # the mode of _order (None: source order while sorting)
        self._orders: dict[tuple[int, str], tuple[list[int], list[int]]] = {}  # (version, mode) -> (order, at)
        self._pending: set[tuple[int, str]] = set()  # (version, mode) being sorted in the background
        self._sorting: dict[QObject, object] = {}  # signals -> CallTask, kept alive until it reports
        self._sort_pool = QThreadPool(self)
        self._sort_pool.setMaxThreadCount(1)
        self._rows: list[int] = []  # proxy row -> source row
        self._at: list[int] = []  # source row -> proxy row, -1 when not listed
        self._source: ArticleListModel | None = None

    def _resize_rows(self, n: int, shrink: bool = True) -> None:
        """Make Qt's row count ``n`` without telling the views: only inside a reset, a layout
        change or an insertion, which tells them. Growing first lets the new rows' indexes be
        made; shrinking after the persistent indexes have moved drops none that still has a place."""
        have = QStringListModel.rowCount(self)
        if n == have or (n < have and not shrink):
            return
        blocked = self.blockSignals(True)
        try:
            while have < n:  # Qt inserts a string at a time before those it inserted: in
                step = min(GROW_STEP, n - have)  # steps, 105,000 rows take ~3 ms, not ~1.7 s
                QStringListModel.insertRows(self, have, step)
                have += step
            if n < have:
                QStringListModel.removeRows(self, n, have - n)
        finally:
            self.blockSignals(blocked)

    # -- the source ------------------------------------------------------------------------------
    # A list model rather than a QAbstractProxyModel: Qt's views call index() once or twice per
    # row on every layout change, and a Python index() (a proxy must implement it) cost 3.5 us a
    # call -- 0.7 s of GUI thread per change at 100,000 articles. A list model's index() is C++.
    def sourceModel(self) -> ArticleListModel | None:  # noqa: N802
        return self._source

    def setSourceModel(self, model: ArticleListModel) -> None:  # noqa: N802
        old = self._source
        if old is not None:
            old.modelAboutToBeReset.disconnect(self.beginResetModel)
            old.modelReset.disconnect(self._on_source_reset)
        self.beginResetModel()
        self._source = model
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._on_source_reset)
        self._orders.clear()
        self._take_order(reset=True)
        self._compute()
        self._resize_rows(len(self._rows))
        self.endResetModel()

    def _on_source_reset(self) -> None:
        if self._results is not None:
            self._hit_rows = self._rows_of(self._results)
        self._orders.clear()  # other content: the orders made for the old one are of no use
        self._take_order(reset=True)
        self._compute()
        self._resize_rows(len(self._rows))
        self.endResetModel()

    def prepare_for(self, related: dict[str, list[str]]) -> None:
        """Call before the source model takes new articles, with their parent id -> related ids:
        with no related articles to keep under their parents, page order is simply the source
        order and needs no sort keys."""
        self._related = any_related(related)

    # -- the order -------------------------------------------------------------------------------
    def _take_order(self, reset: bool = False) -> bool:
        """Show the asked mode's order if it is at hand (made, trivial, or quick to make here);
        else have it made in the background. After a reset with the order not at hand the list
        is in source order until it arrives. Whether the order changed now."""
        model = self._source
        if model is None or (self._mode == "page" and not self._related):
            self._order, self._shown_mode = None, self._mode
            return True
        key = (model.version, self._mode)
        found = self._orders.get(key)
        if found is None and model.rowCount() < BACKGROUND_SORT_ROWS:
            articles, rows = model.snapshot()
            found = self._orders[key] = with_inverse(sort_order(articles, rows, self._mode, self._collator))
        if found is not None:
            self._order, self._shown_mode = found, self._mode
            return True
        if reset:  # the old order is of other rows: source order until the new one arrives
            self._order = None
            self._shown_mode = "page" if not self._related else None
        self._sort_in_background(key)
        return False

    def _sort_in_background(self, key: tuple[int, str]) -> None:
        from app.ui import workers

        if key in self._pending:
            return  # under way already
        self._pending.add(key)
        articles, rows = self._source.snapshot()
        source = self._source

        def still_wanted() -> bool:  # read in the worker: a newer mode or content makes it stale
            return self._source is source and (source.version, self._mode) == key

        task = workers.CallTask(0, lambda: background_sort(articles, rows, key[1], still_wanted))
        task.key = key
        self._sorting[task.signals] = task
        task.signals.finished.connect(self._on_sorted)
        task.signals.failed.connect(self._on_sort_failed)
        if len(self._sorting) == 1:
            self.sorting_changed.emit(True)
        self._sort_pool.start(task)

    def _on_sorted(self, found: tuple | None) -> None:
        task = self._sorting.pop(self.sender(), None)
        if task is None:
            return
        self._pending.discard(task.key)
        version = self._source.version if self._source is not None else None
        if found is not None and task.key[0] == version:
            self._orders[task.key] = found  # kept even when another mode is wanted now
            if task.key[1] == self._mode:
                self._order, self._shown_mode = found, self._mode
                self._relayout()
        if not self._sorting:
            self.sorting_changed.emit(False)

    def _on_sort_failed(self, _message: str) -> None:
        task = self._sorting.pop(self.sender(), None)  # logged by the task; the list keeps its order
        if task is not None:
            self._pending.discard(task.key)
        if not self._sorting:
            self.sorting_changed.emit(False)

    @property
    def sorting(self) -> bool:
        """Whether an order is being made in the background."""
        return bool(self._sorting)

    @property
    def shown_sort_mode(self) -> str | None:
        """The mode whose order the list shows (``sort_mode`` once its order has arrived)."""
        return self._shown_mode

    # -- the rows --------------------------------------------------------------------------------
    def _rows_of(self, results: dict[str, tuple[int, str]]) -> list[int]:
        rows = map(self.sourceModel().row_of, results)  # insertion order is rank order
        return [r for r in rows if r >= 0]

    def _compute(self) -> None:
        model: ArticleListModel | None = self.sourceModel()
        n = model.rowCount() if model is not None else 0
        at: list[int] | None = None
        if model is None:
            rows: list[int] = []
        elif self._results is not None:
            rows = list(self._hit_rows)
        elif self._order is None or len(self._order[0]) != n:
            rows = list(range(n))
            at = rows
        else:
            rows, at = self._order  # shared, never changed in place
        if self._needle and model is not None:
            rows = self._matching(rows)
            at = None
        if at is None:
            at = [-1] * n
            for proxy_row, source_row in enumerate(rows):
                at[source_row] = proxy_row
        self._rows, self._at = rows, at

    def _matching(self, rows: list[int]) -> list[int]:
        """The source ``rows`` whose article holds the filter text (:meth:`set_filter_text`)."""
        model: ArticleListModel = self.sourceModel()
        needle = self._needle
        return [r for r in rows if needle in model.article(model.id_at(r)).all_text().casefold()]

    def _relayout(self) -> None:
        """Recompute the rows, moving the persistent indexes (current row, selection) along."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        sources = [self._rows[i.row()] if 0 <= i.row() < len(self._rows) else -1 for i in old]
        self._compute()
        self._resize_rows(len(self._rows), shrink=False)
        new = [self.index(self._at[s], i.column()) if s >= 0 and self._at[s] >= 0 else QModelIndex()
               for s, i in zip(sources, old)]
        self.changePersistentIndexList(old, new)
        self._resize_rows(len(self._rows))
        self.layoutChanged.emit()

    @property
    def sort_mode(self) -> str:
        return self._mode

    def set_sort_mode(self, mode: str) -> None:
        if mode not in SORT_MODES or mode == self._mode:
            return
        self._mode = mode
        if self._take_order():
            self._relayout()

    @property
    def filter_text(self) -> str:
        return self._needle

    def set_filter_text(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            self._needle = needle
            self._relayout()

    @property
    def showing_results(self) -> bool:
        return self._results is not None

    def set_results(self, hits: list) -> None:
        """Show only ``hits`` (``SearchHit``s, best first), in that order, with their snippets."""
        results: dict[str, tuple[int, Snippet]] = {}
        for rank, hit in enumerate(hits):
            results.setdefault(hit.id, (rank, hit.snippet))
        self._results = results
        self._hit_rows = self._rows_of(results)
        self._relayout()

    def extend_results(self, hits: list) -> bool:
        """List ``hits`` — the hits already listed, then more of the same search (its rest, see
        app.ui.search.library_search.FIRST_HITS) — by adding rows after the last: nothing listed
        moves, so the GUI thread does not lay out the whole list again. False (and nothing done)
        when ``hits`` do not begin with those listed: :meth:`set_results` then."""
        results = self._results
        if results is None or len(hits) < len(results) \
                or [h.id for h in hits[:len(results)]] != list(results):
            return False
        rank = len(results)
        added: dict[str, tuple[int, Snippet]] = {}
        for hit in hits[rank:]:
            if hit.id not in results and hit.id not in added:
                added[hit.id] = (rank, hit.snippet)
            rank += 1
        rows = self._rows_of(added)
        results.update(added)
        self._hit_rows.extend(rows)
        if self._needle and self.sourceModel() is not None:
            rows = self._matching(rows)
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            at = self._at
            for proxy_row, source_row in enumerate(rows, first):
                at[source_row] = proxy_row
            self._resize_rows(len(self._rows))
            self.endInsertRows()
        return True

    def clear_results(self) -> None:
        if self._results is None:
            return
        self._results = None
        self._hit_rows = []
        self._relayout()

    # -- Qt API ----------------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        """Selectable and enabled, never editable or dragged (a string list's rows would be)."""
        return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def mapFromSource(self, index: Index) -> QModelIndex:  # noqa: N802 - a proxy's name for it
        if not index.isValid() or not 0 <= index.row() < len(self._at):
            return QModelIndex()
        row = self._at[index.row()]
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        model: ArticleListModel = self.sourceModel()
        row = self._rows[index.row()]
        if role == SNIPPET_ROLE:
            if self._results is None:
                return None
            found = self._results.get(model.id_at(row))
            return found[1] if found else None
        if role == IS_RELATED_ROLE and self._results is not None:
            return False  # hits stand on their own, in rank order
        return model.data(model.index(row, 0), role)

    def articles_at(self, rows: list[int]) -> list[Article]:
        """The articles on the list's ``rows`` (C-level lookups, no call per row into Qt)."""
        if self._source is None:
            return []
        articles = self._source.snapshot()[0]
        listed = self._rows
        return list(map(articles.__getitem__, map(listed.__getitem__, rows)))

    def sorted_titles(self) -> list[str]:
        return [self.index(r, 0).data() for r in range(self.rowCount())]
