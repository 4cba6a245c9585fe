"""The side panel's data: a list model of article ids, a sort/filter proxy and a two-line delegate.

``ArticleListModel`` holds article ids in page order (the order the sources were opened and the
articles stand on their pages) and serves each :class:`~app.model.Article` under
:data:`ARTICLE_ROLE`. ``ArticleProxyModel`` sorts by page order, date or title, keeping every
related article (``related_to``, from 相关新闻) right after its parent. While a search is shown it
keeps only the hits, in rank order, and serves each hit's snippet under :data:`SNIPPET_ROLE`.
``ArticleDelegate`` paints the headline over a muted line of date, authors and the first words of
the body (or the hit's snippet, its matches highlighted).
"""

from __future__ import annotations

from functools import cmp_to_key
from heapq import merge
from operator import attrgetter
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel, QCollator, QLocale, QModelIndex, QObject, QPersistentModelIndex, QPointF, QRect, QSize, Qt,
    QThreadPool, Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.model import Article, Snippet
from app.ui.hit_marks import mark_ranges

ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
IS_RELATED_ROLE = Qt.ItemDataRole.UserRole + 3
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 4  # a search hit's snippet (an app.model.Snippet)

SORT_MODES = ("page", "date", "title")
SNIPPET_CHARS = 60
BACKGROUND_SORT_ROWS = 2000  # from this many articles a sort order is made off the GUI thread
SORT_STEP = 4000  # keys sorted per C-level call (see sorted_rows)

Index = QModelIndex | QPersistentModelIndex


STEP_ARTICLES = 10_000  # articles per step of set_articles_in_steps (~5 ms of the GUI thread)


class ArticleListModel(QAbstractListModel):
    """Article ids in page order; the :class:`Article` itself under ``ARTICLE_ROLE``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._ids: list[str] = []
        self._articles: dict[str, Article] = {}
        self._list: list[Article] = []  # the articles in row order (never changed in place)
        self._rows: dict[str, int] = {}  # id -> row, so finding a row never walks the list
        self._related: dict[str, list[str]] = {}
        self.version = 0  # bumped on every reset: the proxy's cached sort keys follow it

    # -- Qt API ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids) or index.column() != 0:
            return None
        article = self._articles[self._ids[index.row()]]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return article.title
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [article.kicker, article.title, article.subtitle, Path(article.source).name]
            return "\n".join(x for x in lines if x)
        if role == ARTICLE_ROLE:
            return article
        if role == ID_ROLE:
            return article.id
        if role == IS_RELATED_ROLE:
            return self.parent_of(article) is not None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # -- content ---------------------------------------------------------------------------------
    def set_articles(self, articles: list[Article]) -> None:
        """Replace the content; an id seen twice (the same page opened twice) is kept once.

        Built with C-level iterators (no Python code per article): this runs on the GUI thread,
        and a Python loop over 100,000 articles blocked it for 0.15 s."""
        for _step in self.set_articles_in_steps(articles, len(articles) or 1):
            pass

    def set_articles_in_steps(self, articles: list[Article], step: int = STEP_ARTICLES, before_reset=None):
        """:meth:`set_articles`, as a generator: the model's dictionaries are built ``step``
        articles per ``next()`` and the content replaced at the last one, so the caller can let
        the event loop run in between (at 100,000 articles they took ~50 ms of the GUI thread).
        ``before_reset()`` is called right before the content is replaced."""
        articles = list(articles)
        ids: list[str] = []
        by_id: dict[str, Article] = {}
        rows: dict[str, int] = {}
        related: dict[str, list[str]] = {}  # parent id -> its related articles, in page order
        for start in range(0, len(articles), step):
            chunk = articles[start:start + step]
            part = list(map(attrgetter("id"), chunk))
            ids.extend(part)
            by_id.update(zip(part, chunk))
            rows.update(zip(part, range(start, start + len(part))))
            _add_related(related, chunk)
            if start + step < len(articles):
                yield
        if len(by_id) != len(ids):  # duplicates: keep each id's first article, in first-seen order
            by_id = dict(zip(reversed(ids), reversed(articles)))
            ids = list(dict.fromkeys(ids))
            by_id = {i: by_id[i] for i in ids}
            articles = list(map(by_id.__getitem__, ids))
            rows = dict(zip(ids, range(len(ids))))
            related = {}
            _add_related(related, articles)
        if before_reset is not None:
            before_reset()
        self.beginResetModel()
        self._ids, self._articles, self._list = ids, by_id, articles
        self._rows = rows  # id -> row, so finding a row never walks the list
        self._related = related
        self.version += 1
        self.endResetModel()

    def article(self, article_id: str) -> Article | None:
        return self._articles.get(article_id)

    def row_of(self, article_id: str) -> int:
        return self._rows.get(article_id, -1)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def parent_of(self, article: Article) -> Article | None:
        """The article a related (相关新闻) article belongs to, when it is open."""
        if article.related_to and article.related_to != article.id:
            return self._articles.get(article.related_to)
        return None

    def related_to(self, article: Article) -> list[Article]:
        return [self._articles[i] for i in self._related.get(article.id, ())]

    def articles(self) -> list[Article]:
        """The articles in row order (a copy: one C-level call, 1 ms at 100,000 articles)."""
        return list(self._list)

    def snapshot(self) -> tuple[list[Article], dict[str, int]]:
        """The articles in row order and id -> row, as they are now: a reset replaces both
        rather than changing them, so another thread may read them while the list moves on."""
        return self._list, self._rows


def _add_related(related: dict[str, list[str]], articles) -> None:
    """Add each article with a ``related_to`` to its parent's list in ``related``, in order."""
    for article in filter(attrgetter("related_to"), articles):
        related.setdefault(article.related_to, []).append(article.id)


