"""The list shows where a whole issue printed an article (``A03 要闻``) and, sorted by date, keeps an
issue's articles together in page order (#17)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QListView, QStyleOptionViewItem  # noqa: E402

from app.model import Article, Paragraph  # noqa: E402
from app.ui.article_list.delegate import ArticleDelegate, meta_line, page_label  # noqa: E402
from app.ui.article_list.model import ArticleListModel  # noqa: E402
from app.ui.article_list.proxy import ArticleProxyModel  # noqa: E402
from app.ui.article_list.sort import date_ranks  # noqa: E402

pytestmark = pytest.mark.gui


def _art(title, ordinal, page=None, name=None, issue=None, date=None, related_to=None, source="/tmp/issue.txt"):
    a = Article(title=title, paragraphs=[Paragraph("正文。")], ordinal=ordinal, date=date, authors=["林晓燕"],
                source=source, page=page, page_name=name, issue_date=issue, related_to=related_to)
    a.assign_id(source)
    return a


class RecordingPainter(QPainter):
    """A painter that remembers the texts drawn with it."""

    def __init__(self, device):
        super().__init__(device)
        self.texts: list[str] = []

    def drawText(self, *args):  # noqa: N802 - Qt's name
        self.texts.append(next(a for a in args if isinstance(a, str)))
        return super().drawText(*args)


def _painted(qtbot, article: Article) -> list[str]:
    model = ArticleListModel()
    model.set_articles([article])
    view = QListView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = ArticleDelegate(view)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, 600, 80)
    image = QImage(600, 80, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    try:
        delegate.paint(painter, option, model.index(0, 0))
    finally:
        painter.end()
    return painter.texts


def test_a_row_of_an_issue_shows_its_page_compactly(qtbot):
    texts = _painted(qtbot, _art("南湖新区启用智慧停车系统", 0, "A03", "要闻", "2023-10-31", source="/tmp/n.txt"))
    assert "A03 要闻 · 2023-10-31 · 林晓燕  ·  n.txt" in texts


def test_a_row_of_a_single_page_is_as_before(qtbot):
    texts = _painted(qtbot, _art("南湖新区启用智慧停车系统", 0, date="10-30", source="/tmp/n.txt"))
    assert "10-30 · 林晓燕  ·  n.txt" in texts


@pytest.mark.parametrize("page, name, expected", [
    ("A03", "要闻", "A03 要闻"), ("3", "要闻", "3版 要闻"), ("03", None, "03版"), (None, "要闻", "要闻"),
    ("特刊", "国庆 专版", "特刊 国庆 专版"), (None, None, ""),
])
def test_the_page_label(page, name, expected):
    assert page_label(_art("标题", 0, page, name)) == expected


def test_the_articles_own_date_wins_in_the_row_the_issues_stands_in_for_none():
    assert meta_line(_art("标题", 0, "A03", "要闻", "2023-10-31", date="10-30")) == "A03 要闻 · 10-30 · 林晓燕"
    assert meta_line(_art("标题", 0, None, None, "2023-10-31")) == "2023-10-31 · 林晓燕"


def test_the_tooltip_says_where_the_issue_printed_it(qapp):
    model = ArticleListModel()
    model.set_articles([_art("南湖新区启用智慧停车系统", 0, "A03", "要闻", "2023-10-31"), _art("单页文章", 1)])
    assert "第A03版 要闻 · 2023年10月31日" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "版" not in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_by_date_an_issue_comes_together_in_page_order(qtmodeltester):
    # opened as they came: two issues' pages out of order, a single page between them
    b01 = _art("乙版头条", 0, "B01", "文体", "2023-10-31", date="10-30")
    a12 = _art("甲版十二", 1, "A12", "广告", "2023-10-31")
    single = _art("单页文章", 2, date="2023-10-31", source="/tmp/single.txt")
    a02 = _art("甲版二", 3, "A02", "要闻", "2023-10-31", date="10-29")
    later = _art("次日头版", 4, "A01", "要闻", "2023-11-01")
    a02_related = _art("相关新闻", 5, "A02", "要闻", "2023-10-31", related_to=a02.id)
    a3 = _art("甲版三", 6, "3", "地方", "2023-10-31")
    model = ArticleListModel()
    model.set_articles([b01, a12, single, a02, later, a02_related, a3])
    proxy = ArticleProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_sort_mode("date")
    # the issue of 10-31 by page (a number alone before the lettered sections), then the single
    # page of that date, then the next issue; the related article stays under its parent
    assert proxy.sorted_titles() == ["甲版三", "甲版二", "相关新闻", "甲版十二", "乙版头条", "单页文章", "次日头版"]


def test_articles_without_pages_sort_by_date_as_before():
    articles = [_art("b", 0, date="2024-10-31"), _art("a", 1, date="10-01"), _art("c", 2), _art("d", 3, date="2024-01-02")]
    assert date_ranks(articles) == [2, 0, 3, 1]
