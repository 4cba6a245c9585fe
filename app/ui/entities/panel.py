"""The entity panel: the names in the current article and in the whole library, by type.

Two tabs, each a tree of types (with their mentions) over the names (with theirs), most mentioned
first. Activating a name (click or Enter) emits ``entity_activated(type, text)``; the window then
lists only the articles mentioning it until "Show All Articles" (or Esc) brings the full list back.
"""

from __future__ import annotations

import time
from collections import Counter
from heapq import nlargest
from itertools import chain, compress
from operator import attrgetter, itemgetter
from typing import Iterable

from PySide6.QtCore import QCollator, QEvent, QLocale, QModelIndex, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QMenu, QPushButton, QTabWidget, QTreeView, QVBoxLayout, QWidget,
)

from app.model import ENTITY_TYPES, Article
from app.ui import workers
from app.ui.entities import marks as entity_marks
from app.ui.entities.legend import is_dark, swatch_icon

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
TEXT_ROLE = Qt.ItemDataRole.UserRole + 2  # the name, on name rows only
LIBRARY_NAMES_SHOWN = 100  # names of each type listed in the library tab, most mentioned first
COUNT_CHUNK = 200  # articles counted per C-level step (see mentions)


def mentions(articles: Iterable[Article]) -> Counter:
    """``(type, text)`` -> mentions across ``articles``."""
    found: Counter = Counter()
    count_into(found, articles)
    return found


def _names(spans: list) -> Iterable[tuple[str, str]]:
    """``(type, text)`` of each entity span (a list: it is read twice), by C-level iterators."""
    return zip(map(attrgetter("type"), spans), map(attrgetter("text"), spans))


def count_into(found: Counter, articles: Iterable[Article]) -> None:
    """Add the mentions in ``articles`` to ``found``.

    Counted by C-level iterators (no Python code per entity), a few hundred articles at a time:
    the library's count runs in a background thread, and one C call over every entity of a large
    library would hold the interpreter -- and so the GUI thread -- for a tenth of a second."""
    articles = list(articles)
    for start in range(0, len(articles), COUNT_CHUNK):
        spans = list(chain.from_iterable(map(attrgetter("entities"), articles[start:start + COUNT_CHUNK])))
        found.update(_names(spans))


class LibraryTally:
    """The library's name counts, kept up to date as entities arrive: each arrival adds only the
    new articles' names (recounting the whole library every second cost as much as indexing it).
    Beside the counts, which articles mention each name (``where``), so listing the articles
    that mention one never walks every article's entities. Used from the panel's one counting
    thread only."""

    def __init__(self):
        self.found: Counter = Counter()
        self.counted: dict[str, list] = {}  # article id -> the entity list counted for it
        self.where: dict[tuple[str, str], list[str]] = {}  # (type, text) -> ids of the articles mentioning it

    def reset(self, articles: list[Article]) -> dict:
        self.found, self.counted, self.where = Counter(), {}, {}
        return self.add(articles)

    def add(self, articles: list[Article]) -> dict:
        """Count the articles not counted yet that have their entities (or whose entities were
        replaced since they were counted); the names to show."""
        counted = self.counted
        if not counted:  # (as below, by a C-level filter: a fresh library has no names yet)
            new = list(filter(attrgetter("entities"), articles))
        else:
            new = [a for a in articles if counted.get(a.id) is not a.entities and (a.entities or a.id in counted)]
        redone = [counted[a.id] for a in new if a.id in counted]
        if redone:  # entities found anew: the old ones no longer count
            self.found.subtract(mentions_of(redone))
            self.found = +self.found
            gone = {a.id for a in new if a.id in counted}
            for key in set(chain.from_iterable(map(_keys_of, redone))):
                ids = [i for i in self.where.get(key, ()) if i not in gone]
                if ids:
                    self.where[key] = ids
                else:
                    self.where.pop(key, None)
        count_into(self.found, new)
        where = self.where
        for article in new:  # Python steps: the GUI thread gets the interpreter every few ms
            counted[article.id] = article.entities
            for key in _keys_of(article.entities):
                ids = where.get(key)
                if ids is None:
                    where[key] = [article.id]
                else:
                    ids.append(article.id)
        return _names_by_type(self.found, LIBRARY_NAMES_SHOWN)

    def mentioning(self, articles: list[Article], entity_type: str, text: str) -> list[Article]:
        """``articles_mentioning(articles, entity_type, text)``, the same articles in the same
        order: an article counted with its present entities is looked up in ``where``, any
        other (not counted yet, or its entities replaced since) has its entities walked."""
        ids = set(self.where.get((entity_type, text), ()))
        counted = self.counted
        out = []
        for article in articles:
            entities = article.entities
            if counted.get(article.id) is entities:
                if article.id in ids:
                    out.append(article)
            elif any(e.type == entity_type and e.text == text for e in entities):
                out.append(article)
        return out