def any_related(articles) -> bool:
    """Whether some article belongs under another (then page order is not simply source order).
    Those with a ``related_to`` are found by a C-level pass first (runs on the GUI thread)."""
    return any(a.related_to != a.id for a in filter(attrgetter("related_to"), articles))


def _date_key(date: str | None) -> str:
    """Dated articles first in date order ("MM-DD" without a year sorts before dated years)."""
    if not date:
        return "\uffff"
    return date if len(date) > 5 else "0000-" + date


def sorted_rows(keys: list) -> list[int]:
    """The rows ``0..len(keys)-1`` ordered by their (distinct) keys.

    Sorted a few thousand at a time, then merged (``heapq.merge`` is Python code): one sort of
    100,000 keys is a single C call that holds the interpreter -- and so the GUI thread, when
    run in a worker -- for tens of milliseconds."""
    n = len(keys)
    key = keys.__getitem__
    runs = [sorted(range(start, min(start + SORT_STEP, n)), key=key) for start in range(0, n, SORT_STEP)]
    if len(runs) <= 1:
        return runs[0] if runs else []
    return list(merge(*runs, key=key))


def collated(items: list[int], texts: list[str], compare) -> list[int]:
    """``items`` (indexes into ``texts``) ordered by ``compare`` of their texts, stably.

    A merge sort in Python: each comparison is a call from Python (so a worker running it lets
    the GUI thread have the interpreter), and it makes no object per item for the cyclic
    garbage collector (``cmp_to_key`` made one per title, and the full collections they
    brought on held the interpreter for 60-90 ms at 100,000 articles)."""
    key = cmp_to_key(lambda a, b: compare(texts[a], texts[b]))
    runs = [sorted(items[i:i + 32], key=key) for i in range(0, len(items), 32)]  # 32 wrappers at a time
    while len(runs) > 1:
        merged = []
        for r in range(0, len(runs) - 1, 2):
            a, b = runs[r], runs[r + 1]
            out: list[int] = []
            i = j = 0
            na, nb = len(a), len(b)
            while i < na and j < nb:
                if compare(texts[b[j]], texts[a[i]]) < 0:
                    out.append(b[j])
                    j += 1
                else:
                    out.append(a[i])
                    i += 1
            out.extend(a[i:])
            out.extend(b[j:])
            merged.append(out)
        if len(runs) % 2:
            merged.append(runs[-1])
        runs = merged
    return runs[0] if runs else []


