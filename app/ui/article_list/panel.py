"""The side panel: the search box, the sort choice, the result count and the list.

While a search is shown the list holds only its hits, best first; :meth:`show_results` and
:meth:`clear_results` switch between the hits and the whole library.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QListView, QSizePolicy, QVBoxLayout, QWidget,
)

from app.model import Article
from app.ui.article_list.delegate import ArticleDelegate
from app.ui.article_list.model import ARTICLE_ROLE, ID_ROLE, STEP_ARTICLES, ArticleListModel
from app.ui.article_list.proxy import ArticleProxyModel
from app.ui.article_list.sort import SORT_MODES
from app.ui.search.box import SearchBox


LAYOUT_BATCH = 250  # list rows laid out per event-loop pass


class ArticleListView(QListView):
    """The list; Select All (Ctrl+A) selects one range of rows.

    ``QListView.selectAll`` asks the model for its row count once per row, to skip hidden rows
    (this list hides none): 100,000 calls into Python, 0.1-0.2 s of GUI thread."""

    def selectAll(self) -> None:  # noqa: N802
        model, selection = self.model(), self.selectionModel()
        if model is None or selection is None or model.rowCount() == 0:
            return
        if self.selectionMode() in (QAbstractItemView.SelectionMode.SingleSelection,
                                    QAbstractItemView.SelectionMode.NoSelection):
            return
        rows = QItemSelection(model.index(0, 0), model.index(model.rowCount() - 1, 0))
        selection.select(rows, QItemSelectionModel.SelectionFlag.ClearAndSelect
                         | QItemSelectionModel.SelectionFlag.Rows)


class Showing(NamedTuple):
    """What the list shows — the one place that says it: every article (``"all"``), a search's
    hits (``"search"``, key: the query) or the articles naming one entity (``"entity"``, key:
    (type, text)); ``terms`` are what the reading pane marks in each article."""

    kind: str
    key: object = None
    terms: tuple[str, ...] = ()


EVERY_ARTICLE = Showing("all")


class ArticlePanel(QWidget):
    """Emits ``current_article_changed(Article | None)`` as the current row moves, and
    ``showing_changed(Showing)`` when the list starts showing something else."""

    current_article_changed = Signal(object)
    sort_mode_changed = Signal(str)
    showing_changed = Signal(object)  # Showing

    def __init__(self, parent=None):
        super().__init__(parent)
        self.showing = EVERY_ARTICLE
        self._keep_for_rest: str | None = None  # the article read while a search's first hits show (show_results)
        self.model = ArticleListModel(self)
        self.proxy = ArticleProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.search = SearchBox(self)
        self.search.setObjectName("searchBox")
        self.search.installEventFilter(self)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("resultCount")
        self.result_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.result_label.setContentsMargins(2, 0, 0, 0)
        self.result_label.hide()

        self.sort_box = QComboBox(self)
        self.sort_box.currentIndexChanged.connect(self._on_sort_box)

        self.view = ArticleListView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(ArticleDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setUniformItemSizes(True)
        # laid out a batch per event-loop pass: listing 100,000 articles in one go took the GUI
        # thread 170 ms, and while a background thread runs Python each row's rowCount() call
        # from Qt waits for the interpreter (0.8 s for a batch of 2,000 at 100k articles)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(LAYOUT_BATCH)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setAlternatingRowColors(True)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.view.installEventFilter(self)
        self.proxy.modelReset.connect(self._after_reset)
        self.proxy.sorting_changed.connect(self._on_sorting)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.sort_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addLayout(top)
        layout.addWidget(self.result_label)
        layout.addWidget(self.view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F)"))
        self.search.setToolTip(self.tr(
            "Search the open articles: 扬尘 治理 (both), \"食品安全\" (a phrase), 扬尘 OR 污染, -广告 (without), "
            "title:江海. Enter or F3 goes to the next match, Esc shows every article again."))
        labels = {"page": self.tr("Page order"), "date": self.tr("Date"), "title": self.tr("Title")}
        self.sort_box.blockSignals(True)
        self.sort_box.clear()
        for mode in SORT_MODES:
            self.sort_box.addItem(labels[mode], mode)
        self.sort_box.setCurrentIndex(SORT_MODES.index(self.proxy.sort_mode))
        self.sort_box.blockSignals(False)
        self.sort_box.setToolTip(self.tr("Sort the articles"))
        self.view.setAccessibleName(self.tr("Articles"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        # Down in the search box moves into the list; Escape in the list clears the search.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            popup = self.search.completer().popup()
            if event.key() == Qt.Key.Key_Down and self.search.text() and not (popup and popup.isVisible()):
                self.view.setFocus()
                if not self.view.currentIndex().isValid() and self.proxy.rowCount():
                    self.view.setCurrentIndex(self.proxy.index(0, 0))
                return True
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    # -- sorting ---------------------------------------------------------------------------------
    def set_sort_mode(self, mode: str) -> None:
        if mode in SORT_MODES:
            self.sort_box.setCurrentIndex(SORT_MODES.index(mode))

    def _on_sort_box(self, row: int) -> None:
        mode = self.sort_box.itemData(row)
        if mode and mode != self.proxy.sort_mode:
            self.proxy.set_sort_mode(mode)
            self.sort_mode_changed.emit(mode)

    def _on_sorting(self, busy: bool) -> None:
        """A busy cursor over the list while a large library's order is made in the background."""
        if busy:
            self.view.viewport().setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.view.viewport().unsetCursor()

    # -- search results --------------------------------------------------------------------------
    def show_results(self, hits: list, count_text: str, showing: Showing, more_coming: bool = False) -> None:
        """List only ``hits`` in rank order; the current article stays if it is a hit, else the first.
        With ``more_coming`` (the first hits of a search, the rest to come: :meth:`extend_results`)
        a current article not among them is not replaced yet: it may be among the rest."""
        keep = self.current_id() or self._keep_for_rest
        self._keep_for_rest = None
        self.proxy.set_results(hits)
        self.set_count_text(count_text)
        self.result_label.show()
        self.showing = showing  # told even when it is the same search or name: the hits are new
        self.showing_changed.emit(showing)
        if more_coming and keep and self._visible_row(keep) is None:
            self._keep_for_rest = keep  # the reader keeps it meanwhile; decided with the rest
            return
        self._reselect(keep)

    def extend_results(self, hits: list, count_text: str, showing: Showing) -> None:
        """List the rest of the search whose first hits are listed (``hits``: all of them, those
        listed first): rows are added after the last, the selection and the reader stay."""
        if not self.proxy.extend_results(hits):
            self.show_results(hits, count_text, showing)
            return
        self.set_count_text(count_text)
        self.showing = showing
        self.showing_changed.emit(showing)
        keep, self._keep_for_rest = self._keep_for_rest, None
        if keep is not None and self.current_id() is None:  # (unless a row was chosen meanwhile)
            self._reselect(keep)  # the article read when the first hits came: listed now, or the best

    def set_count_text(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.setToolTip(text)

    def clear_results(self) -> None:
        keep = self.current_id() or self._keep_for_rest
        self._keep_for_rest = None
        self.result_label.hide()
        if self.proxy.showing_results:
            self.proxy.clear_results()
            self._reselect(keep)
        self._set_showing(EVERY_ARTICLE)

    def _set_showing(self, showing: Showing) -> None:
        if showing != self.showing:
            self.showing = showing
            self.showing_changed.emit(showing)

    def _reselect(self, keep: str | None) -> None:
        if keep and self._visible_row(keep) is None:
            keep = None
        if keep and self.current_id() == keep:
            self.view.scrollTo(self.view.currentIndex())  # still listed: the selection stays as it is
        elif keep:
            self.select_article(keep)
        elif self.proxy.rowCount():
            self.select_first()
        else:
            self.view.selectionModel().clear()
            self.current_article_changed.emit(None)

    def _visible_row(self, article_id: str) -> int | None:
        row = self.model.row_of(article_id)
        if row < 0:
            return None
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        return index.row() if index.isValid() else None

    def select_all_rows(self) -> None:
        """Select every listed row (all the results while a search is shown)."""
        self.view.selectAll()

    # -- content and selection -------------------------------------------------------------------
    def set_articles(self, articles: list[Article], keep_id: str | None = None) -> None:
        for _step in self.set_articles_in_steps(articles, keep_id, len(articles) or 1):
            pass

    def set_articles_in_steps(self, articles: list[Article], keep_id: str | None = None,
                              step: int = STEP_ARTICLES):
        """:meth:`set_articles` as a generator, ``step`` articles per ``next()`` (see
        :meth:`ArticleListModel.set_articles_in_steps`): the list changes at the last one."""
        keep_id = keep_id or self.current_id()
        yield from self.model.set_articles_in_steps(articles, step, self.proxy.prepare_for)
        if keep_id:
            yield
            self.select_article(keep_id)

    def current_article(self) -> Article | None:
        return self.view.currentIndex().data(ARTICLE_ROLE)

    def current_id(self) -> str | None:
        return self.view.currentIndex().data(ID_ROLE)

    def selected_articles(self) -> list[Article]:
        """The selected articles in list order. From the selection's ranges, not one index per
        row: ``selectedRows()`` and a ``data()`` call per row cost two calls between Qt and
        Python per selected article (all of them after Select All)."""
        rows: set[int] = set()
        for span in self.view.selectionModel().selection():
            rows.update(range(span.top(), span.bottom() + 1))
        return self.proxy.articles_at(sorted(rows))

    def select_article(self, article_id: str) -> bool:
        row = self.model.row_of(article_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # filtered out: show everything again
            self.search.clear()
            if self.proxy.showing_results:  # a list not made by the search box (the entity panel's)
                self.clear_results()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.select_article(self.proxy.index(0, 0).data(ID_ROLE))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_article_changed.emit(current.data(ARTICLE_ROLE) if current.isValid() else None)

    def _after_reset(self) -> None:
        self.current_article_changed.emit(None)
