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
from operator import attrgetter
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel, QCollator, QLocale, QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.model import Article
from app.ui.hit_marks import snippet_parts

ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
IS_RELATED_ROLE = Qt.ItemDataRole.UserRole + 3
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 4  # a search hit's snippet (escaped text with <mark>)

SORT_MODES = ("page", "date", "title")
SNIPPET_CHARS = 60

Index = QModelIndex | QPersistentModelIndex


class ArticleListModel(QAbstractListModel):
    """Article ids in page order; the :class:`Article` itself under ``ARTICLE_ROLE``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._ids: list[str] = []
        self._articles: dict[str, Article] = {}
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
        self.beginResetModel()
        ids = list(map(attrgetter("id"), articles))
        by_id = dict(zip(ids, articles))
        if len(by_id) != len(ids):  # duplicates: keep each id's first article, in first-seen order
            by_id = dict(zip(reversed(ids), reversed(articles)))
            ids = list(dict.fromkeys(ids))
            by_id = {i: by_id[i] for i in ids}
        self._ids, self._articles = ids, by_id
        self._rows = dict(zip(ids, range(len(ids))))  # id -> row, so finding a row never walks the list
        self._related: dict[str, list[str]] = {}  # parent id -> its related articles, in page order
        for article in filter(attrgetter("related_to"), by_id.values()):
            self._related.setdefault(article.related_to, []).append(article.id)
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
        return [self._articles[i] for i in self._ids]


def any_related(articles) -> bool:
    """Whether some article belongs under another (then page order is not simply source order)."""
    return any(a.related_to and a.related_to != a.id for a in articles)


def _date_key(date: str | None) -> str:
    """Dated articles first in date order ("MM-DD" without a year sorts before dated years)."""
    if not date:
        return "\uffff"
    return date if len(date) > 5 else "0000-" + date


class ArticleProxyModel(QAbstractListModel):
    """Sorting by page order, date or title with related articles kept under their parent; the
    search hits alone, in rank order, while a search is shown.

    The visible rows are a Python list of source rows, computed in one pass whenever the sort,
    the results or the articles change (a ``QSortFilterProxyModel`` asked Python once per row
    and per comparison from C++: a tenth of a second per keystroke at 10,000 articles, seconds
    at 100,000). A change is a layout change: the current row and the selection follow their
    articles, and rows that leave the list drop out of them.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._mode = "page"
        self._needle = ""
        self._results: dict[str, tuple[int, str]] | None = None  # id -> (rank, snippet) while searching
        self._hit_rows: list[int] = []  # the hits' source rows in rank order
        self._collator = QCollator(QLocale("zh_CN"))
        self._collator.setNumericMode(True)
        self._keys: list | None = None  # one sort key per source row, for the mode in _keys_for
        self._keys_for: tuple | None = None
        self._related = True  # until prepare_for() says otherwise
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
        self._compute()
        self.endResetModel()

    def _on_source_reset(self) -> None:
        if self._results is not None:
            self._hit_rows = self._rows_of(self._results)
        self._compute()
        self.endResetModel()

    def prepare_for(self, articles: list[Article]) -> None:
        """Call before the source model takes ``articles``: with no related articles to keep
        under their parents, page order is simply the source order and needs no sort keys."""
        self._related = any_related(articles)

    # -- the rows --------------------------------------------------------------------------------
    def _rows_of(self, results: dict[str, tuple[int, str]]) -> list[int]:
        rows = map(self.sourceModel().row_of, results)  # insertion order is rank order
        return [r for r in rows if r >= 0]

    def _compute(self) -> None:
        model: ArticleListModel | None = self.sourceModel()
        n = model.rowCount() if model is not None else 0
        if model is None:
            rows: list[int] = []
        elif self._results is not None:
            rows = list(self._hit_rows)
        elif self._mode == "page" and not self._related:
            rows = list(range(n))
        else:
            keys = self._sort_keys()
            rows = sorted(range(n), key=keys.__getitem__)
        if self._needle and model is not None:
            needle = self._needle
            rows = [r for r in rows if needle in model.article(model.id_at(r)).all_text().casefold()]
        if len(rows) == n and rows == list(range(n)):  # every article in page order (C-level check)
            at = list(range(n))
        else:
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
        results: dict[str, tuple[int, str]] = {}
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

    # -- sort keys -------------------------------------------------------------------------------
    def _sort_keys(self) -> list:
        """One key per source row for the current mode, made once per mode and content."""
        model: ArticleListModel = self.sourceModel()
        wanted = (model.version, self._mode)
        if self._keys is not None and self._keys_for == wanted:
            return self._keys
        articles = model.articles()
        heads = [model.parent_of(a) or a for a in articles]
        rank = self._head_ranks(heads)
        # a group is its parent then its related articles, in page order; groups by the mode
        keys = [(rank[head.id], model.row_of(head.id), a is not head, row)
                for row, (a, head) in enumerate(zip(articles, heads))]
        self._keys, self._keys_for = keys, wanted
        return keys

    def _head_ranks(self, heads: list[Article]) -> dict[str, object]:
        if self._mode == "date":
            return {h.id: _date_key(h.date) for h in heads}
        if self._mode == "title":
            unique = {h.id: h for h in heads}
            ordered = sorted(unique.values(), key=cmp_to_key(lambda a, b: self._collator.compare(a.title, b.title)))
            ranks: dict[str, object] = {}
            for n, h in enumerate(ordered):  # equal titles share a rank: page order decides
                prev = ordered[n - 1] if n else None
                same = prev is not None and self._collator.compare(prev.title, h.title) == 0
                ranks[h.id] = ranks[prev.id] if same else n
            return ranks
        return {h.id: 0 for h in heads}

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
        if hit_snippet:
            self._paint_snippet(painter, line_rect, small_font, hit_snippet, selected)
        else:
            painter.drawText(line_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             sfm.elidedText(snippet(article), Qt.TextElideMode.ElideRight, line_rect.width()))
        painter.restore()

    def _paint_snippet(self, painter: QPainter, rect: QRect, font: QFont, marked: str, selected: bool) -> None:
        """One line of the hit's snippet, each ``<mark>`` on a highlight, elided at the right.

        One ``QTextLayout`` lays out the whole line with the marks as format ranges (UTF-16
        positions), so each highlight sits exactly under its characters."""
        parts = snippet_parts(marked)
        text = "".join(t for t, _m in parts)
        fm = QFontMetrics(font)
        visible = len(text)
        if fm.horizontalAdvance(text) > rect.width():
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            visible = len(text.rstrip("…"))  # the ellipsis itself is never marked
        mark_bg, mark_fg = mark_colors(self.parent())
        ranges = []
        pos = 0
        for part, is_mark in parts:
            start, end = min(pos, visible), min(pos + len(part), visible)
            pos += len(part)
            if is_mark and start < end:
                fr = QTextLayout.FormatRange()
                fr.start = utf16(text, start)
                fr.length = utf16(text, end) - fr.start
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


def utf16(text: str, index: int) -> int:
    from app.ui.hit_marks import utf16_offset

    return utf16_offset(text, index)


def mark_colors(widget) -> tuple[QColor, QColor]:
    """The search highlight (background, text) for the list, light or dark by the palette."""
    dark = widget is not None and widget.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return (QColor("#7a5c00"), QColor("#fff6d5")) if dark else (QColor("#ffe066"), QColor("#1d1d1f"))