def sort_order(articles: list[Article], rows: dict[str, int], mode: str, collator: QCollator) -> list[int]:
    """The rows of ``articles`` (in page order; ``rows``: id -> row) in ``mode``'s order.

    A group is a parent then its related articles (``related_to``), in page order; the groups go
    by the mode's key of their parent, then by page order. Only Python-level steps (a QCollator
    comparison is a call from Python): run in a worker thread, this lets the GUI thread have the
    interpreter every few milliseconds. The keys are integers, not tuples: nothing for the
    cyclic garbage collector. ``collator`` must belong to the calling thread."""
    n = len(articles)
    heads = []  # each row's group head (its parent's row, or itself)
    for row, article in enumerate(articles):
        parent = article.related_to
        heads.append(rows.get(parent, row) if parent and parent != article.id else row)
    if mode == "date":
        dates = [_date_key(a.date) for a in articles]
        date_rank = {d: r for r, d in enumerate(sorted(set(dates)))}
        rank = [date_rank[dates[h]] for h in heads]
    elif mode == "title":
        titles = [a.title for a in articles]
        compare = collator.compare
        ordered = collated(list(dict.fromkeys(heads)), titles, compare)
        ranks: dict[int, int] = {}
        prev = None
        for place, h in enumerate(ordered):  # equal titles share a rank: page order decides
            same = prev is not None and compare(titles[prev], titles[h]) == 0
            ranks[h] = ranks[prev] if same else place
            prev = h
        rank = [ranks[h] for h in heads]
    else:
        rank = [0] * n
    # (rank, head row, related, row) as one integer
    keys = [((r * n + h) * 2 + (row != h)) * n + row for row, (r, h) in enumerate(zip(rank, heads))]
    return sorted_rows(keys)


def with_inverse(order: list[int]) -> tuple[list[int], list[int]]:
    """``(order, at)``: ``at[source row]`` is the row's place in ``order``."""
    at = [-1] * len(order)
    for place, row in enumerate(order):
        at[row] = place
    return order, at


def background_sort(articles: list[Article], rows: dict[str, int], mode: str, still_wanted) -> tuple | None:
    """What a sort task runs: ``(order, at)``, or None when no longer wanted before it began."""
    if not still_wanted():
        return None
    collator = QCollator(QLocale("zh_CN"))  # one per thread: a QCollator is not shared
    collator.setNumericMode(True)
    return with_inverse(sort_order(articles, rows, mode, collator))