def _keys_of(entities: list) -> dict:
    """The distinct ``(type, text)`` of ``entities``, in order (a dict used as an ordered set)."""
    return dict.fromkeys(_names(entities))


def mentions_of(entity_lists: list[list]) -> Counter:
    spans = list(chain.from_iterable(entity_lists))
    return Counter(_names(spans))


def articles_mentioning(articles: Iterable[Article], entity_type: str, text: str) -> list[Article]:
    return [a for a in articles if any(e.type == entity_type and e.text == text for e in a.entities)]


def _names_by_type(found: Counter, limit: int | None) -> dict[str, tuple[list[tuple[str, int]], int]]:
    """type -> (its names with their mentions, at most ``limit`` of the most mentioned; its total)."""
    keys = list(found)
    types = list(map(itemgetter(0), keys))
    counts = list(found.values())
    out = {}
    for entity_type in ENTITY_TYPES:
        mine = list(map(entity_type.__eq__, types))
        total = sum(compress(counts, mine))
        if not total:
            continue
        names = list(zip(map(itemgetter(1), compress(keys, mine)), compress(counts, mine)))
        if limit is not None and len(names) > limit:  # the top names, without sorting them all
            names = nlargest(limit, names, key=itemgetter(1))
        out[entity_type] = (names, total)
    return out


def type_rows(by_type: dict[str, tuple[list[tuple[str, int]], int]], collator: QCollator) -> list:
    """``[(type, head item, head count item)]``: each type's row with its names' rows under it,
    most mentioned first, without the type's icon (see :meth:`EntityTreeModel.set_names`). Items
    belong to no model yet, so the library's are made in the counting thread: ~1,000 items, one
    Python call each, were 10-20 ms of the GUI thread for each count shown while entities arrive.
    ``collator``: one this thread alone uses."""
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter  # made once: enum | is slow
    rows = []
    for entity_type in ENTITY_TYPES:
        names, total = by_type.get(entity_type, ([], 0))
        if not names:
            continue
        names = sorted(names, key=lambda x: (-x[1], collator.sortKey(x[0])))
        tip = entity_marks.tooltip_text(entity_type)
        head = QStandardItem(entity_marks.type_name(entity_type))
        head.setData(entity_type, TYPE_ROLE)
        head.setToolTip(tip)
        head.setSelectable(False)
        head.setEditable(False)
        head_count = QStandardItem(str(total))
        head_count.setSelectable(False)
        head_count.setEditable(False)
        head_count.setTextAlignment(right)
        for text, n in names:
            name = QStandardItem(text)
            name.setData(entity_type, TYPE_ROLE)
            name.setData(text, TEXT_ROLE)
            name.setToolTip(f"{text} · {tip}")
            name.setEditable(False)
            count = QStandardItem(str(n))
            count.setData(entity_type, TYPE_ROLE)
            count.setData(text, TEXT_ROLE)
            count.setTextAlignment(right)
            count.setEditable(False)
            head.appendRow([name, count])
        rows.append((entity_type, head, head_count))
    return rows


