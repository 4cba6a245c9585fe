"""The list's data: article ids in page order, each served as an :class:`~app.model.Article`.

``ArticleListModel`` holds article ids in page order (the order the sources were opened and the
articles stand on their pages) and serves each article under :data:`ARTICLE_ROLE`. Sorting and
the search's hits are :class:`~app.ui.article_list.proxy.ArticleProxyModel`'s; painting a row is
:class:`~app.ui.article_list.delegate.ArticleDelegate`'s.
"""

from __future__ import annotations

from operator import attrgetter
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.export.layout import page_line
from app.model import Article

ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
IS_RELATED_ROLE = Qt.ItemDataRole.UserRole + 3
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 4  # a search hit's snippet (an app.model.Snippet)

Index = QModelIndex | QPersistentModelIndex

STEP_ARTICLES = 10_000  # articles per step of set_articles_in_steps (~5 ms of the GUI thread)
# Yielded by set_articles_in_steps before its long step, the content's replacement: the model's
# and its views' reset took 12.5-17 ms of the GUI thread at 100k articles, and run in a pass
# after a shorter step and followed by the paint in the same turn of the event loop, the load's
# end held the GUI thread 44-48 ms (app.ui.window_sources runs it alone, the paint next).
LONG_STEP_NEXT = "long step next"


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
            lines = [article.kicker, article.title, article.subtitle, page_line(article), Path(article.source).name]
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
        ``before_reset(related)`` is called right before the content is replaced, with the new
        content's parent id -> related ids. The step that replaces it is announced by yielding
        :data:`LONG_STEP_NEXT` (the other steps yield None)."""
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
        yield LONG_STEP_NEXT
        if before_reset is not None:
            before_reset(related)
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


def any_related(related: dict[str, list[str]]) -> bool:
    """Whether some article belongs under another (then page order is not simply source order),
    from the model's parent id -> related ids (an article naming itself does not count): no pass
    over the articles again at the step that replaces the list (5 ms at 100k on the GUI thread)."""
    return any(kid != parent for parent, kids in related.items() for kid in kids)
