"""The side panel: a search box (filters by title/body for now), the sort choice and the list."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLineEdit, QListView, QVBoxLayout, QWidget,
)

from app.model import Article
from app.ui.article_model import (
    ARTICLE_ROLE, ID_ROLE, SORT_MODES, ArticleDelegate, ArticleListModel, ArticleProxyModel,
)


class ArticlePanel(QWidget):
    """Emits ``current_article_changed(Article | None)`` as the current row moves."""

    current_article_changed = Signal(object)
    sort_mode_changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = ArticleListModel(self)
        self.proxy = ArticleProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_filter_text)
        self.search.installEventFilter(self)

        self.sort_box = QComboBox(self)
        self.sort_box.currentIndexChanged.connect(self._on_sort_box)

        self.view = QListView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(ArticleDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setUniformItemSizes(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setAlternatingRowColors(True)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.proxy.modelReset.connect(self._after_reset)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.sort_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Filter articles (Ctrl+F)"))
        self.search.setToolTip(self.tr("Shows the articles whose title or text contains these characters"))
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
        # Down / Enter in the search box move into the list; Escape clears the filter.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.view.setFocus()
                if not self.view.currentIndex().isValid() and self.proxy.rowCount():
                    self.view.setCurrentIndex(self.proxy.index(0, 0))
                return True
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

    # -- content and selection -------------------------------------------------------------------
    def set_articles(self, articles: list[Article], keep_id: str | None = None) -> None:
        keep_id = keep_id or self.current_id()
        self.model.set_articles(articles)
        if keep_id:
            self.select_article(keep_id)

    def current_article(self) -> Article | None:
        return self.view.currentIndex().data(ARTICLE_ROLE)

    def current_id(self) -> str | None:
        return self.view.currentIndex().data(ID_ROLE)

    def selected_articles(self) -> list[Article]:
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        return [i.data(ARTICLE_ROLE) for i in rows]

    def select_article(self, article_id: str) -> bool:
        row = self.model.row_of(article_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # filtered out: show everything again
            self.search.clear()
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