class EntityTreeModel(QStandardItemModel):
    """Types over names, two columns: the name and its mentions."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._by_type: dict = {}
        self._dark = False
        self._collator = QCollator(QLocale("zh_CN"))
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Mentions")])
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            item.setText(entity_marks.type_name(item.data(TYPE_ROLE)))

    def set_mentions(self, found: Counter, dark: bool, limit: int | None = None) -> None:
        """Show ``found``; with ``limit`` only that many of each type's most-mentioned names
        (the type's count still sums them all)."""
        self.set_names(_names_by_type(found, limit), dark)

    def set_names(self, by_type: dict[str, tuple[list[tuple[str, int]], int]], dark: bool,
                  rows: list | None = None) -> None:
        """Show names already counted by :func:`_names_by_type` (the library's: off the GUI thread);
        ``rows``: their items, made by :func:`type_rows` off the GUI thread too (else made here)."""
        self._by_type, self._dark = by_type, dark
        if rows is None:
            rows = type_rows(by_type, self._collator)
        self.removeRows(0, self.rowCount())
        for entity_type, head, head_count in rows:
            head.setIcon(swatch_icon(entity_type, dark))  # (a pixmap: made on the GUI thread only)
            self.appendRow([head, head_count])

    def recolor(self, dark: bool) -> None:
        if dark != self._dark:
            self.set_names(self._by_type, dark)

    def type_totals(self) -> dict[str, int]:
        return {self.item(r, 0).data(TYPE_ROLE): int(self.item(r, 1).text()) for r in range(self.rowCount())}

    def names(self, entity_type: str) -> list[tuple[str, int]]:
        for r in range(self.rowCount()):
            head = self.item(r, 0)
            if head.data(TYPE_ROLE) == entity_type:
                return [(head.child(i, 0).text(), int(head.child(i, 1).text())) for i in range(head.rowCount())]
        return []


LIBRARY_REFRESH_S = 1.0  # the library tab's counts are shown anew at most this often


class EntityPanel(QWidget):
    entity_activated = Signal(str, str)  # type, text
    dossier_requested = Signal(str, str)  # type, text: "Dossier…" from a name's context menu
    show_all_requested = Signal()
    library_counted = Signal()  # the library tab shows the latest count

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("entityPanel")
        self.article_model = EntityTreeModel(self)
        self.library_model = EntityTreeModel(self)
        self.article_view = self._tree(self.article_model)
        self.library_view = self._tree(self.library_model)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.article_view, "")
        self.tabs.addTab(self.library_view, "")
        self.filter_label = QLabel(self)
        self.filter_label.setObjectName("entityFilter")
        self.filter_label.setWordWrap(True)
        self.show_all_button = QPushButton(self)
        self.show_all_button.setObjectName("showAllArticles")
        self.show_all_button.clicked.connect(self.show_all_requested)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(6, 0, 6, 0)
        bottom.addWidget(self.filter_label, 1)
        bottom.addWidget(self.show_all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self._filter: tuple[str, str, int] | None = None
        self._article: Article | None = None
        self._library: list[Article] = []
        self._count_generation = 0
        self._counting: dict[QObject, workers.CallTask] = {}  # kept alive until they report
        self._tally = LibraryTally()
        self._count_pool = QThreadPool(self)
        self._count_pool.setMaxThreadCount(1)
        # the library tab shows a new count at most every LIBRARY_REFRESH_S (see _on_library_counted)
        self._counted: tuple[dict, list] | None = None  # the latest count and its rows, not shown yet
        self._count_collator = QCollator(QLocale("zh_CN"))  # used in the counting thread only
        self._shown_at = float("-inf")
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.timeout.connect(self._show_counted)
        self._dark = is_dark(self)
        self.retranslate()
        self.show_filter(None)

    def _tree(self, model: EntityTreeModel) -> QTreeView:
        view = QTreeView(self)
        view.setModel(model)
        view.setRootIsDecorated(True)
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(True)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.header().setStretchLastSection(False)
        view.header().setSectionResizeMode(0, view.header().ResizeMode.Stretch)
        view.header().setSectionResizeMode(1, view.header().ResizeMode.ResizeToContents)
        view.activated.connect(self._on_activated)
        view.clicked.connect(self._on_activated)
        view.installEventFilter(self)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda pos, v=view: self._context_menu(v, pos))
        return view

    def _context_menu(self, view: QTreeView, pos) -> None:
        index = view.indexAt(pos)
        text = index.data(TEXT_ROLE) if index.isValid() else None
        if not text:
            return
        menu = QMenu(view)
        entity_type = index.data(TYPE_ROLE)
        menu.addAction(self.tr("List Its Articles"), lambda: self.entity_activated.emit(entity_type, text))
        menu.addAction(self.tr("Dossier of {name}…").format(name=text),
                       lambda: self.dossier_requested.emit(entity_type, text))
        menu.exec(view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("This Article"))
        self.tabs.setTabText(1, self.tr("Library"))
        self.tabs.setTabToolTip(0, self.tr("The names in the article being read"))
        self.tabs.setTabToolTip(1, self.tr("The names in every open article; click one to list the articles mentioning it"))
        self.show_all_button.setText(self.tr("Show All Articles"))
        self.show_all_button.setToolTip(self.tr("List every article again (Esc)"))
        for model in (self.article_model, self.library_model):
            model.retranslate()
        self.show_filter(self._filter)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._dark = is_dark(self)
            self.article_model.recolor(self._dark)
            self.library_model.recolor(self._dark)
            self.article_view.expandAll()
        super().changeEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape
                and self._filter is not None):
            self.show_all_requested.emit()
            return True
        return super().eventFilter(watched, event)

    # -- content ---------------------------------------------------------------------------------
    def set_article(self, article: Article | None) -> None:
        self._article = article
        self.article_model.set_mentions(mentions([article] if article is not None else []), self._dark)
        self.article_view.expandAll()

    def set_library(self, articles: list[Article]) -> None:
        """Count the names of ``articles`` afresh off the GUI thread, then show them
        (``library_counted``). Only the most-mentioned names of each type are listed (types
        folded: a summary): building tens of thousands of items took the GUI thread half a second."""
        self._library = list(articles)
        self._count(lambda tally, library=self._library: tally.reset(library))

    def add_to_library(self, articles: list[Article]) -> None:
        """Add the names of ``articles`` (whose entities just arrived) to the library's count."""
        self._count(lambda tally, new=list(articles): tally.add(new))

    def _count(self, work) -> None:
        self._count_generation += 1
        collator = self._count_collator  # (the counting thread's own)

        def count() -> tuple[dict, list]:
            by_type = work(self._tally)
            return by_type, type_rows(by_type, collator)

        task = workers.CallTask(self._count_generation, count)
        self._counting[task.signals] = task
        task.signals.finished.connect(self._on_library_counted)
        task.signals.failed.connect(self._on_library_count_failed)
        self._count_pool.start(task)  # one thread: the tally is never touched by two at once

    def start_with_tally(self, task: workers.CallTask) -> None:
        """Run ``task`` in the counting thread, after the counts asked for before it (so its
        function may read the tally, e.g. ``tally.mentioning``: see :meth:`tally_call`). The
        caller connects its signals first and keeps it until it reports."""
        self._count_pool.start(task)

    def tally_call(self, function):
        """``function`` bound to the tally, for a task given to :meth:`start_with_tally`."""
        return lambda: function(self._tally)

    def _on_library_counted(self, counted: tuple[dict, list]) -> None:
        """Show the latest count, at most every LIBRARY_REFRESH_S: while the indexer's entities
        arrive a batch at a time, the library tab was rebuilt (~500 rows, 6-8 ms of the GUI thread
        here) for each of a hundred batches, beside the list's own work."""
        task = self._counting.pop(self.sender(), None)
        if task is None or task.generation != self._count_generation:
            return
        self._counted = counted
        wait = LIBRARY_REFRESH_S - (time.monotonic() - self._shown_at)
        if wait <= 0:
            self._show_counted()
        elif not self._refresh.isActive():
            self._refresh.start(max(1, int(wait * 1000)))

    def _show_counted(self) -> None:
        self._refresh.stop()
        if self._counted is None:
            return
        (by_type, rows), self._counted = self._counted, None
        self._shown_at = time.monotonic()
        self.library_model.set_names(by_type, self._dark, rows)
        self.library_counted.emit()

    def _on_library_count_failed(self, _message: str) -> None:
        self._counting.pop(self.sender(), None)  # logged by the task; the tab keeps the last count

    def show_filter(self, entity: tuple[str, str, int] | None) -> None:
        """``(type, text, articles)`` while the list shows only the articles mentioning a name."""
        self._filter = entity
        if entity is None:
            self.filter_label.setText(self.tr("Click a name to list the articles mentioning it."))
        else:
            entity_type, text, n = entity
            self.filter_label.setText(self.tr("Articles that mention {name} ({type}): {n}").format(
                n=n, name=text, type=entity_marks.type_name(entity_type)))
        self.show_all_button.setVisible(entity is not None)

    def _on_activated(self, index: QModelIndex) -> None:
        text = index.data(TEXT_ROLE)
        if text:
            self.entity_activated.emit(index.data(TYPE_ROLE), text)