class ArticleProxyModel(QAbstractListModel):
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
        self.endResetModel()

    def _on_source_reset(self) -> None:
        if self._results is not None:
            self._hit_rows = self._rows_of(self._results)
        self._orders.clear()  # other content: the orders made for the old one are of no use
        self._take_order(reset=True)
        self._compute()
        self.endResetModel()

    def prepare_for(self, articles: list[Article]) -> None:
        """Call before the source model takes ``articles``: with no related articles to keep
        under their parents, page order is simply the source order and needs no sort keys."""
        self._related = any_related(articles)

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
            needle = self._needle
            rows = [r for r in rows if needle in model.article(model.id_at(r)).all_text().casefold()]
            at = None
        if at is None:
            at = [-1] * n
            for proxy_row, source_row in enumerate(rows):
                at[source_row] = proxy_row
        self._rows, self._at = rows, at

    def _relayout(self) -> None:
        """Recompute the rows, moving the persistent indexes (current row, selection) along."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        sources = [self._rows[i.row()] if 0 <= i.row() < len(self._rows) else -1 for i in old]
        self._compute()
        new = [self.index(self._at[s], i.column()) if s >= 0 and self._at[s] >= 0 else QModelIndex()
               for s, i in zip(sources, old)]
        self.changePersistentIndexList(old, new)
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

    def clear_results(self) -> None:
        if self._results is None:
            return
        self._results = None
        self._hit_rows = []
        self._relayout()

    # -- Qt API ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

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


def snippet(article: Article, chars: int = SNIPPET_CHARS) -> str:
    body = next((p.text for p in article.paragraphs if p.kind == "body"), "")
    body = " ".join(body.split())
    return body[:chars] + ("…" if len(body) > chars else "")


def meta_line(article: Article, separator: str = " · ") -> str:
    return separator.join(x for x in (article.date or "", "、".join(article.authors)) if x)


class ArticleDelegate(QStyledItemDelegate):
    """Headline, then date · authors, then the first words of the body; related rows indented."""

    PAD = 8
    INDENT = 24

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        title.setPointSizeF(option.font.pointSizeF() * 1.05)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        return title, small

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        title, small = self._fonts(option)
        height = QFontMetrics(title).lineSpacing() + 2 * QFontMetrics(small).lineSpacing() + 2 * self.PAD + 4
        return QSize(max(200, option.rect.width()), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        article: Article | None = index.data(ARTICLE_ROLE)
        if article is None:
            return super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        text_color = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(text_color) if selected else pal.color(QPalette.ColorRole.PlaceholderText)
        if selected:
            muted.setAlphaF(0.8)
        title_font, small_font = self._fonts(opt)
        rect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)

        painter.save()
        if index.data(IS_RELATED_ROLE):
            rect.setLeft(rect.left() + self.INDENT)
            badge = QApplication.translate("ArticleDelegate", "Related")
            fm = QFontMetrics(small_font)
            badge_rect = QRect(rect.left(), rect.top() + 1, fm.horizontalAdvance(badge) + 10, fm.height() + 2)
            accent = pal.color(QPalette.ColorRole.Highlight if not selected else QPalette.ColorRole.HighlightedText)
            painter.setPen(accent)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.drawRoundedRect(badge_rect.adjusted(0, 0, -1, -1), 3, 3)
            painter.setFont(small_font)
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)
            # a └ connector from the parent row above marks the attachment
            x = opt.rect.left() + self.PAD + 7
            mid = badge_rect.center().y()
            painter.setPen(muted)
            painter.drawLine(x, opt.rect.top() + 2, x, mid)
            painter.drawLine(x, mid, badge_rect.left() - 3, mid)
            title_left = badge_rect.right() + 6
        else:
            title_left = rect.left()

        painter.setFont(title_font)
        painter.setPen(text_color)
        tfm = QFontMetrics(title_font)
        title_rect = QRect(title_left, rect.top(), rect.right() - title_left, tfm.lineSpacing())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         tfm.elidedText(article.title, Qt.TextElideMode.ElideRight, title_rect.width()))

        painter.setFont(small_font)
        sfm = QFontMetrics(small_font)
        y = title_rect.bottom() + 3
        painter.setPen(muted)
        meta = meta_line(article)
        source = Path(article.source).name
        meta = f"{meta}  ·  {source}" if meta and source else meta or source
        line_rect = QRect(rect.left(), y, rect.width(), sfm.lineSpacing())
        painter.drawText(line_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         sfm.elidedText(meta, Qt.TextElideMode.ElideRight, line_rect.width()))
        y += sfm.lineSpacing()
        painter.setPen(text_color if not selected else muted)
        line_rect = QRect(rect.left(), y, rect.width(), sfm.lineSpacing())
        hit_snippet = index.data(SNIPPET_ROLE)
        if hit_snippet is not None and hit_snippet.text:
            self._paint_snippet(painter, line_rect, small_font, hit_snippet, selected)
        else:
            painter.drawText(line_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             sfm.elidedText(snippet(article), Qt.TextElideMode.ElideRight, line_rect.width()))
        painter.restore()

    def _paint_snippet(self, painter: QPainter, rect: QRect, font: QFont, hit: Snippet, selected: bool) -> None:
        """One line of the hit's snippet, each mark on a highlight, elided at the right.

        One ``QTextLayout`` lays out the whole line with the marks as format ranges (UTF-16
        positions), so each highlight sits exactly under its characters."""
        text = hit.text
        fm = QFontMetrics(font)
        visible = len(text)
        if fm.horizontalAdvance(text) > rect.width():
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            visible = len(text.rstrip("…"))  # the ellipsis itself is never marked
        mark_bg, mark_fg = mark_colors(self.parent())
        ranges = []
        for start, length in mark_ranges(hit, visible):
            fr = QTextLayout.FormatRange()
            fr.start, fr.length = start, length
            fmt = QTextCharFormat()
            fmt.setBackground(mark_bg)
            fmt.setForeground(mark_fg)
            fr.format = fmt
            ranges.append(fr)
        layout = QTextLayout(text, font)
        layout.setFormats(ranges)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(rect.width() + fm.maxWidth())
        layout.endLayout()
        top = rect.top() + (rect.height() - line.height()) / 2
        layout.draw(painter, QPointF(rect.left(), top))


def mark_colors(widget) -> tuple[QColor, QColor]:
    """The search highlight (background, text) for the list, light or dark by the palette."""
    dark = widget is not None and widget.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return (QColor("#7a5c00"), QColor("#fff6d5")) if dark else (QColor("#ffe066"), QColor("#1d1d1f"))
